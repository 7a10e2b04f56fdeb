import { randomBytes } from 'node:crypto'
import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { createLrs } from '@tln/lrs'
import { createLtiTool, SESSION_COOKIE, type LtiTool } from '@tln/lti-tool'
import { createApp, loadConfig } from '@tln/server'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPlatformSimulator, type PlatformSimulator } from '../lti/platform-simulator.ts'
import { CookieJar } from '../lti/cookie-jar.ts'
import { connectSimulator, formAction, formFields, startToolServer, type ToolServer } from '../lti/tool-server.ts'

/**
 * Security headers and cookies of the HTML pages (issue 7, Security): CSP without inline scripts
 * (CSP Level 3 §2.3: 'unsafe-inline' in script-src would let injected markup run),
 * `frame-ancestors` as designed (none for TLN's own pages, any for LTI pages framed by an LMS),
 * `X-Content-Type-Options: nosniff`, a `Referrer-Policy`; session cookies `HttpOnly`, `Secure`
 * over https (RFC 6265 §4.1.2.5) and `SameSite=None` only on the LTI launch cookie
 * (RFC 6265bis §5.4.7: None is what lets a cross-site launch POST set and send it).
 */
function directives(csp: string | undefined): Map<string, string[]> {
  const map = new Map<string, string[]>()
  for (const part of (csp ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/)
    if (name) map.set(name.toLowerCase(), values)
  }
  return map
}

/** Scripts fall back to default-src; neither may allow inline script. */
function expectNoInlineScript(csp: string | undefined): void {
  const d = directives(csp)
  expect(csp, 'a Content-Security-Policy').toBeDefined()
  const scripts = d.get('script-src') ?? d.get('default-src')
  expect(scripts, `script-src or default-src in ${csp}`).toBeDefined()
  expect(scripts).not.toContain("'unsafe-inline'")
  expect(scripts).not.toContain("'unsafe-eval'")
  expect(scripts).not.toContain('*')
}

function expectCommonHeaders(headers: Record<string, string | string[] | undefined>): void {
  expect(headers['x-content-type-options']).toBe('nosniff')
  expect(headers['referrer-policy']).toMatch(/^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/)
}

function cookieAttributes(setCookie: string): { name: string; attributes: string[] } {
  const [pair, ...rest] = setCookie.split(';').map((s) => s.trim())
  return { name: pair!.slice(0, pair!.indexOf('=')), attributes: rest.map((a) => a.toLowerCase()) }
}

describe(`the server's own pages on ${testEngine()}`, () => {
  let tln: ToolServer
  beforeAll(async () => {
    tln = await startToolServer()
  })
  afterAll(async () => {
    await tln?.close()
  })

  it('the landing page has a CSP without inline script, frame-ancestors none, nosniff and a Referrer-Policy', async () => {
    const res = await fetch(`${tln.url}/`)
    expect(res.status).toBe(200)
    const headers = Object.fromEntries(res.headers)
    expectNoInlineScript(headers['content-security-policy'])
    expect(directives(headers['content-security-policy']).get('frame-ancestors')).toEqual(["'none'"])
    expectCommonHeaders(headers)
  })
})

describe(`LTI pages and the launch cookie on ${testEngine()}`, () => {
  let sim: PlatformSimulator
  let tln: ToolServer
  beforeAll(async () => {
    sim = await startPlatformSimulator()
    tln = await startToolServer()
    await connectSimulator(sim, tln)
  })
  afterAll(async () => {
    await tln?.close()
    await sim?.close()
  })

  it('the launched page may be framed by any LMS (frame-ancestors *), runs no inline script, and sets an HttpOnly session cookie', async () => {
    const browser = new CookieJar()
    const login = await browser.login(`${tln.url}/lti/login`, sim.initiation())
    const auth = await (await fetch(login.headers.get('location')!)).text()
    const launched = await browser.post(formAction(auth), formFields(auth))
    expect(launched.status).toBe(200)
    const headers = Object.fromEntries(launched.headers)
    expectNoInlineScript(headers['content-security-policy'])
    expect(directives(headers['content-security-policy']).get('frame-ancestors')).toEqual(['*'])
    expect(launched.headers.get('x-frame-options')).toBeNull()
    expectCommonHeaders(headers)
    const session = launched.headers.getSetCookie().map(cookieAttributes).find((c) => c.name === SESSION_COOKIE)
    expect(session?.attributes).toContain('httponly')
    // Plain http (this test): browsers refuse SameSite=None without Secure, so it is Lax here.
    expect(session?.attributes).toContain('samesite=lax')
  })
})

describe(`the sign-in pages and cookies behind https on ${testEngine()}`, () => {
  const PUBLIC = 'https://tln.example.org'
  let db: Db
  let tool: LtiTool
  let http: ReturnType<typeof request>
  beforeAll(async () => {
    db = await createTestDb()
    const logger = { debug() {}, info() {}, warn() {}, error() {} }
    const lrs = createLrs({ knex: db.knex, logger, publicUrl: PUBLIC })
    tool = await createLtiTool({ knex: db.knex, lrs, logger, config: { publicUrl: PUBLIC, keySecret: new Uint8Array(randomBytes(32)) }, accounts: { scrypt: { logN: 10, r: 8, p: 1 }, sleep: async () => {} } })
    const app = createApp({ config: loadConfig({}), db, logger: logger as never, lrs, publicUrl: PUBLIC, lti: tool.router, accounts: tool.accountRouter })
    http = request(app)
  })
  afterAll(async () => {
    await db?.close()
  })

  it('/login has a CSP without inline script, frame-ancestors none, nosniff, a Referrer-Policy, and a Secure HttpOnly SameSite=Strict CSRF cookie', async () => {
    const res = await http.get('/login')
    expect(res.status).toBe(200)
    expectNoInlineScript(res.headers['content-security-policy'])
    expect(directives(res.headers['content-security-policy']).get('frame-ancestors')).toEqual(["'none'"])
    expectCommonHeaders(res.headers)
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map(cookieAttributes)
    expect(cookies.length).toBeGreaterThan(0)
    for (const cookie of cookies) expect(cookie.attributes).toEqual(expect.arrayContaining(['httponly', 'secure', 'samesite=strict']))
  })

  it('the new-window hand-off (/lti/continue) sets a Secure HttpOnly top-level session cookie that is not SameSite=None (RFC 6265bis §5.4.7: only the framed launch needs None)', async () => {
    const tenantId = (await db.knex('tenant').first('id').where({ slug: 'default' })).id as string
    const user = await tool.users.upsert({ tenantId, issuer: 'https://lms.example.org', sub: 'new-window-user', role: 'teacher' })
    const ticket = await tool.sessions.createTicket(user.id, { issuer: 'https://lms.example.org', deploymentId: 'deployment-1', role: 'teacher' }, 60_000)
    const res = await http.post('/lti/continue').type('form').send({ ticket })
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe('/lti/home')
    const session = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map(cookieAttributes).find((c) => c.name === `__Host-${SESSION_COOKIE}`)
    expect(session?.attributes).toEqual(expect.arrayContaining(['httponly', 'secure', 'samesite=lax']))
    expect(session?.attributes).not.toContain('samesite=none')
  })

  it('a local sign-in sets a Secure HttpOnly session cookie that is not SameSite=None (no LTI flow needs it)', async () => {
    const tenantId = (await db.knex('tenant').first('id').where({ slug: 'default' })).id as string
    const invitation = await tool.accounts.invite({ tenantId, email: 'ani@example.org', name: 'Ani', role: 'admin' })
    const path = new URL(invitation.link).pathname
    const form = await http.get(path)
    expect(form.status).toBe(200)
    const csrfCookie = ([] as string[]).concat(form.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).join('; ')
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.text)![1]!
    const done = await http.post('/invite').set('Cookie', csrfCookie).type('form').send({ csrf, token: path.split('/').pop()!, password: 'a-long-password-1', password2: 'a-long-password-1' })
    expect(done.status).toBe(303)
    const session = ([] as string[]).concat(done.headers['set-cookie'] ?? []).map(cookieAttributes).find((c) => c.name === `__Host-${SESSION_COOKIE}`)
    expect(session?.attributes).toEqual(expect.arrayContaining(['httponly', 'secure']))
    expect(session?.attributes).not.toContain('samesite=none')
    expect(session?.attributes.some((a) => a === 'samesite=lax' || a === 'samesite=strict')).toBe(true)
  })
})
