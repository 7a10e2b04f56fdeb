import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import knexFactory from 'knex'
import { createDb, type Db, type DbEngine } from '../create-db.ts'
import { migrateToLatest } from '../migrate.ts'

/** The engine the current test run targets: vitest's `pglite` and `postgres` projects set it. */
export function testEngine(): DbEngine {
  return process.env.TLN_TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite'
}

/** The PostgreSQL server that tests use (this machine's, trust auth). */
export function testServerUrl(database = 'postgres'): string {
  const base = process.env.TLN_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const url = new URL(base)
  url.pathname = `/${database}`
  return url.toString()
}

/**
 * The migrated template database of this test run. The `postgres` project's global setup names it
 * after its own process (`TLN_TEST_TEMPLATE_DATABASE`), so two test runs on one PostgreSQL server
 * (two checkouts, or CI while a session tests) never clone each other's migrations.
 */
export function templateDatabase(): string {
  return process.env.TLN_TEST_TEMPLATE_DATABASE ?? 'tln_test_template'
}

/**
 * A fresh, migrated database of its own for one test file, on the engine of the current run.
 * On PostgreSQL it is a new database cloned from a migrated template (made once by the global
 * setup), dropped again by `close()`. On PGlite it is a new in-memory instance, loaded from the
 * migrated snapshot that the global setup wrote, or migrated from scratch when there is none.
 */
export async function createTestDb(options: { poolMax?: number; statementTimeoutMs?: number } = {}): Promise<Db> {
  if (testEngine() === 'postgres') return createPostgresTestDb(options)
  const snapshot = process.env.TLN_TEST_PGLITE_SNAPSHOT
  if (snapshot !== undefined) {
    const bytes = await readFile(snapshot)
    return createDb({ engine: 'pglite', loadDataDir: new Blob([bytes]) })
  }
  const db = await createDb({ engine: 'pglite' })
  await migrateToLatest(db.knex)
  return db
}

/**
 * Makes `dataDir` an embedded data directory with every migration applied, for tests that run `tln`
 * on a data directory (the CLI, `tln serve`). It is loaded from the snapshot that the global setup
 * wrote instead of running initdb and the migrations again (about 7 CPU-seconds per directory;
 * docs/performance-notes.md, "The test suite's wall time"). Without a snapshot (a file run outside
 * the `pglite` project) it does nothing: the first `openDatabase` then initialises and migrates.
 */
export async function createTestDataDir(dataDir: string): Promise<void> {
  const snapshot = process.env.TLN_TEST_PGLITE_SNAPSHOT
  if (snapshot === undefined) return
  const db = await createDb({ engine: 'pglite', dataDir, loadDataDir: new Blob([await readFile(snapshot)]) })
  await db.close()
}

async function createPostgresTestDb(options: { poolMax?: number; statementTimeoutMs?: number }): Promise<Db> {
  const name = `tln_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = knexFactory({ client: 'pg', connection: testServerUrl(), pool: { min: 0, max: 1 } })
  try {
    await admin.raw(`create database ${name} template ${templateDatabase()}`)
  } finally {
    await admin.destroy()
  }
  const db = await createDb({ engine: 'postgres', url: testServerUrl(name), poolMax: options.poolMax ?? 5, ...(options.statementTimeoutMs !== undefined && { statementTimeoutMs: options.statementTimeoutMs }) })
  return {
    ...db,
    close: async () => {
      await db.close()
      const cleanup = knexFactory({ client: 'pg', connection: testServerUrl(), pool: { min: 0, max: 1 } })
      try {
        await cleanup.raw(`drop database if exists ${name} with (force)`)
      } finally {
        await cleanup.destroy()
      }
    },
  }
}
