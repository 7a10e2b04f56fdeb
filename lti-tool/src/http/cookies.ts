import type { Request, Response } from 'express'
import { hostCookieName } from '@tln/lti-v1p3'

/** The session cookie's base name; over https it is `__Host-tln_session` (`sessionCookieName`). */
export const SESSION_COOKIE = 'tln_session'

// TLN's own cookies are named as the LTI login's are: `__Host-<name>` over https (`hostCookieName`).
export { hostCookieName }

/** The session cookie's name in this mode (`hostCookieName`). */
export function sessionCookieName(https: boolean): string {
  return hostCookieName(SESSION_COOKIE, https)
}

/** The value of one cookie of the request, or undefined. */
export function readCookie(req: Request, name: string): string | undefined {
  return readCookies(req, name)[0]
}

/**
 * Every value of one cookie the request carries. A top-level request may carry two cookies of the
 * same name: the first-party one and one partitioned under TLN's own site (CHIPS), set by a launch
 * that was not framed.
 */
export function readCookies(req: Request, name: string): string[] {
  const values: string[] = []
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    const value = eq > 0 && part.slice(0, eq).trim() === name ? part.slice(eq + 1).trim() : ''
    if (value !== '') values.push(value)
  }
  return values
}

/**
 * Set the session cookie. Always `HttpOnly`. Over https it is `SameSite=None; Secure; Partitioned`
 * (CHIPS): the launch arrives as a cross-site POST into the LMS's iframe, where only such a cookie
 * can be set and come back (Moodle has no platform storage, so its launches ride on it). Over
 * plain http (development) browsers refuse `SameSite=None` without `Secure`, so it is `Lax`: the
 * cookie then works top-level only, and the "open in a new window" offer covers the iframe.
 * A local sign-in (`/login`) and the new-window hand-off (`/lti/continue`) pass `crossSite: false`:
 * `SameSite=Lax` (and `Secure` over https), since nothing cross-site needs those cookies. Its name is
 * `sessionCookieName(https)`: `__Host-tln_session` over https.
 */
export function setSessionCookie(res: Response, value: string, options: { https: boolean; maxAgeS: number; crossSite?: boolean }): void {
  const attributes = [`${sessionCookieName(options.https)}=${value}`, 'Path=/', 'HttpOnly', `Max-Age=${options.maxAgeS}`]
  // Only the framed LTI launch needs a cross-site cookie; top-level sessions (`crossSite: false`) are Lax.
  const crossSite = options.https && options.crossSite !== false
  attributes.push(...(crossSite ? ['SameSite=None', 'Secure', 'Partitioned'] : options.https ? ['SameSite=Lax', 'Secure'] : ['SameSite=Lax']))
  res.append('Set-Cookie', attributes.join('; '))
}
