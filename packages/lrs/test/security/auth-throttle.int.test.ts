import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { basic, lrsProcess, POLICY, V2, type LrsProcess } from './security-lrs.ts'

/**
 * Failed HTTP Basic attempts are throttled per client address and per key (issue 7, Security:
 * "failed Basic auth ... rate-limited per credential and address"); 429 and Retry-After are RFC
 * 6585 §4 and RFC 9110 §10.2.3. Counters live in the database, shared by every process.
 */
let db: Db
let one: LrsProcess
let two: LrsProcess
let n = 0
const SECRET = 'a-long-secret-1'

beforeAll(async () => {
  db = await createTestDb()
  one = lrsProcess(db)
  two = lrsProcess(db)
})
afterAll(async () => {
  await db.close()
})
beforeEach(async () => {
  await db.knex('auth_throttle').delete()
})

/** A fresh credential per test, so the tests' counters never meet. */
async function credential(): Promise<string> {
  n += 1
  const key = `throttle-${n}`
  await one.lrs.credentials.create({ key, secret: SECRET, scopes: ['all'] })
  return key
}

function get(process: LrsProcess, authorization: string, address: string) {
  return process.http.get('/xapi/statements?limit=1').set(V2).set('Authorization', authorization).set('X-Forwarded-For', address)
}

async function fail(process: LrsProcess, key: string, address: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) expect((await get(process, basic(key, 'wrong-secret-x'), address)).status).toBe(401)
}

describe(`failed Basic authentication is throttled on ${testEngine()}`, () => {
  it('answers 429 with Retry-After after maxFailuresPerAddress failures from one address (RFC 6585 §4)', async () => {
    const key = await credential()
    await fail(one, key, '198.51.100.1', POLICY.maxFailuresPerAddress)
    const res = await get(one, basic(key, 'wrong-secret-x'), '198.51.100.1')
    expect(res.status).toBe(429)
    expect(res.body.error.code).toBe('ERR_LRS_TOO_MANY_REQUESTS')
    const retryAfter = Number(res.headers['retry-after'])
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(POLICY.windowMs / 1000)
  })

  it('does not check the secret of a throttled address: even the right one gets 429', async () => {
    const key = await credential()
    await fail(one, key, '198.51.100.2', POLICY.maxFailuresPerAddress)
    expect((await get(one, basic(key, SECRET), '198.51.100.2')).status).toBe(429)
  })

  it('throttles an address whatever key it tries (unknown keys count against the address only)', async () => {
    for (let i = 0; i < POLICY.maxFailuresPerAddress; i++) {
      expect((await get(one, basic(`no-such-key-${i}`, 'whatever-secret'), '198.51.100.3')).status).toBe(401)
    }
    const key = await credential()
    expect((await get(one, basic(key, SECRET), '198.51.100.3')).status).toBe(429)
    const buckets = (await db.knex('auth_throttle').pluck('bucket')) as string[]
    expect(buckets).toEqual(['address:198.51.100.3'])
  })

  it('a valid credential from an address that is not throttled still works', async () => {
    const key = await credential()
    await fail(one, key, '198.51.100.4', POLICY.maxFailuresPerAddress)
    expect((await get(one, basic(key, SECRET), '198.51.100.4')).status).toBe(429)
    expect((await get(one, basic(key, SECRET), '203.0.113.4')).status).toBe(200)
  })

  it("a success from one address does not reset another address's counter", async () => {
    const key = await credential()
    await fail(one, key, '198.51.100.5', POLICY.maxFailuresPerAddress - 1)
    expect((await get(one, basic(key, SECRET), '203.0.113.5')).status).toBe(200)
    await fail(one, key, '198.51.100.5', 1)
    expect((await get(one, basic(key, SECRET), '198.51.100.5')).status).toBe(429)
  })

  it('throttles a key everywhere after maxFailuresPerKey failures spread over many addresses', async () => {
    const key = await credential()
    for (let i = 0; i < POLICY.maxFailuresPerKey; i++) await fail(one, key, `192.0.2.${i + 10}`, 1)
    expect((await get(one, basic(key, SECRET), '203.0.113.6')).status).toBe(429)
    const other = await credential()
    expect((await get(one, basic(other, SECRET), '203.0.113.6')).status).toBe(200)
  })

  it('shares the counters between two server processes on one database', async () => {
    const key = await credential()
    await fail(one, key, '198.51.100.7', POLICY.maxFailuresPerAddress - 1)
    await fail(two, key, '198.51.100.7', 1)
    expect((await get(one, basic(key, SECRET), '198.51.100.7')).status).toBe(429)
    expect((await get(two, basic(key, SECRET), '198.51.100.7')).status).toBe(429)
  })

  it('lets the address try again once the window has passed', async () => {
    const key = await credential()
    const start = new Date()
    one.setNow(start)
    try {
      await fail(one, key, '198.51.100.8', POLICY.maxFailuresPerAddress)
      expect((await get(one, basic(key, SECRET), '198.51.100.8')).status).toBe(429)
      one.setNow(new Date(start.getTime() + POLICY.windowMs + 1000))
      expect((await get(one, basic(key, SECRET), '198.51.100.8')).status).toBe(200)
    } finally {
      one.setNow(new Date())
    }
  })

  it('throttles the export and forwarding admin routers too', async () => {
    const key = await credential()
    await fail(one, key, '198.51.100.9', POLICY.maxFailuresPerAddress)
    const exported = await one.http.get('/api/export/statements').set('Authorization', basic(key, SECRET)).set('X-Forwarded-For', '198.51.100.9')
    expect(exported.status).toBe(429)
    const forwarding = await one.http.get('/api/admin/forwarding/targets').set('Authorization', basic(key, SECRET)).set('X-Forwarded-For', '198.51.100.9')
    expect(forwarding.status).toBe(429)
  })

  it('uses the socket address, not X-Forwarded-For, unless the app trusts a proxy', async () => {
    const direct = lrsProcess(db, { trustProxy: false })
    const key = await credential()
    for (let i = 0; i < POLICY.maxFailuresPerAddress; i++) {
      const res = await direct.http.get('/xapi/statements?limit=1').set(V2).set('Authorization', basic(key, 'wrong-secret-x')).set('X-Forwarded-For', `192.0.2.${100 + i}`)
      expect(res.status).toBe(401)
    }
    const res = await direct.http.get('/xapi/statements?limit=1').set(V2).set('Authorization', basic(key, SECRET)).set('X-Forwarded-For', '192.0.2.200')
    expect(res.status).toBe(429)
  })
})

describe(`the cost of a successful authentication on ${testEngine()}`, () => {
  it('is one read query and no write, with or without recent failures elsewhere', async () => {
    const key = await credential()
    await fail(one, key, '198.51.100.10', 1)
    const sql: string[] = []
    const listen = (query: { sql: string }) => sql.push(query.sql)
    db.knex.on('query', listen)
    try {
      expect((await one.lrs.credentials.check(key, SECRET, '203.0.113.10')).outcome).toBe('valid')
      expect((await one.lrs.credentials.check(key, SECRET, '203.0.113.10')).outcome).toBe('valid')
    } finally {
      db.knex.removeListener('query', listen)
    }
    expect(sql).toHaveLength(2)
    for (const statement of sql) expect(statement.trimStart().toLowerCase()).toMatch(/^select /)
  })
})
