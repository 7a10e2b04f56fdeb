import { createHash, randomUUID } from 'node:crypto'
import type { Knex } from '@tln/db'
import type { StatementService } from '@tln/lrs'
import { validateStatement, type Statement } from '@tln/xapi'
import type { PassbackTarget, ScoreToPass } from '../ags/passback-store.ts'
import { LtiToolError } from '../errors.ts'
import type { ToolLogger } from '../logger.ts'
import type { Session } from '../session/session-store.ts'
import type { TlnUser } from '../session/user-store.ts'
import type { ToolCredentials } from '../xapi/tool-credentials.ts'
import { rubricScore, type RubricLevels } from './score.ts'
import { DOCUMENT_TYPES, IMAGE_TYPES, sniff, type SniffedType } from './sniff.ts'
import { gradeStatements, submitStatement, taskStatementId, type TaskStatementSubject } from './task-statements.ts'
import { TaskStore, type Assignment, type SubmissionVersion, type Upload } from './task-store.ts'
import { takesUrl, type TaskType } from './types.ts'

/** 10 MB: a phone photo or a lesson-plan document; more is refused before a byte is sent. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024
/** 256 KB chunks: small enough to finish on a weak connection, few enough round trips. */
export const CHUNK_BYTES = 256 * 1024
const UPLOAD_TTL_MS = 24 * 3_600_000

/** The types a task takes, judged by content: photos for MEDIA, documents or photos of them for the lesson plans. */
export function acceptedTypes(type: TaskType): readonly SniffedType[] {
  if (type === 'MEDIA') return IMAGE_TYPES
  if (takesUrl(type)) return []
  return [...DOCUMENT_TYPES, ...IMAGE_TYPES]
}

export interface TaskServiceDeps {
  readonly knex: Knex
  readonly statements: StatementService
  readonly credentials: ToolCredentials
  readonly publicUrl: string
  readonly logger: ToolLogger
  readonly now: () => number
  readonly enqueueScore: (trx: Knex.Transaction, score: ScoreToPass) => Promise<number>
}

export type Decision = 'accepted' | 'returned'

const isStaff = (user: TlnUser) => user.role === 'facilitator' || user.role === 'admin'

/**
 * Performance tasks: the teacher's launch makes an assignment, uploads come in chunks and
 * become versions, facilitators grade them. Every step checks the tenant (the store's queries)
 * and the person (owner, or facilitator/admin in scope) before it acts; statements go to the LRS
 * after the commit, with ids derived from the rows, so recording again stores nothing new.
 */
export class TaskService {
  readonly store: TaskStore

  constructor(private readonly deps: TaskServiceDeps) {
    this.store = new TaskStore(deps.knex)
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

  /** An assignment a facilitator or admin may grade: same tenant, and the facilitator's course when the session has one. */
  async gradable(session: Pick<Session, 'user' | 'launch'>, assignmentId: string, trx?: Knex.Transaction): Promise<Assignment> {
    if (!isStaff(session.user)) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'grading needs a facilitator or admin session')
    const a = await this.store.assignment(session.user.tenantId, assignmentId, trx)
    if (a === undefined || !inScope(session, a)) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such assignment in scope', { assignmentId })
    return a
  }

  versions(a: Assignment): Promise<SubmissionVersion[]> {
    return this.store.versions(a.tenantId, a.id)
  }

  /** The grading queue of a facilitator (tenant; the course of the launch unless admin). */
  async queue(session: Pick<Session, 'user' | 'launch'>): Promise<Assignment[]> {
    if (!isStaff(session.user)) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'grading needs a facilitator or admin session')
    const scope = session.user.role === 'admin' || session.launch.contextId === undefined ? {} : { contextId: session.launch.contextId, ...(session.launch.platformId !== undefined && { platformId: session.launch.platformId }) }
    return this.store.queue(session.user.tenantId, scope)
  }

  /** Start an upload. Oversize is refused here, before any content travels. */
  async createUpload(user: TlnUser, assignmentId: string, fileName: string, size: number): Promise<Upload> {
    const a = await this.own(user, assignmentId)
    if (takesUrl(a.task.taskType)) throw new LtiToolError('ERR_TOOL_BAD_REQUEST', 'this task takes a URL, not a file')
    if (!Number.isSafeInteger(size) || size <= 0) throw new LtiToolError('ERR_TOOL_BAD_REQUEST', 'size must be a positive integer', { size })
    if (size > MAX_FILE_BYTES) throw new LtiToolError('ERR_TOOL_FILE_TOO_LARGE', 'file over 10 MB', { size })
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
    if (chunk.length === 0 || chunk.length > CHUNK_BYTES) throw new LtiToolError('ERR_TOOL_BAD_REQUEST', 'chunk must be 1 byte to 256 KB', { length: chunk.length })
    if (!Number.isSafeInteger(offset) || offset !== u.received) throw new LtiToolError('ERR_TOOL_UPLOAD_OFFSET', 'chunk offset is not the server offset', { offset, received: u.received })
    if (offset + chunk.length > u.size) throw new LtiToolError('ERR_TOOL_FILE_TOO_LARGE', 'more bytes than announced', { offset, length: chunk.length, size: u.size })
    if (offset === 0) {
      const a = await this.own(user, u.assignmentId)
      const type = sniff(chunk, { prefix: true })
      const accepted = acceptedTypes(a.task.taskType)
      if (type === undefined || (type === 'zip' ? !accepted.some((t) => DOCUMENT_TYPES.includes(t)) : !accepted.includes(type))) {
        await this.store.deleteUpload(this.deps.knex, user.tenantId, u.id)
        throw new LtiToolError('ERR_TOOL_UNSUPPORTED_FILE', 'content is no type this task takes', { sniffed: type, taskType: a.task.taskType })
      }
    }
    const received = await this.store.appendChunk(user.tenantId, u.id, offset, chunk)
    if (received === undefined) {
      const now = await this.store.upload(user.tenantId, u.id)
      throw new LtiToolError('ERR_TOOL_UPLOAD_OFFSET', 'another chunk got there first', { offset, received: now?.received ?? 0 })
    }
    return { ...u, received }
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
      if (type === undefined || type === 'zip' || !acceptedTypes(a.task.taskType).includes(type)) {
        await this.store.deleteUpload(trx, user.tenantId, u.id)
        return { rejected: type ?? 'unknown' } as const
      }
      const version = await this.store.addVersion(trx, a, {
        id: submissionId, kind: 'file', fileName: u.fileName, mediaType: type, content,
        sha256: createHash('sha256').update(content).digest('hex'), statementId: taskStatementId('submit', submissionId),
      })
      await this.store.deleteUpload(trx, user.tenantId, u.id)
      return { a, version } as const
    })
    if ('rejected' in result) throw new LtiToolError('ERR_TOOL_UNSUPPORTED_FILE', 'content is no type this task takes', { sniffed: result.rejected })
    await this.recordSubmit(result.a, submissionId, result.version)
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
      return { a, version }
    })
    await this.recordSubmit(result.a, submissionId, result.version)
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
    const done = await this.deps.knex.transaction(async (trx) => {
      const a = await this.gradable(session, assignmentId, trx)
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
      return { a, latest, score, passbackId }
    })
    const statements = gradeStatements(this.subject(done.a), {
      gradeId, submitStatementId: done.latest.statementId, levels: input.levels, feedback, timestamp: now,
      facilitator: { issuer: session.user.issuer, sub: session.user.sub, ...(session.user.name !== undefined && { name: session.user.name }) },
      ...(done.score !== undefined && { score: done.score }),
    })
    if (await this.recordStatements(done.a, statements)) await this.store.markGradeRecorded(done.a.tenantId, gradeId)
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

  private async recordSubmit(a: Assignment, submissionId: string, version: number): Promise<void> {
    const statement = submitStatement(this.subject(a), { submissionId, version, timestamp: new Date(this.deps.now()) })
    if (await this.recordStatements(a, [statement])) await this.store.markSubmissionRecorded(a.tenantId, submissionId)
  }

  /**
   * Store statements through the LRS under the tool credential, validated like any client's. The
   * row is committed already: a failure is logged and the row stays marked unrecorded (its
   * statement ids are derived, so recording it later stores each once).
   */
  private async recordStatements(a: Assignment, statements: Statement[]): Promise<boolean> {
    if (statements.length === 0) return true
    try {
      const credential = await this.deps.credentials.of(a.tenant)
      await this.deps.statements.storeCounting(
        { tenantId: a.tenantId, credential, version: '1.0.3' },
        statements.map((s) => validateStatement(s, { version: '1.0.3' })),
      )
      return true
    } catch (err) {
      this.deps.logger.error({ err, assignmentId: a.id }, 'task statements not stored')
      return false
    }
  }
}

function inScope(session: Pick<Session, 'user' | 'launch'>, a: Assignment): boolean {
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
