import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Db, Knex } from '@tln/db'
import { createTestDataDir, createTestDb, testEngine, testServerUrl } from '@tln/db/testing'
import { runCli } from '../src/cli/program.ts'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/open-database.ts'
import { captureOutput } from './test-app.ts'

/** What one `tln` command did: its exit code and what it printed. */
export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** A database of its own for `tln` commands run in-process, on the current test engine. */
export interface CliTestEnv {
  /** The environment the commands read their configuration from. */
  readonly env: Readonly<Record<string, string>>
  /** A temporary directory for the files a test writes or a command exports; `close` removes it. */
  readonly dir: string
  /** The embedded data directory on PGlite (where the server secret file lives); undefined on PostgreSQL. */
  readonly dataDir: string | undefined
  /** Runs `tln <args>` through the real command line parser. */
  run(...args: string[]): Promise<CliRun>
  /**
   * Opens the commands' database (migrated) for set-up or checks and closes it again: embedded
   * storage is one process at a time, so it must not stay open while a command runs.
   */
  withDb<T>(action: (knex: Knex) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/**
 * On PostgreSQL a fresh test database (`DATABASE_URL`, a fixed `TLN_SECRET_KEY`), on PGlite an
 * embedded data directory in a temporary folder (`TLN_DATA_DIR`; it keeps its own secret, see
 * docs/architecture.md, "Server secret"). Logging is silent; `options.env` adds or overrides
 * variables. The database is made, migrated and given `options.setUp` here, in one opening (in the
 * caller's `beforeAll`), so that each command only opens it and no test pays for the migrations.
 */
export async function createCliTestEnv(
  name: string,
  options: { readonly env?: Readonly<Record<string, string>>; readonly setUp?: (knex: Knex) => Promise<void> } = {},
): Promise<CliTestEnv> {
  const dir = mkdtempSync(join(tmpdir(), `tln-cli-${name}-`))
  let db: Db | undefined
  let dataDir: string | undefined
  let base: Record<string, string>
  if (testEngine() === 'postgres') {
    db = await createTestDb()
    const { rows } = (await db.knex.raw('select current_database() as name')) as { rows: Array<{ name: string }> }
    base = { DATABASE_URL: testServerUrl(rows[0]!.name), TLN_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }
  } else {
    dataDir = join(dir, 'data')
    // Loaded from the migrated snapshot: initdb and every migration on a data directory cost seconds.
    await createTestDataDir(dataDir)
    base = { TLN_DATA_DIR: dataDir }
  }
  const env = { ...base, LOG_LEVEL: 'silent', ...options.env }
  const withDb = async <T>(action: (knex: Knex) => Promise<T>): Promise<T> => {
    const { db: opened } = await openDatabase(loadConfig(env).database)
    try {
      return await action(opened.knex)
    } finally {
      await opened.close()
    }
  }
  const close = async () => {
    await db?.close()
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await withDb(options.setUp ?? (async () => {}))
  } catch (error) {
    await close()
    throw error
  }
  return {
    env, dir, dataDir, withDb, close,
    run: async (...args) => {
      const output = captureOutput()
      const code = await runCli(args, { output, env })
      return { code, stdout: output.stdout, stderr: output.stderr }
    },
  }
}
