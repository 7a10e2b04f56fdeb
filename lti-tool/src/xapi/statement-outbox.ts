import type { Knex } from '@tln/db'
import type { StatementService } from '@tln/lrs'
import { validateStatement, type Statement } from '@tln/xapi'
import { backoffDelayMs, type BackoffPolicy } from '../ags/backoff.ts'
import type { ToolLogger } from '../logger.ts'
import type { ToolCredentials } from './tool-credentials.ts'

/**
 * The `*_statement_stored` column of the domain row a statement records, set once every statement
 * carrying the same flag reached the LRS, so the pages stay truthful. Only these tables and
 * columns can be named (the flag is stored as JSON and read back by the deliverer).
 */
export type StoredFlag =
  | { readonly table: 'tln_meeting_attendance'; readonly column: 'statement_stored' | 'void_statement_stored'; readonly key: { readonly meeting_id: string; readonly person_id: string; readonly revision: number } }
  | { readonly table: 'observation_record'; readonly column: 'statement_stored' | 'void_statement_stored'; readonly key: { readonly id: string } }
  | { readonly table: 'mentoring_session'; readonly column: 'statement_stored' | 'confirm_statement_stored' | 'verify_statement_stored'; readonly key: { readonly id: string } }
  | { readonly table: 'task_submission'; readonly column: 'statement_stored'; readonly key: { readonly id: string } }
  | { readonly table: 'task_grade'; readonly column: 'statements_stored'; readonly key: { readonly id: string } }

const FLAGS: Readonly<Record<StoredFlag['table'], { columns: readonly string[]; keys: readonly string[] }>> = {
  tln_meeting_attendance: { columns: ['statement_stored', 'void_statement_stored'], keys: ['meeting_id', 'person_id', 'revision'] },
  observation_record: { columns: ['statement_stored', 'void_statement_stored'], keys: ['id'] },
  mentoring_session: { columns: ['statement_stored', 'confirm_statement_stored', 'verify_statement_stored'], keys: ['id'] },
  task_submission: { columns: ['statement_stored'], keys: ['id'] },
  task_grade: { columns: ['statements_stored'], keys: ['id'] },
}

/** Statements added in a transaction, to deliver once it committed. */
export interface PendingStatements {
  readonly tenantId: string
  readonly ids: readonly string[]
}

/** What an operator sees of the outbox (`tln statements outbox`, the deliverer's log). */
export interface OutboxStats {
  readonly pending: number
  readonly oldest?: Date
  readonly maxAttempts: number
  readonly lastError?: { readonly statementId: string; readonly message: string; readonly attempts: number; readonly nextAttemptAt: Date }
}

/** What became of delivering one claimed row. */
export type DeliveryOutcome = 'delivered' | 'retry' | 'waiting'

/** Retries: 5 s doubling to at most 10 minutes, never giving up (nothing the tool acknowledged is lost). */
export const OUTBOX_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 600_000, maxAttempts: Number.POSITIVE_INFINITY }
/** A claimed row is this worker's this long; a crashed worker's rows are due again after it. */
const LEASE_MS = 60_000
/** A new row waits this long for its own request to deliver it before the deliverer may take it. */
const FAST_PATH_GRACE_MS = 10_000
const VOIDED = 'http://adlnet.gov/expapi/verbs/voided'

interface OutboxRow {
  id: number; tenant_id: string; tenant: string; statement_id: string; statement: Statement | string; stored_flag: StoredFlag | string | null; attempts: number; leased_until: Date
}

export interface StatementOutboxDeps {
  readonly knex: Knex
  readonly statements: StatementService
  readonly credentials: ToolCredentials
  readonly logger: ToolLogger
  readonly now: () => number
  /** Jitter source in [0, 1); tests fix it. */
  readonly random?: () => number
}

/**
 * The tool's transactional outbox of xAPI statements (`tool_statement_outbox`). Every action adds
 * its statements **inside the transaction of its row** (`add`), so the row and the statements it
 * owes the LRS commit together; after the commit the request delivers them at once (`deliver`,
 * the fast path) and, should the LRS fail, the row stays and an `OutboxDeliverer` retries it with
 * backoff and jitter. Rows are leased with `FOR UPDATE SKIP LOCKED`, so two processes never work
 * on one; and since statement ids are derived from the rows, a delivery repeated after a crash
 * stores nothing new (the LRS takes an equal statement twice as once, xAPI 1.0.3 Communication 2.1.2).
 */
export class StatementOutbox {
  constructor(private readonly deps: StatementOutboxDeps) {}

  /**
   * Add statements in the caller's transaction (validated now: an invalid statement is a bug and
   * rolls the action back). An id already waiting is left as it is.
   */
  async add(trx: Knex | Knex.Transaction, tenantId: string, statements: readonly Statement[], flag?: StoredFlag): Promise<PendingStatements> {
    if (flag !== undefined) checkFlag(flag)
    const nextAttemptAt = new Date(this.deps.now() + FAST_PATH_GRACE_MS)
    const rows = statements.map((s) => {
      const valid = validateStatement(s, { version: '1.0.3' }) as Statement
      if (valid.id === undefined) throw new TypeError('a tool statement needs its id (derived from its row)')
      return { tenant_id: tenantId, statement_id: valid.id.toLowerCase(), statement: JSON.stringify(valid), stored_flag: flag === undefined ? null : JSON.stringify(flag), next_attempt_at: nextAttemptAt, created_at: new Date(this.deps.now()) }
    })
    if (rows.length > 0) await trx('tool_statement_outbox').insert(rows).onConflict(['tenant_id', 'statement_id']).ignore()
    return { tenantId, ids: rows.map((r) => r.statement_id) }
  }

  /**
   * The fast path, after the commit: deliver these statements now. Never throws: what could not
   * be delivered stays in the outbox for the deliverer (and is logged).
   * @returns true when every one of them reached the LRS
   */
  async deliver(pending: PendingStatements): Promise<boolean> {
    if (pending.ids.length === 0) return true
    try {
      const rows = await this.claim({ tenantId: pending.tenantId, ids: pending.ids }, pending.ids.length)
      let all = rows.length === pending.ids.length
      for (const row of rows) if ((await this.deliverRow(row)) !== 'delivered') all = false
      return all
    } catch (err) {
      this.deps.logger.error({ err, statementIds: pending.ids }, 'tool statements not delivered now; the outbox keeps them')
      return false
    }
  }

  /** Add and deliver at once, outside any domain transaction (a launch, a score). */
  async record(tenantId: string, statements: readonly Statement[]): Promise<PendingStatements & { delivered: boolean }> {
    const pending = await this.add(this.deps.knex, tenantId, statements)
    return { ...pending, delivered: await this.deliver(pending) }
  }

  /**
   * Claim up to `limit` due rows (`next_attempt_at` passed, no live lease), oldest first, counting
   * the attempt; with `only`, just those statements whatever their due time (the fast path).
   */
  async claim(only: { tenantId: string; ids: readonly string[] } | undefined, limit: number): Promise<OutboxRow[]> {
    const now = new Date(this.deps.now())
    const leasedUntil = new Date(now.getTime() + LEASE_MS)
    const where = only === undefined
      ? { sql: 'next_attempt_at <= ?', bindings: [now] }
      : { sql: `tenant_id = ? and statement_id in (${only.ids.map(() => '?').join(', ')})`, bindings: [only.tenantId, ...only.ids] }
    const result = (await this.deps.knex.raw(`
      update tool_statement_outbox o set attempts = o.attempts + 1, leased_until = ?
      from tenant t
      where t.id = o.tenant_id and o.id in (
        select id from tool_statement_outbox
        where ${where.sql} and (leased_until is null or leased_until <= ?)
        order by id
        limit ?
        for update skip locked
      )
      returning o.id, o.tenant_id, t.slug as tenant, o.statement_id, o.statement, o.stored_flag, o.attempts, o.leased_until`,
    [leasedUntil, ...where.bindings, now, limit])) as { rows: OutboxRow[] }
    return result.rows.sort((a, b) => Number(a.id) - Number(b.id))
  }

  /**
   * Store one claimed statement through the LRS under the tool credential; delete its row and set
   * its flag (when no statement of the flag is left) in one transaction. A voiding statement waits
   * while the statement it voids is still in the outbox, so the LRS sees the target first.
   */
  async deliverRow(row: OutboxRow): Promise<DeliveryOutcome> {
    const statement = json<Statement>(row.statement)
    const leased = new Date(row.leased_until)
    try {
      const target = voidedTarget(statement)
      if (target !== undefined && await this.deps.knex('tool_statement_outbox').where({ tenant_id: row.tenant_id, statement_id: target }).first('id') !== undefined) {
        await this.held(row, leased).update({ leased_until: null, attempts: Math.max(0, Number(row.attempts) - 1), next_attempt_at: new Date(this.deps.now() + OUTBOX_BACKOFF.baseMs), last_error: `waiting for the voided statement ${target}` })
        return 'waiting'
      }
      const credential = await this.deps.credentials.of(row.tenant)
      await this.deps.statements.storeCounting({ tenantId: row.tenant_id, credential, version: '1.0.3' }, [validateStatement(statement, { version: '1.0.3' })])
    } catch (err) {
      const attempts = Number(row.attempts)
      const delay = backoffDelayMs(attempts, OUTBOX_BACKOFF, (this.deps.random ?? Math.random)())
      const message = err instanceof Error ? err.message : String(err)
      await this.held(row, leased).update({ leased_until: null, next_attempt_at: new Date(this.deps.now() + delay), last_error: message.slice(0, 1000) })
      this.deps.logger.warn({ err, statementId: row.statement_id, attempts, retryInMs: delay }, 'tool statement not delivered; will retry')
      return 'retry'
    }
    await this.deps.knex.transaction(async (trx) => {
      // Lease lost meanwhile (too slow): the other holder finishes the bookkeeping; the LRS has it once either way.
      if ((await this.held(row, leased, trx).delete()) === 0) return
      const flag = row.stored_flag === null ? undefined : json<StoredFlag>(row.stored_flag)
      if (flag !== undefined) await setFlag(trx, row.tenant_id, flag)
    })
    return 'delivered'
  }

  /** Pending count, the oldest, the worst last error. */
  async stats(): Promise<OutboxStats> {
    const agg = (await this.deps.knex('tool_statement_outbox').first(this.deps.knex.raw('count(*)::int as n'), this.deps.knex.raw('min(created_at) as oldest'), this.deps.knex.raw('coalesce(max(attempts), 0)::int as attempts'))) as { n: number; oldest: Date | null; attempts: number }
    const last = (await this.deps.knex('tool_statement_outbox').whereNotNull('last_error').orderBy('attempts', 'desc').orderBy('id').first('statement_id', 'last_error', 'attempts', 'next_attempt_at')) as { statement_id: string; last_error: string; attempts: number; next_attempt_at: Date } | undefined
    return {
      pending: Number(agg.n), maxAttempts: Number(agg.attempts),
      ...(agg.oldest !== null && { oldest: new Date(agg.oldest) }),
      ...(last !== undefined && { lastError: { statementId: last.statement_id, message: last.last_error, attempts: Number(last.attempts), nextAttemptAt: new Date(last.next_attempt_at) } }),
    }
  }

  private held(row: OutboxRow, leased: Date, db: Knex | Knex.Transaction = this.deps.knex) {
    return db('tool_statement_outbox').where({ id: row.id, leased_until: leased })
  }
}

function json<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value
}

function voidedTarget(s: Statement): string | undefined {
  const object = s.object as { objectType?: string; id?: string }
  return s.verb.id === VOIDED && object.objectType === 'StatementRef' && typeof object.id === 'string' ? object.id.toLowerCase() : undefined
}

function checkFlag(flag: StoredFlag): void {
  const allowed = FLAGS[flag.table]
  if (allowed === undefined || !allowed.columns.includes(flag.column) || Object.keys(flag.key).sort().join() !== [...allowed.keys].sort().join()) {
    throw new TypeError(`no stored flag ${String(flag.table)}.${String(flag.column)}`)
  }
}

/** Set the row's flag once no statement carrying it waits in the outbox any more. */
async function setFlag(trx: Knex.Transaction, tenantId: string, flag: StoredFlag): Promise<void> {
  checkFlag(flag)
  const left = await trx('tool_statement_outbox').where({ tenant_id: tenantId }).andWhereRaw('stored_flag = ?::jsonb', [JSON.stringify(flag)]).first('id')
  if (left !== undefined) return
  await trx(flag.table).where({ tenant_id: tenantId, ...flag.key }).update({ [flag.column]: true })
}
