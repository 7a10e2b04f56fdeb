import { describe, expect, it } from 'vitest'
import { MAX_PLATFORM_URL_LENGTH, platformUrlRule } from './platform-url-rules.ts'

describe('platformUrlRule (Security Framework 1.0 §3; RFC 9110 §4.2.4; RFC 6749 §3.1–3.2)', () => {
  it('accepts an https endpoint, on a public or a LAN host (addresses are another check)', () => {
    expect(platformUrlRule('https://moodle.example.org/mod/lti/auth.php')).toBeUndefined()
    expect(platformUrlRule('https://192.168.10.5/mod/lti/certs.php')).toBeUndefined()
    expect(platformUrlRule('https://moodle.lan:8443/mod/lti/token.php?x=1')).toBeUndefined()
  })
  it('refuses what is not an absolute http(s) URL (rule url)', () => {
    for (const value of ['not a url', '/mod/lti/auth.php', 'file:///etc/passwd', 'ftp://moodle.example.org/x', 'javascript:alert(1)']) expect(platformUrlRule(value)).toBe('url')
  })
  it('refuses plain http except on loopback when allowed (Security Framework 1.0 §3: TLS; rule https)', () => {
    expect(platformUrlRule('http://moodle.example.org/x')).toBe('https')
    expect(platformUrlRule('http://192.168.10.5/x', { allowHttpLoopback: true })).toBe('https')
    expect(platformUrlRule('http://localhost:8080/x')).toBe('https')
    for (const value of ['http://localhost:8080/x', 'http://moodle.localhost/x', 'http://127.0.0.1/x', 'http://[::1]:8080/x']) expect(platformUrlRule(value, { allowHttpLoopback: true })).toBeUndefined()
  })
  it('refuses a user name or password in the URL (RFC 9110 §4.2.4: "A sender MUST NOT generate the userinfo subcomponent"; rule credentials)', () => {
    expect(platformUrlRule('https://admin:secret@moodle.example.org/x')).toBe('credentials')
    expect(platformUrlRule('https://admin@moodle.example.org/x')).toBe('credentials')
  })
  it('refuses a fragment (RFC 6749 §3.1: the endpoint URI "MUST NOT include a fragment component"; rule fragment)', () => {
    expect(platformUrlRule('https://moodle.example.org/x#y')).toBe('fragment')
    expect(platformUrlRule('https://moodle.example.org/x#')).toBe('fragment')
  })
  it(`refuses a URL over ${MAX_PLATFORM_URL_LENGTH} characters (rule too-long)`, () => {
    const base = 'https://moodle.example.org/'
    expect(platformUrlRule(base + 'x'.repeat(MAX_PLATFORM_URL_LENGTH - base.length))).toBeUndefined()
    expect(platformUrlRule(base + 'x'.repeat(MAX_PLATFORM_URL_LENGTH - base.length + 1))).toBe('too-long')
  })
})
