import type { Knex } from '@tln/db'
import { toPassback, type Passback, type PassbackStore, type Row } from '../ags/passback-store.ts'
import { LtiToolError } from '../errors.ts'
import { ROLE_ACTIONS } from '../org/access.ts'
import type { Grant } from '../org/org-types.ts'
import { passbackState, type PassbackState } from './passback-state.ts'

/** Where a facilitator may look: the whole tenant (admin), or below these node paths (their kecamatan). */
export type GradeScope = { readonly tenant: true } | { readonly paths: readonly string[] }

/** A passback as the facilitator page shows it: the job, its state, and whose grade it is. */
export interface PassbackView extends Passback {
  readonly state: PassbackState
  readonly learnerName?: string
  readonly schoolName?: string
  readonly kecamatanName?: string
}

export type GradeFilter = 'problems' | 'sent' | 'all'

/**
 * The scope of `tasks:grade` grants (facilitator or coordinator of a kecamatan, or admin), or
 * undefined when no grant allows grading anywhere.
 */
export function gradeScopeOf(grants: readonly Grant[]): GradeScope | undefined {
  const grading = grants.filter((g) => ROLE_ACTIONS[g.role].has('tasks:grade'))
  if (grading.length === 0) return undefined
  if (grading.some((g) => g.nodePath === undefined)) return { tenant: true }
  return { paths: grading.map((g) => g.nodePath!) }
}

type ViewRow = Row & { learner_name: string | null; school_name: string | null; kecamatan_name: string | null }

/**
 * Grade passbacks within a facilitator's scope. A job belongs where its learner is: the person
 * linked to the learner's LTI account (platform issuer + `user_sub`), at their school, in its
 * kecamatan. A learner not placed in the tree is seen by tenant admins only. Every query filters
 * by tenant and scope, so another kecamatan's or tenant's job id is "not found".
 */
export class ScopedPassbacks {
  constructor(private readonly knex: Knex, private readonly store: PassbackStore) {}

  /** Newest first; `problems` = failed, retrying or dead; `sent`; or `all`. */
  async list(tenantId: string, scope: GradeScope, filter: GradeFilter = 'problems', limit = 200): Promise<PassbackView[]> {
    const q = this.select(tenantId, scope).orderBy('g.id', 'desc').limit(limit)
    if (filter === 'sent') q.where('g.status', 'sent')
    if (filter === 'problems') q.where((w) => w.where('g.status', 'failed').orWhere((p) => p.where('g.status', 'pending').whereNotNull('g.last_error')))
    return ((await q) as ViewRow[]).map(toView)
  }

  /** One job in scope, or undefined (also for another kecamatan's or tenant's id). */
  async find(tenantId: string, scope: GradeScope, id: number): Promise<PassbackView | undefined> {
    if (!Number.isSafeInteger(id) || id < 1) return undefined
    const row = (await this.select(tenantId, scope).where('g.id', id).first()) as ViewRow | undefined
    return row === undefined ? undefined : toView(row)
  }

  /**
   * "Retry now": a failed or dead job is queued again with a fresh attempt budget
   * (`PassbackStore.retry`, what `tln grades retry` runs); a retrying one is made due now
   * (its backoff skipped) unless a worker holds it at this moment.
   * @throws LtiToolError `ERR_TOOL_NOT_FOUND` outside the scope, `ERR_TOOL_CONFLICT` for a job already sent
   */
  async retryNow(tenantId: string, scope: GradeScope, id: number, now: Date): Promise<PassbackView> {
    const job = await this.find(tenantId, scope, id)
    if (job === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', `no grade passback ${id} in this scope`)
    if (job.status === 'sent') throw new LtiToolError('ERR_TOOL_CONFLICT', `grade passback ${id} was sent already`)
    if (job.status === 'failed') await this.store.retry(job.id, now)
    else {
      await this.knex('grade_passback').where({ id: job.id, status: 'pending' })
        .andWhere((w) => w.whereNull('locked_until').orWhere('locked_until', '<=', now))
        .update({ next_attempt_at: now, updated_at: now })
    }
    return (await this.find(tenantId, scope, id))!
  }

  private select(tenantId: string, scope: GradeScope) {
    const q = this.knex('grade_passback as g')
      .join('tenant as t', 't.id', 'g.tenant_id')
      .join('lti_platform as p', 'p.id', 'g.platform_id')
      .leftJoin('lti_user as u', (j) => j.on('u.issuer', 'p.issuer').andOn('u.sub', 'g.user_sub'))
      .leftJoin('person as pe', (j) => j.on('pe.tenant_id', 'g.tenant_id').andOn('pe.lti_issuer', 'p.issuer').andOn('pe.lti_sub', 'g.user_sub'))
      .leftJoin('org_node as s', 's.id', 'pe.school_id')
      .leftJoin('org_node as k', 'k.id', 's.parent_id')
      .select('g.*', 't.slug as tenant', 'p.issuer', 'p.client_id', 'k.name as kecamatan_name', 's.name as school_name')
      .select(this.knex.raw('coalesce(pe.name, u.name) as learner_name'))
      .where('g.tenant_id', tenantId)
    if ('paths' in scope) {
      q.where((w) => { for (const path of scope.paths) w.orWhere('s.path', 'like', `${escapeLike(path)}%`) })
    }
    return q
  }
}

function toView(row: ViewRow): PassbackView {
  const job = toPassback(row)
  return {
    ...job, state: passbackState(job),
    ...(row.learner_name !== null && { learnerName: row.learner_name }),
    ...(row.school_name !== null && { schoolName: row.school_name }),
    ...(row.kecamatan_name !== null && { kecamatanName: row.kecamatan_name }),
  }
}

/** Paths are ids and slashes, but a `%` or `_` must never widen a scope. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/gu, (c) => `\\${c}`)
}
