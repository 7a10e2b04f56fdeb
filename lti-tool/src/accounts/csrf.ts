import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Request, Response } from 'express'
import { randomId } from '../hash.ts'
import { hostCookieName, readCookie } from '../http/cookies.ts'

/** The CSRF cookie's base name; over https it is `__Host-tln_csrf` (`hostCookieName`). */
export const CSRF_COOKIE = 'tln_csrf'
export const CSRF_FIELD = 'csrf'

/**
 * CSRF protection for the account forms, which are posted before any session exists: a signed
 * double-submit token (OWASP CSRF Cheat Sheet). The browser holds a random value in an HttpOnly,
 * `SameSite=Strict` cookie; the form carries HMAC-SHA-256(secret, value). A forged cross-site
 * post has neither the cookie (Strict) nor a matching field, and a cookie planted by a sibling
 * domain is useless without the server's secret.
 */
export class Csrf {
  private readonly key: Buffer
  /** `__Host-tln_csrf` over https (RFC 6265bis §4.1.3.2: no sibling subdomain can set it), `tln_csrf` over http. */
  readonly cookieName: string

  /** `secret` is the tool's sealing secret; a key of its own is derived from it, so no key serves two algorithms. */
  constructor(secret: Uint8Array, private readonly https: boolean) {
    this.key = createHmac('sha256', secret).update('tln-csrf-key-v1').digest()
    this.cookieName = hostCookieName(CSRF_COOKIE, https)
  }

  /** The form token for this browser, setting the cookie when it has none yet. */
  token(req: Request, res: Response): string {
    let value = readCookie(req, this.cookieName)
    if (value === undefined || !/^[\w-]{43}$/u.test(value)) {
      value = randomId()
      res.append('Set-Cookie', [`${this.cookieName}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', ...(this.https ? ['Secure'] : [])].join('; '))
    }
    return this.sign(value)
  }

  /** Does the posted form token match this browser's cookie? */
  valid(req: Request): boolean {
    const value = readCookie(req, this.cookieName)
    const field = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD]
    if (value === undefined || typeof field !== 'string') return false
    const expected = Buffer.from(this.sign(value))
    const given = Buffer.from(field)
    return given.length === expected.length && timingSafeEqual(given, expected)
  }

  private sign(value: string): string {
    return createHmac('sha256', this.key).update(`tln-csrf:${value}`).digest('base64url')
  }
}
