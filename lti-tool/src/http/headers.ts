import type { Response } from 'express'

/**
 * Who may frame a tool page. The rule: a page that a launched user can reach inside the LMS
 * iframe (the launch, login initiation and platform storage, Dynamic Registration, and every page
 * the launched pages link to, error pages included) is `lms`: any origin, since TLN cannot know
 * every LMS's. A page that is only ever top-level is `none` (`frame-ancestors 'none'` and
 * `X-Frame-Options: DENY`), so no other site can frame it for clickjacking: the local sign-in and
 * account pages and the LMS platforms page (`accountPageHeaders`), the new-window hand-off
 * (`/lti/continue`) and a mentee's confirmation link. `/lti/home`, the menu every signed-in page
 * links back to, is `lms`: it shows what the framed launch page shows. Pages shared by both kinds of
 * session stay `lms`: a local session's cookie is `SameSite=Lax`, which browsers do not send to a
 * cross-site frame, so such a page framed by another site is signed out.
 */
export type Framing = 'lms' | 'none'

/**
 * Headers of the tool's pages, replacing the server-wide ones (which forbid framing and scripts):
 * an LMS shows the tool in an iframe (`framing`, see `Framing`), and the platform-storage and
 * registration pages talk to the platform window by postMessage. Scripts and styles come from
 * this origin only (no inline script, so injected markup still cannot run); forms post back to
 * this origin only, except the Deep Linking answer, which may also post to the platform origin
 * given in `formActionOrigins`.
 */
export function toolPageHeaders(res: Response, options: { formActionOrigins?: readonly string[]; framing?: Framing } = {}): void {
  // The Deep Linking answer form-posts to the platform (Deep Linking 2.0 §4.5): its origin, and only it, joins `form-action`.
  const formAction = ["'self'", ...(options.formActionOrigins ?? [])].join(' ')
  const framable = (options.framing ?? 'lms') === 'lms'
  res.set('Content-Security-Policy', [
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
    `form-action ${formAction}`, "base-uri 'none'", framable ? 'frame-ancestors *' : "frame-ancestors 'none'",
  ].join('; '))
  if (framable) res.removeHeader('X-Frame-Options')
  else res.set('X-Frame-Options', 'DENY')
  // The registration close page and platform storage reach `window.opener`; same-origin COOP would cut it.
  res.set('Cross-Origin-Opener-Policy', 'unsafe-none')
  res.set('Cache-Control', 'no-store')
  res.set('Referrer-Policy', 'no-referrer')
  res.set('X-Content-Type-Options', 'nosniff')
}
