/**
 * The engine's partition row (`competence_engine`, one per tenant): the stream cursor, the config
 * version the projections were built with, rebuild progress. Held `for update skip locked` while
 * a page is applied, so a second process skips the tenant instead of applying the page twice.
 */
import { withoutStatementTimeout, type Knex } from '@tln/db'
import type { EngineStatus } from '../reports/types.ts'
import { countSkipped } from './skipped-statements.ts'

export type PartitionState = 'catching-up' | 'rebuilding' | 'current'

export interface Partition {
  readonly tenantId: string
  readonly txid: number
  readonly seq: number
  readonly configVersion: number | null
  readonly state: PartitionState
  readonly rebuildTotal: number | null
  readonly rebuildDone: number
  readonly processed: number
  readonly lastStored: Date | null
  /** The IANA zone `learner_month` was bucketed in (`UTC` for partitions built before the setting). */
  readonly timeZone: string
}

interface Row { tenant_id: string; txid: number; seq: number; config_version: number | null; state: PartitionState; rebuild_total: number | null; rebuild_done: number; processed: number; last_stored: Date | null; time_zone: string }

function toPartition(row: Row): Partition {
  return {
    tenantId: row.tenant_id, txid: Number(row.txid), seq: Number(row.seq), configVersion: row.config_version, state: row.state,
    rebuildTotal: row.rebuild_total === null ? null : Number(row.rebuild_total), rebuildDone: Number(row.rebuild_done),
    processed: Number(row.processed), lastStored: row.last_stored, timeZone: row.time_zone,
  }
}

/** Creates the partition rows of tenants that have none (first use). */
export async function ensurePartitions(knex: Knex): Promise<string[]> {
  await knex.raw('insert into competence_engine (tenant_id) select id from tenant on conflict do nothing')
  return ((await knex('competence_engine').select('tenant_id').orderBy('tenant_id')) as Array<{ tenant_id: string }>).map((r) => r.tenant_id)
}

/** The tenant's partition, locked for this transaction; undefined when another process holds it. */
export async function lockPartition(trx: Knex, tenantId: string): Promise<Partition | undefined> {
  const row = (await trx('competence_engine').where({ tenant_id: tenantId }).forUpdate().skipLocked().first()) as Row | undefined
  return row === undefined ? undefined : toPartition(row)
}

/**
 * The tenant's partition, locked for this transaction, waiting for the page another process may be
 * applying (pages are one short transaction each); undefined when the tenant has none yet.
 */
export async function waitForPartition(trx: Knex, tenantId: string): Promise<Partition | undefined> {
  const row = (await trx('competence_engine').where({ tenant_id: tenantId }).forUpdate().first()) as Row | undefined
  return row === undefined ? undefined : toPartition(row)
}

/**
 * The tables the engine's projections live in: its own and the roll-ups the `learning_fact` triggers
 * keep. A rebuild empties them (in this order); after a rebuild or a long catch-up the engine
 * analyses them, so reports are not planned from the statistics of before (docs/performance-notes.md:
 * nested loops chosen on 32-row estimates).
 */
export const PROJECTION_TABLES = [
  'competence_evidence', 'competence_rating', 'learning_fact', 'competence_learner', 'learner_month',
  'learner_stage', 'activity_attendance', 'mentoring_edge', 'learner_activity',
] as const

/**
 * Empties the tenant's projections and moves the cursor back to the stream start, to be rebuilt
 * with config `version`, months in `timeZone` (issue 6: "Rebuild from scratch on a rule change
 * with progress shown").
 */
export async function resetPartition(trx: Knex, tenantId: string, version: number, timeZone: string): Promise<Partition> {
  // Emptying a tenant's projections (millions of rows for a district) outlasts a request's
  // statement timeout; a reset cut off would roll back and be tried again forever.
  await withoutStatementTimeout(trx as Knex.Transaction)
  for (const table of PROJECTION_TABLES) await trx(table).where({ tenant_id: tenantId }).delete()
  const total = Number(((await trx('xapi_statement').count('* as n').where({ tenant_id: tenantId }).first()) as { n: number | string }).n)
  const [row] = (await trx('competence_engine').where({ tenant_id: tenantId }).update({
    txid: 0, seq: 0, config_version: version, time_zone: timeZone, state: 'rebuilding', rebuild_total: total, rebuild_done: 0, processed: 0, last_stored: null, updated_at: trx.fn.now(),
  }).returning('*')) as Row[]
  return toPartition(row!)
}

export interface Advance {
  readonly txid: number
  readonly seq: number
  readonly applied: number
  readonly lastStored: Date | null
  readonly state: PartitionState
}

export async function advancePartition(trx: Knex, partition: Partition, advance: Advance): Promise<void> {
  await trx('competence_engine').where({ tenant_id: partition.tenantId }).update({
    txid: advance.txid, seq: advance.seq, state: advance.state,
    processed: partition.processed + advance.applied,
    rebuild_done: partition.state === 'rebuilding' ? partition.rebuildDone + advance.applied : partition.rebuildDone,
    last_stored: advance.lastStored ?? partition.lastStored, updated_at: trx.fn.now(),
  })
}

/** The partition as reports show it; `not-started` before the engine first ran for the tenant. */
export async function partitionStatus(knex: Knex, tenantId: string): Promise<EngineStatus> {
  const row = (await knex('competence_engine').where({ tenant_id: tenantId }).first()) as Row | undefined
  if (row === undefined) return { state: 'not-started', processed: 0 }
  const p = toPartition(row)
  return {
    state: p.state, processed: p.processed,
    ...(p.rebuildTotal !== null && { rebuildDone: p.rebuildDone, rebuildTotal: p.rebuildTotal }),
    ...(p.lastStored !== null && { lastStored: new Date(p.lastStored).toISOString() }),
    ...(p.configVersion !== null && { configVersion: p.configVersion }),
    timeZone: p.timeZone,
    skipped: await countSkipped(knex, tenantId),
  }
}
