import type { Request } from 'express'

/**
 * True when the browser says the POST came from a page of this origin: `Sec-Fetch-Site:
 * same-origin` (Fetch Metadata), or, from a browser without it, an `Origin` equal to the tool's.
 * A form an attacker's site posts cross-site carries neither.
 */
export function sameOriginPost(req: Request, publicUrl: string): boolean {
  const site = req.headers['sec-fetch-site']
  if (site !== undefined) return site === 'same-origin'
  return req.headers.origin === new URL(publicUrl).origin
}

/**
 * True when the browser says the request came from another site or was typed in (`Sec-Fetch-Site`
 * other than `same-origin`): what a single-use sign-in link or ticket must refuse before it is
 * spent (login CSRF). A browser without Fetch Metadata (Safari before 16.4, whose `Origin` is
 * `null` under no-referrer) is let through.
 */
export function notFromThisOrigin(req: Request): boolean {
  const site = req.headers['sec-fetch-site']
  return site !== undefined && site !== 'same-origin'
}
