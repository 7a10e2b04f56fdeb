import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDb } from '@tln/db'
import { testEngine, testServerUrl } from '@tln/db/testing'
import type { Storage } from '../bench/server-process.ts'

/** What a test must undo at its end, last first. */
export type Cleanups = Array<() => Promise<void> | void>

/** A new, empty PostgreSQL database `<prefix>_<pid>_<time>` on the test server, dropped at cleanup. */
export async function freshPostgresDatabase(prefix: string, cleanups: Cleanups): Promise<string> {
  const name = `${prefix}_${process.pid}_${Date.now()}`
  const admin = await createDb({ engine: 'postgres', url: testServerUrl(), poolMax: 1 })
  await admin.knex.raw(`create database ${name}`)
  await admin.close()
  cleanups.push(async () => {
    const drop = await createDb({ engine: 'postgres', url: testServerUrl(), poolMax: 1 })
    await drop.knex.raw(`drop database if exists ${name} with (force)`)
    await drop.close()
  })
  return name
}

/**
 * Storage of its own for a `tln serve` child process on the engine under test: a new database
 * (PostgreSQL) or a new data directory (PGlite), removed at cleanup. `prefix` names it (`tln_crash`).
 */
export async function freshStorage(prefix: string, cleanups: Cleanups): Promise<Storage> {
  if (testEngine() === 'postgres') return { engine: 'postgres', url: testServerUrl(await freshPostgresDatabase(prefix, cleanups)) }
  const dataDir = mkdtempSync(join(tmpdir(), `${prefix.replace(/_/g, '-')}-`))
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
  return { engine: 'pglite', dataDir }
}
