import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { testEngine } from '@tln/db/testing'
import { startServer, tln, type ServerProcess } from '../bench/server-process.ts'
import { freshStorage, type Cleanups } from './fresh-storage.ts'

/**
 * Crash safety (issue 7, "Reliability"; ARCHITECTURE.md: "Nothing acknowledged is lost. A statement
 * is acknowledged (200/204) only after its transaction commits"). Clients post statements
 * steadily; the server is killed with SIGKILL mid-stream (no shutdown hook runs); a new server
 * starts on the same storage; every statement a client saw acknowledged must be stored exactly
 * once, and the server must take writes again.
 */
const KEY = 'crash-test'
const SECRET = 'crash-test-secret'
const AUTH = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`
const HEADERS = { Authorization: AUTH, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' }

const cleanups: Cleanups = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})


const statement = (id: string) => ({
  id,
  actor: { objectType: 'Agent', account: { homePage: 'https://elearning.example', name: `guru-${id.slice(0, 4)}` } },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
  object: { objectType: 'Activity', id: `https://tln.example/activities/crash/${id.slice(0, 2)}` },
  timestamp: new Date().toISOString(),
})

/** Posts batches of `batch` until `stop()`; records the ids of every acknowledged batch. */
function steadyClient(url: string, batch: number, acknowledged: string[]): { stop: () => Promise<void> } {
  let running = true
  const loop = (async () => {
    while (running) {
      const ids = Array.from({ length: batch }, () => randomUUID())
      try {
        const res = await fetch(`${url}/xapi/statements`, { method: 'POST', headers: HEADERS, body: JSON.stringify(batch === 1 ? statement(ids[0]!) : ids.map(statement)) })
        if (res.status === 200) acknowledged.push(...ids)
        else await res.arrayBuffer()
      } catch {
        // The connection died with the server: those statements were never acknowledged.
        await new Promise((r) => setTimeout(r, 20))
      }
    }
  })()
  return { stop: async () => { running = false; await loop } }
}

async function storedIdCounts(url: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/api/export/statements?format=ndjson`, { headers: { Authorization: AUTH } })
  expect(res.status).toBe(200)
  const counts = new Map<string, number>()
  for (const line of (await res.text()).split('\n')) {
    if (line === '') continue
    const id = (JSON.parse(line) as { id: string }).id
    counts.set(id, (counts.get(id) ?? 0) + 1)
  }
  return counts
}

describe(`crash safety: SIGKILL under steady ingest (${testEngine()})`, () => {
  it('every statement acknowledged before the kill is stored exactly once after a restart, and writes resume', async () => {
    const storage = await freshStorage('tln_crash', cleanups)
    tln(storage, ['credentials', 'create', '--key', KEY, '--secret', SECRET, '--scopes', 'all', '--label', 'crash test'])
    const port = 20_000 + Math.floor(Math.random() * 20_000)
    let server: ServerProcess = await startServer(storage, port)
    cleanups.push(() => { server.child.kill('SIGKILL') })

    const acknowledged: string[] = []
    const clients = [steadyClient(server.url, 1, acknowledged), steadyClient(server.url, 1, acknowledged), steadyClient(server.url, 10, acknowledged), steadyClient(server.url, 25, acknowledged)]
    const deadline = Date.now() + 15_000
    while (acknowledged.length < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    const exited = new Promise((r) => server.child.once('exit', r))
    server.child.kill('SIGKILL')
    await exited
    await Promise.all(clients.map((c) => c.stop()))
    expect(acknowledged.length).toBeGreaterThanOrEqual(300)

    server = await startServer(storage, port)
    const counts = await storedIdCounts(server.url)
    const lost = acknowledged.filter((id) => counts.get(id) === undefined)
    const duplicated = acknowledged.filter((id) => (counts.get(id) ?? 0) > 1)
    expect({ acknowledged: acknowledged.length, lost: lost.length, duplicated: duplicated.length }).toEqual({ acknowledged: acknowledged.length, lost: 0, duplicated: 0 })

    const after = randomUUID()
    const res = await fetch(`${server.url}/xapi/statements`, { method: 'POST', headers: HEADERS, body: JSON.stringify(statement(after)) })
    expect(res.status).toBe(200)
    await server.stop()
  }, 300_000)
})
