import { LtiError } from '../errors.ts'
import type { Platform } from '../platform.ts'
import type { VerifiedClaims } from './id-token-claims.ts'

/**
 * Security Framework 1.0 §5.1.3 steps 3–5: "The Tool MUST validate that the aud (audience) Claim
 * contains its client_id"; "If the ID Token contains multiple audiences, the Tool SHOULD verify
 * that an azp Claim is present"; "If an azp (authorized party) Claim is present, the Tool SHOULD
 * verify that its client_id is the Claim's value". Both SHOULDs are enforced as MUSTs.
 */
export function checkAudience(claims: VerifiedClaims, platform: Platform): void {
  const aud = claims.aud
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : []
  if (!audiences.includes(platform.clientId)) {
    throw new LtiError('ERR_LTI_AUD_MISMATCH', 'id_token aud does not contain this tool’s client_id', { expected: platform.clientId, actual: aud, claim: 'aud', rule: 'must contain this tool’s client_id (Security Framework 1.0 §5.1.3 step 3)' })
  }
  if (audiences.length > 1 || claims.azp !== undefined) {
    if (claims.azp !== platform.clientId) {
      throw new LtiError('ERR_LTI_AZP_MISMATCH', 'id_token azp must be this tool’s client_id', { expected: platform.clientId, actual: claims.azp, claim: 'azp', rule: 'must be this tool’s client_id (Security Framework 1.0 §5.1.3 steps 4–5)' })
    }
  }
}
