import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import knexFactory, { type Knex } from 'knex'
import pg from 'pg'
import { CREATING_PREFIX, ensureDatabaseIn } from './new-data-dir.ts'
import { DEFAULT_STATEMENT_TIMEOUT_MS } from './statement-timeout.ts'

/**
 * PGlite and knex-pglite are imported only when the embedded engine is opened: a server on
 * PostgreSQL never loads them (≈ 7 MB of resident memory; docs/performance-notes.md, 2026-11-29).
 */
async function loadPgLite() {
  const [{ PGlite }, { default: ClientPgLite }] = await Promise.all([import('@electric-sql/pglite'), import('knex-pglite')])
  /**
   * knex-pglite 0.14 names a `.delete()` command `DEL`, which knex's PostgreSQL response handling does
   * not know, so `delete()` answered the raw result instead of the row count it gives on `pg`. Calling
   * the method `delete` makes both engines answer the same number.
   */
  class PgLiteClient extends (ClientPgLite as unknown as new (...args: unknown[]) => { processResponse(obj: { method?: string }, runner: unknown): unknown }) {
    override processResponse(obj: { method?: string }, runner: unknown): unknown {
      return super.processResponse(obj.method === 'del' ? { ...obj, method: 'delete' } : obj, runner)
    }
  }
  return { PGlite, PgLiteClient }
}

/** Which engine a `Db` runs on. Both speak the same SQL: PGlite is PostgreSQL compiled to WASM. */
export type DbEngine = 'pglite' | 'postgres'

export type DbConfig =
  /**
   * A PostgreSQL server, e.g. `postgres://postgres@127.0.0.1:5432/tln`. `statementTimeoutMs`: the
   * `statement_timeout` of every pooled connection (statement-timeout.ts), default
   * `DEFAULT_STATEMENT_TIMEOUT_MS`; 0 lets statements run as long as they take.
   */
  | { engine: 'postgres'; url: string; poolMax?: number; statementTimeoutMs?: number }
  /**
   * Embedded PGlite kept in `dataDir` (a restart keeps everything), or in memory when `dataDir` is
   * absent. `sharedBuffersMb`: PostgreSQL's `shared_buffers` inside the WASM memory, see
   * `PGLITE_SHARED_BUFFERS_MB`.
   */
  | { engine: 'pglite'; dataDir?: string; loadDataDir?: Blob; sharedBuffersMb?: number }

export interface Db {
  readonly knex: Knex
  readonly engine: DbEngine
  /** Closes the pool (PostgreSQL) or the embedded database (PGlite). */
  close(): Promise<void>
}

const INT8_OID = 20

// bigint columns (statement sequence numbers, counts) come back as JavaScript numbers on both
// engines: `pg` would give strings and PGlite BigInts. Sequence numbers stay far below 2^53.
pg.types.setTypeParser(INT8_OID, (value: string) => Number(value))

/**
 * `shared_buffers` of embedded PGlite unless configured. PGlite starts PostgreSQL with its own
 * default of 128 MB and zeroes it at start, inside a WASM memory that never shrinks: that alone
 * was ≈ 150 MB of the server's resident memory. The operating system's page cache still holds the
 * data files, so a smaller buffer pool costs a system call per page read, not a disk read
 * (docs/performance-notes.md, "PGlite's memory").
 */
export const PGLITE_SHARED_BUFFERS_MB = 32

/** How long opening a connection to PostgreSQL may take. */
const CONNECT_TIMEOUT_MS = 5_000
/** How long a query may wait for a pooled connection. */
const ACQUIRE_TIMEOUT_MS = 10_000

/**
 * Opens the database. Migrations are not run here; call `migrateToLatest`.
 */
export async function createDb(config: DbConfig): Promise<Db> {
  if (config.engine === 'postgres') {
    const knex = knexFactory({
      client: 'pg',
      connection: {
        connectionString: config.url,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        // Sent as a start-up parameter, so it is each session's default: `SET LOCAL` lifts it for
        // one transaction and `RESET` comes back to it.
        statement_timeout: config.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
      },
      pool: { min: 0, max: config.poolMax ?? 10 },
      // Fail fast when the server is gone or saturated: a request waits at most this long for a
      // connection, then answers 503 (isDatabaseUnavailable) instead of hanging for knex's 60 s.
      acquireConnectionTimeout: ACQUIRE_TIMEOUT_MS,
    })
    return { knex, engine: 'postgres', close: () => knex.destroy() }
  }
  if (config.dataDir !== undefined) {
    mkdirSync(config.dataDir, { recursive: true })
    // PGlite runs initdb when PG_VERSION is missing: done in a child, and moved into place only when
    // complete (new-data-dir.ts), this process only ever opens a finished directory. (`noInitDb`
    // cannot enforce it: PGlite then hangs opening a directory.)
    if (config.loadDataDir === undefined) await ensureDatabaseIn(config.dataDir, createDataDirInChild)
  }
  const { PGlite, PgLiteClient } = await loadPgLite()
  const pglite = new PGlite({
    ...(config.dataDir !== undefined ? { dataDir: config.dataDir } : {}),
    ...(config.loadDataDir !== undefined ? { loadDataDir: config.loadDataDir } : {}),
    parsers: { [INT8_OID]: (value: string) => Number(value) },
    // PGlite's own start parameters (single-user mode, no parallel workers, …) plus the buffer pool.
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${config.sharedBuffersMb ?? PGLITE_SHARED_BUFFERS_MB}MB`],
  })
  await pglite.waitReady
  const knex = knexFactory({
    client: PgLiteClient as unknown as typeof knexFactory.Client,
    dialect: 'postgres',
    connection: () => ({ pglite }) as object,
    // Its one connection is the pool: a query waits for it at most as long as on PostgreSQL, then
    // answers 503 (isDatabaseUnavailable) instead of hanging for knex's default of 60 s.
    acquireConnectionTimeout: ACQUIRE_TIMEOUT_MS,
  } as Knex.Config)
  return {
    knex,
    engine: 'pglite',
    // knex-pglite closes the PGlite instance when knex destroys its single connection.
    close: async () => {
      await knex.destroy()
      if (!pglite.closed) await pglite.close()
    },
  }
}

/**
 * Creates an embedded database (PGlite's initdb) in a short-lived child process, in the directory
 * `<dataDir>/.tln-creating-<child's pid>` that it answers. PGlite runs initdb in a second PGlite
 * instance: ≈ 750 MB at the peak, and since WebAssembly memory never shrinks, a server that did it
 * itself kept ≈ 640 MB until it ended (docs/performance-notes.md, "First start on an empty data
 * directory").
 * @throws Error with the child's own message (disk full, permission denied, …) or how it ended
 */
async function createDataDirInChild(dataDir: string): Promise<string> {
  // `import.meta.url` names this source file in every setup (the bundle keeps it, see
  // apps/server/bin/bundle.mjs), so the script is found beside it and resolves PGlite from @tln/db.
  const script = fileURLToPath(new URL('./create-data-dir.mjs', import.meta.url))
  const child = spawn(process.execPath, [script, dataDir, CREATING_PREFIX], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => resolve({ code, signal }))
  })
  if (code !== 0) {
    const reason = stderr.trim() || (signal !== null ? `the creating process was ended by ${signal}` : `the creating process exited with code ${code}`)
    throw new Error(reason)
  }
  return join(dataDir, `${CREATING_PREFIX}${child.pid}`)
}
