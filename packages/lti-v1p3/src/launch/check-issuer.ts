import { LtiError } from '../errors.ts'
import type { Platform } from '../platform.ts'
import type { VerifiedClaims } from './id-token-claims.ts'

/**
 * Security Framework 1.0 §5.1.3 step 2: "The Issuer Identifier for the Platform MUST exactly
 * match the value of the iss (Issuer) Claim".
 */
export function checkIssuer(claims: VerifiedClaims, platform: Platform): void {
  if (claims.iss !== platform.issuer) {
    throw new LtiError('ERR_LTI_ISS_MISMATCH', 'id_token iss is not the issuer of this registration', { expected: platform.issuer, actual: claims.iss, claim: 'iss', rule: 'must be exactly the issuer of this registration (Security Framework 1.0 §5.1.3 step 2)' })
  }
}
