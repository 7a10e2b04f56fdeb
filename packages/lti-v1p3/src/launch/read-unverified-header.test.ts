import { describe, expect, it } from 'vitest'
import { readUnverifiedHeader } from './read-unverified-header.ts'

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const token = (header: unknown) => `${b64(header)}.${b64({ iss: 'x' })}.c2ln`

describe('readUnverifiedHeader (Security Framework 1.0 §6.1, §6.3)', () => {
  it('returns kid and alg of an RS256 header and nothing from the payload', () =>
    expect(readUnverifiedHeader(token({ alg: 'RS256', kid: 'k1', typ: 'JWT' }))).toEqual({ kid: 'k1', alg: 'RS256' }))
  it.each(['none', 'HS256', 'RS512', 'ES256', undefined])('rejects alg %s: tools "MUST use RS256"', (alg) =>
    expect(() => readUnverifiedHeader(token({ alg, kid: 'k1' }))).toThrow(expect.objectContaining({ code: 'ERR_LTI_ALG_NOT_ALLOWED' })))
  it('rejects a header without kid, naming it and the rule (certification "No KID Sent in JWT header")', () =>
    expect(() => readUnverifiedHeader(token({ alg: 'RS256' })))
      .toThrow(expect.objectContaining({ code: 'ERR_LTI_MISSING_KID', detail: expect.objectContaining({ claim: 'kid', rule: expect.stringContaining('Security Framework 1.0 §6.3') }) })))
  it.each(['', 'abc', 'a.b', '!!!.e30.sig', 'a.b.c.d'])('rejects malformed token %j', (value) =>
    expect(() => readUnverifiedHeader(value)).toThrow(expect.objectContaining({ code: 'ERR_LTI_MALFORMED_TOKEN' })))
})
