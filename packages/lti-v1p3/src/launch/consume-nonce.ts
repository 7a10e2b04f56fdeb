import { LtiError } from '../errors.ts'
import type { LoginState } from '../stores/login-state-store.ts'
import type { NonceStore } from '../stores/nonce-store.ts'
import { stringOf, type VerifiedClaims } from './id-token-claims.ts'

/**
 * The last check, run only once every other passed: the `nonce` must be the one sent in this
 * login's authentication request, and is recorded atomically so the token can never be replayed
 * (Security Framework 1.0 §5.1.3 step 8; OIDC Core 1.0 §3.1.3.7 rule 11: "The value of the nonce
 * Claim MUST be checked to verify that it is the same value as the one that was sent").
 */
export async function consumeNonce(claims: VerifiedClaims, login: Pick<LoginState, 'nonce'>, nonces: NonceStore): Promise<void> {
  const nonce = stringOf(claims.nonce)
  if (nonce === undefined) throw new LtiError('ERR_LTI_MISSING_CLAIM', 'id_token lacks nonce', { claim: 'nonce', rule: 'is REQUIRED (Security Framework 1.0 §5.1.2)' })
  if (nonce !== login.nonce) throw new LtiError('ERR_LTI_NONCE_MISMATCH', 'id_token nonce is not the one sent at login')
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : 0 // checkTimes ran before: exp is a number
  // Keep the row a little past exp + tolerance: after that, checkTimes rejects a replay anyway.
  if (!(await nonces.consume(nonce, exp + 60_000))) {
    throw new LtiError('ERR_LTI_NONCE_REPLAYED', 'id_token nonce was already used')
  }
}
