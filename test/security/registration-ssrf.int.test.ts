import { randomBytes } from 'node:crypto'
import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { createLrs } from '@tln/lrs'
import { createLtiTool } from '@tln/lti-tool'
import { createApp, loadConfig } from '@tln/server'
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

/**
 * `/lti/register` (Dynamic Registration initiation) is open to anyone who can reach the tool, and
 * makes the tool request the `openid_configuration` URL it is given, then POST to the
 * configuration's `registration_endpoint`. A tool on https must request https platform URLs only
 * (Dynamic Registration 1.0 §3.5.1: the issuer and its endpoints are https URLs) and follow no
 * redirect, so the open route cannot be turned into requests against the tool's own host or
 * network (OWASP SSRF Prevention Cheat Sheet). A refused initiation is a clear 400 page and saves
 * no platform.
 */
const PUBLIC = 'https://tln.example.org'
const CONFIG_URL = 'https://lms.example.org/mod/lti/openid-configuration.php'

describe(`Dynamic Registration initiation on an https tool, on ${testEngine()}`, () => {
  let db: Db
  let http: ReturnType<typeof request>
  const asked: Array<{ url: string; method: string }> = []
  let answer: (url: string) => Response = () => new Response('{}')
  beforeAll(async () => {
    db = await createTestDb()
    const logger = { debug() {}, info() {}, warn() {}, error() {} }
    const lrs = createLrs({ knex: db.knex, logger, publicUrl: PUBLIC })
    const fetch = async (url: string, init?: RequestInit) => { asked.push({ url, method: init?.method ?? 'GET' }); return answer(url) }
    const tool = await createLtiTool({ knex: db.knex, lrs, logger, config: { publicUrl: PUBLIC, keySecret: new Uint8Array(randomBytes(32)), fetch } })
    http = request(createApp({ config: loadConfig({}), db, logger: logger as never, lrs, publicUrl: PUBLIC, lti: tool.router }))
  })
  afterAll(async () => {
    await db?.close()
  })
  beforeEach(() => {
    asked.length = 0
  })
  const platforms = async () => Number(((await db.knex('lti_platform').count({ n: '*' }).first()) as { n: number | string }).n)

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://127.0.0.1:5432/',
    'http://localhost:3000/xapi/statements',
    'file:///etc/passwd',
  ])('refuses openid_configuration=%s with 400 before requesting it (Dynamic Registration 1.0 §3.5.1)', async (url) => {
    const res = await http.get('/lti/register').query({ openid_configuration: url, registration_token: 't' })
    expect(res.status).toBe(400)
    expect(res.headers['x-tln-error']).toBe('ERR_LTI_REGISTRATION_INVALID_CONFIGURATION')
    expect(res.text).toContain('Konfigurasi pendaftaran dari LMS tidak valid')
    expect(asked).toEqual([])
    expect(await platforms()).toBe(0)
  })

  it('does not POST the registration to a loopback endpoint named by an https configuration (Dynamic Registration 1.0 §3.5.1)', async () => {
    answer = () => Response.json({
      issuer: 'https://lms.example.org', authorization_endpoint: 'https://lms.example.org/auth', token_endpoint: 'https://lms.example.org/token',
      jwks_uri: 'https://lms.example.org/jwks', registration_endpoint: 'http://127.0.0.1:9200/_bulk',
    })
    const res = await http.get('/lti/register').query({ openid_configuration: CONFIG_URL })
    expect(res.status).toBe(400)
    expect(res.headers['x-tln-error']).toBe('ERR_LTI_REGISTRATION_INVALID_CONFIGURATION')
    expect(asked).toEqual([{ url: CONFIG_URL, method: 'GET' }])
    expect(await platforms()).toBe(0)
  })

  it('does not follow a redirect of the openid-configuration to an internal address', async () => {
    answer = () => new Response(null, { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } })
    const res = await http.get('/lti/register').query({ openid_configuration: CONFIG_URL })
    expect(res.status).toBe(502)
    expect(asked).toEqual([{ url: CONFIG_URL, method: 'GET' }])
    expect(await platforms()).toBe(0)
  })
})
