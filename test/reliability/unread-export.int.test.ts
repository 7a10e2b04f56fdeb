import { connect } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { createDb } from '@tln/db'
import { waitForHorizon } from '@tln/db/testing'
import { startServer, tln, type ServerProcess } from '../bench/server-process.ts'
import { freshStorage, type Cleanups } from './fresh-storage.ts'

/**
 * A client that asks a real `tln serve` for a large statement export and never reads it (the "load
 * and attack" audit). Node has no deadline for sending, so the connection, a page of rows and the
 * export's audit row were held for ever. With `TLN_SEND_TIMEOUT_MS` the server cuts it off once
 * nothing of the answer has left for that long: the client sees an incomplete chunked body (RFC 9112
 * §7.1: no last chunk), and the server goes on answering whole exports to clients that read.
 */
const KEY = 'unread-export'
const SECRET = 'unread-export-secret'
const AUTH = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`
const STATEMENTS = 3_000
/** ≈ 3 KB per statement: ≈ 9 MB of export, more than the loopback socket buffers take. */
const PADDING = 'x'.repeat(3_000)

const cleanups: Cleanups = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})


/** GET of the export on a raw socket that reads nothing for `pauseMs`, then reads to the end: the bytes it got. */
function unreadExport(url: string, pauseMs: number): Promise<string> {
  const u = new URL(url)
  return new Promise((resolve) => {
    const socket = connect(Number(u.port), u.hostname)
    const chunks: Buffer[] = []
    socket.pause()
    socket.on('error', () => {})
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')))
    socket.write(`GET /api/export/statements HTTP/1.1\r\nHost: ${u.host}\r\nAuthorization: ${AUTH}\r\nConnection: close\r\n\r\n`)
    setTimeout(() => socket.on('data', (chunk: Buffer) => chunks.push(chunk)).resume(), pauseMs)
  })
}

describe('a client that never reads a large export', () => {
  it('is cut off after TLN_SEND_TIMEOUT_MS without progress, and exports to reading clients stay whole', async () => {
    const storage = await freshStorage('tln_unread', cleanups)
    tln(storage, ['credentials', 'create', '--key', KEY, '--secret', SECRET, '--scopes', 'all', '--label', 'unread export test'])
    const server: ServerProcess = await startServer(storage, 20_000 + Math.floor(Math.random() * 20_000), { TLN_SEND_TIMEOUT_MS: '1000' })
    cleanups.push(() => server.stop())
    for (let batch = 0; batch < STATEMENTS / 100; batch++) {
      const statements = Array.from({ length: 100 }, (_, i) => ({
        actor: { objectType: 'Agent', account: { homePage: 'https://elearning.example', name: `guru-${batch}-${i}` } },
        verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
        object: { objectType: 'Activity', id: 'https://tln.example/activities/unread', definition: { description: { 'id-ID': PADDING } } },
      }))
      const res = await fetch(`${server.url}/xapi/statements`, { method: 'POST', headers: { Authorization: AUTH, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' }, body: JSON.stringify(statements) })
      expect(res.status).toBe(200)
    }
    if (storage.engine === 'postgres') {
      // An export ends at the stream horizon, which another test database's open transaction holds back.
      const db = await createDb({ engine: 'postgres', url: storage.url, poolMax: 1 })
      await waitForHorizon(db.knex)
      await db.close()
    }

    // Reads nothing for 6 s: the server gives up after 1 s without progress (plus its check interval).
    const got = await unreadExport(server.url, 6_000)
    expect(got).toMatch(/^HTTP\/1\.1 200 /)
    const [, body = ''] = got.split('\r\n\r\n', 2)
    expect(body.length).toBeGreaterThan(0)
    expect(got.endsWith('\r\n0\r\n\r\n'), 'the unread export was cut off, not sent whole').toBe(false)

    const whole = await fetch(`${server.url}/api/export/statements`, { headers: { Authorization: AUTH } })
    expect(whole.status).toBe(200)
    expect((await whole.text()).split('\n').filter((line) => line !== '')).toHaveLength(STATEMENTS)
  }, 120_000)
})
