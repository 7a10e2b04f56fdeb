import { describe, expect, it } from 'vitest'
import { cookiesWork, cookiesWorkCookie, expiredStateCookie, newStateCookie, stateCookieAttributes, stateCookieHash, stateCookieMatches, stateCookieName } from './state-cookie.ts'

describe('state cookie (Security Framework 1.0 §5.1.1; OIDC Core 1.0 §3.1.2.1; RFC 6749 §10.12: state bound to the user agent)', () => {
  it('over https: HttpOnly, Secure, SameSite=None and Partitioned (the launch is a cross-site POST into the LMS frame), path and lifetime of the launch', () => {
    const cookie = newStateCookie('state-1', 'https://tln.example/lti/launch', 300)
    expect(cookie.name).toBe(stateCookieName('state-1'))
    expect(cookie.header).toBe(`${cookie.name}=${cookie.value}; Path=/lti/launch; Max-Age=300; HttpOnly; Secure; SameSite=None; Partitioned`)
  })
  it('over loopback http (a developer machine, a secure context): the same, since browsers keep Secure cookies there', () => {
    for (const url of ['http://127.0.0.1:3000/lti/launch', 'http://localhost:3000/lti/launch', 'http://tln.localhost/lti/launch']) {
      expect(stateCookieAttributes(url, 300)).toBe('Path=/lti/launch; Max-Age=300; HttpOnly; Secure; SameSite=None; Partitioned')
    }
  })
  it('over other plain http: SameSite=Lax without Secure (a browser drops a Secure cookie there)', () => {
    expect(stateCookieAttributes('http://tln.lan/lti/launch', 300)).toBe('Path=/lti/launch; Max-Age=300; HttpOnly; SameSite=Lax')
  })
  it('is deleted with Max-Age=0 under the same name and path', () => {
    expect(expiredStateCookie('state-1', 'https://tln.example/lti/launch')).toBe(`${stateCookieName('state-1')}=; Path=/lti/launch; Max-Age=0; HttpOnly; Secure; SameSite=None; Partitioned`)
  })
  it('the cookies-work cookie lives on the login path with the state cookie\'s attributes, and is read back exactly', () => {
    expect(cookiesWorkCookie('/lti/login', 'https://tln.example/lti/launch', 60)).toBe('lti_cookies_ok=1; Path=/lti/login; Max-Age=60; HttpOnly; Secure; SameSite=None; Partitioned')
    expect(cookiesWorkCookie('/lti/login', 'http://tln.lan/lti/launch', 60)).toBe('lti_cookies_ok=1; Path=/lti/login; Max-Age=60; HttpOnly; SameSite=Lax')
    expect(cookiesWork('a=b; lti_cookies_ok=1')).toBe(true)
    for (const header of [undefined, '', 'lti_cookies_ok=0', 'xlti_cookies_ok=1', 'lti_cookies_ok=1x']) expect(cookiesWork(header)).toBe(false)
  })
  it('matches only the cookie of this login: its name and a value hashing to the saved hash', () => {
    const a = newStateCookie('state-a', 'https://tln.example/lti/launch', 300)
    const b = newStateCookie('state-b', 'https://tln.example/lti/launch', 300)
    const hashA = stateCookieHash(a.value)
    expect(stateCookieMatches(`other=1; ${a.name}=${a.value}`, 'state-a', hashA)).toBe(true)
    expect(stateCookieMatches(`${b.name}=${b.value}`, 'state-a', hashA)).toBe(false)
    // Another login's value under this login's name (a tossed cookie) does not hash to the saved hash.
    expect(stateCookieMatches(`${a.name}=${b.value}`, 'state-a', hashA)).toBe(false)
    expect(stateCookieMatches(undefined, 'state-a', hashA)).toBe(false)
    expect(stateCookieMatches(`${a.name}=${a.value}`, 'state-a', undefined)).toBe(false)
  })
})
