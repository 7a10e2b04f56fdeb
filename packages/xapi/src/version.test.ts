import { describe, expect, it } from 'vitest'
import { XapiError } from './errors.ts'
import { ABOUT_VERSIONS_1_0, negotiateVersion, SUPPORTED_VERSIONS } from './version.ts'

function codeOf(f: () => unknown): string | undefined {
  try { f() } catch (e) { return e instanceof XapiError ? e.code : 'not-an-XapiError' }
  return undefined
}

describe('negotiateVersion', () => {
  it('rejects a request without X-Experience-API-Version (xAPI 1.0.3 Communication 3.3.s4.b1, 3.3.s3.b7)', () => {
    expect(codeOf(() => negotiateVersion(undefined))).toBe('ERR_XAPI_MISSING_VERSION')
    expect(codeOf(() => negotiateVersion('  '))).toBe('ERR_XAPI_MISSING_VERSION')
  })

  it('accepts 1.0 as if it were 1.0.0 (xAPI 1.0.3 Communication 3.3.s3.b3)', () => {
    expect(negotiateVersion('1.0')).toBe('1.0.3')
  })

  it('accepts any version starting with 1.0. and serves it as 1.0.3 (xAPI 1.0.3 Communication 3.3.s3.b5)', () => {
    for (const v of ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.0.4', '1.0.17']) expect(negotiateVersion(v)).toBe('1.0.3')
  })

  it('accepts 2.0 and 2.0.x and serves them as 2.0.0 (xAPI 2.0.0 Communication 3.3)', () => {
    for (const v of ['2.0', '2.0.0', '2.0.1', ' 2.0.0 ']) expect(negotiateVersion(v)).toBe('2.0.0')
  })

  it('rejects versions before 1.0.0 (xAPI 1.0.3 Communication 3.3.s3.b4)', () => {
    for (const v of ['0.9', '0.95', '0.9.5']) expect(codeOf(() => negotiateVersion(v))).toBe('ERR_XAPI_UNSUPPORTED_VERSION')
  })

  it('rejects 1.1.0 or greater outside 2.0.x (xAPI 1.0.3 Communication 3.3.s3.b6; xAPI 2.0.0 Communication 3.3)', () => {
    for (const v of ['1.1.0', '1.1', '2.1.0', '3.0.0', '2']) expect(codeOf(() => negotiateVersion(v))).toBe('ERR_XAPI_UNSUPPORTED_VERSION')
  })

  it('rejects values that are not a plain version (xAPI 1.0.3 Communication 3.3.s2, Semantic Versioning 1.0.0)', () => {
    for (const v of ['1.0.3-beta', 'v1.0.3', '1.0.03', '1.0.x', '1.0.3, 2.0.0', '1.0.']) {
      expect(codeOf(() => negotiateVersion(v))).toBe('ERR_XAPI_UNSUPPORTED_VERSION')
    }
  })

  it('names the header in the issue path', () => {
    for (const header of [undefined, '9.9.9']) {
      expect(() => negotiateVersion(header)).toThrow(XapiError)
      try { negotiateVersion(header) } catch (e) { expect((e as XapiError).issues.map((i) => i.path)).toEqual(['X-Experience-API-Version']) }
    }
  })
})

describe('SUPPORTED_VERSIONS', () => {
  it('lists the latest minor and patch version for each major version (xAPI 1.0.3 Communication 2.8.s5.b1)', () => {
    expect(SUPPORTED_VERSIONS).toEqual(['1.0.3', '2.0.0'])
  })
})

describe('ABOUT_VERSIONS_1_0', () => {
  it('lists every 1.0.x patch negotiateVersion accepts, 1.0.1 included (xAPI 1.0.3 Communication 2.8.s5.b1.b1, 3.3.s3; ADL suite XAPI-00317)', () => {
    expect(ABOUT_VERSIONS_1_0).toEqual(['1.0.0', '1.0.1', '1.0.2', '1.0.3'])
    for (const version of ABOUT_VERSIONS_1_0) expect(negotiateVersion(version)).toBe('1.0.3')
  })
})
