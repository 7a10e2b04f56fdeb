import { createHash, timingSafeEqual } from 'node:crypto'
import { randomToken } from '../random.ts'

/**
 * The cookie that binds an OIDC login to the browser that started it (Security Framework 1.0
 * §5.1.1; OIDC Core 1.0 §3.1.2.1 and RFC 6749 §10.12: `state` "MUST" be bound to the user agent,
 * else an attacker can make a victim's browser post the attacker's own id_token and sign the
 * victim in as the attacker — login CSRF). One cookie per login, named after a digest of its
 * state, so logins in several frames or tabs do not overwrite each other. Its value is a random
 * secret; the login state keeps only its SHA-256 (`LoginState.cookieHash`).
 */
export interface StateCookie {
  readonly name: string
  readonly value: string
  /** The whole `Set-Cookie` header value (`stateCookieAttributes`). */
  readonly header: string
}

/**
 * `lti_state_` and 22 base64url characters of SHA-256(state): a valid cookie name, distinct per login.
 * Over https it carries the `__Host-` prefix (`hostCookieName`).
 */
export function stateCookieName(state: string, redirectUri: string): string {
  return cookieNameFor(`lti_state_${sha256(state).slice(0, 22)}`, redirectUri)
}

/**
 * `name` as a cookie of a tool served over https (`__Host-<name>`) or plain http (`<name>`).
 * RFC 6265bis §4.1.3.2: a browser keeps a `__Host-` cookie only if it is `Secure`, from a secure
 * origin, with `Path=/` and no `Domain`, so a sibling subdomain (`evil.example.org` next to
 * `tln.example.org`) can neither set nor overwrite it ("cookie tossing"): with a plain name it could
 * plant its own login's state cookie (login CSRF) or session in a victim's browser. Over plain http
 * a browser refuses the prefix, so development keeps the plain names. Readers take only the name of
 * the current mode: over https a plain-named cookie is someone else's.
 */
export function hostCookieName(name: string, https: boolean): string {
  return https ? `__Host-${name}` : name
}

/** `hostCookieName` in the mode of `redirectUri`. */
function cookieNameFor(name: string, redirectUri: string): string {
  return hostCookieName(name, new URL(redirectUri).protocol === 'https:')
}

/** SHA-256, base64url: how a cookie value is kept in the login state. */
export function stateCookieHash(value: string): string {
  return sha256(value)
}

/**
 * A fresh cookie for the login `state`, for `maxAgeS` seconds, sent back only to `redirectUri`'s path
 * over plain http and to the whole origin over https (`__Host-` requires `Path=/`).
 */
export function newStateCookie(state: string, redirectUri: string, maxAgeS: number): StateCookie {
  const name = stateCookieName(state, redirectUri)
  const value = randomToken()
  return { name, value, header: `${name}=${value}; ${stateCookieAttributes(redirectUri, maxAgeS)}` }
}

/** The `Set-Cookie` value that deletes the state cookie of `state` once its launch is done. */
export function expiredStateCookie(state: string, redirectUri: string): string {
  return `${stateCookieName(state, redirectUri)}=; ${stateCookieAttributes(redirectUri, 0)}`
}

/**
 * `HttpOnly`, `Path` = the launch path only (`/` over https, as `__Host-` requires), `Max-Age` = the state's lifetime. The launch is a
 * cross-site form POST from the platform, often inside its iframe, so the cookie must be
 * `SameSite=None; Secure; Partitioned` (CHIPS: a browser that blocks third-party cookies still keeps
 * one partitioned under the LMS's site, and sends it back to the same frame). Browsers keep `Secure`
 * cookies from https and from loopback http (a developer's `http://localhost`/`127.0.0.1` is a secure
 * context). Any other plain-http URL gets `SameSite=Lax` (a `Secure` cookie would be dropped): it
 * comes back only when the LMS is on the same site, and otherwise the launch needs platform storage.
 */
export function stateCookieAttributes(redirectUri: string, maxAgeS: number): string {
  return cookieAttributes(new URL(redirectUri).pathname, redirectUri, maxAgeS)
}

/**
 * Name of the cookie that says this browser (in this LMS frame's partition) sent a state cookie back
 * before; `__Host-lti_cookies_ok` over https (`hostCookieName`).
 */
export const COOKIES_WORK_COOKIE = 'lti_cookies_ok'

/**
 * `Set-Cookie` value of `COOKIES_WORK_COOKIE`, set once a state cookie came back to the cookie check:
 * later logins at `loginPath` from this browser skip the check's extra redirect. Same attributes as
 * the state cookie, so it lives exactly where a state cookie would.
 */
export function cookiesWorkCookie(loginPath: string, redirectUri: string, maxAgeS: number): string {
  return `${cookieNameFor(COOKIES_WORK_COOKIE, redirectUri)}=1; ${cookieAttributes(loginPath, redirectUri, maxAgeS)}`
}

/** True when the request's `Cookie` header carries `COOKIES_WORK_COOKIE` under the name of `redirectUri`'s mode. */
export function cookiesWork(cookieHeader: string | undefined, redirectUri: string): boolean {
  const expected = `${cookieNameFor(COOKIES_WORK_COOKIE, redirectUri)}=1`
  return cookieHeader !== undefined && cookieHeader.split(';').some((part) => part.trim() === expected)
}

function cookieAttributes(path: string, redirectUri: string, maxAgeS: number): string {
  const url = new URL(redirectUri)
  const https = url.protocol === 'https:'
  // `__Host-` cookies (https, `hostCookieName`) must have `Path=/` (RFC 6265bis §4.1.3.2), or the browser drops them.
  if (https) path = '/'
  const secure = https || isLoopbackHost(url.hostname)
  return [`Path=${path}`, `Max-Age=${Math.max(0, Math.floor(maxAgeS))}`, 'HttpOnly',
    ...(secure ? ['Secure', 'SameSite=None', 'Partitioned'] : ['SameSite=Lax'])].join('; ')
}

/**
 * True when the request's `Cookie` header carries the state cookie of `state`, under the name of
 * `redirectUri`'s mode (`__Host-` over https), and its value hashes to `cookieHash` (compared in
 * constant time). A cookie of another login has another name, or a value that does not match.
 */
export function stateCookieMatches(cookieHeader: string | undefined, state: string, cookieHash: string | undefined, redirectUri: string): boolean {
  if (cookieHeader === undefined || cookieHash === undefined || cookieHash === '') return false
  const name = stateCookieName(state, redirectUri)
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=')
    if (eq <= 0 || part.slice(0, eq).trim() !== name) continue
    const got = Buffer.from(sha256(part.slice(eq + 1).trim()))
    const want = Buffer.from(cookieHash)
    if (got.length === want.length && timingSafeEqual(got, want)) return true
  }
  return false
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/u.test(hostname) || hostname === '[::1]'
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url')
}
