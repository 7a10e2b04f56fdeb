import type { Knex } from 'knex'
import { advisoryLockKey } from './advisory-lock.ts'
import type { DbEngine } from './create-db.ts'
import { PollLoop } from './poll-loop.ts'

/**
 * `TLN_DB_MAINTENANCE`: `auto` runs the worker where no autovacuum does (embedded PGlite, a
 * PostgreSQL server with `autovacuum = off`, tables set `autovacuum_enabled = false`); `on` runs it
 * on every table whatever autovacuum does; `off` never runs it.
 */
export type MaintenanceMode = 'auto' | 'on' | 'off'
export const MAINTENANCE_MODES: readonly MaintenanceMode[] = ['auto', 'on', 'off']

/** The default pause between two rounds. */
export const MAINTENANCE_INTERVAL_MS = 60_000

/**
 * The most a VACUUM on embedded PGlite may read, in bytes: the heap pages not yet all-visible, and
 * the indexes when there are dead rows to remove from them. There every statement holds the one
 * connection, so a VACUUM stalls every request for its whole run (≈ 2.3 s for the first VACUUM of
 * 100,000 statements, 147 MB); ANALYZE reads a sample of at most 30,000 pages. A table over the cap
 * still gets its statistics (docs/performance-notes.md, 2026-11-29, V).
 */
export const PGLITE_VACUUM_MAX_BYTES = 256 * 1024 * 1024

export interface MaintenanceLogger {
  info(object: object, message: string): void
  warn(object: object, message: string): void
}

export interface MaintenanceOptions {
  knex: Knex
  engine: DbEngine
  mode?: MaintenanceMode
  intervalMs?: number
  logger?: MaintenanceLogger
  /** PGlite only, see `PGLITE_VACUUM_MAX_BYTES`. */
  pgliteVacuumMaxBytes?: number
  /** Reads `current_setting('autovacuum')`; tests replace it. */
  readAutovacuum?: (knex: Knex) => Promise<boolean>
}

/** What a round did to one table, and why. */
export interface MaintenanceAction {
  table: string
  command: 'analyze' | 'vacuum analyze'
  reason: string
  ms: number
  ok: boolean
}

export type RoundResult =
  | { ran: true; actions: MaintenanceAction[] }
  /** `off`: mode off, or auto where autovacuum runs; `locked`: another server runs the round. */
  | { ran: false; why: 'off' | 'locked' }

/** A table's row from pg_stat_user_tables, with the size and options the choice needs. */
export interface TableStats {
  schema: string
  table: string
  reltuples: number
  n_mod_since_analyze: number
  n_dead_tup: number
  n_ins_since_vacuum: number
  /** Live rows as the statistics collector counts them (known before any ANALYZE, unlike reltuples). */
  n_live_tup: number
  /** Whether ANALYZE or autovacuum's analyse ever ran on the table (`last_analyze`, `last_autoanalyze`). */
  analyzed: boolean
  bytes: number
  /** What a VACUUM would read: heap pages not all-visible, and the indexes when rows are dead. */
  vacuum_bytes: number
  autovacuum_disabled: boolean
}

export interface Thresholds {
  analyzeBase: number
  analyzeScale: number
  vacuumBase: number
  vacuumScale: number
  insertBase: number
  insertScale: number
}

/** The advisory lock that lets one server of several run a round. */
export const MAINTENANCE_LOCK_KEY = advisoryLockKey('tln:db-maintenance')

/** A raw query on the round's connection. */
type Query = (sql: string, bindings?: Knex.RawBinding[]) => Knex.Raw

const SILENT: MaintenanceLogger = { info: () => {}, warn: () => {} }

/**
 * True for a table that holds rows but was never analysed: the planner then guesses its size from
 * its pages and every selectivity from defaults. Autovacuum analyses a table only once its changed
 * rows pass `autovacuum_analyze_threshold` (50), so a small table filled once (an organisation tree
 * of 38 nodes) is never analysed, and a report joining it estimated 10,020 learners at 63
 * (docs/performance-notes.md, issue 7).
 */
function neverAnalyzed(s: TableStats): boolean {
  return !s.analyzed && s.n_live_tup > 0
}

/** A table a round works on, and why. */
export interface ChosenTable {
  readonly table: TableStats
  readonly command: MaintenanceAction['command']
  readonly reason: string
}

function analyzeThreshold(s: TableStats, t: Thresholds): number {
  return t.analyzeBase + t.analyzeScale * Math.max(s.reltuples, 0)
}

/**
 * The tables autovacuum looks after that it will not analyse: never analysed, with rows, and fewer
 * changes than its threshold (a table past it is autovacuum's next job). ANALYZE only: vacuuming
 * stays autovacuum's. Smallest first.
 */
export function chooseNeverAnalyzed(stats: readonly TableStats[], t: Thresholds): ChosenTable[] {
  return [...stats].sort((a, b) => a.bytes - b.bytes)
    .filter((s) => neverAnalyzed(s) && s.n_mod_since_analyze <= analyzeThreshold(s, t))
    .map((s) => ({ table: s, command: 'analyze' as const, reason: neverAnalyzedReason(s, t) }))
}

function neverAnalyzedReason(s: TableStats, t: Thresholds): string {
  return `never analysed, ${s.n_live_tup} rows (autovacuum analyses past ${Math.round(analyzeThreshold(s, t))} changed rows)`
}

/**
 * The table choice of a round, as autovacuum makes it (PostgreSQL 18, "The Autovacuum Daemon",
 * routine-vacuuming.html#AUTOVACUUM): ANALYZE when the rows changed since the last analyse exceed
 * `autovacuum_analyze_threshold + autovacuum_analyze_scale_factor × reltuples`; VACUUM when the dead
 * rows exceed `autovacuum_vacuum_threshold + autovacuum_vacuum_scale_factor × reltuples`, or the
 * rows inserted since the last vacuum exceed the insert threshold (which sets the visibility map
 * that index-only scans need). Besides, ANALYZE a table with rows that was never analysed, which
 * autovacuum would leave unanalysed while its changes stay under the threshold (`neverAnalyzed`).
 * Smallest tables first.
 */
export function chooseTables(stats: readonly TableStats[], t: Thresholds, options: { vacuumMaxBytes?: number } = {}): { chosen: ChosenTable[]; tooLarge: TableStats[] } {
  const chosen: ChosenTable[] = []
  const tooLarge: TableStats[] = []
  for (const s of [...stats].sort((a, b) => a.bytes - b.bytes)) {
    // reltuples is -1 for a table never vacuumed nor analysed: autovacuum counts it as 0.
    const tuples = Math.max(s.reltuples, 0)
    const dead = s.n_dead_tup > t.vacuumBase + t.vacuumScale * tuples
    const inserted = s.n_ins_since_vacuum > t.insertBase + t.insertScale * tuples
    const changed = s.n_mod_since_analyze > analyzeThreshold(s, t)
    const vacuumAllowed = options.vacuumMaxBytes === undefined || s.vacuum_bytes <= options.vacuumMaxBytes
    if ((dead || inserted) && vacuumAllowed) {
      const reason = dead ? `${s.n_dead_tup} dead rows of ${Math.round(tuples)}` : `${s.n_ins_since_vacuum} rows inserted since the last vacuum, ${Math.round(tuples)} rows`
      chosen.push({ table: s, command: 'vacuum analyze', reason })
    } else {
      if (dead || inserted) tooLarge.push(s)
      if (!changed && !neverAnalyzed(s)) continue
      // A table too large to vacuum on PGlite still gets its statistics.
      const reason = changed ? `${s.n_mod_since_analyze} rows changed since the last analyse, ${Math.round(tuples)} rows` : neverAnalyzedReason(s, t)
      chosen.push({ table: s, command: 'analyze', reason })
    }
  }
  return { chosen, tooLarge }
}

/**
 * Does what autovacuum would where none runs (embedded PGlite has none; some PostgreSQL servers run
 * with `autovacuum = off`): every `intervalMs` it reads pg_stat_user_tables and runs ANALYZE or
 * VACUUM (ANALYZE) on the tables past autovacuum's thresholds, one at a time, never inside a
 * transaction. Where autovacuum runs it still analyses the tables autovacuum never will: never
 * analysed and under its threshold (`chooseNeverAnalyzed`). On PostgreSQL a session-level
 * advisory lock on one pooled connection lets one server of several run a round. Failures are
 * logged at warn and the next round tries again.
 */
export class DbMaintenance {
  private readonly knex: Knex
  private readonly engine: DbEngine
  private readonly mode: MaintenanceMode
  private readonly intervalMs: number
  private readonly logger: MaintenanceLogger
  private readonly vacuumMaxBytes: number
  private readonly readAutovacuum: (knex: Knex) => Promise<boolean>
  private readonly loop: PollLoop
  private readonly warnedTooLarge = new Set<string>()

  constructor(options: MaintenanceOptions) {
    this.knex = options.knex
    this.engine = options.engine
    this.mode = options.mode ?? 'auto'
    this.intervalMs = options.intervalMs ?? MAINTENANCE_INTERVAL_MS
    this.logger = options.logger ?? SILENT
    this.vacuumMaxBytes = options.pgliteVacuumMaxBytes ?? PGLITE_VACUUM_MAX_BYTES
    this.readAutovacuum = options.readAutovacuum ?? readAutovacuumSetting
    this.loop = new PollLoop(
      async () => {
        await this.runRound()
        return false
      },
      (error) => this.logger.warn({ err: error }, 'database maintenance round failed; the next round tries again'),
      { intervalMs: this.intervalMs, waitFirst: true },
    )
  }

  /** Starts the loop; the first round runs after one interval, not during start-up. */
  start(): void {
    if (this.mode === 'off') return
    this.loop.start()
  }

  /** Stops after the statement in flight: shutdown waits for a running ANALYZE or VACUUM, then skips the rest. */
  async stop(): Promise<void> {
    await this.loop.stop()
  }

  /** One round: choose the tables, then ANALYZE or VACUUM (ANALYZE) them one at a time. */
  async runRound(): Promise<RoundResult> {
    if (this.mode === 'off') return { ran: false, why: 'off' }
    // PGlite answers autovacuum = on but has no autovacuum launcher at all.
    const everyTable = this.mode === 'on' || this.engine === 'pglite' || !(await this.readAutovacuum(this.knex))
    if (this.engine === 'pglite') return { ran: true, actions: await this.maintain((sql, bindings = []) => this.knex.raw(sql, bindings), everyTable) }
    const client = this.knex.client as { acquireConnection(): Promise<unknown>; releaseConnection(c: unknown): Promise<void> }
    const connection = await client.acquireConnection()
    try {
      const on: Query = (sql, bindings = []) => this.knex.raw(sql, bindings).connection(connection)
      const { rows } = await on('select pg_try_advisory_lock(?::bigint) as locked', [MAINTENANCE_LOCK_KEY])
      if (rows[0].locked !== true) return { ran: false, why: 'locked' }
      // VACUUM of a large table runs for minutes, longer than a request's statement timeout, and
      // cannot run in a transaction for `SET LOCAL`: the round lifts it on its own connection and
      // puts back the session's default before that connection returns to the pool.
      await on('set statement_timeout = 0')
      try {
        return { ran: true, actions: await this.maintain(on, everyTable) }
      } finally {
        await on('reset statement_timeout')
        await on('select pg_advisory_unlock(?::bigint)', [MAINTENANCE_LOCK_KEY])
      }
    } finally {
      await client.releaseConnection(connection)
    }
  }

  private async maintain(query: Query, everyTable: boolean): Promise<MaintenanceAction[]> {
    const thresholds = await readThresholds(query)
    const { rows } = await query(STATS_SQL)
    const ours = (s: TableStats) => everyTable || s.autovacuum_disabled
    const all = rows as TableStats[]
    const { chosen: own, tooLarge } = chooseTables(all.filter(ours), thresholds, this.engine === 'pglite' ? { vacuumMaxBytes: this.vacuumMaxBytes } : {})
    const chosen = [...own, ...chooseNeverAnalyzed(all.filter((s) => !ours(s)), thresholds)]
    for (const table of tooLarge) {
      // Once per table and process: the same table is over the cap every round.
      if (this.warnedTooLarge.has(table.table)) continue
      this.warnedTooLarge.add(table.table)
      this.logger.warn({ table: table.table, vacuumBytes: table.vacuum_bytes, maxBytes: this.vacuumMaxBytes }, 'database maintenance: VACUUM skipped, it would hold embedded storage too long; statistics are still kept. Consider PostgreSQL for a database this large')
    }
    const actions: MaintenanceAction[] = []
    for (const { table, command, reason } of chosen) {
      if (this.loop.stopping) break
      const name = `${quoteIdent(table.schema)}.${quoteIdent(table.table)}`
      const started = performance.now()
      try {
        await query(`${command} ${name}`)
        const ms = Math.round(performance.now() - started)
        this.logger.info({ table: table.table, command, reason, ms }, 'database maintenance')
        actions.push({ table: table.table, command, reason, ms, ok: true })
      } catch (error) {
        const ms = Math.round(performance.now() - started)
        this.logger.warn({ err: error, table: table.table, command, reason, ms }, 'database maintenance failed; the next round tries again')
        actions.push({ table: table.table, command, reason, ms, ok: false })
      }
    }
    return actions
  }

}

/** `current_setting('autovacuum')`: whether the server's autovacuum launcher runs. */
async function readAutovacuumSetting(knex: Knex): Promise<boolean> {
  const { rows } = await knex.raw("select current_setting('autovacuum') = 'on' as on")
  return rows[0].on === true
}

async function readThresholds(query: Query): Promise<Thresholds> {
  const { rows } = await query(`select
    current_setting('autovacuum_analyze_threshold')::float8 as "analyzeBase",
    current_setting('autovacuum_analyze_scale_factor')::float8 as "analyzeScale",
    current_setting('autovacuum_vacuum_threshold')::float8 as "vacuumBase",
    current_setting('autovacuum_vacuum_scale_factor')::float8 as "vacuumScale",
    current_setting('autovacuum_vacuum_insert_threshold')::float8 as "insertBase",
    current_setting('autovacuum_vacuum_insert_scale_factor')::float8 as "insertScale"`)
  return rows[0] as Thresholds
}

// Counters read as float8: bigint would parse to numbers too, but reltuples is a real.
const STATS_SQL = `select s.schemaname as schema, s.relname as "table", c.reltuples::float8 as reltuples,
    s.n_mod_since_analyze::float8 as n_mod_since_analyze, s.n_dead_tup::float8 as n_dead_tup,
    s.n_ins_since_vacuum::float8 as n_ins_since_vacuum, s.n_live_tup::float8 as n_live_tup,
    (s.last_analyze is not null or s.last_autoanalyze is not null) as analyzed, pg_total_relation_size(s.relid)::float8 as bytes,
    (greatest(pg_relation_size(s.relid)::float8 - c.relallvisible::float8 * current_setting('block_size')::float8, 0)
      + case when s.n_dead_tup > 0 then pg_indexes_size(s.relid)::float8 else 0 end) as vacuum_bytes,
    exists (select 1 from pg_options_to_table(c.reloptions) o
      where o.option_name = 'autovacuum_enabled' and o.option_value::bool = false) as autovacuum_disabled
  from pg_stat_user_tables s join pg_class c on c.oid = s.relid
  where c.relkind in ('r', 'm')`

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
