import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { createDb } from '@tln/db'

const ROOT = resolve(import.meta.dirname, '../..')
// The production start (`pnpm tln`: bin/tln-start.sh sets the malloc defaults and becomes
// `node apps/server/bin/tln.mjs`, the bundled server under plain node, in the same process), so
// that memory and throughput are measured as operators run them.
const START = resolve(ROOT, 'apps/server/bin/tln-start.sh')

export type Storage = { engine: 'postgres'; url: string } | { engine: 'pglite'; dataDir: string }

/** The PostgreSQL server the benchmarks create their databases on (`TLN_BENCH_PG_ADMIN`). */
export const PG_ADMIN = process.env.TLN_BENCH_PG_ADMIN ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** The URL of database `name` on that server. */
export function postgresUrl(name: string): string {
  const url = new URL(PG_ADMIN)
  url.pathname = `/${name}`
  return url.toString()
}

/** Database `name`, dropped if it exists and created empty. */
export async function freshPostgres(name: string): Promise<Storage & { engine: 'postgres' }> {
  const admin = await createDb({ engine: 'postgres', url: PG_ADMIN, poolMax: 1 })
  await admin.knex.raw(`drop database if exists ${name} with (force)`)
  await admin.knex.raw(`create database ${name}`)
  await admin.close()
  return { engine: 'postgres', url: postgresUrl(name) }
}

function storageEnv(storage: Storage): Record<string, string> {
  return storage.engine === 'postgres' ? { DATABASE_URL: storage.url } : { TLN_DATA_DIR: storage.dataDir }
}

/** Runs a `tln` CLI command to completion (e.g. creating the bench credential). */
export function tln(storage: Storage, args: string[], extraEnv: Record<string, string> = {}): string {
  const env: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'warn', ...extraEnv }
  delete env.DATABASE_URL
  delete env.TLN_DATA_DIR
  const result = spawnSync('sh', [START, ...args], { cwd: ROOT, env: { ...env, ...storageEnv(storage) }, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`tln ${args.join(' ')} failed: ${result.stderr}`)
  return result.stdout
}

export interface ServerProcess {
  url: string
  child: ChildProcess
  /** Peak resident memory of the server process so far, in MB (Linux VmHWM). */
  peakRssMb(): number
  stop(): Promise<void>
}

/** Starts `tln serve` as a separate process and waits until /readyz answers. */
export async function startServer(storage: Storage, port: number, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...extraEnv }
  delete env.DATABASE_URL
  delete env.TLN_DATA_DIR
  const child = spawn('sh', [START, 'serve'], { cwd: ROOT, env: { ...env, ...storageEnv(storage) }, stdio: ['ignore', 'ignore', 'inherit'] })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited with ${child.exitCode ?? child.signalCode}`)
    try {
      const res = await fetch(`${url}/readyz`)
      if (res.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('server did not become ready within 60 s')
    await new Promise((r) => setTimeout(r, 200))
  }
  return {
    url,
    child,
    peakRssMb: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
      const match = /VmHWM:\s+(\d+) kB/.exec(status)
      return match ? Number(match[1]) / 1024 : NaN
    },
    stop: () =>
      new Promise((resolveStop) => {
        child.once('exit', () => resolveStop())
        child.kill('SIGTERM')
      }),
  }
}
