import { randomBytes } from 'node:crypto'
import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { createLrs } from '@tln/lrs'
import { createLtiTool, type LtiTool } from '@tln/lti-tool'
import { createApp, loadConfig } from '@tln/server'
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

/** Plain http, so that supertest's cookie jar (which keeps no `Secure` cookie over http) plays the browser. */
const PUBLIC = 'http://tln.test'
const PLATFORMS = '/lti/admin/platforms'
const LMS = 'https://lms.example.org'
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' }

/**
 * A new session replaces the one the browser had: the old id is deleted server-side, not only
 * overwritten in the cookie jar (OWASP Session Management Cheat Sheet, "Renew the Session ID After
 * Any Privilege Level Change"; OWASP Session Fixation). TLN's users share a school computer: when
 * the second teacher's hand-off, new-window ticket or sign-in lands in the browser the first one
 * used, the first one's session must stop working, for whoever kept its id. One supertest agent
 * is the shared browser's cookie jar; the framed sessions live in the LMS's partition (CHIPS), a
 * jar of their own, so the test holds them as plain ids. On PGlite and PostgreSQL.
 */
describe(`a new session replaces the browser's old one (OWASP Session Management) on ${testEngine()}`, () => {
  let db: Db
  let tool: LtiTool
  let app: ReturnType<typeof createApp>
  let tenantId: string
  /** The shared school computer's browser. */
  let browser: ReturnType<typeof request.agent>

  beforeAll(async () => {
    db = await createTestDb()
    const logger = { debug() {}, info() {}, warn() {}, error() {} }
    const lrs = createLrs({ knex: db.knex, logger, publicUrl: PUBLIC })
    tool = await createLtiTool({ knex: db.knex, lrs, logger, config: { publicUrl: PUBLIC, keySecret: new Uint8Array(randomBytes(32)) }, accounts: { scrypt: { logN: 10, r: 8, p: 1 }, sleep: async () => {} } })
    app = createApp({ config: loadConfig({}), db, logger: logger as never, lrs, publicUrl: PUBLIC, lti: tool.router, accounts: tool.accountRouter })
    tenantId = (await db.knex('tenant').first('id').where({ slug: 'default' })).id as string
  })
  afterAll(async () => { await db?.close() })
  beforeEach(() => { browser = request.agent(app) })

  /** A session framed in the LMS (its own partitioned jar): the id its cookie holds. */
  async function framed(sub: string, role: 'admin' | 'teacher' = 'admin'): Promise<string> {
    const user = await tool.users.upsert({ tenantId, issuer: LMS, sub, name: sub, role })
    return tool.sessions.create(user.id, { issuer: LMS, deploymentId: 'deployment-1', role }, 3_600_000)
  }
  const cookieOf = (id: string) => `${tool.sessions.cookieName}=${id}`
  /** The framed admin's hand-off link token, minted as the menu's form does (session + its CSRF token). */
  async function mint(framedId: string): Promise<string> {
    const page = await request(app).get(PLATFORMS).set('cookie', cookieOf(framedId))
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1]!
    const minted = await request(app).post('/lti/session/handoff').set('cookie', cookieOf(framedId)).type('form').send({ csrf, target: PLATFORMS })
    expect(minted.status).toBe(200)
    return /handoff\?token=([\w-]{43})/.exec(minted.text)![1]!
  }
  /** The session id a response set in the browser. */
  function sessionSet(res: request.Response): string {
    const line = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((l) => l.startsWith(`${tool.sessions.cookieName}=`))
    expect(line, 'a session cookie').toBeDefined()
    return line!.split(';')[0]!.split('=')[1]!
  }
  /** Opens the hand-off link in the shared browser; the top-level session id it got. */
  async function openInBrowser(token: string): Promise<string> {
    const opened = await browser.get(`/lti/session/handoff?token=${token}`).set(SAME_ORIGIN)
    expect(opened.status).toBe(303)
    return sessionSet(opened)
  }
  /** Does this session id still authenticate? Asked over HTTP with the id alone, as whoever kept it would. */
  async function authenticates(id: string): Promise<boolean> {
    const answer = await request(app).get('/lti/session').set('cookie', cookieOf(id))
    const page = await request(app).get(PLATFORMS).set('cookie', cookieOf(id))
    expect([200, 401]).toContain(page.status)
    expect(answer.body.signedIn).toBe(page.status === 200)
    return answer.body.signedIn as boolean
  }
  const userOf = async (id: string) => (await tool.sessions.find(id))?.user.sub

  it('a hand-off into a browser that holds another user\'s session deletes that session: its id no longer authenticates (two admins, one cookie jar)', async () => {
    const framedA = await framed('admin-a')
    const topA = await openInBrowser(await mint(framedA))
    expect(await authenticates(topA)).toBe(true)

    const framedB = await framed('admin-b')
    const topB = await openInBrowser(await mint(framedB))
    expect(topB).not.toBe(topA)
    expect(await authenticates(topA)).toBe(false)
    expect(await tool.sessions.find(topA)).toBeUndefined()
    // The browser is B now, and only B.
    expect((await browser.get('/lti/session')).body).toEqual({ signedIn: true, role: 'admin' })
    expect(await userOf(topB)).toBe('admin-b')
    // The framed sessions, in the LMS's partition, are not this browser's top-level cookie: they stay.
    expect(await userOf(framedA)).toBe('admin-a')
    expect(await userOf(framedB)).toBe('admin-b')
  })

  it('a second hand-off of the same user replaces the first top-level session rather than adding one beside it; a refused link replaces nothing', async () => {
    const framedA = await framed('admin-c')
    const firstToken = await mint(framedA)
    const first = await openInBrowser(firstToken)
    const second = await openInBrowser(await mint(framedA))
    expect(await authenticates(first)).toBe(false)
    expect(await authenticates(second)).toBe(true)
    // The used link again: 410, and the browser's session is as it was.
    const again = await browser.get(`/lti/session/handoff?token=${firstToken}`).set(SAME_ORIGIN)
    expect(again.status).toBe(410)
    expect(again.headers['x-tln-error']).toBe('ERR_TOOL_HANDOFF_INVALID')
    expect(await authenticates(second)).toBe(true)
  })

  it('a new-window ticket and a local sign-in on the shared computer end the session the browser had', async () => {
    const top = await openInBrowser(await mint(await framed('admin-e')))
    // A teacher's "open in a new window" from her framed launch, in the same browser.
    const teacher = await tool.users.upsert({ tenantId, issuer: LMS, sub: 'teacher-f', role: 'teacher' })
    const ticket = await tool.sessions.createTicket(teacher.id, { issuer: LMS, deploymentId: 'deployment-1', role: 'teacher' }, 60_000)
    const continued = await browser.post('/lti/continue').set(SAME_ORIGIN).type('form').send({ ticket })
    expect(continued.status).toBe(303)
    const teacherSession = sessionSet(continued)
    expect(await authenticates(top)).toBe(false)
    expect(await userOf(teacherSession)).toBe('teacher-f')

    // Then a district admin accepts her invitation (and is signed in) in the same browser.
    const invitation = await tool.accounts.invite({ tenantId, email: 'rina@example.org', name: 'Rina', role: 'admin' })
    const path = new URL(invitation.link).pathname
    const form = await browser.get(path)
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.text)![1]!
    const accepted = await browser.post('/invite').type('form').send({ csrf, token: path.split('/').pop()!, password: 'a-long-password-1', password2: 'a-long-password-1' })
    expect(accepted.status).toBe(303)
    const local = sessionSet(accepted)
    expect(await tool.sessions.find(teacherSession)).toBeUndefined()
    expect(await tool.sessions.find(local)).toBeDefined()
  })
})
