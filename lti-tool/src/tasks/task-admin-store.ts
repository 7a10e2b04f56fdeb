import type { Knex } from '@tln/db'
import { LtiToolError } from '../errors.ts'
import { sameRubric, type TaskInput } from './task-form.ts'
import { isUuid, toTask, type TaskRow } from './task-store.ts'
import type { PerformanceTask, Rubric } from './types.ts'

/** A task as the editor lists it: with the name of its node (undefined = the whole tenant). */
export interface ManagedTask extends PerformanceTask {
  readonly nodeName?: string
  readonly nodePath?: string
  readonly updatedAt: Date
}

/** A superseded rubric version, kept for the grades that used it. */
export interface RubricVersion {
  readonly version: number
  readonly rubric: Rubric
  readonly supersededAt: Date
}

/** Where an editor works: the whole tenant, or below these node paths. */
export type TaskScope = { readonly tenant: true } | { readonly paths: readonly string[] }

type Row = TaskRow & { node_name: string | null; node_path: string | null; updated_at: Date }

const toManaged = (r: Row): ManagedTask => ({
  ...toTask(r), updatedAt: new Date(r.updated_at),
  ...(r.node_name !== null && { nodeName: r.node_name }), ...(r.node_path !== null && { nodePath: r.node_path }),
})

const columns = (input: TaskInput) => ({
  task_type: input.taskType, title_id: input.title.id, title_en: input.title.en,
  description_id: input.description.id, description_en: input.description.en, due_at: input.dueAt ?? null,
  accepted_types: input.acceptedTypes === undefined ? null : JSON.stringify(input.acceptedTypes),
  max_bytes: input.maxBytes ?? null, pass_threshold: input.passThreshold, node_id: input.nodeId ?? null,
})

/**
 * The task editor's storage (`performance_task`, `task_rubric_version`). Every query names the
 * tenant, so another tenant's id is "not found". Rubric versioning: a rubric version that graded a
 * submission (a `task_grade` with that `rubric_version` on the task) is frozen; saving a changed
 * rubric then keeps the old one in `task_rubric_version` and makes version+1 current, so old
 * grades keep the criteria they were given against. A version nobody graded is changed in place.
 */
export class TaskAdminStore {
  constructor(private readonly knex: Knex) {}

  private select(db: Knex | Knex.Transaction = this.knex) {
    return db('performance_task as k').leftJoin('org_node as n', 'n.id', 'k.node_id')
      .select('k.*', 'n.name as node_name', 'n.path as node_path')
  }

  /** The tasks an editor with `scope` may change, by title. */
  async list(tenantId: string, scope: TaskScope): Promise<ManagedTask[]> {
    const q = this.select().where('k.tenant_id', tenantId).orderBy(['k.title_id', 'k.key'])
    if ('paths' in scope) q.andWhere((w) => { w.whereRaw('false'); for (const p of scope.paths) w.orWhereRaw('starts_with(n.path, ?)', [p]) })
    return ((await q) as Row[]).map(toManaged)
  }

  /**
   * Tasks the teachers of a scope get that its editor may not change: the tenant's own (no node)
   * and those of a node above every path of the scope (the district's, for a kecamatan's
   * facilitator). Empty for a tenant-wide editor, who may change them all.
   */
  async inherited(tenantId: string, scope: TaskScope): Promise<ManagedTask[]> {
    if (!('paths' in scope)) return []
    const q = this.select().where('k.tenant_id', tenantId).orderBy(['k.title_id', 'k.key'])
    q.andWhere((w) => {
      w.whereNull('k.node_id')
      // Above the scope: a node whose path starts each of the scope's paths and is none of them.
      for (const p of scope.paths) w.orWhereRaw('(starts_with(?, n.path) and n.path <> ?)', [p, p])
    })
    return ((await q) as Row[]).map(toManaged)
  }

  async task(tenantId: string, id: string, db: Knex | Knex.Transaction = this.knex): Promise<ManagedTask | undefined> {
    if (!isUuid(id)) return undefined
    const row = (await this.select(db).where({ 'k.tenant_id': tenantId, 'k.id': id }).first()) as Row | undefined
    return row === undefined ? undefined : toManaged(row)
  }

  /** Tasks a teacher at a school with `schoolPath` gets: the tenant's, and those of a node above the school. */
  async forTeacher(tenantId: string, schoolPath: string | undefined): Promise<ManagedTask[]> {
    const q = this.select().where('k.tenant_id', tenantId).orderBy([{ column: 'k.due_at', order: 'asc', nulls: 'last' }, 'k.title_id'])
    q.andWhere((w) => { w.whereNull('k.node_id'); if (schoolPath !== undefined) w.orWhereRaw('starts_with(?, n.path)', [schoolPath]) })
    return ((await q) as Row[]).map(toManaged)
  }

  /** Has any teacher submitted to the task? (Then its type is fixed.) */
  async hasSubmissions(tenantId: string, taskId: string, db: Knex | Knex.Transaction = this.knex): Promise<boolean> {
    const row = await db('task_submission as s').join('task_assignment as a', 'a.id', 's.assignment_id')
      .where({ 'a.tenant_id': tenantId, 'a.task_id': taskId }).first('s.id')
    return row !== undefined
  }

  /** A new task, key `task-<slug of the title>` (`-2`, `-3` … when taken): the key is stable, it travels to the LMS. */
  async create(tenantId: string, input: TaskInput, slug: string): Promise<ManagedTask> {
    const base = `task-${slug === '' ? 'tugas' : slug}`.slice(0, 60)
    for (let n = 1; n <= 50; n++) {
      const key = n === 1 ? base : `${base}-${n}`
      const rows = (await this.knex('performance_task').insert({ tenant_id: tenantId, key, rubric: JSON.stringify(input.rubric), ...columns(input) })
        .onConflict(['tenant_id', 'key']).ignore().returning('id')) as { id: string }[]
      if (rows[0] !== undefined) return (await this.task(tenantId, rows[0].id))!
    }
    throw new LtiToolError('ERR_TOOL_CONFLICT', 'no free task key for this title', { base })
  }

  /**
   * Save an edited task in one transaction: its fields in place; its rubric in place when the
   * current version graded nothing, else as version+1 (the old one kept). A type change once
   * teachers have submitted is a conflict (the form says so first; checked again under the lock).
   * @returns the saved task and whether a new rubric version was made
   */
  async update(tenantId: string, id: string, input: TaskInput): Promise<{ task: ManagedTask; newRubricVersion: boolean }> {
    return this.knex.transaction(async (trx) => {
      const row = (await trx('performance_task').where({ tenant_id: tenantId, id }).forUpdate().first()) as TaskRow | undefined
      if (row === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such task', { id })
      const current = toTask(row)
      if (input.taskType !== current.taskType && await this.hasSubmissions(tenantId, id, trx)) {
        throw new LtiToolError('ERR_TOOL_CONFLICT', 'the task has submissions: its type is fixed', { id })
      }
      let rubric: Partial<{ rubric: string; rubric_version: number }> = {}
      let newRubricVersion = false
      if (!sameRubric(current.rubric, input.rubric)) {
        if (await this.gradedWith(trx, tenantId, id, current.rubricVersion)) {
          await trx('task_rubric_version').insert({ tenant_id: tenantId, task_id: id, version: current.rubricVersion, rubric: JSON.stringify(current.rubric) })
          rubric = { rubric: JSON.stringify(input.rubric), rubric_version: current.rubricVersion + 1 }
          newRubricVersion = true
        } else rubric = { rubric: JSON.stringify(input.rubric) }
      }
      await trx('performance_task').where({ tenant_id: tenantId, id }).update({ ...columns(input), ...rubric, updated_at: trx.fn.now() })
      return { task: (await this.task(tenantId, id, trx))!, newRubricVersion }
    })
  }

  /** Superseded rubric versions of a task, newest first. */
  async rubricVersions(tenantId: string, taskId: string): Promise<RubricVersion[]> {
    const rows = await this.knex('task_rubric_version').where({ tenant_id: tenantId, task_id: taskId }).orderBy('version', 'desc') as Array<{ version: number; rubric: unknown; superseded_at: Date }>
    return rows.map((r) => ({ version: Number(r.version), rubric: (typeof r.rubric === 'string' ? JSON.parse(r.rubric) : r.rubric) as Rubric, supersededAt: new Date(r.superseded_at) }))
  }

  /** Grades per rubric version of a task. */
  async gradesPerVersion(tenantId: string, taskId: string): Promise<Map<number, number>> {
    const rows = await this.knex('task_grade as g').join('task_submission as s', 's.id', 'g.submission_id').join('task_assignment as a', 'a.id', 's.assignment_id')
      .where({ 'a.tenant_id': tenantId, 'a.task_id': taskId }).groupBy('g.rubric_version').select('g.rubric_version').count('* as n') as Array<{ rubric_version: number; n: number | string }>
    return new Map(rows.map((r) => [Number(r.rubric_version), Number(r.n)]))
  }

  private async gradedWith(trx: Knex.Transaction, tenantId: string, taskId: string, version: number): Promise<boolean> {
    const row = await trx('task_grade as g').join('task_submission as s', 's.id', 'g.submission_id').join('task_assignment as a', 'a.id', 's.assignment_id')
      .where({ 'a.tenant_id': tenantId, 'a.task_id': taskId, 'g.rubric_version': version }).first('g.id')
    return row !== undefined
  }
}
