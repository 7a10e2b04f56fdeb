import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { createDb } from '@tln/db'
import { testEngine, testServerUrl } from '@tln/db/testing'
import { startServer, tln, type ServerProcess } from '../bench/server-process.ts'
import { freshPostgresDatabase, type Cleanups } from './fresh-storage.ts'
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts'

/**
 * Database faults (issue 7, "Reliability": "PostgreSQL restarted under load → requests fail fast
 * with 503 and Retry-After, the server recovers by itself, nothing acknowledged is lost"). The
 * server reaches PostgreSQL through a TCP proxy; the outage cuts every connection and refuses new
 * ones for a few seconds, as a restart does. PostgreSQL only: embedded PGlite runs in the server
 * process and has no connection to lose.
 */
const KEY = 'fault-test'
const SECRET = 'fault-test-secret'
const HEADERS = { Authorization: `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' }
const OUTAGE_MS = 4_000

const cleanups: Cleanups = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

const statement = (id: string) => ({
  id,
  actor: { objectType: 'Agent', account: { homePage: 'https://elearning.example', name: 'guru-1' } },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
  object: { objectType: 'Activity', id: 'https://tln.example/activities/fault' },
})

interface Outcome { status: number; ms: number; retryAfter: string | null; at: number; body?: string }

describe.skipIf(testEngine() !== 'postgres')('database fault: PostgreSQL goes away under load (PostgreSQL only: PGlite has no connection to lose)', () => {
  it('answers 503 with Retry-After quickly while the database is down, recovers by itself, and loses nothing acknowledged', async () => {
    const name = await freshPostgresDatabase('tln_fault', cleanups)
    tln({ engine: 'postgres', url: testServerUrl(name) }, ['credentials', 'create', '--key', KEY, '--secret', SECRET, '--scopes', 'all', '--label', 'fault test'])

    const real = new URL(testServerUrl(name))
    const proxy: TcpProxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) })
    cleanups.push(() => proxy.close())
    const viaProxy = new URL(real)
    viaProxy.port = String(proxy.port)
    const server: ServerProcess = await startServer({ engine: 'postgres', url: viaProxy.toString() }, 20_000 + Math.floor(Math.random() * 20_000))
    cleanups.push(() => { server.child.kill('SIGKILL') })

    const acknowledged: string[] = []
    const outcomes: Outcome[] = []
    let running = true
    const client = async () => {
      while (running) {
        const id = randomUUID()
        const started = Date.now()
        try {
          const res = await fetch(`${server.url}/xapi/statements`, { method: 'POST', headers: HEADERS, body: JSON.stringify(statement(id)) })
          const body = await res.text()
          outcomes.push({ status: res.status, ms: Date.now() - started, retryAfter: res.headers.get('retry-after'), at: started, ...(res.status !== 200 && { body: body.slice(0, 200) }) })
          if (res.status === 200) acknowledged.push(id)
        } catch {
          outcomes.push({ status: 0, ms: Date.now() - started, retryAfter: null, at: started })
        }
        await new Promise((r) => setTimeout(r, 25))
      }
    }
    const clients = [client(), client(), client(), client()]
    await new Promise((r) => setTimeout(r, 1_500))
    const downAt = Date.now()
    await proxy.down()
    await new Promise((r) => setTimeout(r, OUTAGE_MS))
    const upAt = Date.now()
    await proxy.up()
    let recoveredAt: number | undefined
    while (Date.now() < upAt + 20_000) {
      await new Promise((r) => setTimeout(r, 100))
      recoveredAt = outcomes.find((o) => o.at > upAt && o.status === 200)?.at
      if (recoveredAt !== undefined) break
    }
    await new Promise((r) => setTimeout(r, 500))
    running = false
    await Promise.all(clients)

    // Every answer that ended during the outage and was not a success (including requests in
    // flight when the connections were cut) is a 503: never a 500 or a dropped connection.
    const duringOutage = outcomes.filter((o) => o.at + o.ms >= downAt && o.at + o.ms <= upAt && o.status !== 200)
    expect(duringOutage.length).toBeGreaterThan(0)
    expect(duringOutage.filter((o) => o.status !== 503).map((o) => `${o.status} ${o.body ?? ''}`)).toEqual([])
    expect(duringOutage.every((o) => o.retryAfter !== null && Number(o.retryAfter) > 0)).toBe(true)
    expect(Math.max(...duringOutage.map((o) => o.ms))).toBeLessThan(3_000)
    // Recovers by itself once the database is back.
    expect(recoveredAt).toBeDefined()
    expect(recoveredAt! - upAt).toBeLessThan(10_000)
    const ready = await fetch(`${server.url}/readyz`)
    expect(ready.status).toBe(200)

    // Nothing acknowledged is lost.
    const check = await createDb({ engine: 'postgres', url: testServerUrl(name), poolMax: 1 })
    const { rows } = (await check.knex.raw('select id::text as id from xapi_statement')) as { rows: { id: string }[] }
    await check.close()
    const stored = new Set(rows.map((r) => r.id))
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([])
  }, 120_000)
})
