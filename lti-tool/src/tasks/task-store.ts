import type { Knex } from '@tln/db'
import type { PassbackTarget } from '../ags/passback-store.ts'
import { DEFAULT_TASKS } from './default-tasks.ts'
import { ChunkedUploadStore } from '../uploads/chunked-uploads.ts'
import type { SniffedType } from './sniff.ts'
import type { AssignmentStatus, PerformanceTask, Rubric, TaskType } from './types.ts'

/** A teacher's task in one course, with what the pages and statements need. */
export interface Assignment {
  readonly id: string
  readonly tenantId: string
  /** Tenant slug (the tool credential and activity ids use it). */
  readonly tenant: string
  readonly status: AssignmentStatus
  readonly scoreScaled?: number
  readonly task: PerformanceTask
  readonly teacher: { readonly id: string; readonly sub: string; readonly name?: string; readonly email?: string }
  readonly platformId: string
  readonly issuer: string
  readonly contextId?: string
  readonly contextTitle?: string
  readonly passbackTarget?: PassbackTarget
  readonly updatedAt: Date
}

export interface SubmissionVersion {
  readonly id: string
  readonly version: number
  readonly kind: 'file' | 'url'
  readonly url?: string
  readonly fileName?: string
  readonly mediaType?: string
  readonly size?: number
  readonly statementId: string
  readonly createdAt: Date
  readonly grade?: { readonly decision: 'accepted' | 'returned'; readonly feedback: string; readonly scoreScaled?: number; readonly scoreRaw?: number; readonly levels: Record<string, number> }
}

export interface Upload {
  readonly id: string
  readonly assignmentId: string
  readonly fileName: string
  readonly size: number
  readonly received: number
}

const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T

export interface TaskRow { id: string; tenant_id: string; key: string; task_type: TaskType; title_id: string; title_en: string; description_id: string; description_en: string; due_at: Date | null; pass_threshold: number; rubric: unknown; rubric_version: number; node_id: string | null; accepted_types: unknown; max_bytes: number | null }

export function toTask(r: TaskRow): PerformanceTask {
  return {
    id: r.id, tenantId: r.tenant_id, key: r.key, taskType: r.task_type, title: { id: r.title_id, en: r.title_en },
    description: { id: r.description_id, en: r.description_en }, passThreshold: Number(r.pass_threshold), rubric: json<Rubric>(r.rubric),
    rubricVersion: Number(r.rubric_version ?? 1),
    ...(r.due_at !== null && { dueAt: new Date(r.due_at) }),
    ...(r.node_id !== null && r.node_id !== undefined && { nodeId: r.node_id }),
    ...(r.accepted_types !== null && r.accepted_types !== undefined && { acceptedTypes: json<SniffedType[]>(r.accepted_types) }),
    ...(r.max_bytes !== null && r.max_bytes !== undefined && { maxBytes: Number(r.max_bytes) }),
  }
}

/**
 * The task tables. Every read and write names the tenant: a row of another tenant is not found
 * (ARCHITECTURE.md, "Tenancy is enforced in the query layer").
 */
export class TaskStore {
  private uploadStore: ChunkedUploadStore | undefined
  /** Tenants this process has seeded: a launch then costs no upsert (defaults are only ever added). */
  private readonly seeded = new Set<string>()

  constructor(private readonly knex: Knex) {}

  /**
   * Seed the default tasks into a tenant (once; an administrator's edits are kept). A write: called
   * at the tool's start for every tenant (`ensureDefaultsEverywhere`) and in launches, never by a
   * page or API that only reads. Once per tenant and process: after that a call is a set lookup.
   */
  async ensureDefaults(tenantId: string): Promise<void> {
    await this.insertDefaults([tenantId])
  }

  /** Seed the default tasks into every tenant that lacks one of them (the tool's start): one statement. */
  async ensureDefaultsEverywhere(): Promise<void> {
    await this.insertDefaults((await this.knex('tenant').select('id')).map((t: { id: string }) => t.id))
  }

  private async insertDefaults(tenantIds: readonly string[]): Promise<void> {
    const unseeded = tenantIds.filter((id) => !this.seeded.has(id))
    if (unseeded.length === 0) return
    await this.knex('performance_task').insert(unseeded.flatMap((tenantId) => DEFAULT_TASKS.map((t) => ({
      tenant_id: tenantId, key: t.key, task_type: t.taskType, title_id: t.title.id, title_en: t.title.en,
      description_id: t.description.id, description_en: t.description.en, pass_threshold: t.passThreshold, rubric: JSON.stringify(t.rubric),
    })))).onConflict(['tenant_id', 'key']).ignore()
    for (const id of unseeded) this.seeded.add(id)
  }

  async taskByKey(tenantId: string, key: string): Promise<PerformanceTask | undefined> {
    const row = (await this.knex('performance_task').where({ tenant_id: tenantId, key }).first()) as TaskRow | undefined
    return row === undefined ? undefined : toTask(row)
  }

  /** The teacher's assignment of a task in a course, made or refreshed at the launch. @returns its id */
  async assign(input: { tenantId: string; taskId: string; userId: string; platformId: string; contextId?: string; contextTitle?: string; resourceLinkId?: string; passbackTarget?: PassbackTarget }): Promise<string> {
    const [row] = (await this.knex('task_assignment').insert({
      tenant_id: input.tenantId, task_id: input.taskId, user_id: input.userId, platform_id: input.platformId,
      context_key: input.contextId ?? '', context_title: input.contextTitle ?? null, resource_link_id: input.resourceLinkId ?? null,
      passback_target: input.passbackTarget === undefined ? null : JSON.stringify(input.passbackTarget),
    }).onConflict(['task_id', 'user_id', 'platform_id', 'context_key']).merge({
      context_title: this.knex.raw('coalesce(excluded.context_title, task_assignment.context_title)'),
      resource_link_id: this.knex.raw('coalesce(excluded.resource_link_id, task_assignment.resource_link_id)'),
      passback_target: this.knex.raw('coalesce(excluded.passback_target, task_assignment.passback_target)'),
    }).returning('id')) as { id: string }[]
    return row!.id
  }

  private assignments(trx: Knex | Knex.Transaction = this.knex) {
    return trx('task_assignment as a')
      .join('performance_task as k', 'k.id', 'a.task_id')
      .join('lti_user as u', 'u.id', 'a.user_id')
      .join('lti_platform as p', 'p.id', 'a.platform_id')
      .join('tenant as t', 't.id', 'a.tenant_id')
      .select('a.*', 't.slug as tenant', 'p.issuer', 'u.sub as user_sub', 'u.name as user_name', 'u.email as user_email',
        'k.key', 'k.task_type', 'k.title_id', 'k.title_en', 'k.description_id', 'k.description_en', 'k.due_at', 'k.pass_threshold', 'k.rubric',
        'k.rubric_version', 'k.node_id', 'k.accepted_types', 'k.max_bytes')
  }

  private toAssignment(r: Record<string, any>): Assignment {
    const task = toTask({ ...r, id: r.task_id } as TaskRow)
    return {
      id: r.id, tenantId: r.tenant_id, tenant: r.tenant, status: r.status, task,
      ...(r.score_scaled !== null && { scoreScaled: Number(r.score_scaled) }),
      teacher: { id: r.user_id, sub: r.user_sub, ...(r.user_name !== null && { name: r.user_name }), ...(r.user_email !== null && { email: r.user_email }) },
      platformId: r.platform_id, issuer: r.issuer,
      ...(r.context_key !== '' && { contextId: r.context_key }), ...(r.context_title !== null && { contextTitle: r.context_title }),
      ...(r.passback_target !== null && { passbackTarget: json<PassbackTarget>(r.passback_target) }),
      updatedAt: new Date(r.updated_at),
    }
  }

  /** One assignment of the tenant; undefined for an unknown id or another tenant's. With `forUpdate`, locked until the transaction ends. */
  async assignment(tenantId: string, id: string, trx?: Knex.Transaction): Promise<Assignment | undefined> {
    if (!isUuid(id)) return undefined
    const q = this.assignments(trx).where('a.tenant_id', tenantId).andWhere('a.id', id)
    if (trx !== undefined) q.forUpdate('a')
    const row = await q.first()
    return row === undefined ? undefined : this.toAssignment(row)
  }

  /** A user's assignments in the tenant, newest first (the teacher's list of tasks). */
  async assignmentsOfUser(tenantId: string, userId: string): Promise<Assignment[]> {
    return (await this.assignments().where({ 'a.tenant_id': tenantId, 'a.user_id': userId }).orderBy('a.updated_at', 'desc').limit(500)).map((r) => this.toAssignment(r))
  }

  /** The id of a user's assignment of a task (by key) in one course, if the launch made one. */
  async assignmentIdOf(tenantId: string, input: { key: string; userId: string; platformId: string; contextId?: string }): Promise<string | undefined> {
    const row = (await this.knex('task_assignment as a').join('performance_task as k', 'k.id', 'a.task_id')
      .where({ 'a.tenant_id': tenantId, 'k.key': input.key, 'a.user_id': input.userId, 'a.platform_id': input.platformId, 'a.context_key': input.contextId ?? '' })
      .first('a.id')) as { id: string } | undefined
    return row?.id
  }

  /**
   * Submissions waiting for a facilitator, oldest first, in the tenant, below `paths` (the
   * teacher's school, through the person linked to their LMS account; undefined = the whole
   * tenant) and (when given) one course.
   */
  async queue(tenantId: string, scope: { platformId?: string; contextId?: string; paths?: readonly string[] }): Promise<Assignment[]> {
    const q = this.assignments().where('a.tenant_id', tenantId).andWhere('a.status', 'submitted').orderBy('a.updated_at').limit(200)
    if (scope.platformId !== undefined) q.andWhere('a.platform_id', scope.platformId)
    if (scope.contextId !== undefined) q.andWhere('a.context_key', scope.contextId)
    if (scope.paths !== undefined) q.whereIn('a.user_id', teachersBelow(this.knex, tenantId, scope.paths))
    return (await q).map((r) => this.toAssignment(r))
  }

  /** Is the assignment's teacher placed at a school below one of `paths`? */
  async teacherBelow(tenantId: string, assignmentId: string, paths: readonly string[], trx: Knex | Knex.Transaction = this.knex): Promise<boolean> {
    const row = await trx('task_assignment').where({ tenant_id: tenantId, id: assignmentId }).whereIn('user_id', teachersBelow(trx, tenantId, paths)).first('id')
    return row !== undefined
  }

  /** Every version of an assignment, newest first, with its grade. */
  async versions(tenantId: string, assignmentId: string, trx: Knex | Knex.Transaction = this.knex): Promise<SubmissionVersion[]> {
    const rows = await trx('task_submission as s').leftJoin('task_grade as g', 'g.submission_id', 's.id')
      .where('s.tenant_id', tenantId).andWhere('s.assignment_id', assignmentId).orderBy('s.version', 'desc')
      .select('s.id', 's.version', 's.kind', 's.url', 's.file_name', 's.media_type', 's.size', 's.statement_id', 's.created_at',
        'g.decision', 'g.feedback', 'g.score_scaled', 'g.score_raw', 'g.levels') as Record<string, any>[]
    return rows.map((r) => ({
      id: r.id, version: Number(r.version), kind: r.kind, statementId: r.statement_id, createdAt: new Date(r.created_at),
      ...(r.url !== null && { url: r.url }), ...(r.file_name !== null && { fileName: r.file_name }),
      ...(r.media_type !== null && { mediaType: r.media_type }), ...(r.size !== null && { size: Number(r.size) }),
      ...(r.decision !== null && { grade: {
        decision: r.decision, feedback: r.feedback, levels: json<Record<string, number>>(r.levels),
        ...(r.score_scaled !== null && { scoreScaled: Number(r.score_scaled) }), ...(r.score_raw !== null && { scoreRaw: Number(r.score_raw) }),
      } }),
    }))
  }

  /** The stored file of a submission of the tenant. */
  async file(tenantId: string, submissionId: string): Promise<{ assignmentId: string; fileName: string; mediaType: string; content: Buffer } | undefined> {
    if (!isUuid(submissionId)) return undefined
    const r = await this.knex('task_submission').where({ tenant_id: tenantId, id: submissionId, kind: 'file' }).first('assignment_id', 'file_name', 'media_type', 'content')
    return r === undefined ? undefined : { assignmentId: r.assignment_id, fileName: r.file_name, mediaType: r.media_type, content: Buffer.from(r.content) }
  }

  /** The resumable upload sessions of assignments (`task_upload`), shared code with mentoring evidence (`uploads/`). */
  get uploads(): ChunkedUploadStore {
    return (this.uploadStore ??= new ChunkedUploadStore(this.knex, 'task_upload'))
  }

  async createUpload(input: { tenantId: string; assignmentId: string; fileName: string; size: number; expiresAt: Date }): Promise<Upload> {
    const u = await this.uploads.create({ ...input, ownerId: input.assignmentId })
    return { id: u.id, assignmentId: u.ownerId, fileName: u.fileName, size: u.size, received: u.received }
  }

  async upload(tenantId: string, id: string): Promise<Upload | undefined> {
    const u = await this.uploads.find(tenantId, id)
    return u === undefined ? undefined : { id: u.id, assignmentId: u.ownerId, fileName: u.fileName, size: u.size, received: u.received }
  }

  async uploadContent(trx: Knex.Transaction, tenantId: string, id: string): Promise<Buffer | undefined> {
    return this.uploads.content(trx, tenantId, id)
  }

  async deleteUpload(trx: Knex | Knex.Transaction, tenantId: string, id: string): Promise<void> {
    await this.uploads.delete(tenantId, id, trx)
  }

  /** Add a version (the next number) and mark the assignment submitted, in the caller's transaction. */
  async addVersion(trx: Knex.Transaction, a: Assignment, v: { id: string; kind: 'file' | 'url'; url?: string; fileName?: string; mediaType?: string; content?: Buffer; sha256?: string; statementId: string }): Promise<number> {
    const [{ max }] = (await trx('task_submission').where({ assignment_id: a.id }).max('version as max')) as [{ max: number | null }]
    const version = Number(max ?? 0) + 1
    await trx('task_submission').insert({
      id: v.id, tenant_id: a.tenantId, assignment_id: a.id, version, kind: v.kind, url: v.url ?? null, file_name: v.fileName ?? null,
      media_type: v.mediaType ?? null, size: v.content?.length ?? null, sha256: v.sha256 ?? null, content: v.content ?? null, statement_id: v.statementId,
    })
    await trx('task_assignment').where({ id: a.id, tenant_id: a.tenantId }).update({ status: 'submitted', updated_at: trx.fn.now() })
    return version
  }

  async insertGrade(trx: Knex.Transaction, a: Assignment, g: { id: string; submissionId: string; graderUserId: string; decision: 'accepted' | 'returned'; levels: Record<string, number>; scoreScaled?: number; scoreRaw?: number; passed?: boolean; feedback: string }): Promise<void> {
    await trx('task_grade').insert({
      id: g.id, tenant_id: a.tenantId, submission_id: g.submissionId, grader_user_id: g.graderUserId, decision: g.decision, rubric_version: a.task.rubricVersion,
      levels: JSON.stringify(g.levels), score_scaled: g.scoreScaled ?? null, score_raw: g.scoreRaw ?? null, passed: g.passed ?? null, feedback: g.feedback,
    })
    await trx('task_assignment').where({ id: a.id, tenant_id: a.tenantId }).update({
      status: g.decision, updated_at: trx.fn.now(), ...(g.scoreScaled !== undefined && { score_scaled: g.scoreScaled }),
    })
  }

  async setGradePassback(trx: Knex.Transaction, gradeId: string, passbackId: number): Promise<void> {
    await trx('task_grade').where({ id: gradeId }).update({ passback_id: passbackId })
  }

}

/**
 * The LTI users of a tenant whose person (linked by issuer + sub) is at a school below one of
 * `paths` (a grant on a node covers its subtree: `org/access.ts`). A teacher placed nowhere is in
 * no path: only a tenant-wide scope sees them.
 */
export function teachersBelow(db: Knex | Knex.Transaction, tenantId: string, paths: readonly string[]) {
  return db('lti_user as u')
    .join('person as pe', (j) => j.on('pe.lti_issuer', 'u.issuer').andOn('pe.lti_sub', 'u.sub'))
    .join('org_node as s', 's.id', 'pe.school_id')
    .where('u.tenant_id', tenantId).andWhere('pe.tenant_id', tenantId)
    .andWhere((w) => { w.whereRaw('false'); for (const path of paths) w.orWhereRaw('starts_with(s.path, ?)', [path]) })
    .select('u.id')
}

export function isUuid(v: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu.test(v)
}
