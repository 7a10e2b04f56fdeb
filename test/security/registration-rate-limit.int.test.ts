import { randomBytes } from 'node:crypto'
import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { createLrs } from '@tln/lrs'
import { createLtiTool, REGISTRATION_LIMIT } from '@tln/lti-tool'
import { createApp, loadConfig } from '@tln/server'
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

/**
 * `/lti/register` (Dynamic Registration initiation) is open to anyone who can reach the tool, and
 * each call makes the tool request the platform's openid-configuration and post a registration.
 * So it is limited per client address: past `REGISTRATION_LIMIT.maxPerAddress` calls in the
 * window, 429 with `Retry-After` (RFC 6585 §4, RFC 9110 §10.2.3) and a page that says what to do,
 * before any outbound request. The counts live in the database (every process shares them) and
 * never mix with the LRS's failed Basic authentications from the same address.
 */
const PUBLIC = 'https://tln.example.org'
const CONFIG_URL = 'https://lms.example.org/mod/lti/openid-configuration.php'

describe(`Dynamic Registration initiation is limited per address, on ${testEngine()}`, () => {
  let db: Db
  let http: ReturnType<typeof request>
  const asked: string[] = []
  beforeAll(async () => {
    db = await createTestDb()
    const logger = { debug() {}, info() {}, warn() {}, error() {} }
    const lrs = createLrs({ knex: db.knex, logger, publicUrl: PUBLIC })
    // The platform is down: each initiation costs one outbound request and fails (502), as an attacker's would.
    const fetch = async (url: string) => { asked.push(url); return new Response('unavailable', { status: 503 }) }
    const tool = await createLtiTool({ knex: db.knex, lrs, logger, config: { publicUrl: PUBLIC, keySecret: new Uint8Array(randomBytes(32)), fetch } })
    http = request(createApp({ config: loadConfig({ TLN_TRUST_PROXY: 'loopback' }), db, logger: logger as never, lrs, publicUrl: PUBLIC, lti: tool.router }))
  })
  afterAll(async () => {
    await db?.close()
  })
  beforeEach(async () => {
    asked.length = 0
    await db.knex('auth_throttle').delete()
  })
  const register = (address: string) => http.get('/lti/register').query({ openid_configuration: CONFIG_URL }).set('X-Forwarded-For', address)

  it('answers 429 with Retry-After and a clear page past the limit, before requesting the platform (RFC 6585 §4)', async () => {
    for (let i = 0; i < REGISTRATION_LIMIT.maxPerAddress; i++) expect((await register('198.51.100.7')).status).not.toBe(429)
    expect(asked).toHaveLength(REGISTRATION_LIMIT.maxPerAddress)
    const res = await register('198.51.100.7')
    expect(res.status).toBe(429)
    expect(res.headers['x-tln-error']).toBe('ERR_TOOL_RATE_LIMITED')
    const retryAfter = Number(res.headers['retry-after'])
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(REGISTRATION_LIMIT.windowMs / 1000)
    expect(res.text).toContain('Terlalu banyak permintaan pendaftaran')
    expect(res.text).toContain('Too many registration requests')
    expect(asked).toHaveLength(REGISTRATION_LIMIT.maxPerAddress)
    expect(await db.knex('lti_platform')).toHaveLength(0)
  })

  it('counts each address on its own: another address still registers', async () => {
    for (let i = 0; i <= REGISTRATION_LIMIT.maxPerAddress; i++) await register('198.51.100.8')
    expect((await register('198.51.100.8')).status).toBe(429)
    expect((await register('198.51.100.9')).status).toBe(502)
  })

  it('keeps its counts apart from failed LRS authentications from the same address', async () => {
    for (let i = 0; i <= REGISTRATION_LIMIT.maxPerAddress; i++) await register('198.51.100.10')
    expect((await db.knex('auth_throttle').where({ bucket: 'address:198.51.100.10' }))).toHaveLength(0)
    const lrsAnswer = await http.get('/xapi/statements').set('X-Experience-API-Version', '1.0.3').set('X-Forwarded-For', '198.51.100.10').auth('nobody', 'wrong-secret-1')
    expect(lrsAnswer.status).toBe(401)
  })
})
