import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawRequest, startSweepServer, type SweepServer } from './route-sweep-server.ts'

/**
 * CORS across the route families (the "load and attack" audit). xAPI content runs in any origin
 * and talks to the LRS from the browser with HTTP Basic in an `Authorization` header it sets itself,
 * so `/xapi` answers preflights and reflects the origin (Fetch Standard §3.2.3 "HTTP responses"),
 * but never `Access-Control-Allow-Credentials`: a page elsewhere must not send a TLN cookie or the
 * browser's remembered credentials and read the answer. Everything that signs people in by cookie
 * (`/lti`, `/reports`, `/api/reports`, `/login`, `/account`) and the export and forwarding APIs
 * opens nothing to another origin.
 */
const EVIL = 'https://evil.example'
let s: SweepServer
beforeAll(async () => { s = await startSweepServer() }, 120_000)
afterAll(async () => { await s?.close() })

describe('CORS', () => {
  it('lets a browser page in any origin call /xapi after a preflight, without credentials mode (xAPI 1.0.3 Communication 1.3)', async () => {
    const preflight = await rawRequest(s.url, 'OPTIONS', '/xapi/statements', {
      origin: 'https://content.example', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization, content-type, x-experience-api-version, if-match',
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe('https://content.example')
    expect(preflight.headers['access-control-allow-methods']).toMatch(/\bPUT\b/)
    for (const header of ['Authorization', 'Content-Type', 'X-Experience-API-Version', 'If-Match']) expect(preflight.headers['access-control-allow-headers']).toContain(header)
    expect(preflight.headers['vary']).toMatch(/Origin/)
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined()
    const answer = await rawRequest(s.url, 'GET', '/xapi/statements?limit=1', { origin: 'https://content.example', authorization: s.lrsAuth, 'x-experience-api-version': '1.0.3' })
    expect(answer.status).toBe(200)
    expect(answer.headers['access-control-allow-origin']).toBe('https://content.example')
    expect(answer.headers['access-control-expose-headers']).toMatch(/X-Experience-API-Consistent-Through/)
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined()
  })

  it('opens no cookie-signed or admin route to another origin, preflight or not', async () => {
    const paths = ['/lti/home', '/lti/api/tasks', '/reports/district', '/api/reports/district', '/login', '/account', '/api/export/statements', '/api/admin/forwarding']
    for (const path of paths) {
      for (const [method, extra] of [['GET', {}], ['OPTIONS', { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-tln-csrf' }]] as const) {
        const answer = await rawRequest(s.url, method, path, { origin: EVIL, cookie: s.admin.cookie, authorization: s.lrsAuth, ...extra })
        const seen = `${method} ${path} → ${answer.status}`
        expect(answer.status, seen).toBeLessThan(500)
        expect(answer.headers['access-control-allow-origin'], seen).toBeUndefined()
        expect(answer.headers['access-control-allow-credentials'], seen).toBeUndefined()
      }
    }
  })
})
