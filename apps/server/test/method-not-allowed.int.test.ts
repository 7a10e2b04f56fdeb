/**
 * RFC 9110 §15.5.6: "The 405 (Method Not Allowed) status code indicates that the method received
 * in the request-line is known by the origin server but not supported by the target resource. The
 * origin server MUST generate an Allow header field in a 405 response containing a list of the
 * target resource's currently supported methods." The whole server as `main.ts` composes it (LRS,
 * LTI tool, local accounts, reports, badges and CASE, export and forwarding, the demo LMS), on a
 * fresh database per engine; the routes come from the app itself (`listRoutes`), so a new route
 * is covered the day it is added.
 */
import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { createLrs } from '@tln/lrs'
import { createLtiTool, csrfToken, SESSION_COOKIE, type LtiTool } from '@tln/lti-tool'
import type { Express } from 'express'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { mountBadges } from '../src/badges.ts'
import { loadConfig } from '../src/config.ts'
import { mountDemoLms } from '../src/demo-lms/mount-demo-lms.ts'
import { listRoutes, type ListedRoute } from '../src/http/method-not-allowed.ts'
import { createLogger } from '../src/logger.ts'

const PUBLIC_URL = 'http://127.0.0.1:8080'
const LMS = 'https://lms.example'
const PARAM = /:([A-Za-z_$][\w$]*)/g

/** The test's own reading of a route pattern (Express's `:name` parameters only; anything else fails loudly rather than being guessed). */
function patternRegExp(pattern: string): RegExp {
  if (/[{}*()?+]/.test(pattern)) throw new Error(`route ${pattern}: this test reads :name parameters only`)
  const trimmed = pattern.length > 1 ? pattern.replace(/\/+$/, '') : pattern
  const source = trimmed.split(PARAM).map((part, i) => (i % 2 === 1 ? '[^/]+' : part.replace(/[.\\^$|[\]]/g, '\\$&'))).join('')
  // Express routes are case-insensitive and take one trailing slash unless `strict`.
  return new RegExp(`^${source === '/' ? '' : source}/?$`, 'i')
}

/** A concrete path for a pattern: each parameter gets a value no literal segment has. */
function concrete(pattern: string): string {
  const path = pattern.replace(PARAM, (_, name: string) => `sample-${name}`)
  return path.length > 1 ? path.replace(/\/+$/, '') : path
}

describe(`405 Method Not Allowed with Allow on every route (RFC 9110 §15.5.6) on ${testEngine()}`, () => {
  let db: Db
  let app: Express
  let tool: LtiTool
  let routes: ListedRoute[]
  let admin: Record<string, string>

  beforeAll(async () => {
    db = await createTestDb()
    const logger = createLogger('warn', new Writable({ write: (_c, _e, done) => done() }))
    const config = loadConfig({ TLN_SECRET_KEY: 'method-not-allowed-secret-0123456789abcdef' })
    const secret = new Uint8Array(randomBytes(32))
    const lrs = createLrs({ knex: db.knex, logger, publicUrl: PUBLIC_URL })
    tool = await createLtiTool({ knex: db.knex, lrs, logger, config: { publicUrl: PUBLIC_URL, keySecret: secret } })
    const badges = mountBadges({ config, knex: db.knex, publicUrl: PUBLIC_URL, logger, viewers: { sessions: tool.sessions, org: tool.org } })
    const demoLms = await mountDemoLms({ config, knex: db.knex, tool, logger, publicUrl: PUBLIC_URL })
    if (demoLms === undefined) throw new Error('the demo LMS did not mount')
    app = createApp({
      config, db, logger, lrs, publicUrl: PUBLIC_URL,
      lti: tool.router, accounts: tool.accountRouter, reports: { pages: tool.reportsRouter, api: tool.reportsApiRouter }, badges: badges.router, demoLms: demoLms.router,
    })
    routes = listRoutes(app)
    // An administrator's session and CSRF token: the routers' own sign-in and CSRF checks, which run
    // before the fallback and stay where they are, let the request through to where the method is judged…
    const tenantId = await tool.org.tenantId('default')
    const user = await tool.users.upsert({ tenantId, issuer: LMS, sub: 'admin-1', role: 'admin', name: 'Admin' })
    const person = await tool.org.upsertPerson(tenantId, { name: 'Admin', lti: { issuer: LMS, sub: 'admin-1' } })
    await tool.org.grant(tenantId, person.id, 'admin', undefined)
    const session = await tool.sessions.create(user.id, { issuer: LMS, deploymentId: 'd-1', role: 'admin' }, 3_600_000)
    // …and an LRS credential of scope `all`, for the export and forwarding admin APIs.
    const credential = await lrs.credentials.create({ scopes: ['all'], tenant: 'default' })
    admin = {
      cookie: `${SESSION_COOKIE}=${session}`, 'x-tln-csrf': csrfToken(secret, session),
      authorization: `Basic ${Buffer.from(`${credential.credential.key}:${credential.secret}`).toString('base64')}`,
    }
  }, 120_000)

  afterAll(async () => {
    await db?.close()
  })

  /** The methods the app's routes have for `path`, by the test's own matching of the listed patterns; undefined where an `.all()` route answers every method. */
  function methodsOf(path: string): string[] | undefined {
    const matching = routes.filter((r) => patternRegExp(r.path).test(path))
    if (matching.some((r) => r.methods.includes('*'))) return undefined
    return [...new Set(matching.flatMap((r) => r.methods))].sort()
  }

  it('lists the routes of every router the server mounts, prefixes joined', () => {
    const paths = new Set(routes.map((r) => r.path))
    for (const path of ['/healthz', '/lti/login', '/lti/jwks', '/lti/launch', '/lti/deep-linking', '/lti/tasks/:id', '/lti/meetings/:id', '/lti/mentoring/relations', '/lti/admin/platforms/',
      '/lti/admin/programs/:id', '/lti/grades/', '/lti/classes/:id', '/lti/org/import', '/login', '/invite/:token', '/reports/district', '/api/reports/district', '/badges/:file', '/badges/clr/verify',
      '/ims/case/v1p0/CFItems/:id', '/api/export/statements', '/api/admin/forwarding/:name', '/demo/lms/launch', '/xapi/profile']) {
      expect(paths, path).toContain(path)
    }
    expect(routes.length).toBeGreaterThan(100)
  })

  it('answers 405 with Allow naming exactly the methods of the resource, for every route and every method it lacks (RFC 9110 §15.5.6)', async () => {
    const paths = [...new Set(routes.map((r) => concrete(r.path)))]
    const wrong: string[] = []
    let checked = 0
    for (const path of paths) {
      const methods = methodsOf(path)
      // A route for every method answers them itself (`.all()`: the LRS under /xapi, the xAPI Profile, the export).
      if (methods === undefined) continue
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND']) {
        if (methods.includes(method)) continue
        // With a JSON body, as an API client sends one: the forwarding API checks a PATCH's media type before routing (415).
        const res = await request(app)[method.toLowerCase() as 'get'](path).set(admin).set('Content-Type', 'application/json').send(method === 'GET' ? undefined : '{}')
        const body = res.body as { error?: { code?: unknown; message?: unknown; field?: unknown; rule?: unknown } }
        const right = res.status === 405 && res.headers.allow?.split(', ').sort().join() === methods.join()
          && body.error?.code === 'ERR_METHOD_NOT_ALLOWED' && body.error.field === 'method' && body.error.rule === 'allowed-methods' && String(body.error.message).startsWith(`${method} is not a method`)
        if (!right) wrong.push(`${method} ${path} → ${res.status} Allow: ${res.headers.allow} (expected ${methods.join(', ')}) ${res.text.slice(0, 160)}`)
        checked++
      }
    }
    expect(wrong).toEqual([])
    expect(checked).toBeGreaterThan(300)
  }, 120_000)

  it('answers 404, as before, for a path no route has, whatever the method', async () => {
    for (const method of ['get', 'post', 'delete'] as const) {
      for (const path of ['/no-such-page', '/lti/no-such-page', '/reports/teacher/a/b/c/d', '/api/reports']) {
        const res = await request(app)[method](path).set(admin)
        expect(res.status, `${method} ${path}`).toBe(404)
        expect(res.body).toMatchObject({ error: { code: 'ERR_NOT_FOUND' } })
        expect(res.headers.allow).toBeUndefined()
      }
    }
  })

  describe('spot checks, without a session (as a scanner sends them)', () => {
    it('DELETE /lti/login (the OIDC login initiation: GET and POST)', async () => {
      const res = await request(app).delete('/lti/login').expect(405)
      expect(res.headers.allow).toBe('GET, HEAD, POST')
      expect(res.body).toEqual({ error: { code: 'ERR_METHOD_NOT_ALLOWED', message: 'DELETE is not a method of the resource at /lti/login (allowed: GET, HEAD, POST)', field: 'method', rule: 'allowed-methods' } })
    })

    it('POST /lti/jwks (the tool\'s public keys: GET only)', async () => {
      const res = await request(app).post('/lti/jwks').expect(405)
      expect(res.headers.allow).toBe('GET, HEAD')
    })

    it('PUT /reports/district and PUT /api/reports/district, HTML client or not (the 404 it replaces was JSON for every client)', async () => {
      for (const path of ['/reports/district', '/api/reports/district']) {
        const res = await request(app).put(path).set('Accept', 'text/html').expect(405)
        expect(res.headers.allow).toBe('GET, HEAD')
        expect(res.headers['content-type']).toMatch(/^application\/json/)
      }
    })

    it('PUT on a route with a parameter, and GET on a POST-only route', async () => {
      expect((await request(app).put('/lti/tasks/123').expect(405)).headers.allow).toBe('GET, HEAD')
      expect((await request(app).get('/lti/launch').expect(405)).headers.allow).toBe('POST')
      expect((await request(app).delete('/healthz').expect(405)).headers.allow).toBe('GET, HEAD')
    })

    it('a method the path has still reaches its route: GET of an unknown static file is still 404 (the route passed it on)', async () => {
      const res = await request(app).get('/lti/static/no-such-file.js').expect(404)
      expect(res.body).toMatchObject({ error: { code: 'ERR_NOT_FOUND' } })
    })

    it('HEAD is allowed wherever GET is: HEAD /lti/jwks answers as GET does, HEAD /lti/launch is 405', async () => {
      await request(app).head('/lti/jwks').expect(200)
      expect((await request(app).head('/lti/launch').expect(405)).headers.allow).toBe('POST')
    })

    it('OPTIONS keeps Express\'s own answer: 200 with Allow where a route matches, 404 elsewhere', async () => {
      const res = await request(app).options('/lti/login').expect(200)
      expect(res.headers.allow).toBe('GET, HEAD, POST')
      await request(app).options('/no-such-page').expect(404)
    })
  })

  describe('answers that stay as they were', () => {
    it('the LRS\'s own 405 under /xapi, in its own error shape (xAPI 1.0.3 Communication 2.1)', async () => {
      const res = await request(app).delete('/xapi/about').expect(405)
      expect(res.headers.allow).toBe('GET, HEAD')
      expect(res.body).toMatchObject({ error: { code: 'ERR_LRS_METHOD_NOT_ALLOWED', path: 'method' } })
      await request(app).get('/xapi/no-such-resource').expect(404)
    })

    it('a CORS preflight on /xapi/statements is answered by the LRS', async () => {
      const res = await request(app).options('/xapi/statements').set('Origin', 'https://lms.example').set('Access-Control-Request-Method', 'PUT').set('Access-Control-Request-Headers', 'Authorization, X-Experience-API-Version')
      expect(res.status).toBeLessThan(300)
      expect(res.headers['access-control-allow-methods']).toContain('PUT')
    })

    it('the xAPI Profile\'s 405', async () => {
      const res = await request(app).put('/xapi/profile').expect(405)
      expect(res.headers.allow).toBe('GET, HEAD')
      expect(res.body).toMatchObject({ error: { code: 'ERR_METHOD_NOT_ALLOWED', field: 'method', rule: 'allowed-methods' } })
    })

    it('the export API answers its own 405, in the LRS\'s error shape like the rest of its answers', async () => {
      const res = await request(app).put('/api/export/statements').expect(405)
      expect(res.headers.allow).toBe('GET, HEAD')
      expect(res.body).toMatchObject({ error: { code: 'ERR_LRS_METHOD_NOT_ALLOWED', path: 'method' } })
    })

    it('a router\'s own credential check runs first: the forwarding admin API without credentials is 401, with WWW-Authenticate', async () => {
      const res = await request(app).put('/api/admin/forwarding').expect(401)
      expect(res.headers['www-authenticate']).toMatch(/^Basic/)
    })
  })
})
