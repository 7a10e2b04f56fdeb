import type { Request, Response } from 'express'

export const SESSION_COOKIE = 'tln_session'

/** The value of one cookie of the request, or undefined. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined
  }
  return undefined
}

/**
 * Set the session cookie. Always `HttpOnly`. Over https it is `SameSite=None; Secure; Partitioned`
 * (CHIPS): the launch arrives as a cross-site POST into the LMS's iframe, where only such a cookie
 * can be set and come back (Moodle has no platform storage, so its launches ride on it). Over
 * plain http (development) browsers refuse `SameSite=None` without `Secure`, so it is `Lax`: the
 * cookie then works top-level only, and the "open in a new window" offer covers the iframe.
 * A local sign-in (`/login`) and the new-window hand-off (`/lti/continue`) pass `crossSite: false`:
 * `SameSite=Lax` (and `Secure` over https), since nothing cross-site needs those cookies.
 */
export function setSessionCookie(res: Response, value: string, options: { https: boolean; maxAgeS: number; crossSite?: boolean }): void {
  const attributes = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', `Max-Age=${options.maxAgeS}`]
  // Only the framed LTI launch needs a cross-site cookie; top-level sessions (`crossSite: false`) are Lax.
  const crossSite = options.https && options.crossSite !== false
  attributes.push(...(crossSite ? ['SameSite=None', 'Secure', 'Partitioned'] : options.https ? ['SameSite=Lax', 'Secure'] : ['SameSite=Lax']))
  res.append('Set-Cookie', attributes.join('; '))
}
