import { LtiError } from '../errors.ts'
import type { VerifiedClaims } from './id-token-claims.ts'

/** The largest NumericDate taken as a time: 9999-12-31T23:59:59Z (inside the range of ECMAScript and PostgreSQL dates). */
const MAX_NUMERIC_DATE_S = 253_402_300_799

/** Default clock tolerance in seconds: id_tokens live 60 s (Moodle), so the margin stays small. */
export const DEFAULT_CLOCK_TOLERANCE_S = 5

/**
 * Security Framework 1.0 §5.1.3 steps 6–7: "The current time MUST be before the time represented
 * by the exp Claim (possibly allowing for some small leeway to account for clock skew)"; "The
 * Tool MAY use the iat Claim to reject tokens that were issued too far away from the current
 * time" — a token issued in the future (beyond the tolerance) is rejected, as is one before `nbf`.
 *
 * @param now - epoch milliseconds.
 */
export function checkTimes(claims: VerifiedClaims, now: number, toleranceS: number = DEFAULT_CLOCK_TOLERANCE_S): void {
  if (!(toleranceS >= 0 && toleranceS <= 60)) throw new TypeError('clock tolerance must be between 0 and 60 seconds')
  const nowS = now / 1000
  const { exp, iat, nbf } = claims
  const required = 'is REQUIRED, a NumericDate (Security Framework 1.0 §5.1.2)'
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new LtiError('ERR_LTI_MISSING_CLAIM', 'id_token lacks a numeric exp', { claim: 'exp', rule: required })
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new LtiError('ERR_LTI_MISSING_CLAIM', 'id_token lacks a numeric iat', { claim: 'iat', rule: required })
  // RFC 7519 §2 NumericDate: a time. One past the end of the calendar (exp 1e300) cannot be kept
  // as the nonce's expiry (consumeNonce), nor compared meaningfully: refused, not stored.
  for (const [claim, value] of [['exp', exp], ['iat', iat], ['nbf', nbf]] as const) {
    if (typeof value === 'number' && Math.abs(value) > MAX_NUMERIC_DATE_S) {
      throw new LtiError('ERR_LTI_INVALID_CLAIM', `id_token ${claim} is not a representable time (RFC 7519 §2 NumericDate)`, { claim, rule: 'must be a NumericDate up to the year 9999 (RFC 7519 §2)' })
    }
  }
  if (nowS >= exp + toleranceS) throw new LtiError('ERR_LTI_TOKEN_EXPIRED', 'id_token has expired', { exp, now: nowS, claim: 'exp', rule: 'must be later than the current time (Security Framework 1.0 §5.1.3 step 6)' })
  if (iat > nowS + toleranceS) throw new LtiError('ERR_LTI_IAT_IN_FUTURE', 'id_token was issued in the future', { iat, now: nowS, claim: 'iat', rule: 'must not be in the future (Security Framework 1.0 §5.1.3 step 7)' })
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > nowS + toleranceS)) {
    throw new LtiError('ERR_LTI_TOKEN_NOT_YET_VALID', 'id_token is not valid yet (nbf)', { nbf, now: nowS, claim: 'nbf', rule: 'must not be in the future (RFC 7519 §4.1.5)' })
  }
}
