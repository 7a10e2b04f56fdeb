import type { Request } from 'express'

/**
 * A parsed form body (`express.urlencoded({ extended: false })`) as URLSearchParams, each repeated
 * field kept as many times as it came, so that the protocol checks can refuse a repeated parameter
 * (RFC 6749 §3.1–3.2) instead of reading "a,b" or only the first value. Not a form: no parameters.
 */
export function formParams(body: unknown): URLSearchParams {
  const params = new URLSearchParams()
  if (typeof body !== 'object' || body === null) return params
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    for (const one of Array.isArray(value) ? value : [value]) if (typeof one === 'string') params.append(name, one)
  }
  return params
}

/**
 * True when the browser says the request was started by another site: Fetch Metadata's
 * `Sec-Fetch-Site` (`cross-site`, `same-site`; over a redirect chain, the least trusted hop), or,
 * from a browser without it, an `Origin` other than the server's. A demo LMS page starts every
 * launch it signs; a launch another site starts would sign the visitor in to TLN as a demo person
 * of that site's choosing (login CSRF). Clients that send neither header (curl, the tests) pass.
 */
export function fromAnotherSite(req: Request, publicOrigin: string): boolean {
  const site = req.get('sec-fetch-site')
  if (site !== undefined) return site === 'cross-site' || site === 'same-site'
  const origin = req.get('origin')
  return origin !== undefined && origin !== publicOrigin
}
