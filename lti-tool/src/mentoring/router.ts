import { timingSafeEqual } from 'node:crypto'
import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import { LtiToolError } from '../errors.ts'
import { csrfToken, signedIn } from '../http/session-token.ts'
import { messageOf, requireJsonBody, TOOL_ERROR_STATUS, toolErrorHandler } from '../http/error-page.ts'
import { toolPageHeaders } from '../http/headers.ts'
import type { ToolLogger } from '../logger.ts'
import type { SessionStore } from '../session/session-store.ts'
import { parseMultipart } from '../tasks/multipart.ts'
import { confirmDonePage, confirmGonePage, confirmPage } from './confirm-pages.ts'
import { MAX_EVIDENCE_BYTES } from './evidence.ts'
import { MentoringInputError, type MentoringService, type Viewer } from './mentoring-service.ts'
import { chainPage, mentoringHomePage, relationPage, sharePage, verifyQueuePage } from './pages.ts'
import { CHUNK_BYTES } from '../uploads/chunked-uploads.ts'
import type { FieldProblem } from './types.ts'

export interface MentoringRouterDeps {
  readonly service: MentoringService
  readonly sessions: SessionStore
  /** Keys the CSRF tokens (the tasks' HMAC of the session id, `tasks/router.ts` `csrfToken`). */
  readonly secret: Uint8Array
  readonly logger: ToolLogger
}

type Form = Record<string, unknown>

/** The mentee's choice: confirm or dispute, nothing else. */
function decisionOf(value: unknown): 'confirm' | 'dispute' {
  if (value === 'confirm' || value === 'dispute') return value
  throw new MentoringInputError([{ field: 'decision', rule: 'decision-required', message: { id: 'Pilih "Benar" atau "Tidak benar".', en: 'Choose "Yes" or "Not right".' } }])
}

/** A form that failed: 413 / 415 for the file's size or type (as the tasks answer), else 400. */
function statusOf(problems: readonly FieldProblem[]): number {
  if (problems.some((p) => p.rule === 'file-too-large')) return 413
  if (problems.some((p) => p.rule === 'file-type')) return 415
  return 400
}

/**
 * Peer-mentoring routes, mounted at `/lti/mentoring`:
 * - teacher: `GET /` (relations, sessions and their status, add a colleague, sessions to confirm as
 *   a mentee), `POST /relations`, `GET /relations/:id`, `POST /relations/:id/sessions` (multipart,
 *   optional `file`), `GET|POST /sessions/:id/share|link` (the confirmation link),
 *   `POST /sessions/:id/answer` (a mentee with a session), `GET /chain[/:person]`;
 * - anyone with the link: `GET|POST /confirm/:token` (no account; the link is the credential);
 * - teacher, with script: `POST /uploads` → `PUT /uploads/:id?offset=` (256 KB chunks; `GET /uploads/:id`
 *   tells the offset to resume) → the session form posts `upload=<id>` instead of the file;
 * - verifier (facilitator of the kecamatan, coordinator of the school, admin): `GET /verify`,
 *   `POST /sessions/:id/verify`; all three: `GET /sessions/:id/evidence`.
 * State-changing requests of a session carry its CSRF token (field `csrf`). Out-of-scope ids are 404.
 */
export function mentoringRouter(deps: MentoringRouterDeps): Router {
  const router = express.Router()
  const { service } = deps
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 })
  const wrap = (handler: (req: Request, res: Response) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction) => { handler(req, res).catch(next) }
  const html = (res: Response, status: number, body: string) => { toolPageHeaders(res); res.status(status).type('html').send(body) }

  async function viewer(req: Request): Promise<{ v: Viewer; csrf: string }> {
    const { cookie, ...session } = await signedIn(deps.sessions, req)
    return { v: await service.viewer(session), csrf: csrfToken(deps.secret, cookie) }
  }
  function checkCsrf(expected: string, given: unknown): void {
    const a = Buffer.from(typeof given === 'string' ? given : '')
    const b = Buffer.from(expected)
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new LtiToolError('ERR_TOOL_CSRF', 'mentoring form without the session CSRF token')
  }
  const body = (req: Request) => (req.body ?? {}) as Form

  async function home(res: Response, v: Viewer, csrf: string, extra: { status?: number; problems?: readonly FieldProblem[]; form?: Form; notice?: { id: string; en: string } } = {}) {
    const mentor = v.person !== undefined && v.school !== undefined ? (() => { try { return service.mentor(v) } catch { return undefined } })() : undefined
    html(res, extra.status ?? 200, mentoringHomePage({
      ...(v.person !== undefined && { me: { name: v.person.name, ...(v.school !== undefined && { school: v.school.name }) } }),
      relations: await service.mine(v), toAnswer: await service.toAnswer(v), windowDays: await service.windowDays(v.session.user.tenantId),
      today: service.today(), csrf, canVerify: v.grants.some((g) => g.role === 'facilitator' || g.role === 'coordinator' || g.role === 'admin'),
      ...(mentor !== undefined && { colleagues: await service.colleagues(v) }),
      ...(extra.problems !== undefined && { problems: extra.problems }), ...(extra.form !== undefined && { form: extra.form }), ...(extra.notice !== undefined && { notice: extra.notice }),
    }))
  }

  async function relation(res: Response, v: Viewer, csrf: string, relationId: string, extra: { status?: number; problems?: readonly FieldProblem[]; form?: Form } = {}) {
    const r = await service.ownRelation(v, relationId)
    const sessions = await service.store.sessionsOf(r.tenantId, [r.id])
    html(res, extra.status ?? 200, relationPage({ relation: r, sessions, csrf, today: service.today(), ...extra }))
  }

  // The resumable evidence upload (`/lti/static/mentoring-upload.js`): JSON answers, errors
  // included ({ code, message: { id, en }, offset? }), the CSRF token in `X-TLN-CSRF` — the tasks' API.
  const uploadApi = (handler: (req: Request, res: Response, v: Viewer) => Promise<void>) => wrap(async (req, res) => {
    res.set('Cache-Control', 'no-store')
    try {
      const { v, csrf } = await viewer(req)
      if (req.method !== 'GET') checkCsrf(csrf, req.get('x-tln-csrf'))
      await handler(req, res, v)
    } catch (error) {
      if (!(error instanceof LtiToolError)) throw error
      const offset = error.code === 'ERR_TOOL_UPLOAD_OFFSET' ? error.detail?.received : undefined
      res.status(TOOL_ERROR_STATUS[error.code]).set('X-TLN-Error', error.code)
        .json({
          code: error.code, message: messageOf(error.code), ...(typeof offset === 'number' && { offset }),
          // A malformed API call (no script sends one): name the field and rule for the client's developer, as the tasks' API does.
          ...(error.code === 'ERR_TOOL_BAD_REQUEST' && { detail: error.message }),
        })
    }
  })
  router.post('/uploads', express.json({ limit: '4kb' }), uploadApi(async (req, res, v) => {
    requireJsonBody(req)
    const b = (req.body ?? {}) as Form
    const u = await service.createUpload(v, String(b.relation ?? ''), String(b.fileName ?? ''), Number(b.size))
    res.status(201).location(`/lti/mentoring/uploads/${u.id}`).json({ id: u.id, offset: u.received, size: u.size, chunkSize: CHUNK_BYTES })
  }))
  router.get('/uploads/:id', uploadApi(async (req, res, v) => {
    const u = await service.upload(v, String(req.params.id))
    res.json({ id: u.id, offset: u.received, size: u.size })
  }))
  router.put('/uploads/:id', express.raw({ type: () => true, limit: CHUNK_BYTES + 1 }), uploadApi(async (req, res, v) => {
    const offset = typeof req.query.offset === 'string' && /^\d{1,9}$/u.test(req.query.offset) ? Number(req.query.offset) : NaN
    const u = await service.putChunk(v, String(req.params.id), offset, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0))
    res.json({ id: u.id, offset: u.received, size: u.size })
  }))

  router.get('/', wrap(async (req, res) => {
    const { v, csrf } = await viewer(req)
    await home(res, v, csrf, req.query.added === '1' ? { notice: { id: 'Rekan tersimpan.', en: 'Colleague saved.' } } : {})
  }))

  router.post('/relations', form, wrap(async (req, res) => {
    const { v, csrf } = await viewer(req)
    checkCsrf(csrf, body(req).csrf)
    try {
      const r = await service.addRelation(v, body(req))
      res.redirect(303, `/lti/mentoring/relations/${r.id}`)
    } catch (error) {
      if (!(error instanceof MentoringInputError)) throw error
      await home(res, v, csrf, { status: 400, problems: error.problems, form: body(req) })
    }
  }))

  router.get('/relations/:id', wrap(async (req, res) => {
    const { v, csrf } = await viewer(req)
    await relation(res, v, csrf, String(req.params.id))
  }))

  // Multipart (the evidence file); the body is capped just above the file limit, and an announced
  // oversize body is refused before it is read.
  router.post('/relations/:id/sessions', wrap(async (req, res) => {
    const { v, csrf } = await viewer(req)
    const id = String(req.params.id)
    await service.ownRelation(v, id)
    const type = req.get('content-type') ?? ''
    if (Number(req.get('content-length') ?? 0) > MAX_EVIDENCE_BYTES + 64 * 1024) {
      req.resume()
      await relation(res, v, csrf, id, { status: 413, problems: [{ field: 'file', rule: 'file-too-large', message: { id: 'Berkas terlalu besar (paling besar 10 MB).', en: 'The file is too large (at most 10 MB).' } }] })
      return
    }
    let fields: Form
    let file: { name: string; content: Buffer } | undefined
    if (type.startsWith('multipart/form-data')) {
      const raw = await new Promise<Buffer>((resolve, reject) => express.raw({ type: () => true, limit: MAX_EVIDENCE_BYTES + 64 * 1024 })(req, res, (err?: unknown) => (err === undefined ? resolve(req.body as Buffer) : reject(err))))
      const parsed = Buffer.isBuffer(raw) ? parseMultipart(raw, type) : undefined
      if (parsed === undefined) throw new LtiToolError('ERR_TOOL_BAD_REQUEST', 'session form is not well-formed multipart')
      fields = parsed.fields
      file = parsed.file
    } else {
      await new Promise<void>((resolve, reject) => form(req, res, (err?: unknown) => (err === undefined ? resolve() : reject(err))))
      fields = body(req)
    }
    checkCsrf(csrf, fields.csrf)
    try {
      // With script the evidence went up in chunks first: the form names the upload instead of carrying the file.
      const evidence = file ?? (typeof fields.upload === 'string' && fields.upload !== '' ? { uploadId: fields.upload } : undefined)
      const logged = await service.logSession(v, id, fields, evidence)
      res.redirect(303, `/lti/mentoring/sessions/${logged.session.id}/share?logged=1`)
    } catch (error) {
      if (!(error instanceof MentoringInputError)) throw error
      await relation(res, v, csrf, id, { status: statusOf(error.problems), problems: error.problems, form: fields })
    }
  }))

  router.get('/sessions/:id/share', wrap(async (req, res) => {
    const { v, csrf } = await viewer(req)
    const shared = await service.shareLink(v, String(req.params.id))
    html(res, 200, sharePage({ ...shared, csrf, timeZone: service.timeZone, logged: req.query.logged === '1' }))
  }))

  router.post('/sessions/:id/link', form, wrap(async (req, res) => {
    const { v, csrf } = await viewer(req)
    checkCsrf(csrf, body(req).csrf)
    await service.shareLink(v, String(req.params.id), true)
    res.redirect(303, `/lti/mentoring/sessions/${String(req.params.id)}/share`)
  }))

  router.post('/sessions/:id/answer', form, wrap(async (req, res) => {
    const { v, csrf } = await viewer(req)
    checkCsrf(csrf, body(req).csrf)
    try {
      decisionOf(body(req).decision)
      await service.answerAsMentee(v, String(req.params.id), { confirmed: body(req).decision === 'confirm', note: body(req).note })
      res.redirect(303, '/lti/mentoring')
    } catch (error) {
      if (!(error instanceof MentoringInputError)) throw error
      await home(res, v, csrf, { status: 400, problems: error.problems })
    }
  }))

  router.get('/sessions/:id/evidence', wrap(async (req, res) => {
    const { v } = await viewer(req)
    const file = await service.evidence(v, String(req.params.id))
    res.set({
      'Content-Type': file.mediaType, 'Content-Length': String(file.content.length), 'X-Content-Type-Options': 'nosniff',
      'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      'Content-Security-Policy': "default-src 'none'; sandbox", 'Cache-Control': 'private, no-store',
    }).send(file.content)
  }))

  router.get('/verify', wrap(async (req, res) => {
    const { v, csrf } = await viewer(req)
    html(res, 200, verifyQueuePage({
      items: await service.queue(v), csrf, ...(req.query.done === '1' && { notice: { id: 'Tersimpan.', en: 'Saved.' } }),
      ...(service.canConfigure(v) && { windowDays: await service.windowDays(v.session.user.tenantId) }),
    }))
  }))

  router.post('/sessions/:id/verify', form, wrap(async (req, res) => {
    const { v, csrf } = await viewer(req)
    checkCsrf(csrf, body(req).csrf)
    const decision = body(req).decision
    try {
      // A missing decision is a form problem shown beside the session, like the note's, not a generic error page.
      if (decision !== 'verify' && decision !== 'reject') throw new MentoringInputError([{ field: 'decision', rule: 'decision-required', message: { id: 'Pilih "Verifikasi" atau "Tolak".', en: 'Choose "Verify" or "Reject".' } }])
      await service.verify(v, String(req.params.id), { approved: decision === 'verify', note: body(req).note })
      res.redirect(303, '/lti/mentoring/verify?done=1')
    } catch (error) {
      if (!(error instanceof MentoringInputError)) throw error
      html(res, 400, verifyQueuePage({ items: await service.queue(v), csrf, problems: error.problems, problemSession: String(req.params.id) }))
    }
  }))

  router.post('/settings', form, wrap(async (req, res) => {
    const { v, csrf } = await viewer(req)
    checkCsrf(csrf, body(req).csrf)
    try {
      await service.configure(v, body(req).windowDays)
      res.redirect(303, '/lti/mentoring/verify?done=1')
    } catch (error) {
      if (!(error instanceof MentoringInputError)) throw error
      html(res, 400, verifyQueuePage({ items: await service.queue(v), csrf, problems: error.problems, windowDays: await service.windowDays(v.session.user.tenantId) }))
    }
  }))

  router.get(['/chain', '/chain/:person'], wrap(async (req, res) => {
    const { v } = await viewer(req)
    const person = typeof req.params.person === 'string' ? req.params.person : undefined
    html(res, 200, chainPage(await service.chain(v, person)))
  }))

  // The mentee's link is opened from a message, top-level, never in an LMS frame: no site may frame its confirm button.
  const linkPage = (res: Response, status: number, body: string) => { toolPageHeaders(res, { framing: 'none' }); res.status(status).type('html').send(body) }
  router.get('/confirm/:token', wrap(async (req, res) => {
    const token = String(req.params.token)
    const found = await service.byLink(token)
    linkPage(res, found === undefined ? 404 : 200, found === undefined ? confirmGonePage() : confirmPage({ token, ...found }))
  }))

  router.post('/confirm/:token', form, wrap(async (req, res) => {
    const token = String(req.params.token)
    const input = { confirmed: body(req).decision === 'confirm', note: body(req).note }
    try {
      decisionOf(body(req).decision)
      const done = await service.answerByLink(token, input)
      linkPage(res, done === undefined ? 404 : 200, done === undefined ? confirmGonePage() : confirmDonePage(done.session))
    } catch (error) {
      if (!(error instanceof MentoringInputError)) throw error
      const found = await service.byLink(token)
      linkPage(res, found === undefined ? 404 : 400, found === undefined ? confirmGonePage() : confirmPage({ token, ...found, problems: error.problems, ...(typeof input.note === 'string' && { note: input.note }) }))
    }
  }))

  router.use(toolErrorHandler(deps.logger))
  return router
}
