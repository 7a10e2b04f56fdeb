import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { createLrs } from '@tln/lrs'
import { createLtiTool, type LtiTool } from '@tln/lti-tool'
import { createApp, loadConfig, redactUrl } from '@tln/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CookieJar } from '../lti/cookie-jar.ts'
import { startPlatformSimulator, type PlatformSimulator } from '../lti/platform-simulator.ts'
import { formAction, formFields } from '../lti/tool-server.ts'
import { capturedLogger, listenEarly } from '../test-server.ts'

const ADMINISTRATOR = { 'https://purl.imsglobal.org/spec/lti/claim/roles': ['http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator'] }
const PLATFORMS = '/lti/admin/platforms'
const PROXY = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' }

/** The TLN app (request log included) on a real port, with a clock the test moves ahead of the real one. */
async function startServer(options: { publicUrl?: string } = {}) {
  const server = await listenEarly('127.0.0.1')
  const publicUrl = options.publicUrl ?? server.url
  const db = await createTestDb()
  let offset = 0
  const { logger, logs } = capturedLogger('debug')
  const lrs = createLrs({ knex: db.knex, logger, publicUrl })
  const tool = await createLtiTool({ knex: db.knex, lrs, logger, now: () => Date.now() + offset, config: { publicUrl, keySecret: new Uint8Array(randomBytes(32)) } })
  server.serve(createApp({ config: loadConfig({ TLN_TRUST_PROXY: 'loopback' }), db, logger, lrs, publicUrl, lti: tool.router, accounts: tool.accountRouter }))
  return {
    url: server.url, db, tool, logs, advance: (ms: number) => { offset += ms },
    close: async () => { await server.close(); await db.close() },
  }
}
type Server = Awaited<ReturnType<typeof startServer>>

const setCookies = (res: Response) => res.headers.getSetCookie()
const cookiePair = (line: string) => line.split(';')[0]!
const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('base64url')
/** The token of the hand-off page's link. */
const linkTokenOf = (html: string) => /id="tln-handoff-link"[^>]* href="\/lti\/session\/handoff\?token=([\w-]{43})"/.exec(html)![1]!

/**
 * The session hand-off (issue 7, security and UX): an admin launched inside the LMS frame, whose
 * session cookie is partitioned under the LMS's site (CHIPS), opens the never-framed platforms page
 * in a new window signed in. The token is single use, short-lived, bound to user, tenant and one
 * allowlisted path, stored hashed and never logged; the request carries the session's CSRF token.
 * Refusals change nothing. On PGlite and PostgreSQL.
 */
describe(`session hand-off from the LMS frame to a top-level window on ${testEngine()}`, () => {
  let sim: PlatformSimulator
  let s: Server
  let otherTenantId: string
  /** Every token minted in this file: none may appear in the log. */
  const minted: string[] = []

  beforeAll(async () => {
    sim = await startPlatformSimulator()
    s = await startServer()
    sim.setTool({ loginUrl: `${s.url}/lti/login`, redirectUri: `${s.url}/lti/launch`, jwksUri: `${s.url}/lti/jwks` })
    await s.tool.platforms.add({ platform: sim.platform, deploymentIds: [sim.deploymentId], status: 'active', registeredBy: 'cli' })
    await s.db.knex('tenant').insert({ slug: 'other', name: 'Other province' })
    otherTenantId = ((await s.db.knex('tenant').first('id').where({ slug: 'other' })) as { id: string }).id
    await s.tool.platforms.add({ tenant: 'other', status: 'active', registeredBy: 'cli', deploymentIds: ['x-1'], platform: { ...sim.platform, issuer: 'https://other-lms.example.org', clientId: 'other-client' } })
  }, 60_000)
  afterAll(async () => {
    await s?.close()
    await sim?.close()
  })

  /** A real launch from the simulated LMS: the framed landing page and its session cookie. */
  async function launchInFrame(claims: Record<string, unknown> = ADMINISTRATOR, browser = new CookieJar()) {
    sim.state.next = { claims }
    const auth = await fetch((await browser.login(`${s.url}/lti/login`, sim.initiation())).headers.get('location')!)
    const html = await auth.text()
    const launched = await browser.post(formAction(html), formFields(html))
    expect(launched.status, launched.headers.get('x-tln-error') ?? '').toBe(200)
    const page = await launched.text()
    const session = setCookies(launched).map(cookiePair).find((c) => c.startsWith('tln_session='))!
    // The menu's hand-off form: its CSRF token and target.
    const form = /<form method="post" action="\/lti\/session\/handoff">(.*?)<\/form>/s.exec(page)?.[1]
    return { page, session, fields: form === undefined ? undefined : formFields(form) }
  }
  const mint = async (cookie: string | undefined, fields: Record<string, string>) => {
    const res = await fetch(`${s.url}/lti/session/handoff`, { method: 'POST', redirect: 'manual', body: new URLSearchParams(fields), headers: cookie === undefined ? {} : { cookie } })
    const text = await res.text()
    if (res.status === 200) minted.push(linkTokenOf(text))
    return { res, text }
  }
  /** The top-level window's GET: no session cookie (another partition), as a click on TLN's own page sends it. */
  const open = (token: string, headers: Record<string, string> = { 'sec-fetch-site': 'same-origin' }) =>
    fetch(`${s.url}/lti/session/handoff?token=${token}`, { redirect: 'manual', headers })
  const fingerprint = async () => ({
    sessions: await s.db.knex('lti_session').select('id_hash').orderBy('id_hash'),
    handoffs: await s.db.knex('lti_session_handoff').select('token_hash').orderBy('token_hash'),
  })
  /** Runs `check` with the tool's clock `ms` ahead, then sets it back (the simulator's tokens follow the real clock). */
  async function later(ms: number, check: () => Promise<void>) {
    s.advance(ms)
    try { await check() } finally { s.advance(-ms) }
  }
  async function mintedFor(claims?: Record<string, unknown>) {
    const framed = await launchInFrame(claims)
    const { text } = await mint(framed.session, framed.fields!)
    return { framed, token: linkTokenOf(text) }
  }

  it('opens the platforms page top-level with a first-party Lax session of the same user, launch and role, and only its tenant\'s platforms', async () => {
    const framed = await launchInFrame()
    expect(framed.fields).toEqual({ csrf: expect.stringMatching(/^[\w-]{43}$/), target: PLATFORMS })
    const { res, text } = await mint(framed.session, framed.fields!)
    expect(res.status).toBe(200)
    // Answered inside the frame: framable, never cached.
    expect(res.headers.get('content-security-policy')).toContain('frame-ancestors *')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(text).toMatch(/<a id="tln-handoff-link" class="button" href="\/lti\/session\/handoff\?token=[\w-]{43}" target="_blank" rel="noopener">/)
    expect(text).not.toMatch(/<script/i)
    const token = linkTokenOf(text)
    // Stored as SHA-256 only, bound to the user, tenant and path, for 60 s.
    const [row] = await s.db.knex('lti_session_handoff').select('*')
    expect(row).toMatchObject({ token_hash: sha256(token), target_path: PLATFORMS })
    expect(JSON.stringify(row)).not.toContain(token)
    expect(new Date(row.expires_at).getTime() - new Date(row.created_at).getTime()).toBeLessThanOrEqual(61_000)

    const opened = await open(token)
    expect(opened.status).toBe(303)
    expect(opened.headers.get('location')).toBe(PLATFORMS)
    expect(opened.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    const [cookie] = setCookies(opened)
    expect(cookie).toMatch(/^tln_session=[\w-]{43}; Path=\/; HttpOnly; Max-Age=\d+; SameSite=Lax$/)
    expect(cookiePair(cookie!)).not.toBe(framed.session)

    const top = cookiePair(cookie!)
    const session = await (await fetch(`${s.url}/lti/session`, { headers: { cookie: top } })).json()
    expect(session).toEqual({ signedIn: true, role: 'admin' })
    const [a, b] = await Promise.all([framed.session, top].map((c) => s.tool.sessions.find(c.split('=')[1]!)))
    expect(b!.user).toEqual(a!.user)
    expect(b!.launch).toEqual(a!.launch)
    const platforms = await fetch(`${s.url}${PLATFORMS}`, { headers: { cookie: top } })
    expect(platforms.status).toBe(200)
    const html = await platforms.text()
    expect(html).toContain(sim.clientId)
    expect(html).not.toContain('other-client')
    expect(await s.db.knex('lti_session_handoff').count({ n: '*' }).first().then((r) => Number(r!.n))).toBe(0)
  })

  it('is single use: the second GET of the same link answers 410 and opens nothing (atomic DELETE … RETURNING)', async () => {
    const { token } = await mintedFor()
    const [first, second] = await Promise.all([open(token), open(token)])
    expect([first.status, second.status].sort()).toEqual([303, 410])
    const before = await fingerprint()
    const again = await open(token)
    expect(again.status).toBe(410)
    expect(again.headers.get('x-tln-error')).toBe('ERR_TOOL_HANDOFF_INVALID')
    expect(setCookies(again)).toEqual([])
    expect(await again.text()).toContain('sudah dipakai atau kedaluwarsa')
    expect(await fingerprint()).toEqual(before)
  })

  it('expires after 60 s (410), and works up to then; the cleanup deletes expired links', async () => {
    const early = await mintedFor()
    const late = await mintedFor()
    const unused = await mintedFor()
    await later(59_000, async () => { expect((await open(early.token)).status).toBe(303) })
    await later(60_001, async () => {
      const before = await fingerprint()
      const refused = await open(late.token)
      expect(refused.status).toBe(410)
      expect(refused.headers.get('x-tln-error')).toBe('ERR_TOOL_HANDOFF_INVALID')
      expect(setCookies(refused)).toEqual([])
      expect((await fingerprint()).sessions).toEqual(before.sessions)
      await s.tool.cleanup()
      expect(await s.db.knex('lti_session_handoff').where({ token_hash: sha256(unused.token) })).toEqual([])
    })
  })

  it('never outlives the framed session: the new cookie lasts at most what the framed one had left, and none once it expired', async () => {
    const framed = await launchInFrame()
    const id = framed.session.split('=')[1]!
    const user = (await s.tool.sessions.find(id))!
    // A framed session with 30 s left.
    const short = await s.tool.sessions.create(user.user.id, user.launch, 30_000)
    const page = await fetch(`${s.url}${PLATFORMS}`, { headers: { cookie: `tln_session=${short}` } })
    const token = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!
    const a = linkTokenOf((await mint(`tln_session=${short}`, { csrf: token, target: PLATFORMS })).text)
    const b = linkTokenOf((await mint(`tln_session=${short}`, { csrf: token, target: PLATFORMS })).text)
    const opened = await open(a)
    expect(opened.status).toBe(303)
    expect(Number(/Max-Age=(\d+)/.exec(setCookies(opened)[0]!)![1])).toBeLessThanOrEqual(30)
    await later(30_001, async () => { expect((await open(b)).status).toBe(410) })
  })

  it('refuses a token minted for another tenant than its user\'s (410), opening nothing', async () => {
    const { token } = await mintedFor()
    await s.db.knex('lti_session_handoff').where({ token_hash: sha256(token) }).update({ tenant_id: otherTenantId })
    const before = (await fingerprint()).sessions
    const refused = await open(token)
    expect(refused.status).toBe(410)
    expect(refused.headers.get('x-tln-error')).toBe('ERR_TOOL_HANDOFF_INVALID')
    expect(setCookies(refused)).toEqual([])
    expect((await fingerprint()).sessions).toEqual(before)
  })

  it('refuses a target that is not an allowlisted top-level path with 400 naming field and rule, storing nothing (no open redirect)', async () => {
    const framed = await launchInFrame()
    const before = await fingerprint()
    for (const [target, rule] of [
      ['https://evil.example/', 'top-level-path'], ['//evil.example/lti/admin/platforms', 'top-level-path'], ['/lti/grades', 'top-level-path'],
      ['/lti/admin/platforms?x=1', 'top-level-path'], ['', 'required'],
    ] as const) {
      const { res, text } = await mint(framed.session, { csrf: framed.fields!.csrf!, target })
      expect(res.status, target).toBe(400)
      expect(res.headers.get('x-tln-error')).toBe('ERR_TOOL_BAD_REQUEST')
      expect(text).toContain('&#34;target&#34;')
      expect(text).toContain(`rule ${rule}`)
    }
    expect(await fingerprint()).toEqual(before)
  })

  it('requires the session and its CSRF token: none → 401, missing or another session\'s token → 403, storing nothing', async () => {
    const framed = await launchInFrame()
    const other = await launchInFrame()
    const before = await fingerprint()
    const signedOut = await mint(undefined, framed.fields!)
    expect(signedOut.res.status).toBe(401)
    expect(signedOut.res.headers.get('x-tln-error')).toBe('ERR_TOOL_NOT_SIGNED_IN')
    for (const csrf of [undefined, '', other.fields!.csrf!]) {
      const { res } = await mint(framed.session, { target: PLATFORMS, ...(csrf !== undefined && { csrf }) })
      expect(res.status).toBe(403)
      expect(res.headers.get('x-tln-error')).toBe('ERR_TOOL_CSRF')
    }
    expect(await fingerprint()).toEqual(before)
  })

  it('opens only from a TLN page (Sec-Fetch-Site same-origin; login CSRF) and only with a well-formed token, before spending it', async () => {
    const { token } = await mintedFor()
    const before = await fingerprint()
    for (const site of ['cross-site', 'same-site', 'none']) {
      const refused = await open(token, { 'sec-fetch-site': site })
      expect(refused.status).toBe(400)
      expect(await refused.text()).toContain('rule same-origin')
    }
    for (const bad of ['', 'short', `${token}x`, encodeURIComponent('a b')]) {
      const refused = await open(bad)
      expect(refused.status).toBe(400)
      expect(await refused.text()).toContain('&#34;token&#34;')
    }
    expect(await fingerprint()).toEqual(before)
    expect((await open(token)).status).toBe(303)
  })

  it('a launch into a frame whose cookie jar holds another user\'s session deletes that session (two teachers, one LMS, one browser; OWASP Session Management)', async () => {
    const browser = new CookieJar()
    const first = await launchInFrame({ sub: 'guru-satu' }, browser)
    const second = await launchInFrame({ sub: 'guru-dua' }, browser)
    const [firstId, secondId] = [first.session, second.session].map((c) => c.split('=')[1]!)
    expect(secondId).not.toBe(firstId)
    expect(await s.tool.sessions.find(firstId!)).toBeUndefined()
    expect(await (await fetch(`${s.url}/lti/session`, { headers: { cookie: first.session } })).json()).toEqual({ signedIn: false })
    expect((await s.tool.sessions.find(secondId!))?.user.sub).toBe('guru-dua')
  })

  it('teachers get no hand-off form in the framed menu (the platforms page is for admins)', async () => {
    const framed = await launchInFrame({})
    expect(framed.fields).toBeUndefined()
    expect(framed.page).not.toContain('tln-platforms-link')
  })

  it('keeps no hand-off token in the log: the request log redacts ?token= (redactUrl), the tool logs none', () => {
    expect(redactUrl('/lti/session/handoff?token=AbC-123_x')).toBe('/lti/session/handoff?token=[redacted]')
    expect(minted.length).toBeGreaterThanOrEqual(8)
    const log = JSON.stringify(s.logs())
    for (const token of minted) expect(log).not.toContain(token)
    expect(log).toContain('/lti/session/handoff?token=[redacted]')
    expect(log).toContain('session handed off to a top-level window')
  })
})

describe(`session hand-off behind TLS on ${testEngine()}`, () => {
  let s: Server
  let db: Db
  let tool: LtiTool
  beforeAll(async () => {
    s = await startServer({ publicUrl: 'https://tln.example.org' })
    ;({ db, tool } = s)
  })
  afterAll(async () => { await s?.close() })

  it('turns the partitioned framed cookie into a first-party `__Host-` cookie: Secure, SameSite=Lax, not Partitioned', async () => {
    const tenantId = ((await db.knex('tenant').first('id').where({ slug: 'default' })) as { id: string }).id
    const user = await tool.users.upsert({ tenantId, issuer: 'https://lms.example.org', sub: 'admin-1', role: 'admin' })
    const framed = await tool.sessions.create(user.id, { issuer: 'https://lms.example.org', deploymentId: 'd-1', role: 'admin' }, 3_600_000)
    const cookie = `__Host-tln_session=${framed}`
    const page = await fetch(`${s.url}${PLATFORMS}`, { headers: { ...PROXY, cookie } })
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!
    const minted = await fetch(`${s.url}/lti/session/handoff`, { method: 'POST', headers: { ...PROXY, cookie }, body: new URLSearchParams({ csrf, target: PLATFORMS }) })
    expect(minted.status).toBe(200)
    const token = linkTokenOf(await minted.text())
    const opened = await fetch(`${s.url}/lti/session/handoff?token=${token}`, { redirect: 'manual', headers: { ...PROXY, 'sec-fetch-site': 'same-origin' } })
    expect(opened.status).toBe(303)
    const [line] = setCookies(opened)
    expect(line).toMatch(/^__Host-tln_session=[\w-]{43}; Path=\/; HttpOnly; Max-Age=\d+; SameSite=Lax; Secure$/)
    expect(line).not.toContain('Partitioned')
    const top = await fetch(`${s.url}${PLATFORMS}`, { headers: { ...PROXY, cookie: cookiePair(line!) } })
    expect(top.status).toBe(200)
  })
})
