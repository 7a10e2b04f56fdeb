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
  return (_req, res, next) => {
    res.set('Content-Security-Policy', csp)
    res.set('X-Content-Type-Options', 'nosniff')
    res.set('Referrer-Policy', 'no-referrer')
    res.set('X-Frame-Options', 'DENY')
    res.set('Cross-Origin-Opener-Policy', 'same-origin')
    if (options.https) res.set('Strict-Transport-Security', 'max-age=31536000')
    next()
  }
}
