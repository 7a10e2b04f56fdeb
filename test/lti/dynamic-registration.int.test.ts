import { randomBytes } from 'node:crypto'
import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { createLrs } from '@tln/lrs'
import { createLtiTool } from '@tln/lti-tool'
import { REGISTRATION_CLOSE_SCRIPT } from '@tln/lti-v1p3'
import { moodle4Configuration, MOODLE_4_CONFIGURATION_URL, MOODLE_4_ISSUER, MOODLE_4_REGISTRATION_URL, PLATFORM_CONFIGURATION } from '@tln/lti-v1p3/testing'
import { createApp, loadConfig } from '@tln/server'
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

/**
 * `/lti/register` against what Moodle 4.x and Canvas send (LTI Dynamic Registration 1.0): the
 * page the administrator sees in the LMS's registration panel. A registration either ends with the
 * close message (§3.6) and a saved platform, or with a page that says what was wrong, in the
 * administrator's terms (which member, which step, what the LMS answered), and saves nothing.
 */
const PUBLIC = 'https://tln.example.org'
const MOODLE = MOODLE_4_ISSUER
const CONFIG_URL = MOODLE_4_CONFIGURATION_URL
const REGISTRATION_URL = MOODLE_4_REGISTRATION_URL
/** Moodle 4.x's openid-configuration (`mod/lti/openid-configuration.php`). */
const moodle = moodle4Configuration

describe(`Dynamic Registration pages for the LMS administrator, on ${testEngine()}`, () => {
  let db: Db
  let http: ReturnType<typeof request>
  const asked: Array<{ url: string; method: string; authorization: string | null }> = []
  let configAnswer: () => Response = () => Response.json(moodle())
  let registrationAnswer: (body: Record<string, unknown>) => Response = () => Response.json({})
  beforeAll(async () => {
    db = await createTestDb()
    const logger = { debug() {}, info() {}, warn() {}, error() {} }
    const lrs = createLrs({ knex: db.knex, logger, publicUrl: PUBLIC })
    const fetch = async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET'
      asked.push({ url, method, authorization: new Headers(init?.headers).get('authorization') })
      if (url === CONFIG_URL && method === 'GET') return configAnswer()
      if (url === REGISTRATION_URL && method === 'POST') return registrationAnswer(JSON.parse(String(init?.body)) as Record<string, unknown>)
      return new Response('not found', { status: 404 })
    }
    const tool = await createLtiTool({ knex: db.knex, lrs, logger, config: { publicUrl: PUBLIC, keySecret: new Uint8Array(randomBytes(32)), fetch } })
    http = request(createApp({ config: loadConfig({}), db, logger: logger as never, lrs, publicUrl: PUBLIC, lti: tool.router }))
  })
  afterAll(async () => {
    await db?.close()
  })
  beforeEach(async () => {
    asked.length = 0
    configAnswer = () => Response.json(moodle())
    registrationAnswer = (body) => Response.json({ ...body, client_id: 'Yq3pJf1ex0mZ2aV', [`https://purl.imsglobal.org/spec/lti-tool-configuration`]: { deployment_id: '12' } })
    // Every case starts a registration from the same address: the per-address limit is another file's subject.
    await db.knex('auth_throttle').delete()
    await db.knex('lti_platform').delete()
  })
  const platforms = async () => Number(((await db.knex('lti_platform').count({ n: '*' }).first()) as { n: number | string }).n)
  const register = (query: Record<string, string> = { openid_configuration: CONFIG_URL, registration_token: 'eyJ.reg.token' }) => http.get('/lti/register').query(query)

  it('registers Moodle, saves it pending with its deployment, and ends with a page the LMS may frame that posts org.imsglobal.lti.close (LTI DR 1.0 §3.6)', async () => {
    const res = await register()
    expect(res.status).toBe(200)
    expect(res.headers['content-security-policy']).toContain('frame-ancestors *')
    expect(res.headers['content-security-policy']).toContain("script-src 'self'")
    expect(res.headers['x-frame-options']).toBeUndefined()
    expect(res.text).toContain('<script src="/lti/static/close.js"></script>')
    expect(res.text).toContain('Yq3pJf1ex0mZ2aV')
    expect(asked.map((a) => [a.method, a.authorization])).toEqual([['GET', 'Bearer eyJ.reg.token'], ['POST', 'Bearer eyJ.reg.token']])
    const script = await http.get('/lti/static/close.js')
    expect(script.headers['content-type']).toContain('javascript')
    expect(script.text).toBe(REGISTRATION_CLOSE_SCRIPT)
    expect(script.text).toContain("(window.opener || window.parent).postMessage({ subject: 'org.imsglobal.lti.close' }, '*')")
    const [row] = await db.knex('lti_platform').select('issuer', 'client_id', 'status')
    expect(row).toMatchObject({ issuer: MOODLE, client_id: 'Yq3pJf1ex0mZ2aV', status: 'pending' })
  })

  it('tells the administrator the next step of the LMS that registered, by its product_family_code (LTI DR 1.0 §3.4)', async () => {
    expect((await register()).text).toContain('Moodle keeps the tool <strong>pending</strong>')
    await db.knex('lti_platform').delete()
    configAnswer = () => Response.json({ ...moodle(), [PLATFORM_CONFIGURATION]: { product_family_code: 'canvas', version: 'cloud', messages_supported: [] } })
    const canvas = await register()
    expect(canvas.text).toContain('<em>Admin → Developer Keys</em>')
    expect(canvas.text).toContain('installs TLN by client ID <code>Yq3pJf1ex0mZ2aV</code>')
    expect(canvas.text).not.toContain('Moodle')
    await db.knex('lti_platform').delete()
    configAnswer = () => Response.json({ ...moodle(), [PLATFORM_CONFIGURATION]: { product_family_code: 'sakai', version: '23', messages_supported: [] } })
    const sakai = await register()
    expect(sakai.text).toContain('Finish the installation in the LMS as it asks')
    expect(sakai.text).not.toContain('Moodle')
  })

  it('sends no Authorization header when the LMS gave no registration_token (LTI DR 1.0 §3.3)', async () => {
    const res = await register({ openid_configuration: CONFIG_URL })
    expect(res.status).toBe(200)
    expect(asked.map((a) => a.authorization)).toEqual([null, null])
  })

  it('refuses an initiation without openid_configuration, naming the parameter, before any request (LTI DR 1.0 §3.3)', async () => {
    for (const query of [{}, { registration_token: 't' }, { openid_configuration: '' }] as Array<Record<string, string>>) {
      const res = await register(query)
      expect(res.status).toBe(400)
      expect(res.text).toContain('openid_configuration')
    }
    expect(asked).toEqual([])
  })

  it.each([
    ['not JSON', () => new Response('Situs sedang dalam perawatan', { headers: { 'content-type': 'application/json' } }), 'the answer is not JSON'],
    ['an HTML page', () => new Response('<!doctype html><title>Login</title>', { headers: { 'content-type': 'text/html; charset=utf-8' } }), 'the answer is text/html, not application/json'],
    ['larger than 1 MiB', () => Response.json({ ...moodle(), padding: 'x'.repeat(1024 * 1024) }), 'the answer is larger than'],
    ['without private_key_jwt', () => Response.json({ ...moodle(), token_endpoint_auth_methods_supported: ['client_secret_basic'] }), 'token_endpoint_auth_methods_supported does not include private_key_jwt'],
    ['of another issuer', () => Response.json({ ...moodle(), issuer: 'https://elearning.paud.example.id/moodle-lama' }), 'the issuer https://elearning.paud.example.id/moodle-lama is not where the configuration came from'],
  ])('refuses a configuration that is %s with a 400 page naming the problem, and saves nothing (LTI DR 1.0 §3.4, §3.5.1)', async (_name, answer, problem) => {
    configAnswer = answer
    const res = await register()
    expect(res.status).toBe(400)
    expect(res.text).toContain('Konfigurasi pendaftaran dari LMS tidak valid')
    expect(res.text).toContain(problem)
    expect(res.text).toContain('Nothing was saved')
    expect(asked.map((a) => a.method)).toEqual(['GET'])
    expect(await platforms()).toBe(0)
  })

  it('says which request the LMS answered with an error, and its status, when the configuration URL fails (LTI DR 1.0 §3.4)', async () => {
    configAnswer = () => new Response('Not Found', { status: 404 })
    const res = await register()
    expect(res.status).toBe(502)
    expect(res.headers['x-tln-error']).toBe('ERR_LTI_REGISTRATION_FAILED')
    expect(res.text).toContain(`HTTP 404`)
    expect(res.text).toContain(CONFIG_URL)
    expect(res.text).toContain('Not Found')
    expect(await platforms()).toBe(0)
  })

  it.each([
    ['a used registration token', () => new Response('token_already_used', { status: 401 }), 'HTTP 401', 'token_already_used'],
    ['a missing member', () => new Response('missing required attribute jwks_uri', { status: 400 }), 'HTTP 400', 'missing required attribute jwks_uri'],
    ['an answer without client_id', () => Response.json({ registration_status: 'ok' }), 'HTTP 200', 'the answer has no client_id'],
  ])('shows Moodle\'s refusal of the registration (%s) with its status and words, escaped, and saves nothing (LTI DR 1.0 §3.6.2)', async (_name, answer, status, words) => {
    registrationAnswer = answer
    const res = await register()
    expect(res.status).toBe(502)
    expect(res.headers['x-tln-error']).toBe('ERR_LTI_REGISTRATION_FAILED')
    expect(res.text).toContain(REGISTRATION_URL)
    expect(res.text).toContain(status)
    expect(res.text).toContain(words)
    expect(res.text).not.toContain('org.imsglobal.lti.close')
    expect(await platforms()).toBe(0)
  })

  it('escapes what the LMS said on the page', async () => {
    registrationAnswer = () => new Response('bad <img src=x onerror=alert(1)> token', { status: 400 })
    const res = await register()
    expect(res.text).toContain('bad &#60;img src=x onerror=alert(1)&#62; token')
    expect(res.text).not.toContain('<img')
  })
})
