import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import { LtiToolError } from '../errors.ts'
import { csrfToken, isSessionToken, signedIn as signedInSession, type SignedIn } from '../http/session-token.ts'
import { messageOf, TOOL_ERROR_STATUS } from '../http/error-page.ts'
import { toolPageHeaders } from '../http/headers.ts'
import type { Session, SessionStore } from '../session/session-store.ts'
import type { TlnUser } from '../session/user-store.ts'
import { parseMultipart } from './multipart.ts'
import { gradingPage, gradingQueuePage, teacherTaskPage } from './pages.ts'
import { levelsFromForm } from './score.ts'
import { CHUNK_BYTES, MAX_FILE_BYTES, type TaskService } from './task-service.ts'
import type { Text } from './types.ts'

export interface TaskRouterDeps {
  readonly service: TaskService
  readonly sessions: SessionStore
  /** Keys the CSRF tokens (HMAC of the session id). */
  readonly secret: Uint8Array
}

/** Kept here for the pages and tests that import it with the task routes. */
export { csrfToken }

/**
 * Routes of the performance tasks, mounted below `/lti`:
 * - teacher: `GET /tasks/:id` (the task page), `POST /tasks/uploads` → `PUT /tasks/uploads/:id?offset=`
 *   (256 KB chunks) → `POST /tasks/uploads/:id/complete`, `GET /tasks/uploads/:id` (the server's
 *   offset, to resume), `POST /tasks/:id/file` (one multipart post, without script),
 *   `POST /tasks/:id/url` (blog, article);
 * - both: `GET /tasks/submissions/:id/file` (owner, or a facilitator in scope);
 * - facilitator/admin: `GET /grading`, `GET /grading/:id`, `POST /grading/:id`.
 * Every state-changing request carries the session's CSRF token (form field `csrf` or header
 * `X-TLN-CSRF`). The upload API answers JSON `{ code, message: { id, en }, offset? }` on errors.
 */
export function taskRouter(deps: TaskRouterDeps): Router {
  const router = express.Router()
  const { service } = deps
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 100 })
  const json = express.json({ limit: '4kb' })
  const wrap = (handler: (req: Request, res: Response) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction) => { handler(req, res).catch(next) }

  const signedIn = (req: Request) => signedInSession(deps.sessions, req)
  function checkCsrf(s: SignedIn, token: unknown): void {
    if (!isSessionToken(deps.secret, s.cookie, token)) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'CSRF token missing or wrong')
  }
  /** The upload API: JSON answers, errors included (the script shows their message). */
  const api = (handler: (req: Request, res: Response, s: SignedIn) => Promise<void>) => wrap(async (req, res) => {
    res.set('Cache-Control', 'no-store')
    try {
      const s = await signedIn(req)
      if (req.method !== 'GET') checkCsrf(s, req.get('x-tln-csrf'))
      await handler(req, res, s)
    } catch (error) {
      if (!(error instanceof LtiToolError)) throw error
      const offset = error.code === 'ERR_TOOL_UPLOAD_OFFSET' ? error.detail?.received : undefined
      res.status(TOOL_ERROR_STATUS[error.code]).set('X-TLN-Error', error.code)
        .json({ code: error.code, message: messageOf(error.code), ...(typeof offset === 'number' && { offset }) })
    }
  })
  const html = (res: Response, status: number, body: string) => { toolPageHeaders(res); res.status(status).type('html').send(body) }

  async function teacherPage(res: Response, s: SignedIn, assignmentId: string, extra: { problem?: Text; notice?: Text; status?: number } = {}) {
    const a = await service.own(s.user, assignmentId)
    html(res, extra.status ?? 200, teacherTaskPage({
      assignment: a, versions: await service.versions(a), csrf: csrfToken(deps.secret, s.cookie),
      ...(extra.problem !== undefined && { problem: extra.problem }), ...(extra.notice !== undefined && { notice: extra.notice }),
    }))
  }

  router.post('/tasks/uploads', json, api(async (req, res, s) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const u = await service.createUpload(s.user, String(body.assignment ?? ''), String(body.fileName ?? ''), Number(body.size))
    res.status(201).location(`/lti/tasks/uploads/${u.id}`).json({ id: u.id, offset: u.received, size: u.size, chunkSize: CHUNK_BYTES })
  }))
  router.get('/tasks/uploads/:id', api(async (req, res, s) => {
    const u = await service.upload(s.user, String(req.params.id))
    res.json({ id: u.id, offset: u.received, size: u.size })
  }))
  router.put('/tasks/uploads/:id', express.raw({ type: () => true, limit: CHUNK_BYTES + 1 }), api(async (req, res, s) => {
    const offset = typeof req.query.offset === 'string' && /^\d{1,9}$/u.test(req.query.offset) ? Number(req.query.offset) : NaN
    const chunk = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
    const u = await service.putChunk(s.user, String(req.params.id), offset, chunk)
    res.json({ id: u.id, offset: u.received, size: u.size })
  }))
  router.post('/tasks/uploads/:id/complete', api(async (req, res, s) => {
    const done = await service.completeUpload(s.user, String(req.params.id))
    res.json({ assignment: done.assignmentId, version: done.version, redirect: `/lti/tasks/${done.assignmentId}?submitted=${done.version}` })
  }))

  router.get('/tasks/submissions/:id/file', wrap(async (req, res) => {
    const s = await signedIn(req)
    const file = await service.store.file(s.user.tenantId, String(req.params.id))
    if (file === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such submission file')
    // The owner, or a facilitator/admin who may grade it; both checks answer "not found" otherwise.
    if (s.user.role === 'facilitator' || s.user.role === 'admin') await service.gradable(s, file.assignmentId)
    else await service.own(s.user, file.assignmentId)
    res.set({
      'Content-Type': file.mediaType, 'Content-Length': String(file.content.length), 'X-Content-Type-Options': 'nosniff',
      'Content-Disposition': `${file.mediaType.startsWith('image/') || file.mediaType === 'application/pdf' ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      'Content-Security-Policy': "default-src 'none'; sandbox", 'Cache-Control': 'private, no-store',
    }).send(file.content)
  }))

  router.get('/tasks/:id', wrap(async (req, res) => {
    const s = await signedIn(req)
    const version = typeof req.query.submitted === 'string' ? req.query.submitted : undefined
    await teacherPage(res, s, String(req.params.id), version === undefined ? {} : { notice: { id: `Versi ${version} terkirim. Terima kasih!`, en: `Version ${version} submitted. Thank you!` } })
  }))

  // Without script: the whole file in one multipart post, then the same checks as the chunked path.
  router.post('/tasks/:id/file', express.raw({ type: 'multipart/form-data', limit: MAX_FILE_BYTES + 64 * 1024 }), wrap(async (req, res) => {
    const s = await signedIn(req)
    const id = String(req.params.id)
    const parsed = Buffer.isBuffer(req.body) ? parseMultipart(req.body, req.get('content-type') ?? '') : undefined
    checkCsrf(s, parsed?.fields.csrf)
    try {
      if (parsed?.file === undefined) throw new LtiToolError('ERR_TOOL_BAD_REQUEST', 'no file in the form')
      const { content, name } = parsed.file
      const u = await service.createUpload(s.user, id, name, content.length)
      for (let at = 0; at < content.length; at += CHUNK_BYTES) await service.putChunk(s.user, u.id, at, content.subarray(at, at + CHUNK_BYTES))
      const done = await service.completeUpload(s.user, u.id)
      res.redirect(303, `/lti/tasks/${done.assignmentId}?submitted=${done.version}`)
    } catch (error) {
      if (!(error instanceof LtiToolError) || !['ERR_TOOL_FILE_TOO_LARGE', 'ERR_TOOL_UNSUPPORTED_FILE', 'ERR_TOOL_BAD_REQUEST'].includes(error.code)) throw error
      const problem = error.code === 'ERR_TOOL_BAD_REQUEST' ? { id: 'Pilih berkas atau foto dahulu.', en: 'Choose a file or photo first.' } : messageOf(error.code)
      await teacherPage(res, s, id, { problem, status: TOOL_ERROR_STATUS[error.code] })
    }
  }))

  router.post('/tasks/:id/url', form, wrap(async (req, res) => {
    const s = await signedIn(req)
    const body = (req.body ?? {}) as Record<string, unknown>
    checkCsrf(s, body.csrf)
    const id = String(req.params.id)
    try {
      const { version } = await service.submitUrl(s.user, id, typeof body.url === 'string' ? body.url : '')
      res.redirect(303, `/lti/tasks/${id}?submitted=${version}`)
    } catch (error) {
      if (!(error instanceof LtiToolError) || error.code !== 'ERR_TOOL_INVALID_URL') throw error
      await teacherPage(res, s, id, { problem: messageOf(error.code), status: 400 })
    }
  }))

  router.get('/grading', wrap(async (req, res) => {
    const s = await signedIn(req)
    html(res, 200, gradingQueuePage(await service.queue(s)))
  }))

  router.get('/grading/:id', wrap(async (req, res) => {
    const s = await signedIn(req)
    const a = await service.gradable(s, String(req.params.id))
    html(res, 200, gradingPage({ assignment: a, versions: await service.versions(a), csrf: csrfToken(deps.secret, s.cookie) }))
  }))

  router.post('/grading/:id', form, wrap(async (req, res) => {
    const s = await signedIn(req)
    const body = (req.body ?? {}) as Record<string, unknown>
    checkCsrf(s, body.csrf)
    const a = await service.gradable(s, String(req.params.id))
    const decision = body.decision === 'accepted' || body.decision === 'returned' ? body.decision : undefined
    const feedback = typeof body.feedback === 'string' ? body.feedback : ''
    const { levels, missing } = levelsFromForm(a.task.rubric, body)
    const problem: Text | undefined = decision === undefined
      ? { id: 'Pilih "Terima" atau "Kembalikan untuk revisi".', en: 'Choose "Accept" or "Return for revision".' }
      : decision === 'accepted' && missing.length > 0
        ? { id: `Pilih tingkat untuk setiap kriteria (belum: ${missing.join(', ')}).`, en: `Choose a level for every criterion (missing: ${missing.join(', ')}).` }
        : decision === 'returned' && feedback.trim() === ''
          ? { id: 'Tulis catatan agar guru tahu apa yang perlu direvisi.', en: 'Write feedback so the teacher knows what to revise.' }
          : undefined
    if (problem !== undefined) {
      html(res, 400, gradingPage({ assignment: a, versions: await service.versions(a), csrf: csrfToken(deps.secret, s.cookie), problem, chosen: levels, feedback }))
      return
    }
    await service.grade(s, a.id, { submissionId: typeof body.submission === 'string' ? body.submission : '', decision: decision!, levels, feedback })
    res.redirect(303, '/lti/grading')
  }))

  return router
}

/** What `/lti/items/<task>` shows a signed-in session: the launch's page again (teacher's assignment of that course, or the queue). */
export async function taskItemPage(deps: TaskRouterDeps, input: { session: Session; sessionId: string; key: string }): Promise<string | undefined> {
  const { user, launch } = input.session
  const assignmentId = user.role === 'teacher' && launch.platformId !== undefined
    ? await deps.service.store.assignmentIdOf(user.tenantId, { key: input.key, userId: user.id, platformId: launch.platformId, ...(launch.contextId !== undefined && { contextId: launch.contextId }) })
    : undefined
  if (assignmentId === undefined && user.role === 'teacher') return undefined
  const csrf = csrfToken(deps.secret, input.sessionId)
  if (assignmentId !== undefined) {
    const a = await deps.service.own(user, assignmentId)
    return teacherTaskPage({ assignment: a, versions: await deps.service.versions(a), csrf })
  }
  if (user.role === 'facilitator' || user.role === 'admin') return gradingQueuePage(await deps.service.queue({ user, launch }))
  return undefined
}

/** What the launch shows for a task item: the teacher's task page, or the facilitator's queue. */
export async function taskLaunchPage(deps: TaskRouterDeps, input: { user: TlnUser; launch: Session['launch']; assignmentId?: string; sessionId: string; ticket: string }): Promise<string | undefined> {
  const csrf = csrfToken(deps.secret, input.sessionId)
  if (input.assignmentId !== undefined) {
    const a = await deps.service.own(input.user, input.assignmentId)
    return teacherTaskPage({ assignment: a, versions: await deps.service.versions(a), csrf, ticket: input.ticket })
  }
  if (input.user.role === 'facilitator' || input.user.role === 'admin') return gradingQueuePage(await deps.service.queue({ user: input.user, launch: input.launch }))
  return undefined
}
