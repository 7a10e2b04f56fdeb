import { createHash, randomUUID } from 'node:crypto'
import { CompetenceConfigStore, flattenFramework } from '@tln/competence'
import type { Knex } from '@tln/db'
import type { PassbackTarget, ScoreToPass } from '../ags/passback-store.ts'
import { LtiToolError } from '../errors.ts'
import type { ToolLogger } from '../logger.ts'
import { gradeScopeOf, type GradeScope } from '../grades/scoped-passbacks.ts'
import { accessOf } from '../org/grant-guard.ts'
import { OrgStore } from '../org/org-store.ts'
import type { OrgNode } from '../org/org-types.ts'
import type { Session } from '../session/session-store.ts'
import type { TlnUser } from '../session/user-store.ts'
import type { StatementOutbox } from '../xapi/statement-outbox.ts'
import { rubricScore, type RubricLevels } from './score.ts'
import { DOCUMENT_TYPES, nameForType, sniff, type SniffedType } from './sniff.ts'
import { gradeStatements, submitStatement, taskStatementId, type TaskStatementSubject } from './task-statements.ts'
import { appendChunk } from '../uploads/chunked-uploads.ts'
import { TaskStore, type Assignment, type SubmissionVersion, type Upload } from './task-store.ts'
import { TaskAdminStore, type ManagedTask, type TaskScope } from './task-admin-store.ts'
import { typesOfTaskType } from './task-form.ts'
import { takesUrl, type PerformanceTask, type TaskType } from './types.ts'

/** 10 MB: a phone photo or a lesson-plan document; more is refused before a byte is sent. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024
/** 256 KB chunks: small enough to finish on a weak connection, few enough round trips. */
export const CHUNK_BYTES = 256 * 1024
const UPLOAD_TTL_MS = 24 * 3_600_000

/** The types a task takes, judged by content: photos for MEDIA, documents or photos of them for the lesson plans. */
export function acceptedTypes(type: TaskType): readonly SniffedType[] {
  return typesOfTaskType(type)
}

/** The types one task takes: its editor's choice, else all its type takes. */
export function acceptedTypesOf(task: Pick<PerformanceTask, 'taskType' | 'acceptedTypes'>): readonly SniffedType[] {
  return task.acceptedTypes ?? acceptedTypes(task.taskType)
}

/** The largest file one task takes: its editor's limit, at most 10 MB. */
export function maxBytesOf(task: Pick<PerformanceTask, 'maxBytes'>): number {
  return Math.min(task.maxBytes ?? MAX_FILE_BYTES, MAX_FILE_BYTES)
}

/** Zipped documents (DOCX, ODT): a first chunk that is a ZIP may become one of these. */
const ZIPPED_TYPES: readonly SniffedType[] = DOCUMENT_TYPES.filter((t) => t !== 'application/pdf')

export interface TaskServiceDeps {
  readonly knex: Knex
  /** The tool's statement outbox: statements are added in the row's transaction, delivered after the commit. */
  readonly recorder: StatementOutbox
  readonly publicUrl: string
  readonly logger: ToolLogger
  readonly now: () => number
  readonly enqueueScore: (trx: Knex.Transaction, score: ScoreToPass) => Promise<number>
}

export type Decision = 'accepted' | 'returned'


/**
 * Performance tasks: the teacher's launch makes an assignment, uploads come in chunks and
 * become versions, facilitators grade them. Every step checks the tenant (the store's queries)
 * and the person (owner, or facilitator/admin in scope) before it acts; statements are added to
 * the outbox in the row's transaction and delivered after the commit (ids derived from the rows).
 */
export class TaskService {
  readonly store: TaskStore
  readonly org: OrgStore
  readonly admin: TaskAdminStore
  readonly log: ToolLogger

  constructor(private readonly deps: TaskServiceDeps) {
    this.log = deps.logger
    this.store = new TaskStore(deps.knex)
    this.org = new OrgStore(deps.knex)
    this.admin = new TaskAdminStore(deps.knex)
  }

  /**
   * Where a session may create and edit tasks: the same `tasks:grade` grants as grading (the
   * facilitators and coordinators of a TLN group edit their group's tasks; an admin the tenant's,
   * the defaults included). @throws LtiToolError `ERR_TOOL_FORBIDDEN` without such a grant
   */
  async editorScope(session: Pick<Session, 'user'>): Promise<TaskScope> {
    const scope = await this.gradeScope(session)
    if (scope === undefined) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'editing tasks needs a facilitator, coordinator or admin grant', { userId: session.user.id })
    return scope
  }

  /** The nodes an editor may give a task: their grants' nodes and the districts, kecamatan below them (all of them for an admin). */
  async editorNodes(tenantId: string, scope: TaskScope): Promise<OrgNode[]> {
    const nodes = (await this.org.nodes(tenantId)).filter((n) => n.kind !== 'province' && n.kind !== 'school')
    return 'tenant' in scope ? nodes : nodes.filter((n) => scope.paths.some((p) => n.path.startsWith(p)))
  }

  /** A task the editor may change; another tenant's or another group's is "not found". */
  async manageable(session: Pick<Session, 'user'>, taskId: string): Promise<{ task: ManagedTask; scope: TaskScope }> {
    const scope = await this.editorScope(session)
    const task = await this.admin.task(session.user.tenantId, taskId)
    if (task === undefined || !covers(scope, task.nodePath)) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such task in scope', { taskId })
    return { task, scope }
  }

  /** The indicator codes of the tenant's active competence framework (the seed when none is stored). */
  async indicatorCodes(tenantId: string): Promise<Set<string>> {
    const { framework } = await new CompetenceConfigStore(this.deps.knex).active(tenantId)
    return new Set(flattenFramework(framework).filter((n) => n.level === 'indicator').map((n) => n.code))
  }

  /**
   * The tasks a teacher gets: the tenant's, and those of the kecamatan (or district, school) of their
   * school. Reads only: the defaults were seeded at the tool's start or by a launch.
   */
  async tasksForTeacher(user: TlnUser): Promise<ManagedTask[]> {
    return this.admin.forTeacher(user.tenantId, await this.schoolPathOf(user))
  }

  /**
   * A task from a teacher's list and, when they started it already, their assignment of it in the
   * course of their launch. Reads only (the page a GET shows). A task not meant for their school
   * is "not found".
   */
  async taskToOpen(session: Pick<Session, 'user' | 'launch'>, taskId: string): Promise<{ task: ManagedTask; assignmentId?: string }> {
    const { user, launch } = session
    const task = (await this.tasksForTeacher(user)).find((t) => t.id === taskId)
    if (task === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such task for this teacher', { taskId })
    if (launch.platformId === undefined) throw new LtiToolError('ERR_TOOL_BAD_REQUEST', 'tasks are submitted from an LMS launch', { taskId })
    const assignmentId = await this.store.assignmentIdOf(user.tenantId, { key: task.key, userId: user.id, platformId: launch.platformId, ...(launch.contextId !== undefined && { contextId: launch.contextId }) })
    return { task, ...(assignmentId !== undefined && { assignmentId }) }
  }

  /**
   * A teacher starts a task from their list: their assignment of it in the course of their launch
   * (made once, like the launch of a task item). A task not meant for their school is "not found".
   * @returns the assignment id
   */
  async openTask(session: Pick<Session, 'user' | 'launch'>, taskId: string): Promise<string> {
    const { user, launch } = session
    const { task } = await this.taskToOpen(session, taskId)
    return this.store.assign({
      // `taskToOpen` refused a session without a launch's platform.
      tenantId: user.tenantId, taskId: task.id, userId: user.id, platformId: launch.platformId!,
      ...(launch.contextId !== undefined && { contextId: launch.contextId }), ...(launch.contextTitle !== undefined && { contextTitle: launch.contextTitle }),
    })
  }

  private async schoolPathOf(user: TlnUser): Promise<string | undefined> {
    const person = await this.org.personByLti(user.tenantId, user.issuer, user.sub)
    if (person?.schoolId === undefined) return undefined
    return (await this.org.node(user.tenantId, person.schoolId))?.path
  }

  /**
   * Where a session may grade: the subtrees of its `tasks:grade` grants (facilitator or
   * coordinator of a kecamatan: its schools' teachers), the tenant for an admin; undefined when
   * no grant allows grading (an LMS instructor not yet placed in a TLN group).
   */
  async gradeScope(session: Pick<Session, 'user'>): Promise<GradeScope | undefined> {
    return gradeScopeOf((await accessOf(this.org, session.user)).grants)
  }

  /** Whether the session may grade at all: a grading grant, or an LMS instructor in their course. */
  async mayGrade(session: Pick<Session, 'user' | 'launch'>): Promise<boolean> {
    return isCourseInstructor(session) || await this.gradeScope(session) !== undefined
  }

  /** A teacher's launch of a task item: seed the tenant's tasks, make or refresh the assignment. @returns its id */
  async assignAtLaunch(input: { user: TlnUser; platformId: string; itemKey: string; contextId?: string; contextTitle?: string; resourceLinkId?: string; passbackTarget?: PassbackTarget }): Promise<string | undefined> {
    await this.store.ensureDefaults(input.user.tenantId)
    const task = await this.store.taskByKey(input.user.tenantId, input.itemKey)
    if (task === undefined) return undefined
    return this.store.assign({
      tenantId: input.user.tenantId, taskId: task.id, userId: input.user.id, platformId: input.platformId,
      ...(input.contextId !== undefined && { contextId: input.contextId }), ...(input.contextTitle !== undefined && { contextTitle: input.contextTitle }),
      ...(input.resourceLinkId !== undefined && { resourceLinkId: input.resourceLinkId }), ...(input.passbackTarget !== undefined && { passbackTarget: input.passbackTarget }),
    })
  }

  /** The teacher's own assignment; another person's or another tenant's is "not found". */
  async own(user: TlnUser, assignmentId: string, trx?: Knex.Transaction): Promise<Assignment> {
    const a = await this.store.assignment(user.tenantId, assignmentId, trx)
    if (a === undefined || a.teacher.id !== user.id) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such assignment for this user', { assignmentId })
    return a
  }

  /**
   * An assignment the session may grade: same tenant, its teacher placed below one of the
   * session's `tasks:grade` grants (tenant admin: anyone), and the course of the launch when the
   * session has one. Without any grading grant: 403. Outside the scope: 404, as for an unknown
   * id: a facilitator learns nothing about another group's teachers from an id.
   */
  async gradable(session: Pick<Session, 'user' | 'launch'>, assignmentId: string, trx?: Knex.Transaction, known?: GradeScope | 'no-grant'): Promise<Assignment> {
    // Inside a transaction the caller passes the scope it read before: on the embedded engine (one
    // connection) a read outside the transaction would wait for it forever.
    const read = known ?? await this.gradeScope(session)
    const scope = read === 'no-grant' ? undefined : read
    if (scope === undefined && !isCourseInstructor(session)) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'grading needs a facilitator, coordinator or admin grant', { userId: session.user.id })
    const a = await this.store.assignment(session.user.tenantId, assignmentId, trx)
    if (a === undefined || !inCourse(session, a) || (scope !== undefined && 'paths' in scope && !(await this.store.teacherBelow(a.tenantId, a.id, scope.paths, trx)))) {
      throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such assignment in scope', { assignmentId })
    }
    return a
  }

  versions(a: Assignment): Promise<SubmissionVersion[]> {
    return this.store.versions(a.tenantId, a.id)
  }

  /**
   * The grading queue of a session: submissions of teachers below its `tasks:grade` grants (the
   * tenant for an admin), in the course of the launch unless admin.
   * @throws LtiToolError `ERR_TOOL_FORBIDDEN` without a grading grant
   */
  async queue(session: Pick<Session, 'user' | 'launch'>): Promise<Assignment[]> {
    const scope = await this.gradeScope(session)
    if (scope === undefined && !isCourseInstructor(session)) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'grading needs a facilitator, coordinator or admin grant', { userId: session.user.id })
    const course = session.user.role === 'admin' || session.launch.contextId === undefined ? {} : { contextId: session.launch.contextId, ...(session.launch.platformId !== undefined && { platformId: session.launch.platformId }) }
    return this.store.queue(session.user.tenantId, { ...course, ...(scope !== undefined && 'paths' in scope && { paths: scope.paths }) })
  }

  /** Start an upload. Oversize is refused here, before any content travels. */
  async createUpload(user: TlnUser, assignmentId: string, fileName: string, size: number): Promise<Upload> {
    const a = await this.own(user, assignmentId)
    if (takesUrl(a.task.taskType)) throw new LtiToolError('ERR_TOOL_BAD_REQUEST', 'this task takes a URL, not a file')
    if (!Number.isSafeInteger(size) || size <= 0) throw new LtiToolError('ERR_TOOL_BAD_REQUEST', 'size must be a positive integer', { size })
    if (size > maxBytesOf(a.task)) throw new LtiToolError('ERR_TOOL_FILE_TOO_LARGE', 'file over the task\'s limit', { size, limit: maxBytesOf(a.task) })
    const name = cleanFileName(fileName)
    return this.store.createUpload({ tenantId: user.tenantId, assignmentId: a.id, fileName: name, size, expiresAt: new Date(this.deps.now() + UPLOAD_TTL_MS) })
  }

  async upload(user: TlnUser, uploadId: string): Promise<Upload> {
    const u = await this.store.upload(user.tenantId, uploadId)
    if (u === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such upload', { uploadId })
    await this.own(user, u.assignmentId)
    return u
  }

  /**
   * Append one chunk at `offset`. The first chunk is sniffed: a type the task does not take ends
   * the upload at once (nothing kept). A chunk at another offset than the server's changes nothing
   * and answers the server's offset (`ERR_TOOL_UPLOAD_OFFSET`), from which the client resumes.
   */
  async putChunk(user: TlnUser, uploadId: string, offset: number, chunk: Buffer): Promise<Upload> {
    const u = await this.upload(user, uploadId)
    // The rules are the shared ones of every resumable upload (`uploads/chunked-uploads.ts`).
    const accepted = offset === 0 ? acceptedTypesOf((await this.own(user, u.assignmentId)).task) : []
    const done = await appendChunk(this.store.uploads, user.tenantId, { ...u, ownerId: u.assignmentId }, offset, chunk,
      (type) => type !== undefined && (type === 'zip' ? accepted.some((t) => ZIPPED_TYPES.includes(t)) : accepted.includes(type)))
    return { ...u, received: done.received }
  }

  /** The upload is whole: check its type on all its content, make it the next version, record `submit`. */
  async completeUpload(user: TlnUser, uploadId: string): Promise<{ assignmentId: string; version: number }> {
    const u = await this.upload(user, uploadId)
    if (u.received !== u.size) throw new LtiToolError('ERR_TOOL_UPLOAD_OFFSET', 'upload not complete', { received: u.received, size: u.size })
    const submissionId = randomUUID()
    const result = await this.deps.knex.transaction(async (trx) => {
      const a = await this.own(user, u.assignmentId, trx)
      const content = await this.store.uploadContent(trx, user.tenantId, u.id)
      if (content === undefined) throw new LtiToolError('ERR_TOOL_UPLOAD_OFFSET', 'upload gone or not complete')
      const type = sniff(content)
      if (type === undefined || type === 'zip' || !acceptedTypesOf(a.task).includes(type)) {
        await this.store.deleteUpload(trx, user.tenantId, u.id)
        return { rejected: type ?? 'unknown' } as const
      }
      const version = await this.store.addVersion(trx, a, {
        id: submissionId, kind: 'file', fileName: nameForType(u.fileName, type), mediaType: type, content,
        sha256: createHash('sha256').update(content).digest('hex'), statementId: taskStatementId('submit', submissionId),
      })
      await this.store.deleteUpload(trx, user.tenantId, u.id)
      return { a, version, pending: await this.addSubmit(trx, a, submissionId, version) } as const
    })
    if ('rejected' in result) throw new LtiToolError('ERR_TOOL_UNSUPPORTED_FILE', 'content is no type this task takes', { sniffed: result.rejected })
    await this.deps.recorder.deliver(result.pending)
    return { assignmentId: result.a.id, version: result.version }
  }

  /** A blog or article task: the URL (http or https) is the next version. */
  async submitUrl(user: TlnUser, assignmentId: string, url: string): Promise<{ version: number }> {
    const submissionId = randomUUID()
    const checked = checkUrl(url)
    const result = await this.deps.knex.transaction(async (trx) => {
      const a = await this.own(user, assignmentId, trx)
      if (!takesUrl(a.task.taskType)) throw new LtiToolError('ERR_TOOL_BAD_REQUEST', 'this task takes a file, not a URL')
      const version = await this.store.addVersion(trx, a, { id: submissionId, kind: 'url', url: checked, statementId: taskStatementId('submit', submissionId) })
      return { a, version, pending: await this.addSubmit(trx, a, submissionId, version) }
    })
    await this.deps.recorder.deliver(result.pending)
    return { version: result.version }
  }

  /**
   * A facilitator's decision on the latest version. `accepted` needs a level on every criterion;
   * it computes the score and, when the launch granted AGS, queues the passback in the same
   * transaction as the grade. Grading a version that is no longer the latest (the teacher sent
   * another meanwhile), or one graded already, is a conflict: nothing changes.
   */
  async grade(session: Pick<Session, 'user' | 'launch'>, assignmentId: string, input: { submissionId: string; decision: Decision; levels: RubricLevels; feedback: string }): Promise<{ gradeId: string; passbackId?: number }> {
    const gradeId = randomUUID()
    const now = new Date(this.deps.now())
    const feedback = input.feedback.trim().slice(0, 4000)
    const scope = await this.gradeScope(session)
    if (scope === undefined && !isCourseInstructor(session)) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'grading needs a facilitator, coordinator or admin grant', { userId: session.user.id })
    const done = await this.deps.knex.transaction(async (trx) => {
      const graded = await this.gradable(session, assignmentId, trx, scope ?? 'no-grant')
      // The rubric under a share lock: an editor's change waits for this grade, then sees it and
      // makes a new version instead of changing the one this grade used (`TaskAdminStore.update`).
      const task = await trx('performance_task').where({ id: graded.task.id }).forShare().first('rubric', 'rubric_version') as { rubric: unknown; rubric_version: number }
      const a: Assignment = { ...graded, task: { ...graded.task, rubric: (typeof task.rubric === 'string' ? JSON.parse(task.rubric) : task.rubric) as PerformanceTask['rubric'], rubricVersion: Number(task.rubric_version) } }
      if (input.decision === 'accepted' && !levelsFit(a.task.rubric, input.levels)) {
        throw new LtiToolError('ERR_TOOL_CONFLICT', 'the rubric changed while grading: reload the page', { assignmentId })
      }
      const [latest] = await this.store.versions(a.tenantId, a.id, trx)
      if (latest === undefined || latest.id !== input.submissionId || latest.grade !== undefined || a.status !== 'submitted') {
        throw new LtiToolError('ERR_TOOL_CONFLICT', 'the submission is not the latest ungraded version', { assignmentId, submissionId: input.submissionId })
      }
      const score = input.decision === 'accepted' ? rubricScore(a.task.rubric, input.levels, a.task.passThreshold) : undefined
      await this.store.insertGrade(trx, a, {
        id: gradeId, submissionId: latest.id, graderUserId: session.user.id, decision: input.decision, levels: { ...input.levels }, feedback,
        ...(score !== undefined && { scoreScaled: score.scaled, scoreRaw: score.raw, passed: score.passed }),
      })
      let passbackId: number | undefined
      if (score !== undefined && a.passbackTarget !== undefined) {
        passbackId = await this.deps.enqueueScore(trx, {
          platform: { id: a.platformId, tenantId: a.tenantId }, target: a.passbackTarget, userSub: a.teacher.sub,
          scoreGiven: score.raw, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: now,
          ...(feedback !== '' && { comment: feedback }),
          instructor: { sub: session.user.sub, ...(session.user.name !== undefined && { name: session.user.name }) },
          ...(a.contextId !== undefined && { contextId: a.contextId }),
          // The grade's own `scored` statement (with the rubric levels) stands for the passback too.
          statementId: taskStatementId('scored', gradeId),
        })
        await this.store.setGradePassback(trx, gradeId, passbackId)
      }
      // The grade and the statements it owes the LRS commit together (the outbox).
      const statements = gradeStatements(this.subject(a), {
        gradeId, submitStatementId: latest.statementId, levels: input.levels, feedback, timestamp: now,
        facilitator: { issuer: session.user.issuer, sub: session.user.sub, ...(session.user.name !== undefined && { name: session.user.name }) },
        ...(score !== undefined && { score }),
      })
      const pending = await this.deps.recorder.add(trx, a.tenantId, statements, { table: 'task_grade', column: 'statements_stored', key: { id: gradeId } })
      return { passbackId, pending }
    })
    await this.deps.recorder.deliver(done.pending)
    return { gradeId, ...(done.passbackId !== undefined && { passbackId: done.passbackId }) }
  }

  private subject(a: Assignment): TaskStatementSubject {
    return {
      publicUrl: this.deps.publicUrl, tenant: a.tenant, platformId: a.platformId, issuer: a.issuer,
      teacher: { sub: a.teacher.sub, ...(a.teacher.name !== undefined && { name: a.teacher.name }) },
      ...(a.contextId !== undefined && { contextId: a.contextId }),
      task: { key: a.task.key, title: a.task.title },
    }
  }

  /** The `submit` statement of a new version, in its transaction. */
  private addSubmit(trx: Knex.Transaction, a: Assignment, submissionId: string, version: number) {
    const statement = submitStatement(this.subject(a), { submissionId, version, timestamp: new Date(this.deps.now()) })
    return this.deps.recorder.add(trx, a.tenantId, [statement], { table: 'task_submission', column: 'statement_stored', key: { id: submissionId } })
  }
}

/** Is a task of node `path` (undefined = the tenant) inside an editor's scope? */
function covers(scope: TaskScope, path: string | undefined): boolean {
  return 'tenant' in scope || (path !== undefined && scope.paths.some((p) => path.startsWith(p)))
}

/** Does every criterion of `rubric` have a level of its own in `levels`, and nothing else? */
function levelsFit(rubric: PerformanceTask['rubric'], levels: RubricLevels): boolean {
  return Object.keys(levels).length === rubric.criteria.length
    && rubric.criteria.every((c) => c.levels.some((l) => l.points === levels[c.code]))
}

/**
 * An LMS instructor launched from a course but not (yet) placed in a TLN group: the LMS vouches
 * for them as the course's teacher, so they grade that course's submissions and nothing else
 * (the grant scope narrows further once they hold a facilitator grant).
 */
function isCourseInstructor(session: Pick<Session, 'user' | 'launch'>): boolean {
  return session.user.role === 'facilitator' && session.launch.contextId !== undefined
}

/** The course narrowing of a launch: a facilitator launched from one course sees that course. */
function inCourse(session: Pick<Session, 'user' | 'launch'>, a: Assignment): boolean {
  if (session.user.role === 'admin' || session.launch.contextId === undefined) return true
  return a.contextId === session.launch.contextId && (session.launch.platformId === undefined || a.platformId === session.launch.platformId)
}

function cleanFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = name.replace(/^.*[\\/]/u, '').replace(/[\u0000-\u001f\u007f"]/gu, '').trim().slice(0, 120)
  return base === '' ? 'berkas' : base
}

/** A blog or article address: absolute http(s), at most 2000 characters. */
export function checkUrl(value: string): string {
  const v = value.trim()
  let url: URL | undefined
  try { url = new URL(v) } catch { url = undefined }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:') || v.length > 2000) {
    throw new LtiToolError('ERR_TOOL_INVALID_URL', 'not an http(s) URL')
  }
  return url.href
}
