import { describe, expect, it } from 'vitest'
import { cookiesWork, cookiesWorkCookie, expiredStateCookie, newStateCookie, stateCookieAttributes, stateCookieHash, stateCookieMatches, stateCookieName } from './state-cookie.ts'

describe('state cookie (Security Framework 1.0 §5.1.1; OIDC Core 1.0 §3.1.2.1; RFC 6749 §10.12: state bound to the user agent)', () => {
  it('over https: __Host- prefixed, HttpOnly, Secure, SameSite=None and Partitioned (the launch is a cross-site POST into the LMS frame), Path=/ and the lifetime of the login', () => {
    const cookie = newStateCookie('state-1', 'https://tln.example/lti/launch', 300)
    expect(cookie.name).toBe(stateCookieName('state-1', 'https://tln.example/lti/launch'))
    expect(cookie.name).toMatch(/^__Host-lti_state_[A-Za-z0-9_-]{22}$/)
    expect(cookie.header).toBe(`${cookie.name}=${cookie.value}; Path=/; Max-Age=300; HttpOnly; Secure; SameSite=None; Partitioned`)
  })
  it('over https a sibling subdomain cannot set it: the __Host- prefix with Secure, Path=/ and no Domain (RFC 6265bis §4.1.3.2)', () => {
    for (const header of [newStateCookie('s', 'https://tln.example/lti/launch', 300).header, expiredStateCookie('s', 'https://tln.example/lti/launch'), cookiesWorkCookie('/lti/login', 'https://tln.example/lti/launch', 60)]) {
      expect(header).toMatch(/^__Host-/)
      expect(header).toContain('; Secure')
      expect(header).toContain('; Path=/;')
      expect(header).not.toMatch(/domain=/i)
    }
  })
  it('over http the names stay plain (a browser refuses __Host- cookies from an insecure origin)', () => {
    for (const url of ['http://127.0.0.1:3000/lti/launch', 'http://tln.lan/lti/launch']) {
      expect(newStateCookie('state-1', url, 300).name).toMatch(/^lti_state_[A-Za-z0-9_-]{22}$/)
      expect(cookiesWorkCookie('/lti/login', url, 60)).toMatch(/^lti_cookies_ok=1; Path=\/lti\/login;/)
    }
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
    expect(expiredStateCookie('state-1', 'https://tln.example/lti/launch')).toBe(`${stateCookieName('state-1', 'https://tln.example/lti/launch')}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=None; Partitioned`)
    expect(expiredStateCookie('state-1', 'http://tln.lan/lti/launch')).toBe(`${stateCookieName('state-1', 'http://tln.lan/lti/launch')}=; Path=/lti/launch; Max-Age=0; HttpOnly; SameSite=Lax`)
  })
  it('the cookies-work cookie lives on the login path with the state cookie\'s attributes, and is read back exactly', () => {
    const https = 'https://tln.example/lti/launch'
    const http = 'http://tln.lan/lti/launch'
    expect(cookiesWorkCookie('/lti/login', https, 60)).toBe('__Host-lti_cookies_ok=1; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=None; Partitioned')
    expect(cookiesWorkCookie('/lti/login', http, 60)).toBe('lti_cookies_ok=1; Path=/lti/login; Max-Age=60; HttpOnly; SameSite=Lax')
    expect(cookiesWork('a=b; lti_cookies_ok=1', http)).toBe(true)
    expect(cookiesWork('a=b; __Host-lti_cookies_ok=1', https)).toBe(true)
    for (const header of [undefined, '', 'lti_cookies_ok=0', 'xlti_cookies_ok=1', 'lti_cookies_ok=1x', '__Host-lti_cookies_ok=1']) expect(cookiesWork(header, http)).toBe(false)
  })
  it('over https reads only the __Host- names: a plain-named cookie (settable by a sibling subdomain) is not accepted (RFC 6265bis §4.1.3.2)', () => {
    const https = 'https://tln.example/lti/launch'
    expect(cookiesWork('lti_cookies_ok=1', https)).toBe(false)
    const a = newStateCookie('state-a', https, 300)
    const hashA = stateCookieHash(a.value)
    expect(stateCookieMatches(`${a.name}=${a.value}`, 'state-a', hashA, https)).toBe(true)
    expect(stateCookieMatches(`${a.name.slice('__Host-'.length)}=${a.value}`, 'state-a', hashA, https)).toBe(false)
    // And over http the prefixed name is not read either: one name per mode.
    expect(stateCookieMatches(`${a.name}=${a.value}`, 'state-a', hashA, 'http://tln.lan/lti/launch')).toBe(false)
  })
  it('matches only the cookie of this login: its name and a value hashing to the saved hash', () => {
    const a = newStateCookie('state-a', 'https://tln.example/lti/launch', 300)
    const b = newStateCookie('state-b', 'https://tln.example/lti/launch', 300)
    const hashA = stateCookieHash(a.value)
    const uri = 'https://tln.example/lti/launch'
    expect(stateCookieMatches(`other=1; ${a.name}=${a.value}`, 'state-a', hashA, uri)).toBe(true)
    expect(stateCookieMatches(`${b.name}=${b.value}`, 'state-a', hashA, uri)).toBe(false)
    // Another login's value under this login's name (a tossed cookie) does not hash to the saved hash.
    expect(stateCookieMatches(`${a.name}=${b.value}`, 'state-a', hashA, uri)).toBe(false)
    expect(stateCookieMatches(undefined, 'state-a', hashA, uri)).toBe(false)
    expect(stateCookieMatches(`${a.name}=${a.value}`, 'state-a', undefined, uri)).toBe(false)
  })
})
