import type { RequestHandler } from 'express'

/**
 * Security headers on every response. The Content-Security-Policy allows no script at all and
 * only the styles whose hashes the landing page declares, so injected markup cannot run
 * (OWASP Secure Headers). HSTS is sent only when the public URL is https, because browsers
 * would otherwise pin a scheme the server does not serve.
 */
export function securityHeaders(options: { styleHashes: readonly string[]; https: boolean }): RequestHandler {
  const styles = options.styleHashes.map((hash) => `'${hash}'`).join(' ')
  const csp = [
    "default-src 'none'",
    `style-src ${styles || "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
  const headers: ReadonlyArray<readonly [string, string]> = [
    ['Content-Security-Policy', csp],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'no-referrer'],
    ['X-Frame-Options', 'DENY'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ...(options.https ? [['Strict-Transport-Security', 'max-age=31536000'] as const] : []),
  ]
  return (_req, res, next) => {
    // `setHeader`, not `res.set`: the values are fixed strings, so its conversions would be work on every request for nothing (issue 7).
    for (const [name, value] of headers) res.setHeader(name, value)
    next()
  }
}
