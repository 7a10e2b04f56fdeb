import type { Knex } from '@tln/db'
import { ACTIVITY_PROGRESS, GRADING_PROGRESS, type ActivityProgress, type GradingProgress } from '@tln/lti-v1p3'
import { LtiToolError } from '../errors.ts'

export type PassbackStatus = 'pending' | 'sent' | 'failed'

/**
 * Where a score goes (AGS 2.0 §3.2): a known line item URL (the launch's `lineitem` claim), or a
 * line items container (`lineitems`) and what identifies the line item in it — resource link id,
 * tag, resource id — so the worker finds it or creates it with `label` and the score maximum.
 * `grantedScopes`: the `scope` of the launch's AGS endpoint claim (AGS 2.0 §3.1), the only scopes
 * the worker asks tokens for; undefined when not known (targets stored before it was kept).
 */
export type PassbackTarget = (
  | { readonly lineItemUrl: string }
  | { readonly lineItemsUrl: string; readonly label: string; readonly resourceLinkId?: string; readonly tag?: string; readonly resourceId?: string }
) & { readonly grantedScopes?: readonly string[] }

/** A score to publish to the platform's gradebook (AGS 2.0 §3.4). */
export interface ScoreToPass {
  /** The registration (a `PlatformRecord` will do). */
  readonly platform: { readonly id: string; readonly tenantId: string }
  readonly target: PassbackTarget
  /** The learner's LTI `sub`. */
  readonly userSub: string
  readonly scoreGiven?: number
  /** Required with `scoreGiven` and to create a line item (Moodle answers 400 without it). */
  readonly scoreMaximum?: number
  readonly activityProgress: ActivityProgress
  readonly gradingProgress: GradingProgress
  /** When the grade was given; sent as the score's `timestamp` on every attempt (the platform ignores older ones). */
  readonly timestamp: Date
  readonly comment?: string
  /** The facilitator who graded, when known (the `scored` statement's `context.instructor`). */
  readonly instructor?: { readonly sub: string; readonly name?: string }
  /** The LMS course (context) id, for the statement's registration and grouping. */
  readonly contextId?: string
  /**
   * The `scored` statement the caller stored for this grade already (a rubric grade stores its own,
   * with the rubric levels): the worker then stores none, so the grade counts once.
   */
  readonly statementId?: string
}

/** A passback job as `listPassbacks` shows it. */
export interface Passback {
  readonly id: number
  readonly tenant: string
  readonly tenantId: string
  readonly platformId: string
  readonly issuer: string
  readonly clientId: string
  readonly target: PassbackTarget
  /** The line item the score went (or goes) to, once known. */
  readonly lineItemUrl?: string
  readonly userSub: string
  readonly scoreGiven?: number
  readonly scoreMaximum?: number
  readonly activityProgress: ActivityProgress
  readonly gradingProgress: GradingProgress
  readonly timestamp: Date
  readonly comment?: string
  readonly instructor?: { readonly sub: string; readonly name?: string }
  readonly contextId?: string
  readonly status: PassbackStatus
  readonly attempts: number
  readonly nextAttemptAt: Date
  /** The last failure: the message, and the platform's HTTP status and the start of its answer (or the tool's own code). */
  readonly lastError?: PassbackError
  readonly statementId?: string
  readonly sentAt?: Date
  readonly createdAt: Date
}

/** A job a worker holds: the row and the lease that proves it holds it. */
export interface ClaimedPassback extends Passback {
  readonly lockedUntil: Date
}

export interface Row {
  id: number; tenant_id: string; tenant: string; platform_id: string; issuer: string; client_id: string
  line_item_url: string | null; line_items_url: string | null; resource_link_id: string | null; tag: string | null; resource_id: string | null; label: string | null
  granted_scopes: string[] | null
  context_id: string | null; user_sub: string; score_given: number | null; score_maximum: number | null
  activity_progress: ActivityProgress; grading_progress: GradingProgress; score_timestamp: Date; comment: string | null
  instructor_sub: string | null; instructor_name: string | null; status: PassbackStatus; attempts: number; next_attempt_at: Date
  locked_until: Date | null; resolved_line_item_url: string | null; last_error: string | null; last_error_status: number | null; last_error_body: string | null
  last_error_code: PassbackErrorCode | null
  statement_id: string | null; sent_at: Date | null; created_at: Date
}

const ACTIVITY: ReadonlySet<string> = new Set(ACTIVITY_PROGRESS)
const GRADING: ReadonlySet<string> = new Set(GRADING_PROGRESS)
/** Of the platform's answer, this much is kept for the facilitator and the operator. */
export const ERROR_BODY_LIMIT = 1000

/**
 * Put a score in the passback queue **inside the caller's transaction** (`trx`): the grade and its
 * passback commit together or not at all, and once committed the worker publishes it, retrying
 * until the platform takes it or refuses it (never lost). Validates what the platform would
 * refuse anyway; a bad score is the caller's bug (`TypeError`), not the platform's.
 * @returns the job id (what `tln grades retry` takes)
 */
export async function enqueueScore(trx: Knex | Knex.Transaction, score: ScoreToPass, now: Date = new Date()): Promise<number> {
  checkScore(score)
  const t = score.target
  const [row] = (await trx('grade_passback').insert({
    tenant_id: score.platform.tenantId, platform_id: score.platform.id,
    line_item_url: 'lineItemUrl' in t ? t.lineItemUrl : null,
    line_items_url: 'lineItemsUrl' in t ? t.lineItemsUrl : null,
    resource_link_id: 'lineItemsUrl' in t ? (t.resourceLinkId ?? null) : null,
    tag: 'lineItemsUrl' in t ? (t.tag ?? null) : null,
    resource_id: 'lineItemsUrl' in t ? (t.resourceId ?? null) : null,
    label: 'lineItemsUrl' in t ? t.label : null,
    granted_scopes: t.grantedScopes === undefined ? null : trx.raw('?::text[]', [[...t.grantedScopes]]),
    context_id: score.contextId ?? null, user_sub: score.userSub,
    score_given: score.scoreGiven ?? null, score_maximum: score.scoreMaximum ?? null,
    activity_progress: score.activityProgress, grading_progress: score.gradingProgress,
    score_timestamp: score.timestamp, comment: score.comment ?? null,
    instructor_sub: score.instructor?.sub ?? null, instructor_name: score.instructor?.name ?? null,
    status: 'pending', next_attempt_at: now, statement_id: score.statementId ?? null,
  }).returning('id')) as { id: number }[]
  return Number(row!.id)
}

function checkScore(score: ScoreToPass): void {
  if (typeof score.userSub !== 'string' || score.userSub === '') throw new TypeError('userSub is required')
  if (!ACTIVITY.has(score.activityProgress)) throw new TypeError(`activityProgress ${score.activityProgress} is not an AGS 2.0 value`)
  if (!GRADING.has(score.gradingProgress)) throw new TypeError(`gradingProgress ${score.gradingProgress} is not an AGS 2.0 value`)
  if (!(score.timestamp instanceof Date) || Number.isNaN(score.timestamp.getTime())) throw new TypeError('timestamp must be a valid Date (AGS 2.0 §3.4.9; Moodle answers 400 without it)')
  if (score.scoreMaximum !== undefined && !(Number.isFinite(score.scoreMaximum) && score.scoreMaximum > 0)) throw new TypeError('scoreMaximum must be a number > 0')
  if (score.scoreGiven !== undefined) {
    if (!Number.isFinite(score.scoreGiven) || score.scoreGiven < 0) throw new TypeError('scoreGiven must be a number ≥ 0')
    if (score.scoreMaximum === undefined) throw new TypeError('scoreMaximum is required with scoreGiven (AGS 2.0 §3.4.4; Moodle answers 400 without it)')
  }
  const t = score.target
  if (t.grantedScopes !== undefined && !(Array.isArray(t.grantedScopes) && t.grantedScopes.every((s) => typeof s === 'string'))) throw new TypeError('target.grantedScopes must be the AGS claim\'s scope strings')
  if ('lineItemUrl' in t) {
    if (!URL.canParse(t.lineItemUrl)) throw new TypeError('target.lineItemUrl must be an absolute URL')
  } else {
    if (!URL.canParse(t.lineItemsUrl)) throw new TypeError('target.lineItemsUrl must be an absolute URL')
    if (t.resourceLinkId === undefined && t.tag === undefined && t.resourceId === undefined) throw new TypeError('a line items target needs resourceLinkId, tag or resourceId to find its line item')
    if (score.scoreMaximum === undefined) throw new TypeError('scoreMaximum is required to create a line item (AGS 2.0 §3.2.7)')
  }
}

/**
 * The grade passback queue in PostgreSQL (`grade_passback`). Workers claim one due job at a time
 * with `SELECT … FOR UPDATE SKIP LOCKED` and a lease; every later write names the lease, so a
 * worker that lost its lease (it was too slow, another took over) cannot overwrite the outcome.
 */
export class PassbackStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Take the next due job (pending, `next_attempt_at` passed, no live lease), counting the
   * attempt. `FOR UPDATE SKIP LOCKED` makes concurrent claims on several processes take different
   * rows; the lease outlives the claiming statement, so the HTTP calls run outside any
   * transaction and a crashed worker's job is due again once `locked_until` has passed.
   */
  async claim(now: Date, leaseMs: number): Promise<ClaimedPassback | undefined> {
    const lockedUntil = new Date(now.getTime() + leaseMs)
    const result = (await this.knex.raw(`
      update grade_passback set attempts = attempts + 1, locked_until = ?, updated_at = ?
      where id = (
        select id from grade_passback
        where status = 'pending' and next_attempt_at <= ? and (locked_until is null or locked_until <= ?)
        order by next_attempt_at, id
        limit 1
        for update skip locked
      )
      returning id`, [lockedUntil, now, now, now])) as { rows: { id: number }[] }
    const id = result.rows[0]?.id
    if (id === undefined) return undefined
    const row = await this.select().where('g.id', id).first()
    return { ...toPassback(row!), lockedUntil }
  }

  /** Remember the line item found or created, so a retry does not look again. */
  async saveLineItem(job: ClaimedPassback, lineItemUrl: string): Promise<void> {
    await this.held(job).update({ resolved_line_item_url: lineItemUrl, updated_at: new Date() })
  }

  /** The platform took the score. @returns false when the lease was lost meanwhile */
  async markSent(job: ClaimedPassback, outcome: { statementId?: string; now: Date }): Promise<boolean> {
    return (await this.held(job).update({
      status: 'sent', sent_at: outcome.now, statement_id: outcome.statementId ?? null, locked_until: null,
      last_error: null, last_error_status: null, last_error_body: null, last_error_code: null, updated_at: outcome.now,
    })) > 0
  }

  /** A failure worth retrying: due again at `nextAttemptAt`. */
  async markRetry(job: ClaimedPassback, error: PassbackError, nextAttemptAt: Date, now: Date): Promise<boolean> {
    return (await this.held(job).update({ next_attempt_at: nextAttemptAt, locked_until: null, ...errorColumns(error), updated_at: now })) > 0
  }

  /** Refused by the platform (or out of attempts): stays `failed` until someone runs `retry`. */
  async markFailed(job: ClaimedPassback, error: PassbackError, now: Date): Promise<boolean> {
    return (await this.held(job).update({ status: 'failed', locked_until: null, ...errorColumns(error), updated_at: now })) > 0
  }

  /** Give a job back untouched (the worker is stopping): due again at once, on any process. */
  async release(job: ClaimedPassback): Promise<void> {
    await this.held(job).update({ locked_until: null, attempts: this.knex.raw('greatest(attempts - 1, 0)') })
  }

  /**
   * Jobs of a tenant (slug), newest first, optionally of one status.
   */
  async list(filter: { tenant?: string; status?: PassbackStatus; limit?: number } = {}): Promise<Passback[]> {
    const query = this.select().orderBy('g.id', 'desc').limit(filter.limit ?? 200)
    if (filter.tenant !== undefined) query.where('t.slug', filter.tenant)
    if (filter.status !== undefined) query.where('g.status', filter.status)
    return (await query).map(toPassback)
  }

  async find(id: number): Promise<Passback | undefined> {
    const row = await this.select().where('g.id', id).first()
    return row === undefined ? undefined : toPassback(row)
  }

  /**
   * Queue a failed job again, with a fresh attempt budget (after the facilitator or operator fixed
   * the cause, e.g. enrolled the learner in the LMS course). A pending job stays as it is, but for
   * the scopes of a task grade's job, which are taken again from its assignment.
   * @throws LtiToolError `ERR_TOOL_NOT_FOUND` for an unknown id, `ERR_TOOL_CONFLICT` for a job already sent
   */
  async retry(id: number, now: Date = new Date()): Promise<Passback> {
    if (!Number.isSafeInteger(id) || id < 1) throw new LtiToolError('ERR_TOOL_NOT_FOUND', `no grade passback ${id}`)
    await this.knex.transaction(async (trx) => {
      await trx('grade_passback').where({ id, status: 'failed' }).update({ status: 'pending', attempts: 0, next_attempt_at: now, locked_until: null, updated_at: now })
      // A task grade's job takes the grants of its assignment's latest launch: once the LMS grants
      // `score` and the teacher has launched again, a retry of a job refused for the scope passes.
      await trx.raw(
        `update grade_passback g set granted_scopes = array(select jsonb_array_elements_text(a.passback_target -> 'grantedScopes'))
           from task_grade tg
           join task_submission s on s.id = tg.submission_id and s.tenant_id = tg.tenant_id
           join task_assignment a on a.id = s.assignment_id and a.tenant_id = s.tenant_id
          where g.id = ? and g.status = 'pending' and tg.passback_id = g.id and tg.tenant_id = g.tenant_id
            and jsonb_typeof(a.passback_target -> 'grantedScopes') = 'array'`,
        [id],
      )
    })
    const job = await this.find(id)
    if (job === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', `no grade passback ${id}`)
    if (job.status === 'sent') throw new LtiToolError('ERR_TOOL_CONFLICT', `grade passback ${id} was sent already`)
    return job
  }

  private held(job: ClaimedPassback) {
    return this.knex('grade_passback').where({ id: job.id, locked_until: job.lockedUntil })
  }

  private select() {
    return this.knex('grade_passback as g')
      .join('tenant as t', 't.id', 'g.tenant_id')
      .join('lti_platform as p', 'p.id', 'g.platform_id')
      .select('g.*', 't.slug as tenant', 'p.issuer', 'p.client_id') as unknown as Knex.QueryBuilder<Row, Row[]>
  }
}

/**
 * Why the tool itself ended a job, without the platform's answer:
 * - `ERR_PASSBACK_SCOPE_NOT_GRANTED`: the launch's AGS claim did not grant what the job needs
 *   (`score`; or a line item scope to find the line item, `lineitem` to create it; AGS 2.0 §3.1).
 * - `ERR_LTI_PLATFORM_PRIVATE_ADDRESS`: the platform registered itself by Dynamic Registration and
 *   its token endpoint or AGS URL resolves to a private address the operator did not allow
 *   (`TLN_LTI_PLATFORM_ALLOW_PRIVATE`): the tool did not connect (OWASP SSRF).
 */
export type PassbackErrorCode = 'ERR_PASSBACK_SCOPE_NOT_GRANTED' | 'ERR_LTI_PLATFORM_PRIVATE_ADDRESS'

/** What a failed attempt leaves on the job. */
export interface PassbackError {
  readonly message: string
  readonly status?: number
  readonly body?: string
  readonly code?: PassbackErrorCode
}

function errorColumns(error: PassbackError) {
  return {
    last_error: error.message.slice(0, ERROR_BODY_LIMIT), last_error_status: error.status ?? null, last_error_body: error.body?.slice(0, ERROR_BODY_LIMIT) ?? null,
    last_error_code: error.code ?? null,
  }
}

export function toPassback(row: Row): Passback {
  const n = (v: number | null) => (v === null ? undefined : Number(v))
  const granted = row.granted_scopes === null ? {} : { grantedScopes: row.granted_scopes }
  const target: PassbackTarget = row.line_item_url !== null
    ? { lineItemUrl: row.line_item_url, ...granted }
    : {
        lineItemsUrl: row.line_items_url!, label: row.label ?? '',
        ...(row.resource_link_id !== null && { resourceLinkId: row.resource_link_id }),
        ...(row.tag !== null && { tag: row.tag }), ...(row.resource_id !== null && { resourceId: row.resource_id }),
        ...granted,
      }
  const lineItemUrl = row.line_item_url ?? row.resolved_line_item_url ?? undefined
  return {
    id: Number(row.id), tenant: row.tenant, tenantId: row.tenant_id, platformId: row.platform_id, issuer: row.issuer, clientId: row.client_id,
    target, ...(lineItemUrl !== undefined && { lineItemUrl }),
    userSub: row.user_sub,
    ...(row.score_given !== null && { scoreGiven: n(row.score_given)! }), ...(row.score_maximum !== null && { scoreMaximum: n(row.score_maximum)! }),
    activityProgress: row.activity_progress, gradingProgress: row.grading_progress, timestamp: new Date(row.score_timestamp),
    ...(row.comment !== null && { comment: row.comment }),
    ...(row.instructor_sub !== null && { instructor: { sub: row.instructor_sub, ...(row.instructor_name !== null && { name: row.instructor_name }) } }),
    ...(row.context_id !== null && { contextId: row.context_id }),
    status: row.status, attempts: Number(row.attempts), nextAttemptAt: new Date(row.next_attempt_at),
    ...(row.last_error !== null && { lastError: {
      message: row.last_error, ...(row.last_error_status !== null && { status: Number(row.last_error_status) }), ...(row.last_error_body !== null && { body: row.last_error_body }),
      ...(row.last_error_code !== null && { code: row.last_error_code }),
    } }),
    ...(row.statement_id !== null && { statementId: row.statement_id }),
    ...(row.sent_at !== null && { sentAt: new Date(row.sent_at) }),
    createdAt: new Date(row.created_at),
  }
}
