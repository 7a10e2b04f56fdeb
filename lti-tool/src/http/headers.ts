import type { Response } from 'express'

/**
 * Headers of the tool's pages, replacing the server-wide ones (which forbid framing and scripts):
 * an LMS shows the tool in an iframe, and the platform-storage and registration pages talk to the
 * platform window by postMessage. Scripts and styles come from this origin only (no inline
 * script, so injected markup still cannot run); forms post back to this origin only, except the
 * Deep Linking answer, which may also post to the platform origin given in `formActionOrigins`.
 */
export function toolPageHeaders(res: Response, options: { formActionOrigins?: readonly string[] } = {}): void {
  // The Deep Linking answer form-posts to the platform (Deep Linking 2.0 §4.5): its origin, and only it, joins `form-action`.
  const formAction = ["'self'", ...(options.formActionOrigins ?? [])].join(' ')
  res.set('Content-Security-Policy', [
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
    `form-action ${formAction}`, "base-uri 'none'", 'frame-ancestors *',
  ].join('; '))
  res.removeHeader('X-Frame-Options')
  // The registration close page and platform storage reach `window.opener`; same-origin COOP would cut it.
  res.set('Cross-Origin-Opener-Policy', 'unsafe-none')
  res.set('Cache-Control', 'no-store')
  res.set('Referrer-Policy', 'no-referrer')
  res.set('X-Content-Type-Options', 'nosniff')
}
