import type { Knex } from '@tln/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawRequest, startSweepServer, type SweepServer } from '../security/route-sweep-server.ts'

/**
 * A database pool exhausted by slow queries (the "load and attack" audit): every connection is
 * held by a transaction that does not end, as long-running queries would hold them. A request
 * that needs the database must then get 503 with `Retry-After` (RFC 9110 §15.6.4, §10.2.3) within
 * the pool's wait (`ACQUIRE_TIMEOUT_MS`, 10 s per query) — never a 500 and never a hang — on every
 * route family; what needs no database (`/healthz`, `/xapi/about`) still answers at once, `/readyz`
 * says "unavailable" within its own 2 s; and once the connections come back, everything answers again.
 */
let s: SweepServer
beforeAll(async () => { s = await startSweepServer() }, 120_000)
afterAll(async () => { await s?.close() })

/** One route of each family that reads the database, with the credentials it needs. */
function routes(): Array<[path: string, method: string, headers: Record<string, string>, body?: string]> {
  const lrs = { authorization: s.lrsAuth, 'x-experience-api-version': '1.0.3' }
  const admin = { cookie: s.admin.cookie, 'x-tln-csrf': s.admin.csrf }
  return [
    ['/xapi/statements', 'GET', lrs],
    ['/xapi/statements', 'POST', { ...lrs, 'content-type': 'application/json' }, '[]'],
    ['/xapi/activities/state?activityId=https%3A%2F%2Fa.example&agent=%7B%22mbox%22%3A%22mailto%3Aa%40example.org%22%7D&stateId=s', 'GET', lrs],
    ['/api/export/statements', 'GET', { authorization: s.lrsAuth }],
    ['/api/admin/forwarding', 'GET', { authorization: s.lrsAuth }],
    ['/api/reports/district', 'GET', admin],
    ['/reports/district', 'GET', admin],
    ['/lti/home', 'GET', admin],
    ['/lti/admin/programs', 'GET', admin],
    ['/lti/api/programs/00000000-0000-0000-0000-000000000000', 'GET', admin],
    ['/badges/3b241101-e2bb-4255-8caf-4136c566a962', 'GET', {}],
    ['/ims/case/v1p0/CFPackages/3b241101-e2bb-4255-8caf-4136c566a962', 'GET', {}],
  ]
}

/** Holds every connection of the pool in an open transaction, as slow queries would. */
async function holdPool(knex: Knex): Promise<() => Promise<void>> {
  const max = (knex.client as { pool: { max: number } }).pool.max
  const held: Knex.Transaction[] = []
  for (let i = 0; i < max; i++) {
    const trx = await knex.transaction()
    await trx.raw('select 1')
    held.push(trx)
  }
  return async () => { for (const trx of held) await trx.rollback() }
}

describe('database pool exhausted by slow queries', () => {
  it('answers 503 with Retry-After within the pool wait on every route family, never 500 or a hang, and recovers (RFC 9110 §15.6.4)', async () => {
    const release = await holdPool(s.db.knex)
    try {
      const started = Date.now()
      const [about, healthz, readyz, ...answers] = await Promise.all([
        rawRequest(s.url, 'GET', '/xapi/about', {}, '', 5_000),
        rawRequest(s.url, 'GET', '/healthz', {}, '', 5_000),
        rawRequest(s.url, 'GET', '/readyz', {}, '', 5_000),
        ...routes().map(([path, method, headers, body]) => rawRequest(s.url, method, path, headers, body ?? '', 30_000)),
      ])
      expect(about!.status).toBe(200)
      expect(healthz!.status).toBe(200)
      // Readiness gives up after its own 2 s, whether the database is slow to answer or to hand out a connection.
      expect(readyz!.status).toBe(503)
      expect(JSON.parse(readyz!.body)).toEqual({ status: 'unavailable' })
      const seen = routes().map(([path, method], i) => `${method} ${path} → ${answers[i]!.status} retry-after=${answers[i]!.headers['retry-after']} ${answers[i]!.body.slice(0, 120)}`)
      for (const [i, answer] of answers.entries()) {
        expect(answer.status, seen[i]).toBe(503)
        expect(Number(answer.headers['retry-after']), seen[i]).toBeGreaterThan(0)
      }
      // One pool wait (10 s) and slack: a request that gave up on one query answers at once, and requests
      // sharing a credential check that found no connection fail with it, not after a second wait.
      expect(Date.now() - started).toBeLessThan(15_000)
    } finally {
      await release()
    }
    for (const [path, method, headers, body] of routes()) {
      const answer = await rawRequest(s.url, method, path, headers, body ?? '', 10_000)
      expect(answer.status, `${method} ${path} after: ${answer.body.slice(0, 200)}`).toBeLessThan(500)
    }
    expect((await rawRequest(s.url, 'GET', '/readyz', {})).status).toBe(200)
  }, 90_000)
})
