import { describe, expect, it } from 'vitest'
import { T0, verified } from '../testing/launch-harness.ts'
import { checkTimes } from './check-times.ts'

const nowS = T0 / 1000
const code = (fn: () => void) => { try { fn() } catch (e) { return (e as { code?: string }).code } return undefined }

describe('checkTimes (Security Framework 1.0 §5.1.3 steps 6–7)', () => {
  it('accepts a fresh 60-second token', () => expect(code(() => checkTimes(verified({ iat: nowS, exp: nowS + 60 }), T0))).toBeUndefined())
  it('accepts exp passed by less than the clock tolerance', () =>
    expect(code(() => checkTimes(verified({ iat: nowS - 64, exp: nowS - 4 }), T0, 5))).toBeUndefined())
  it('rejects an expired token ("The current time MUST be before the time represented by the exp Claim")', () =>
    expect(code(() => checkTimes(verified({ iat: nowS - 120, exp: nowS - 60 }), T0))).toBe('ERR_LTI_TOKEN_EXPIRED'))
  it('rejects a token expired by exactly the tolerance: never accept expired beyond it', () =>
    expect(code(() => checkTimes(verified({ iat: nowS - 65, exp: nowS - 5 }), T0, 5))).toBe('ERR_LTI_TOKEN_EXPIRED'))
  it('rejects a token issued in the future beyond the tolerance (step 7)', () =>
    expect(code(() => checkTimes(verified({ iat: nowS + 30, exp: nowS + 90 }), T0))).toBe('ERR_LTI_IAT_IN_FUTURE'))
  it('accepts iat slightly ahead within the tolerance (clock skew)', () =>
    expect(code(() => checkTimes(verified({ iat: nowS + 3, exp: nowS + 63 }), T0))).toBeUndefined())
  it('rejects a token before its nbf', () =>
    expect(code(() => checkTimes(verified({ iat: nowS, nbf: nowS + 30, exp: nowS + 60 }), T0))).toBe('ERR_LTI_TOKEN_NOT_YET_VALID'))
  it.each(['exp', 'iat'])('rejects a token without numeric %s', (claim) => {
    const claims: Record<string, unknown> = { iat: nowS, exp: nowS + 60 }
    claims[claim] = 'soon'
    expect(code(() => checkTimes(verified(claims), T0))).toBe('ERR_LTI_MISSING_CLAIM')
  })
  it('refuses a tolerance that would switch the check off (TypeError: a caller mistake)', () =>
    expect(() => checkTimes(verified({ iat: nowS, exp: nowS + 60 }), T0, 3600)).toThrow(TypeError))
  it('rejects an exp, iat or nbf past the end of the calendar (RFC 7519 §2 NumericDate): exp 1e300 cannot be kept as the nonce expiry', () => {
    expect(code(() => checkTimes(verified({ iat: nowS, exp: 1e300 }), T0))).toBe('ERR_LTI_INVALID_CLAIM')
    expect(code(() => checkTimes(verified({ iat: -1e300, exp: nowS + 60 }), T0))).toBe('ERR_LTI_INVALID_CLAIM')
    expect(code(() => checkTimes(verified({ iat: nowS, exp: nowS + 60, nbf: -1e20 }), T0))).toBe('ERR_LTI_INVALID_CLAIM')
    expect(code(() => checkTimes(verified({ iat: nowS, exp: 253_402_300_799 }), T0))).toBeUndefined()
  })
})
