import { randomBytes } from 'node:crypto'
import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { createLrs } from '@tln/lrs'
import { createLtiTool, type LtiTool } from '@tln/lti-tool'
import { createApp, loadConfig } from '@tln/server'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * Who may frame which page (lti-tool `http/headers.ts`, `Framing`). A page that is only ever
 * top-level forbids framing, so no other site can put it under a decoy for clickjacking (CSP
 * Level 3 §6.4.2 `frame-ancestors 'none'`, RFC 7034 `X-Frame-Options: DENY` for older browsers):
 * the local sign-in pages and their error pages, the new-window hand-off, a mentee's
 * confirmation link. A page that a launched user reaches inside the LMS iframe stays
 * frameable by any LMS (LTI Core 1.3 §6.1: the platform may show the tool in an iframe).
 */
const PUBLIC = 'https://tln.example.org'

function frameAncestors(csp: string | undefined): string | undefined {
  return (csp ?? '').split(';').map((d) => d.trim()).find((d) => d.startsWith('frame-ancestors'))
}

function expectNeverFramed(res: { headers: Record<string, string> }): void {
  expect(frameAncestors(res.headers['content-security-policy'])).toBe("frame-ancestors 'none'")
  expect(res.headers['x-frame-options']).toBe('DENY')
}

function expectFramableByTheLms(res: { headers: Record<string, string> }): void {
  expect(frameAncestors(res.headers['content-security-policy'])).toBe('frame-ancestors *')
  expect(res.headers['x-frame-options']).toBeUndefined()
}

describe(`frame-ancestors per page on ${testEngine()}`, () => {
  let db: Db
  let tool: LtiTool
  let http: ReturnType<typeof request>
  let teacherCookie: string
  beforeAll(async () => {
    db = await createTestDb()
    const logger = { debug() {}, info() {}, warn() {}, error() {} }
    const lrs = createLrs({ knex: db.knex, logger, publicUrl: PUBLIC })
    tool = await createLtiTool({ knex: db.knex, lrs, logger, config: { publicUrl: PUBLIC, keySecret: new Uint8Array(randomBytes(32)) }, accounts: { scrypt: { logN: 10, r: 8, p: 1 }, sleep: async () => {} } })
    http = request(createApp({ config: loadConfig({}), db, logger: logger as never, lrs, publicUrl: PUBLIC, lti: tool.router, accounts: tool.accountRouter }))
    const tenantId = (await db.knex('tenant').first('id').where({ slug: 'default' })).id as string
    const teacher = await tool.users.upsert({ tenantId, issuer: 'https://lms.example.org', sub: 'frame-teacher', name: 'Siti', role: 'teacher' })
    teacherCookie = `${tool.sessions.cookieName}=${await tool.sessions.create(teacher.id, { issuer: 'https://lms.example.org', deploymentId: 'deployment-1', role: 'teacher' }, 60_000)}`
  })
  afterAll(async () => {
    await db?.close()
  })

  it('the sign-in form and its error pages are never framed (a framed login form invites clickjacking)', async () => {
    expectNeverFramed(await http.get('/login'))
    const forged = await http.post('/login').type('form').send({ email: 'a@example.org', password: 'x' })
    expect(forged.status).toBe(403)
    expect(forged.headers['x-tln-error']).toBe('ERR_TOOL_CSRF')
    expectNeverFramed(forged)
  })

  it('the new-window hand-off (/lti/continue) is never framed: it is top-level by design; the menu it opens (/lti/home) is framable, since every signed-in page links back to it', async () => {
    const tenantId = (await db.knex('tenant').first('id').where({ slug: 'default' })).id as string
    const user = await tool.users.upsert({ tenantId, issuer: 'https://lms.example.org', sub: 'frame-new-window', role: 'teacher' })
    const ticket = await tool.sessions.createTicket(user.id, { issuer: 'https://lms.example.org', deploymentId: 'deployment-1', role: 'teacher' }, 60_000)
    const handOff = await http.post('/lti/continue').type('form').send({ ticket })
    expect(handOff.status).toBe(303)
    expectNeverFramed(handOff)
    const cookie = ([] as string[]).concat(handOff.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).join('; ')
    const home = await http.get('/lti/home').set('Cookie', cookie)
    expect(home.status).toBe(200)
    expectFramableByTheLms(home)
  })

  it('every signed-in page links back to the TLN menu (/lti/home); the sign-in page and a mentee\'s link, for people not signed in, do not', async () => {
    const homeLink = '<a href="/lti/home" id="tln-home-link">'
    expect((await http.get('/lti/tasks/mine').set('Cookie', teacherCookie).expect(200)).text).toContain(homeLink)
    expect((await http.get('/lti/mentoring').set('Cookie', teacherCookie).expect(200)).text).toContain(homeLink)
    expect((await http.get('/lti/home').set('Cookie', teacherCookie).expect(200)).text).not.toContain(homeLink)
    expect((await http.get('/login').expect(200)).text).not.toContain(homeLink)
    expect((await http.get('/lti/mentoring/confirm/no-such-token')).text).not.toContain(homeLink)
  })

  it('/lti/home inside the LMS frame (Sec-Fetch-Dest: iframe) offers a never-framed page through the session hand-off form, top-level as a plain link', async () => {
    const tenantId = (await db.knex('tenant').first('id').where({ slug: 'default' })).id as string
    const admin = await tool.users.upsert({ tenantId, issuer: 'https://lms.example.org', sub: 'frame-admin', name: 'Admin', role: 'admin' })
    const cookie = `${tool.sessions.cookieName}=${await tool.sessions.create(admin.id, { issuer: 'https://lms.example.org', deploymentId: 'deployment-1', role: 'admin' }, 60_000)}`
    const framed = (await http.get('/lti/home').set('Cookie', cookie).set('Sec-Fetch-Dest', 'iframe').expect(200)).text
    expect(framed).toMatch(/<form method="post" action="\/lti\/session\/handoff"><input type="hidden" name="csrf" value="[^"]+"><input type="hidden" name="target" value="\/lti\/admin\/platforms">/)
    const topLevel = (await http.get('/lti/home').set('Cookie', cookie).set('Sec-Fetch-Dest', 'document').expect(200)).text
    expect(topLevel).toContain('<a href="/lti/admin/platforms" id="tln-platforms-link" target="_blank" rel="noopener">')
    expect(topLevel).not.toContain('/lti/session/handoff')
  })

  it('a mentee\'s confirmation link is never framed: its confirm button must not sit under another site\'s decoy', async () => {
    const gone = await http.get('/lti/mentoring/confirm/no-such-token')
    expect(gone.status).toBe(404)
    expectNeverFramed(gone)
  })

  it('pages a launched user reaches inside the LMS iframe stay framable, errors included', async () => {
    const tasks = await http.get('/lti/tasks/mine').set('Cookie', teacherCookie)
    expect(tasks.status).toBe(200)
    expectFramableByTheLms(tasks)
    const signedOut = await http.get('/lti/tasks/mine')
    expect(signedOut.status).toBe(401)
    expectFramableByTheLms(signedOut)
    // Login initiation and Dynamic Registration run in the platform's frame (LTI Core §5.1.1, Dynamic Registration 1.0 §3.3).
    expectFramableByTheLms(await http.get('/lti/login'))
    expectFramableByTheLms(await http.get('/lti/register'))
  })
})
