import { createHash } from 'node:crypto'
import request from 'supertest'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, PUBLIC_URL, type TestApp } from './test-app.ts'

describe(`server app on ${testEngine()}`, () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(async () => {
    await t.db.close()
  })

  describe('health probes', () => {
    it('GET /healthz answers 200 {status: ok} while the process is alive', async () => {
      const res = await request(t.app).get('/healthz')
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ status: 'ok' })
      expect(res.headers['cache-control']).toBe('no-store')
    })

    it('GET /readyz answers 200 when the database answers select 1', async () => {
      const res = await request(t.app).get('/readyz')
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ status: 'ready' })
    })

    it('GET /readyz answers 503 once shutdown has begun, so load balancers stop routing here', async () => {
      t.setDraining(true)
      try {
        const res = await request(t.app).get('/readyz')
        expect(res.status).toBe(503)
        expect(res.body).toEqual({ status: 'shutting-down' })
      } finally {
        t.setDraining(false)
      }
    })
  })

  describe('landing page', () => {
    it('says what TLN is and where the LRS is, in Bahasa Indonesia first and English second', async () => {
      const res = await request(t.app).get('/')
      expect(res.status).toBe(200)
      expect(res.headers['content-type']).toMatch(/^text\/html/)
      expect(res.text).toContain('<html lang="id">')
      expect(res.text).toContain(`<code>${PUBLIC_URL}/xapi/</code>`)
      const indonesian = res.text.indexOf('<section lang="id">')
      const english = res.text.indexOf('<section lang="en">')
      expect(indonesian).toBeGreaterThan(0)
      expect(english).toBeGreaterThan(indonesian)
      expect(res.text).toContain('Learning Record Store')
    })

    it('has no script, and its only style block matches the CSP hash', async () => {
      const res = await request(t.app).get('/')
      expect(res.text).not.toMatch(/<script/i)
      expect(res.text).not.toMatch(/\son\w+=/i)
      const style = /<style>([\s\S]*?)<\/style>/.exec(res.text)![1]!
      const hash = createHash('sha256').update(style).digest('base64')
      expect(res.headers['content-security-policy']).toContain(`'sha256-${hash}'`)
    })
  })

  describe('favicon', () => {
    it('answers GET /favicon.ico with 204 and a day of caching, so a browser logs no 404 on every first page', async () => {
      const res = await request(t.app).get('/favicon.ico')
      expect(res.status).toBe(204)
      expect(res.headers['cache-control']).toBe('public, max-age=86400')
    })
  })

  describe('security headers', () => {
    it.each(['/', '/healthz', '/xapi/about', '/no-such-page'])('are set on %s', async (path) => {
      const res = await request(t.app).get(path)
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['referrer-policy']).toBe('no-referrer')
      expect(res.headers['x-frame-options']).toBe('DENY')
      const csp = res.headers['content-security-policy'] as string
      expect(csp).toContain("default-src 'none'")
      expect(csp).not.toContain('unsafe-inline')
      expect(csp).not.toMatch(/script-src/)
      expect(res.headers['x-powered-by']).toBeUndefined()
    })

    it('sends no HSTS when the public URL is plain http', async () => {
      const res = await request(t.app).get('/')
      expect(res.headers['strict-transport-security']).toBeUndefined()
    })
  })

  describe('unknown paths', () => {
    it('answer 404 with a JSON error', async () => {
      const res = await request(t.app).get('/no-such-page')
      expect(res.status).toBe(404)
      expect(res.headers['content-type']).toMatch(/^application\/json/)
      expect(res.body).toEqual({ error: { code: 'ERR_NOT_FOUND', message: 'no resource at /no-such-page', path: '/no-such-page' } })
    })

    it('under /xapi answer the LRS 404', async () => {
      const res = await request(t.app).get('/xapi/no-such-resource').set('X-Experience-API-Version', '1.0.3')
      expect(res.status).toBe(404)
      expect(res.body.error.code).toBe('ERR_LRS_NOT_FOUND')
    })
  })

  describe('the LRS at /xapi', () => {
    it('answers GET /xapi/about', async () => {
      const res = await request(t.app).get('/xapi/about')
      expect(res.status).toBe(200)
      expect(res.body.version).toEqual(expect.arrayContaining(['1.0.3', '2.0.0']))
    })

    it('stores and returns a statement with a credential made through the LRS', async () => {
      const { credential, secret } = await t.lrs.credentials.create({ scopes: ['all'] })
      const statement = {
        actor: { objectType: 'Agent', name: 'Baiq Nurhasanah', account: { homePage: 'https://elearning.bppaudntb.example', name: 'ptk-001' } },
        verb: { id: 'http://adlnet.gov/expapi/verbs/attended', display: { 'en-US': 'attended' } },
        object: { objectType: 'Activity', id: 'https://tln.example/xapi/activities/meeting/tln-praya/2026-02-14' },
      }
      const post = await request(t.app).post('/xapi/statements').auth(credential.key, secret).set('X-Experience-API-Version', '1.0.3').send(statement)
      expect(post.status).toBe(200)
      const get = await request(t.app).get('/xapi/statements').query({ statementId: post.body[0] }).auth(credential.key, secret).set('X-Experience-API-Version', '1.0.3')
      expect(get.status).toBe(200)
      expect(get.body.authority.account).toEqual({ homePage: PUBLIC_URL, name: credential.key })
    })
  })

  describe('request log', () => {
    it('logs method, path and status, never the Authorization header or the query string', async () => {
      await request(t.app).get('/xapi/statements?agent=%7B%22mbox%22%3A%22mailto%3Aa%40b.c%22%7D').set('Authorization', 'Basic c2VjcmV0OnNlY3JldA==').set('X-Experience-API-Version', '1.0.3')
      const line = t.logs().find((l) => l.msg === 'request' && l.path === '/xapi/statements' && l.status === 401)
      expect(line).toMatchObject({ method: 'GET', status: 401 })
      expect(JSON.stringify(t.logs())).not.toContain('c2VjcmV0OnNlY3JldA==')
      // The access log leaves the query out: agent filters name people. (The LRS's own debug
      // line for a rejected request is its business.)
      expect(JSON.stringify(t.logs().filter((l) => l.msg === 'request'))).not.toContain('mailto')
    })

    it('echoes a plain X-Request-Id and makes one otherwise', async () => {
      expect((await request(t.app).get('/healthz').set('X-Request-Id', 'abc-123')).headers['x-request-id']).toBe('abc-123')
      expect((await request(t.app).get('/healthz').set('X-Request-Id', 'not a plain id; drop it')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    })
  })

  // Last: it closes the database.
  describe('when the database is gone', () => {
    it('GET /readyz answers 503 and /healthz still 200', async () => {
      await t.db.close()
      expect((await request(t.app).get('/readyz')).status).toBe(503)
      expect((await request(t.app).get('/healthz')).status).toBe(200)
    })
  })
})
