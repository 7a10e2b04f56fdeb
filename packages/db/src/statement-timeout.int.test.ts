import type { Knex } from 'knex'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from './create-db.ts'
import { DbMaintenance } from './maintenance.ts'
import { withoutStatementTimeoutIn } from './migrate.ts'
import { isStatementTimeout, withoutStatementTimeout } from './statement-timeout.ts'
import { createTestDb, testEngine } from './testing/test-db.ts'
import { isDatabaseUnavailable } from './unavailable.ts'

// PostgreSQL 15 docs, runtime-config-client.html, statement_timeout: "Abort any statement that takes
// more than the specified amount of time"; the cancelled statement fails with SQLSTATE 57014
// (query_canceled, errcodes-appendix.html). PGlite has no timer to cancel with and ignores it.
const TIMEOUT_MS = 300
const LONGER = `select pg_sleep(${(TIMEOUT_MS * 3) / 1000})`

const timeoutOf = async (knex: Knex | Knex.Transaction): Promise<string> => ((await knex.raw('show statement_timeout')).rows[0] as { statement_timeout: string }).statement_timeout

describe.skipIf(testEngine() !== 'postgres')('statement_timeout on every pooled PostgreSQL connection', () => {
  let db: Db
  beforeAll(async () => {
    // One connection: every query below runs on the same session, so a setting left behind would show.
    db = await createTestDb({ poolMax: 1, statementTimeoutMs: TIMEOUT_MS })
  })
  afterAll(async () => db?.close())

  it('every connection starts with the configured timeout', async () => {
    expect(await timeoutOf(db.knex)).toBe(`${TIMEOUT_MS}ms`)
  })

  it('a statement running past it is cancelled with 57014 and answered as "retry later" (503), not a bug (500)', async () => {
    const error = await db.knex.raw(LONGER).then(() => undefined, (e: unknown) => e)
    expect(isStatementTimeout(error)).toBe(true)
    expect(isDatabaseUnavailable(error)).toBe(true)
    // The connection is handed back and works: the pool of one is not lost to the cancelled statement.
    expect((await db.knex.raw('select 1 as one')).rows[0].one).toBe(1)
  })

  it('a cancelled statement rolls its transaction back: nothing it wrote is kept', async () => {
    await db.knex.raw('create table timeout_probe (id int primary key)')
    const error = await db.knex.transaction(async (trx) => {
      await trx('timeout_probe').insert({ id: 1 })
      await trx.raw(LONGER)
    }).then(() => undefined, (e: unknown) => e)
    expect(isStatementTimeout(error)).toBe(true)
    expect(await db.knex('timeout_probe').count('* as n').first()).toEqual({ n: 0 })
  })

  it('withoutStatementTimeout lifts it for its own transaction only', async () => {
    await db.knex.transaction(async (trx) => {
      await withoutStatementTimeout(trx)
      await trx.raw(LONGER)
    })
    expect(await timeoutOf(db.knex)).toBe(`${TIMEOUT_MS}ms`)
  })

  it('a migration runs without it: knex runs each in a transaction, and the next statement has it back', async () => {
    const slow = { up: async (trx: Knex) => { await trx.raw(LONGER) }, down: async () => {} }
    const source = (migration: { up(trx: Knex): Promise<void>; down(trx: Knex): Promise<void> }): Knex.MigrationSource<string> => ({
      getMigrations: async () => ['slow'],
      getMigrationName: (name) => name,
      getMigration: async () => migration,
    })
    const tableName = 'timeout_probe_migrations'
    // Without the wrapper the same migration is cancelled: the test can fail.
    const unwrapped = await db.knex.migrate.latest({ migrationSource: source(slow), tableName }).then(() => undefined, (e: unknown) => e)
    expect(isStatementTimeout(unwrapped)).toBe(true)
    await db.knex.migrate.latest({ migrationSource: source(withoutStatementTimeoutIn(slow)), tableName })
    expect((await db.knex(tableName).select('name')).map((r: { name: string }) => r.name)).toEqual(['slow'])
    expect(await timeoutOf(db.knex)).toBe(`${TIMEOUT_MS}ms`)
  })

  it('a maintenance round (VACUUM cannot run in a transaction) lifts it on its own connection and puts it back', async () => {
    await db.knex.raw('create table timeout_vacuum (id int primary key, v text)')
    await db.knex.raw("insert into timeout_vacuum select g, 'x' from generate_series(1, 20000) g")
    await db.knex.raw("update timeout_vacuum set v = 'y'")
    const round = await new DbMaintenance({ knex: db.knex, engine: 'postgres', mode: 'on' }).runRound()
    expect(round.ran).toBe(true)
    expect(round.ran && round.actions.every((action) => action.ok)).toBe(true)
    // The pool's one connection ran the round: a session setting left behind would show here.
    expect(await timeoutOf(db.knex)).toBe(`${TIMEOUT_MS}ms`)
  })
})
