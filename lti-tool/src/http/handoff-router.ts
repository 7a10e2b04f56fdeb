import express, { type ErrorRequestHandler, type NextFunction, type Request, type Response, type Router } from 'express'
import { LtiToolError } from '../errors.ts'
import type { ToolLogger } from '../logger.ts'
import type { SessionHandoffStore } from '../session/session-handoff-store.ts'
import type { SessionStore } from '../session/session-store.ts'
import { checkTopLevelTarget } from '../session/top-level-paths.ts'
import { readCookies, setSessionCookie } from './cookies.ts'
import { referenceId, toolErrorHandler } from './error-page.ts'
import { notFromThisOrigin } from './fetch-metadata.ts'
import { handoffPage } from './handoff-page.ts'
import { toolPageHeaders } from './headers.ts'
import { errorPage } from './pages.ts'
import { isSessionToken, signedIn } from './session-token.ts'

export interface HandoffRouterDeps {
  readonly sessions: SessionStore
  readonly handoffs: SessionHandoffStore
  /** Keys the session-bound CSRF tokens (`session-token.ts`). */
  readonly secret: Uint8Array
  readonly publicUrl: string
  readonly sessionTtlMs: number
  readonly logger: ToolLogger
  readonly now: () => number
}

/** A hand-off request with a bad field: a 400 whose page names the field and the rule. */
export class HandoffInputError extends LtiToolError {
  constructor(readonly field: string, readonly rule: string, message: string) {
    super('ERR_TOOL_BAD_REQUEST', message, { field, rule })
    this.name = 'HandoffInputError'
  }
}

const TOKEN = /^[\w-]{43}$/u

/**
 * The session hand-off (issue 7), mounted at `/lti/session/handoff`. Inside the LMS frame the
 * session cookie is `SameSite=None; Secure; Partitioned` (CHIPS): a browser that blocks
 * third-party cookies keeps it under the LMS's site, so a page that is never framed, opened in a
 * new window, gets no cookie. The frame therefore asks for a single-use token and the new window
 * trades it for a first-party session of the same user and launch:
 * - `POST /` (in the frame): the live session → its form token (CSRF) → an allowlisted `target`
 *   → a token (60 s, SHA-256 stored) → a page with the link that opens it top-level;
 * - `GET /?token=` (top-level): token well-formed → navigation from a TLN page (`Sec-Fetch-Site`)
 *   → token used up atomically (unknown, used, expired, other tenant: 410) → `target` allowlisted
 *   still → a new session in place of any this browser had (deleted, not only overwritten) →
 *   a `SameSite=Lax` session cookie (`__Host-`, `Secure` over https) → 303 to `target`.
 * Every refusal comes before the token is spent, except those of the token itself.
 */
export function handoffRouter(deps: HandoffRouterDeps): Router {
  const router = express.Router()
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 })
  const https = deps.publicUrl.startsWith('https:')
  const wrap = (handler: (req: Request, res: Response) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction) => { handler(req, res).catch(next) }

  router.post('/', form, wrap(async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const { cookie, ...session } = await signedIn(deps.sessions, req)
    if (!isSessionToken(deps.secret, cookie, body.csrf)) throw new LtiToolError('ERR_TOOL_CSRF', 'hand-off request without this session\'s CSRF token', { userId: session.user.id })
    const checked = checkTopLevelTarget(body.target)
    if (!checked.ok) throw new HandoffInputError(checked.problem.field, checked.problem.rule, 'target must be one of the top-level pages TLN names (no other path or URL)')
    const token = await deps.handoffs.mint(session, checked.path)
    deps.logger.info({ userId: session.user.id, tenantId: session.user.tenantId, target: checked.path }, 'session hand-off minted')
    // Shown in the frame: framable; no-store and no-referrer, as every tool page.
    toolPageHeaders(res)
    res.type('html').send(handoffPage({ target: checked.path, token }))
  }))

  router.get('/', wrap(async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : ''
    if (!TOKEN.test(token)) throw new HandoffInputError('token', 'format', 'token must be the 43-character link token')
    // Login CSRF: only a click on TLN's own page may open the session; a link on another site (or
    // typed in) would sign the victim into the minter's account. Checked before the token is spent.
    if (notFromThisOrigin(req)) throw new HandoffInputError('Sec-Fetch-Site', 'same-origin', 'the hand-off link opens only from a TLN page')
    const redeemed = await deps.handoffs.redeem(token)
    if (!redeemed.ok) throw new LtiToolError('ERR_TOOL_HANDOFF_INVALID', 'session hand-off token refused', { refusal: redeemed.refusal })
    const { handoff } = redeemed
    const target = checkTopLevelTarget(handoff.targetPath)
    if (!target.ok) throw new HandoffInputError(target.problem.field, target.problem.rule, 'the hand-off names a page that is no longer a top-level page')
    // The new session never outlives the framed one it comes from.
    const ttlMs = Math.min(deps.sessionTtlMs, handoff.sessionExpiresAt - deps.now())
    // A session this window's browser already had (another teacher's on a shared computer, or an
    // older one of the same) is deleted, not just overwritten in the cookie jar.
    const replaced = readCookies(req, deps.sessions.cookieName)
    const id = await deps.sessions.create(handoff.userId, handoff.launch, ttlMs, replaced)
    // Top-level now: a first-party cookie, which every browser keeps; nothing cross-site needs it (Lax).
    setSessionCookie(res, id, { https, maxAgeS: Math.floor(ttlMs / 1000), crossSite: false })
    deps.logger.info({ userId: handoff.userId, tenantId: handoff.tenantId, target: target.path, replacedSessions: replaced.length }, 'session handed off to a top-level window')
    toolPageHeaders(res, { framing: 'none' })
    res.redirect(303, target.path)
  }))

  router.use(handoffErrors(deps.logger))
  return router
}

/**
 * Refusals: a bad field gets a page naming it and its rule; the rest go through the tool's error
 * table. The request in the frame (`POST`) answers a framable page, the top-level `GET` does not.
 */
function handoffErrors(logger: ToolLogger): ErrorRequestHandler {
  const framed = toolErrorHandler(logger)
  const topLevel = toolErrorHandler(logger, { framing: 'none' })
  return (error: unknown, req, res, next) => {
    if (!(error instanceof HandoffInputError)) return (req.method === 'GET' ? topLevel : framed)(error, req, res, next)
    const ref = referenceId()
    logger.debug({ ref, code: error.code, status: 400, url: req.originalUrl, message: error.message, detail: error.detail }, 'LTI request refused')
    toolPageHeaders(res, req.method === 'GET' ? { framing: 'none' } : {})
    res.status(400).set('X-TLN-Error', error.code).type('html').send(errorPage({
      id: `Isian "${error.field}" ditolak (aturan ${error.rule}). Kembali ke TLN di LMS Anda dan pilih halaman itu lagi.`,
      en: `Field "${error.field}" refused (rule ${error.rule}): ${error.message}.`,
    }, ref))
  }
}
