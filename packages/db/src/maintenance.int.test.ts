import knexFactory from 'knex'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from './create-db.ts'
import { DbMaintenance, MAINTENANCE_LOCK_KEY, type MaintenanceAction, type RoundResult } from './maintenance.ts'
import { createTestDb, testEngine } from './testing/test-db.ts'

/** The rows pg_stat_user_tables counts for `table` once the backends have flushed their counters. */
async function waitForCounts(db: Db, table: string, changed: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const { rows } = await db.knex.raw('select n_mod_since_analyze::float8 as n from pg_stat_user_tables where relname = ?', [table])
    if ((rows[0]?.n ?? 0) >= changed) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`pg_stat_user_tables never counted ${changed} changes in ${table}`)
}

async function analyzeCount(db: Db, table: string): Promise<number> {
  const { rows } = await db.knex.raw('select analyze_count::float8 as n from pg_stat_user_tables where relname = ?', [table])
  return rows[0].n
}

async function fill(db: Db, table: string, rows: number, options = ''): Promise<void> {
  await db.knex.raw(`create table ${table} (id int primary key, v text) ${options}`)
  await db.knex.raw(`insert into ${table} select g, 'x' from generate_series(1, ${rows}) g`)
}

function actionsOf(result: RoundResult): MaintenanceAction[] {
  return result.ran ? result.actions : []
}

const tables = (result: RoundResult) => actionsOf(result).map((a) => a.table)

// What autovacuum would do (PostgreSQL 18 docs, routine-vacuuming.html "The Autovacuum Daemon"):
// ANALYZE past analyze_threshold (50) + analyze_scale_factor (0.1) × reltuples changed rows.
describe(`database maintenance on ${testEngine()}`, () => {
  let db: Db
  beforeAll(async () => {
    db = await createTestDb()
    await fill(db, 'v_big', 2_000)
    await fill(db, 'v_small', 10)
    await waitForCounts(db, 'v_big', 2_000)
    await waitForCounts(db, 'v_small', 10)
  })
  afterAll(async () => {
    await db?.close()
  })

  it('mode off does nothing', async () => {
    const worker = new DbMaintenance({ knex: db.knex, engine: db.engine, mode: 'off' })
    expect(await worker.runRound()).toEqual({ ran: false, why: 'off' })
    expect(await analyzeCount(db, 'v_big')).toBe(0)
  })

  if (testEngine() === 'postgres') {
    it('auto with autovacuum on leaves every table with autovacuum enabled to autovacuum, but analyses a small one never analysed', async () => {
      const worker = new DbMaintenance({ knex: db.knex, engine: db.engine, mode: 'auto', readAutovacuum: async () => true })
      const round = await worker.runRound()
      // v_big is past autovacuum's threshold (its next job); v_small's 10 rows never will be.
      expect(tables(round)).not.toContain('v_big')
      expect(actionsOf(round).filter((a) => a.table === 'v_small')).toMatchObject([{ command: 'analyze', ok: true }])
      expect(await analyzeCount(db, 'v_big')).toBe(0)
      expect(await analyzeCount(db, 'v_small')).toBe(1)
      expect(tables(await worker.runRound())).not.toContain('v_small')
    })

    it('auto with autovacuum on still maintains a table set autovacuum_enabled = false', async () => {
      await fill(db, 'v_no_autovacuum', 2_000, 'with (autovacuum_enabled = off)')
      await waitForCounts(db, 'v_no_autovacuum', 2_000)
      const worker = new DbMaintenance({ knex: db.knex, engine: db.engine, mode: 'auto', readAutovacuum: async () => true })
      expect(tables(await worker.runRound()).filter((t) => t.startsWith('v_'))).toEqual(['v_no_autovacuum'])
      expect(await analyzeCount(db, 'v_big')).toBe(0)
    })

    it('a round waits for no lock: while another server holds it, this one skips the round', async () => {
      const other = knexFactory({ client: 'pg', connection: db.knex.client.config.connection, pool: { min: 1, max: 1 } })
      try {
        await other.transaction(async (trx) => {
          // The other server's session-level lock, held on its one connection.
          await trx.raw('select pg_advisory_lock(?::bigint)', [MAINTENANCE_LOCK_KEY])
          const worker = new DbMaintenance({ knex: db.knex, engine: db.engine, mode: 'on' })
          expect(await worker.runRound()).toEqual({ ran: false, why: 'locked' })
          await trx.raw('select pg_advisory_unlock(?::bigint)', [MAINTENANCE_LOCK_KEY])
        })
      } finally {
        await other.destroy()
      }
      expect(await analyzeCount(db, 'v_big')).toBe(0)
    })
  } else {
    it('auto runs on PGlite, which has no autovacuum although it answers autovacuum = on', async () => {
      const { rows } = await db.knex.raw("select current_setting('autovacuum') as av")
      expect(rows[0].av).toBe('on')
      const worker = new DbMaintenance({ knex: db.knex, engine: db.engine, mode: 'auto' })
      expect(tables(await worker.runRound())).toContain('v_big')
    })

    it('on PGlite a VACUUM past the size cap is skipped with one warning, and the table is still analysed', async () => {
      await db.knex.raw('insert into v_big select g, ? from generate_series(2001, 4000) g', ['y'])
      await waitForCounts(db, 'v_big', 2_000)
      const warnings: object[] = []
      const worker = new DbMaintenance({ knex: db.knex, engine: db.engine, mode: 'auto', pgliteVacuumMaxBytes: 1, logger: { info: () => {}, warn: (o) => warnings.push(o) } })
      const first = actionsOf(await worker.runRound()).filter((a) => a.table === 'v_big')
      expect(first.map((a) => a.command)).toEqual(['analyze'])
      expect(actionsOf(await worker.runRound()).filter((a) => a.table === 'v_big')).toEqual([])
      expect(warnings.filter((w) => (w as { table: string }).table === 'v_big')).toHaveLength(1)
      await db.knex.raw('insert into v_big select g, ? from generate_series(4001, 5000) g', ['z'])
      await waitForCounts(db, 'v_big', 1_000)
    })
  }

  it('a table past the threshold is analysed by one round, a table below it is not', async () => {
    const before = { big: await analyzeCount(db, 'v_big'), small: await analyzeCount(db, 'v_small') }
    const worker = new DbMaintenance({ knex: db.knex, engine: db.engine, mode: 'on' })
    const round = await worker.runRound()
    expect(tables(round)).toContain('v_big')
    expect(tables(round)).not.toContain('v_small')
    expect(actionsOf(round).every((a) => a.ok)).toBe(true)
    expect(await analyzeCount(db, 'v_big')).toBe(before.big + 1)
    expect(await analyzeCount(db, 'v_small')).toBe(before.small)
    // The statistics moved: the next round finds nothing to do on that table.
    expect(tables(await worker.runRound())).not.toContain('v_big')
  })

  it('dead rows past 50 + 20 % of the rows get a VACUUM', async () => {
    await db.knex.raw(`update v_big set v = 'd' where id <= 2000`)
    for (let i = 0; i < 300; i++) {
      const { rows } = await db.knex.raw(`select n_dead_tup::float8 as n from pg_stat_user_tables where relname = 'v_big'`)
      if (rows[0].n >= 2000) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const worker = new DbMaintenance({ knex: db.knex, engine: db.engine, mode: 'on' })
    const action = actionsOf(await worker.runRound()).find((a) => a.table === 'v_big')
    expect(action?.command).toBe('vacuum analyze')
    const { rows } = await db.knex.raw(`select n_dead_tup::float8 as n, vacuum_count::float8 as vacuums from pg_stat_user_tables where relname = 'v_big'`)
    expect(rows[0].vacuums).toBeGreaterThan(0)
  })

  it('start() runs rounds on its interval, logs each action, and stop() ends the loop', async () => {
    await fill(db, 'v_loop', 500)
    await waitForCounts(db, 'v_loop', 500)
    const logged: Array<{ object: { table?: string; command?: string; ms?: number }; message: string }> = []
    const worker = new DbMaintenance({ knex: db.knex, engine: db.engine, mode: 'on', intervalMs: 20, logger: { info: (object, message) => logged.push({ object, message }), warn: () => {} } })
    worker.start()
    try {
      for (let i = 0; i < 300 && (await analyzeCount(db, 'v_loop')) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50))
    } finally {
      await worker.stop()
    }
    expect(await analyzeCount(db, 'v_loop')).toBe(1)
    const line = logged.find((l) => l.object.table === 'v_loop')
    expect(line?.message).toBe('database maintenance')
    expect(typeof line?.object.ms).toBe('number')
  })

  if (testEngine() === 'postgres') {
    it('two workers on one PostgreSQL database: one round maintains the table, not both', async () => {
      await db.knex.raw(`insert into v_big select g, 'n' from generate_series(3001, 6000) g`)
      await waitForCounts(db, 'v_big', 3_000)
      const before = await analyzeCount(db, 'v_big')
      const a = new DbMaintenance({ knex: db.knex, engine: db.engine, mode: 'on' })
      const b = new DbMaintenance({ knex: db.knex, engine: db.engine, mode: 'on' })
      const rounds = await Promise.all([a.runRound(), b.runRound()])
      expect(rounds.flatMap(actionsOf).filter((x) => x.table === 'v_big')).toHaveLength(1)
      expect(await analyzeCount(db, 'v_big')).toBe(before + 1)
    })
  }

  it('a small table never analysed (an org tree of 38 rows, under autovacuum\'s 50) is analysed once, in auto mode', async () => {
    await fill(db, 'v_tree', 38)
    await waitForCounts(db, 'v_tree', 38)
    const worker = new DbMaintenance({ knex: db.knex, engine: db.engine, mode: 'auto', readAutovacuum: async () => true })
    expect(actionsOf(await worker.runRound()).filter((a) => a.table === 'v_tree')).toMatchObject([{ command: 'analyze', ok: true }])
    expect(await analyzeCount(db, 'v_tree')).toBe(1)
    const { rows } = await db.knex.raw(`select reltuples::float8 as n from pg_class where relname = 'v_tree'`)
    expect(rows[0].n).toBe(38)
    expect(tables(await worker.runRound())).not.toContain('v_tree')
  })
})
