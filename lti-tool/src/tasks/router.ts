import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import { LtiToolError } from '../errors.ts'
import { csrfToken, isSessionToken, signedIn as signedInSession, type SignedIn } from '../http/session-token.ts'
import { messageOf, requireJsonBody, TOOL_ERROR_STATUS } from '../http/error-page.ts'
import { toolPageHeaders } from '../http/headers.ts'
import { localZoneName } from '../http/local-time.ts'
import type { Session, SessionStore } from '../session/session-store.ts'
import type { TlnUser } from '../session/user-store.ts'
import { slugOf } from '../org/import-rows.ts'
import { parseMultipart } from './multipart.ts'
import { startTaskPage, taskEditorPage, taskListPage, teacherTasksPage } from './admin-pages.ts'
import { gradingPage, gradingQueuePage, teacherTaskPage } from './pages.ts'
import { levelsFromForm } from './score.ts'
import type { ManagedTask, TaskScope } from './task-admin-store.ts'
import { checkTaskForm, formValuesOf, typesOfTaskType } from './task-form.ts'
import { CHUNK_BYTES, MAX_FILE_BYTES, type TaskService } from './task-service.ts'
import type { Assignment } from './task-store.ts'
import type { Text } from './types.ts'

export interface TaskRouterDeps {
  readonly service: TaskService
  readonly sessions: SessionStore
  /** Keys the CSRF tokens (HMAC of the session id). */
  readonly secret: Uint8Array
  /** The deployment's IANA zone (`TLN_TIME_ZONE`): the pages show times on its clock and the editor reads due dates on it. */
  readonly timeZone: string
  /** Clock in epoch ms: which name the zone has now, for the due date's label (WIB, WITA, WIT; a zone with daylight saving has two). */
  readonly now: () => number
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
 * - teacher: `GET /tasks/mine` (the tasks of their school's TLN group and tenant), `GET /tasks/mine/:taskId`
 *   (their assignment of it in the launch's course, or the task with a start button: a GET writes
 *   nothing), `POST /tasks/mine/:taskId` (starts it: makes the assignment, once);
 * - grading (a `tasks:grade` grant: facilitator/coordinator of a kecamatan, or admin; the teachers
 *   below it): `GET /grading`, `GET /grading/:id`, `POST /grading/:id`;
 * - task editor (the same grants, tasks of their nodes): `GET /tasks/admin`, `GET /tasks/admin/new`,
 *   `POST /tasks/admin`, `GET|POST /tasks/admin/:id`; JSON `GET /tasks/admin/api/tasks[/:id]`.
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
    // ERR_TOOL_CSRF, not FORBIDDEN: the person may act, the form is stale or forged ("reload the page", not "facilitators only").
    if (!isSessionToken(deps.secret, s.cookie, token)) throw new LtiToolError('ERR_TOOL_CSRF', 'CSRF token missing or wrong')
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
      const limit = error.code === 'ERR_TOOL_FILE_TOO_LARGE' ? error.detail?.limit : undefined
      res.status(TOOL_ERROR_STATUS[error.code]).set('X-TLN-Error', error.code)
        .json({
          code: error.code, message: typeof limit === 'number' ? tooLarge(limit) : messageOf(error.code), ...(typeof offset === 'number' && { offset }),
          // A malformed API call (no script sends one): name the field and rule for the client's developer.
          ...(error.code === 'ERR_TOOL_BAD_REQUEST' && { detail: error.message }),
        })
    }
  })
  const html = (res: Response, status: number, body: string) => { toolPageHeaders(res); res.status(status).type('html').send(body) }

  async function teacherPage(res: Response, s: SignedIn, assignmentId: string, extra: { problem?: Text; notice?: Text; status?: number } = {}) {
    const a = await service.own(s.user, assignmentId)
    html(res, extra.status ?? 200, teacherTaskPage({
      assignment: a, versions: await service.versions(a), csrf: csrfToken(deps.secret, s.cookie), timeZone: deps.timeZone,
      ...(extra.problem !== undefined && { problem: extra.problem }), ...(extra.notice !== undefined && { notice: extra.notice }),
    }))
  }

  // Before `/tasks/:id`: `mine` and `admin` are no assignment ids.
  router.get('/tasks/mine', wrap(async (req, res) => {
    const s = await signedIn(req)
    const tasks = await service.tasksForTeacher(s.user)
    const assignments = new Map<string, Assignment>()
    for (const a of await service.store.assignmentsOfUser(s.user.tenantId, s.user.id)) {
      // The assignment of the launch's course first, else the latest.
      const here = a.platformId === s.launch.platformId && a.contextId === s.launch.contextId
      if (!assignments.has(a.task.id) || here) assignments.set(a.task.id, a)
    }
    html(res, 200, teacherTasksPage({ tasks, assignments, timeZone: deps.timeZone }))
  }))

  // RFC 9110 §9.2.1: a GET is safe (link prefetchers and crawlers follow it), so only the POST makes the assignment.
  router.get('/tasks/mine/:taskId', wrap(async (req, res) => {
    const s = await signedIn(req)
    const { task, assignmentId } = await service.taskToOpen(s, String(req.params.taskId))
    if (assignmentId !== undefined) { res.redirect(303, `/lti/tasks/${assignmentId}`); return }
    html(res, 200, startTaskPage({ task, csrf: csrfToken(deps.secret, s.cookie), timeZone: deps.timeZone }))
  }))

  router.post('/tasks/mine/:taskId', form, wrap(async (req, res) => {
    const s = await signedIn(req)
    checkCsrf(s, (req.body as Record<string, unknown> | undefined)?.csrf)
    res.redirect(303, `/lti/tasks/${await service.openTask(s, String(req.params.taskId))}`)
  }))

  router.use('/tasks/admin', taskAdminRouter(deps))

  router.post('/tasks/uploads', json, api(async (req, res, s) => {
    requireJsonBody(req)
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
    // The owner, or someone who may grade it (a grant above the teacher's school); else "not found".
    const owner = await service.store.assignment(s.user.tenantId, file.assignmentId)
    if (owner?.teacher.id !== s.user.id) {
      if (!(await service.mayGrade(s))) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such submission file')
      await service.gradable(s, file.assignmentId)
    }
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
      const limit = error.code === 'ERR_TOOL_FILE_TOO_LARGE' ? error.detail?.limit : undefined
      const problem = error.code === 'ERR_TOOL_BAD_REQUEST' ? { id: 'Pilih berkas atau foto dahulu.', en: 'Choose a file or photo first.' } : typeof limit === 'number' ? tooLarge(limit) : messageOf(error.code)
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
    html(res, 200, gradingQueuePage(await service.queue(s), { timeZone: deps.timeZone }))
  }))

  router.get('/grading/:id', wrap(async (req, res) => {
    const s = await signedIn(req)
    const a = await service.gradable(s, String(req.params.id))
    html(res, 200, gradingPage({ assignment: a, versions: await service.versions(a), csrf: csrfToken(deps.secret, s.cookie), timeZone: deps.timeZone }))
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
      html(res, 400, gradingPage({ assignment: a, versions: await service.versions(a), csrf: csrfToken(deps.secret, s.cookie), timeZone: deps.timeZone, problem, chosen: levels, feedback }))
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
    return teacherTaskPage({ assignment: a, versions: await deps.service.versions(a), csrf, timeZone: deps.timeZone })
  }
  if (user.role === 'facilitator' || user.role === 'admin') return launchQueuePage(deps, { user, launch })
  return undefined
}

/**
 * The queue an LMS instructor's launch shows: their grant's teachers in this course, or, before they
 * are placed in a TLN group, the course's submissions. Without a course either, a page that says so.
 */
async function launchQueuePage(deps: TaskRouterDeps, session: Pick<Session, 'user' | 'launch'>): Promise<string> {
  if (!(await deps.service.mayGrade(session))) return gradingQueuePage([], { timeZone: deps.timeZone, unplaced: true })
  return gradingQueuePage(await deps.service.queue(session), { timeZone: deps.timeZone })
}

/** What the launch shows for a task item: the teacher's task page, or the facilitator's queue. */
export async function taskLaunchPage(deps: TaskRouterDeps, input: { user: TlnUser; launch: Session['launch']; assignmentId?: string; sessionId: string; ticket: string }): Promise<string | undefined> {
  const csrf = csrfToken(deps.secret, input.sessionId)
  if (input.assignmentId !== undefined) {
    const a = await deps.service.own(input.user, input.assignmentId)
    return teacherTaskPage({ assignment: a, versions: await deps.service.versions(a), csrf, timeZone: deps.timeZone, ticket: input.ticket })
  }
  if (input.user.role === 'facilitator' || input.user.role === 'admin') return launchQueuePage(deps, { user: input.user, launch: input.launch })
  return undefined
}

/** "The file is too large" with the task's own limit. */
function tooLarge(limit: number): Text {
  const mb = Math.round((limit / 1024 / 1024) * 10) / 10
  return { id: `Berkas terlalu besar. Ukuran paling besar untuk tugas ini ${String(mb).replace('.', ',')} MB.`, en: `The file is too large. This task takes at most ${mb} MB.` }
}

/**
 * The task editor below `/lti/tasks/admin` (see `taskRouter`). Bad input answers 400 with the form
 * filled in and an error at each field, and stores nothing; a task outside the editor's grants
 * (another group's, another tenant's) is 404; every POST carries the session's CSRF token.
 */
function taskAdminRouter(deps: TaskRouterDeps): Router {
  const router = express.Router()
  const { service } = deps
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 })
  const wrap = (handler: (req: Request, res: Response, s: SignedIn, scope: TaskScope) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction) => {
      void (async () => {
        const s = await signedInSession(deps.sessions, req)
        if (req.method === 'POST' && !isSessionToken(deps.secret, s.cookie, (req.body as Record<string, unknown> | undefined)?.csrf)) throw new LtiToolError('ERR_TOOL_CSRF', 'form without the session token')
        await handler(req, res, s, await service.editorScope(s))
      })().catch(next)
    }
  const html = (res: Response, status: number, body: string) => { toolPageHeaders(res); res.status(status).type('html').send(body) }
  const zoneName = () => localZoneName(deps.timeZone, new Date(deps.now()))
  const scopeLabel = async (tenantId: string, scope: TaskScope) => 'tenant' in scope ? 'seluruh tenant / whole tenant'
    : (await service.editorNodes(tenantId, scope)).filter((n) => scope.paths.includes(n.path)).map((n) => n.name).join(', ')

  async function editor(res: Response, s: SignedIn, scope: TaskScope, input: { status: number; values: Record<string, string | string[]>; errors?: Record<string, Text>; task?: ManagedTask; notice?: Text }) {
    const tenantId = s.user.tenantId
    const fixed = input.task !== undefined && await service.admin.hasSubmissions(tenantId, input.task.id) ? input.task.taskType : undefined
    html(res, input.status, taskEditorPage({
      csrf: csrfToken(deps.secret, s.cookie), action: input.task === undefined ? '/lti/tasks/admin' : `/lti/tasks/admin/${input.task.id}`,
      values: input.values, nodes: await service.editorNodes(tenantId, scope), tenantWide: 'tenant' in scope, timeZone: deps.timeZone, zoneName: zoneName(),
      indicators: [...await service.indicatorCodes(tenantId)].sort(),
      ...(input.errors !== undefined && { errors: input.errors }), ...(fixed !== undefined && { fixedType: fixed }),
      ...(input.notice !== undefined && { notice: input.notice }),
      ...(input.task !== undefined && { task: input.task, versions: await service.admin.rubricVersions(tenantId, input.task.id), grades: await service.admin.gradesPerVersion(tenantId, input.task.id) }),
    }))
  }
  async function check(s: SignedIn, scope: TaskScope, body: Record<string, unknown>, task?: ManagedTask) {
    const tenantId = s.user.tenantId
    const fixedType = task !== undefined && await service.admin.hasSubmissions(tenantId, task.id) ? task.taskType : undefined
    return checkTaskForm(body, {
      indicatorCodes: await service.indicatorCodes(tenantId), tenantWide: 'tenant' in scope,
      nodes: new Set((await service.editorNodes(tenantId, scope)).map((n) => n.id)), ...(fixedType !== undefined && { fixedType }),
      timeZone: deps.timeZone, zoneName: zoneName(),
    })
  }
  const bodyValues = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'csrf')
    .map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)])) as Record<string, string | string[]>
  const toJson = (t: ManagedTask) => ({
    id: t.id, key: t.key, taskType: t.taskType, title: t.title, description: t.description, dueAt: t.dueAt?.toISOString() ?? null,
    acceptedTypes: t.acceptedTypes ?? typesOfTaskType(t.taskType), maxBytes: t.maxBytes ?? MAX_FILE_BYTES, passThreshold: t.passThreshold,
    node: t.nodeId === undefined ? null : { id: t.nodeId, name: t.nodeName ?? null }, rubricVersion: t.rubricVersion, rubric: t.rubric,
    updatedAt: t.updatedAt.toISOString(),
  })

  router.get('/', wrap(async (req, res, s, scope) => {
    const notice = req.query.saved === 'version' ? { id: 'Tugas disimpan; rubrik yang sudah dipakai menilai kini punya versi baru.', en: 'Task saved; the rubric that had graded submissions now has a new version.' }
      : req.query.saved === '1' ? { id: 'Tugas disimpan.', en: 'Task saved.' } : undefined
    html(res, 200, taskListPage({ tasks: await service.admin.list(s.user.tenantId, scope), inherited: await service.admin.inherited(s.user.tenantId, scope), scopeLabel: await scopeLabel(s.user.tenantId, scope), timeZone: deps.timeZone, ...(notice !== undefined && { notice }) }))
  }))

  router.get('/api/tasks', wrap(async (_req, res, s, scope) => {
    res.set('Cache-Control', 'no-store').json({ tasks: (await service.admin.list(s.user.tenantId, scope)).map(toJson) })
  }))

  router.get('/api/tasks/:id', wrap(async (req, res, s) => {
    const { task } = await service.manageable(s, String(req.params.id))
    const grades = await service.admin.gradesPerVersion(s.user.tenantId, task.id)
    const older = (await service.admin.rubricVersions(s.user.tenantId, task.id)).map((r) => ({ version: r.version, rubric: r.rubric, supersededAt: r.supersededAt.toISOString(), grades: grades.get(r.version) ?? 0 }))
    res.set('Cache-Control', 'no-store').json({ task: toJson(task), rubricVersions: [{ version: task.rubricVersion, rubric: task.rubric, current: true, grades: grades.get(task.rubricVersion) ?? 0 }, ...older] })
  }))

  router.get('/new', wrap(async (_req, res, s, scope) => {
    const nodes = await service.editorNodes(s.user.tenantId, scope)
    const values = formValuesOf({ taskType: 'RPPH' }, deps.timeZone)
    if (!('tenant' in scope)) values.node = nodes.find((n) => scope.paths.includes(n.path))?.id ?? ''
    // The usual four-level scale, to start from.
    ;[['1', 'Perlu bimbingan', 'Needs guidance'], ['2', 'Cukup', 'Fair'], ['3', 'Baik', 'Good'], ['4', 'Sangat baik', 'Very good']].forEach(([p, id, en], j) => {
      values[`l${j}.points`] = p!; values[`l${j}.label_id`] = id!; values[`l${j}.label_en`] = en!
    })
    await editor(res, s, scope, { status: 200, values })
  }))

  router.post('/', form, wrap(async (req, res, s, scope) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const checked = await check(s, scope, body)
    if (!checked.ok) {
      res.set('X-TLN-Error', 'ERR_TOOL_BAD_REQUEST')
      await editor(res, s, scope, { status: 400, values: bodyValues(body), errors: checked.errors })
      return
    }
    const task = await service.admin.create(s.user.tenantId, checked.value, slugOf(checked.value.title.id).slice(0, 40).replace(/-$/u, ''))
    deps.service.log.info({ userId: s.user.id, taskId: task.id, key: task.key }, 'performance task created')
    res.redirect(303, '/lti/tasks/admin?saved=1')
  }))

  router.get('/:id', wrap(async (req, res, s) => {
    const { task, scope } = await service.manageable(s, String(req.params.id))
    await editor(res, s, scope, { status: 200, values: formValuesOf(task, deps.timeZone), task })
  }))

  router.post('/:id', form, wrap(async (req, res, s) => {
    const { task, scope } = await service.manageable(s, String(req.params.id))
    const body = (req.body ?? {}) as Record<string, unknown>
    const checked = await check(s, scope, body, task)
    if (!checked.ok) {
      res.set('X-TLN-Error', 'ERR_TOOL_BAD_REQUEST')
      await editor(res, s, scope, { status: 400, values: bodyValues(body), errors: checked.errors, task })
      return
    }
    const saved = await service.admin.update(s.user.tenantId, task.id, checked.value)
    deps.service.log.info({ userId: s.user.id, taskId: task.id, rubricVersion: saved.task.rubricVersion, newRubricVersion: saved.newRubricVersion }, 'performance task saved')
    res.redirect(303, `/lti/tasks/admin?saved=${saved.newRubricVersion ? 'version' : '1'}`)
  }))

  // The JSON API answers its refusals in JSON (`{ code, message: { id, en } }`); the pages' go to the tool's error page.
  router.use('/api', (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(error instanceof LtiToolError)) { next(error); return }
    res.status(TOOL_ERROR_STATUS[error.code]).set({ 'X-TLN-Error': error.code, 'Cache-Control': 'no-store' }).json({ code: error.code, message: messageOf(error.code) })
  })
  return router
}
