import { LtiError } from '../errors.ts'
import type { LoginState, LoginStateStore } from '../stores/login-state-store.ts'

/**
 * The posted `state` must be one this tool issued at login, unexpired, and is consumed so it
 * works once (Security Framework 1.0 §5.1.1.2–5.1.1.3; OAuth 2.0 RFC 6749 §10.12). The check is
 * server-side, so it needs no cross-site cookie. Returns the login state: it names the
 * registration (issuer, client_id) and the nonce the id_token must carry.
 */
export async function checkState(state: string, loginStates: LoginStateStore, now: number): Promise<LoginState> {
  const saved = await loginStates.consume(state)
  if (!saved) throw new LtiError('ERR_LTI_STATE_UNKNOWN', 'state does not match a login started by this tool, or was already used')
  if (saved.expiresAt <= now) throw new LtiError('ERR_LTI_STATE_EXPIRED', 'the login took too long; start again', { expiresAt: saved.expiresAt })
  return saved
}
