import { Agent, request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawRequest, startSweepServer, type SweepServer } from '../security/route-sweep-server.ts'

/**
 * A connection flood (the "load and attack" audit): 500 clients, each on its own kept-alive
 * connection, ask for the About resource (xAPI 1.0.3 Communication 2.8: no credentials) four times
 * in a row, all at once. Every request is answered 200, none is dropped or hangs, a request that
 * needs the database is answered meanwhile, and the server is ready afterwards.
 */
const CONNECTIONS = 500
let s: SweepServer
beforeAll(async () => { s = await startSweepServer() }, 120_000)
afterAll(async () => { await s?.close() })

function get(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent, timeout: 20_000 }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(0))
    req.end()
  })
}

describe('connection flood', () => {
  it(`answers ${CONNECTIONS} concurrent kept-alive connections × 4 GET /xapi/about, and a database request meanwhile`, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS })
    const statuses: number[] = []
    const sockets = new Set<unknown>()
    agent.on('free', (socket) => sockets.add(socket))
    try {
      const started = Date.now()
      const flood = Promise.all(Array.from({ length: CONNECTIONS }, async () => {
        for (let i = 0; i < 4; i++) statuses.push(await get(`${s.url}/xapi/about`, agent))
      }))
      const meanwhile = await rawRequest(s.url, 'GET', '/xapi/statements?limit=1', { authorization: s.lrsAuth, 'x-experience-api-version': '1.0.3' }, '', 20_000)
      await flood
      expect(meanwhile.status).toBe(200)
      expect(statuses.filter((status) => status !== 200)).toEqual([])
      expect(statuses).toHaveLength(4 * CONNECTIONS)
      // The connections were kept alive and reused, not one per request.
      expect(sockets.size).toBeLessThanOrEqual(CONNECTIONS)
      expect(Date.now() - started).toBeLessThan(30_000)
    } finally {
      agent.destroy()
    }
    expect((await rawRequest(s.url, 'GET', '/readyz', {})).status).toBe(200)
  }, 60_000)
})
