import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { createLrs } from '@tln/lrs'
import { createLtiTool, type LtiTool } from '@tln/lti-tool'
import { Writable } from 'node:stream'
import { createApp, createLogger, loadConfig } from '@tln/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPlatformSimulator, type PlatformSimulator } from '../lti/platform-simulator.ts'
import { formFields } from '../lti/tool-server.ts'

/**
 * Cookie tossing (issue 7, Security): a sibling subdomain (`evil.example.org` beside
 * `tln.example.org`) may set cookies with `Domain=example.org`, and TLN would read them as its own
 * (a planted session, a planted LTI state cookie = login CSRF). Behind TLS every TLN cookie is
 * therefore named `__Host-…`: RFC 6265bis §4.1.3.2, "If a cookie's name begins with a
 * case-sensitive match for the string `__Host-`, then the cookie will have been set with a
 * `Secure` attribute, a `Path` attribute with a value of `/`, and no `Domain` attribute", so no
 * other host can set one. The server runs as it does behind a TLS-terminating proxy: its public URL
 * is https, requests arrive over plain http with `X-Forwarded-Proto: https` from a trusted proxy
 * (`TLN_TRUST_PROXY`). The names follow the public URL, not the header, so a client cannot switch
 * them.
 */
const PUBLIC = 'https://tln.example.org'
const PROXY = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' }

interface SetCookie { name: string; value: string; attributes: string[]; line: string }
const parse = (line: string): SetCookie => {
  const [pair, ...attributes] = line.split(';').map((p) => p.trim())
  const eq = pair!.indexOf('=')
  return { name: pair!.slice(0, eq), value: pair!.slice(eq + 1), attributes: attributes.map((a) => a.toLowerCase()), line }
}

describe(`TLN's cookies behind TLS are __Host- cookies (RFC 6265bis §4.1.3.2) on ${testEngine()}`, () => {
  let db: Db
  let tool: LtiTool
  let sim: PlatformSimulator
  let server: Server
  let local: string
  /** Every Set-Cookie TLN sent in this file, checked all together at the end. */
  const seen: SetCookie[] = []

  const send = async (path: string, init: { method?: string; form?: Record<string, string>; cookie?: string } = {}) => {
    const headers: Record<string, string> = { ...PROXY, ...(init.cookie !== undefined && { cookie: init.cookie }) }
    const response = await fetch(`${local}${path}`, {
      method: init.method ?? (init.form === undefined ? 'GET' : 'POST'), redirect: 'manual', headers,
      ...(init.form !== undefined && { body: new URLSearchParams(init.form) }),
    })
    const cookies = response.headers.getSetCookie().map(parse)
    seen.push(...cookies)
    return { response, cookies, text: await response.text() }
  }

  /** Login initiation → cookie check → the platform's form post: what a browser holds before the launch. */
  const authorize = async () => {
    const login = await send('/lti/login', { form: sim.initiation() })
    expect(login.response.status).toBe(303)
    const state = login.cookies.find((c) => c.name.includes('lti_state_'))!
    const check = await send(new URL(login.response.headers.get('location')!, PUBLIC).pathname + new URL(login.response.headers.get('location')!, PUBLIC).search, { cookie: `${state.name}=${state.value}` })
    expect(check.response.status).toBe(302)
    const auth = await fetch(check.response.headers.get('location')!)
    expect(auth.status).toBe(200)
    return { state, check, fields: formFields(await auth.text()) }
  }

  beforeAll(async () => {
    sim = await startPlatformSimulator()
    db = await createTestDb()
    const logger = createLogger('error', new Writable({ write(_chunk, _encoding, done) { done() } }))
    const lrs = createLrs({ knex: db.knex, logger, publicUrl: PUBLIC })
    tool = await createLtiTool({ knex: db.knex, lrs, logger, config: { publicUrl: PUBLIC, keySecret: new Uint8Array(randomBytes(32)) }, accounts: { scrypt: { logN: 10, r: 8, p: 1 }, sleep: async () => {} } })
    const app = createApp({ config: loadConfig({ TLN_TRUST_PROXY: 'loopback' }), db, logger, lrs, publicUrl: PUBLIC, lti: tool.router, accounts: tool.accountRouter })
    server = createServer(app)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    sim.setTool({ loginUrl: `${PUBLIC}/lti/login`, redirectUri: `${PUBLIC}/lti/launch`, jwksUri: `${local}/lti/jwks` })
    await tool.platforms.add({ platform: sim.platform, deploymentIds: [sim.deploymentId], status: 'active', registeredBy: 'cli' })
  })
  afterAll(async () => {
    server?.closeAllConnections()
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())))
    await db?.close()
    await sim?.close()
  })

  it('an LTI login, its cookie check and launch set only __Host- cookies: state, cookies-work and session', async () => {
    const { state, check, fields } = await authorize()
    expect(state.name).toMatch(/^__Host-lti_state_[\w-]{22}$/)
    expect(check.cookies.map((c) => c.name)).toEqual(['__Host-lti_cookies_ok'])
    const launched = await send('/lti/launch', { form: fields, cookie: `${state.name}=${state.value}` })
    expect(launched.response.status).toBe(200)
    expect(launched.cookies.map((c) => c.name).sort()).toEqual([state.name, '__Host-tln_session'])
    const session = launched.cookies.find((c) => c.name === '__Host-tln_session')!
    expect((await (await fetch(`${local}/lti/session`, { headers: { ...PROXY, cookie: `${session.name}=${session.value}` } })).json())).toEqual({ signedIn: true, role: 'teacher' })
  })

  it('a later login from a browser holding __Host-lti_cookies_ok skips the cookie check; the plain name does not', async () => {
    const skip = await send('/lti/login', { form: sim.initiation(), cookie: '__Host-lti_cookies_ok=1' })
    expect(skip.response.status).toBe(302)
    const plain = await send('/lti/login', { form: sim.initiation(), cookie: 'lti_cookies_ok=1' })
    expect(plain.response.status).toBe(303)
  })

  it('refuses a launch whose state cookie comes under the plain name, which a sibling subdomain can set (login CSRF by cookie tossing)', async () => {
    const { state, fields } = await authorize()
    const tossed = await send('/lti/launch', { form: fields, cookie: `${state.name.slice('__Host-'.length)}=${state.value}` })
    expect(tossed.response.status).toBe(401)
    expect(tossed.response.headers.get('x-tln-error') ?? tossed.text).toContain('ERR_LTI_STATE_NOT_BOUND')
  })

  it('does not take a session from a plain-named tln_session cookie', async () => {
    const tenantId = (await db.knex('tenant').first('id').where({ slug: 'default' })).id as string
    const user = await tool.users.upsert({ tenantId, issuer: sim.issuer, sub: 'tossed-session', role: 'teacher' })
    const id = await tool.sessions.create(user.id, { issuer: sim.issuer, deploymentId: sim.deploymentId, role: 'teacher' }, 60_000)
    const read = async (cookie: string) => (await (await fetch(`${local}/lti/session`, { headers: { ...PROXY, cookie } })).json()) as { signedIn: boolean }
    expect(await read(`__Host-tln_session=${id}`)).toMatchObject({ signedIn: true })
    expect(await read(`tln_session=${id}`)).toEqual({ signedIn: false })
  })

  it('the sign-in pages, a local sign-in, the new-window hand-off and sign-out set only __Host- cookies; a plain-named CSRF cookie does not count', async () => {
    const tenantId = (await db.knex('tenant').first('id').where({ slug: 'default' })).id as string
    const loginPage = await send('/login')
    expect(loginPage.cookies.map((c) => c.name)).toEqual(['__Host-tln_csrf'])

    const invitation = await tool.accounts.invite({ tenantId, email: 'ani@example.org', name: 'Ani', role: 'admin' })
    const path = new URL(invitation.link).pathname
    const form = await send(path)
    const csrfCookie = form.cookies.find((c) => c.name === '__Host-tln_csrf')!
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.text)![1]!
    const fields = { csrf, token: path.split('/').pop()!, password: 'a-long-password-1', password2: 'a-long-password-1' }
    // The same value under the plain name, as a sibling subdomain could plant it: refused, nothing created.
    const tossed = await send('/invite', { form: fields, cookie: `tln_csrf=${csrfCookie.value}` })
    expect(tossed.response.status).toBe(403)
    expect(tossed.cookies.filter((c) => c.name.includes('tln_session'))).toEqual([])
    const done = await send('/invite', { form: fields, cookie: `${csrfCookie.name}=${csrfCookie.value}` })
    expect(done.response.status).toBe(303)
    const session = done.cookies.find((c) => c.name === '__Host-tln_session')!
    expect(session.value).toMatch(/^[\w-]{43}$/)

    const user = await tool.users.upsert({ tenantId, issuer: sim.issuer, sub: 'new-window', role: 'teacher' })
    const ticket = await tool.sessions.createTicket(user.id, { issuer: sim.issuer, deploymentId: sim.deploymentId, role: 'teacher' }, 60_000)
    const continued = await send('/lti/continue', { form: { ticket } })
    expect(continued.response.status).toBe(303)
    expect(continued.cookies.map((c) => c.name)).toEqual(['__Host-tln_session'])

    const out = await send('/logout', { form: { csrf }, cookie: `${csrfCookie.name}=${csrfCookie.value}; ${session.name}=${session.value}` })
    expect(out.response.status).toBe(303)
    expect(out.cookies.length).toBeGreaterThan(0)
    expect(out.cookies.every((c) => c.name === '__Host-tln_session' && c.attributes.includes('max-age=0'))).toBe(true)
  })

  it('every Set-Cookie above: __Host- name, Secure, Path=/, no Domain, HttpOnly (RFC 6265bis §4.1.3.2)', () => {
    expect(seen.length).toBeGreaterThanOrEqual(8)
    for (const cookie of seen) {
      expect(cookie.name, cookie.line).toMatch(/^__Host-/)
      expect(cookie.attributes, cookie.line).toContain('secure')
      expect(cookie.attributes, cookie.line).toContain('path=/')
      expect(cookie.attributes.filter((a) => a.startsWith('path=')), cookie.line).toEqual(['path=/'])
      expect(cookie.attributes.some((a) => a.startsWith('domain=')), cookie.line).toBe(false)
      expect(cookie.attributes, cookie.line).toContain('httponly')
    }
  })
})
