import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PlatformRecord } from '@tln/lti-tool'
import { startPlatformSimulator, type PlatformSimulator } from './platform-simulator.ts'
import { CookieJar } from './cookie-jar.ts'
import { connectSimulator, formAction, formFields, startToolServer, type ToolServer } from './tool-server.ts'

/**
 * Names and Role Provisioning Services 2.0 end to end: paging with `Link: rel="next"`, roles as
 * short names, full URIs and LTI 1.1 URNs, members upserted as TLN users and course roster rows,
 * members no longer listed made inactive, and the sync an Instructor launch starts.
 */
let sim: PlatformSimulator
let tln: ToolServer
let platform: PlatformRecord

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership'
const MEMBERS = [
  { user_id: 'user-17', roles: ['Learner'], name: 'Siti Rahayu', email: 'siti@example.org', status: 'Active' },
  { user_id: 'user-18', roles: [`${MEMBERSHIP}#Learner`], name: 'Budi' },
  { user_id: 'user-19', roles: ['Instructor'], name: 'Dewi', email: 'dewi@example.org' },
  { user_id: 'user-20', roles: ['Instructor#TeachingAssistant'], name: 'Agus' },
  { user_id: 'user-21', roles: ['urn:lti:role:ims/lis/Learner'], name: 'Rina' },
  { user_id: 'user-22', roles: [`${MEMBERSHIP}#Learner`], name: 'Yuni', status: 'Inactive' },
]

beforeAll(async () => {
  sim = await startPlatformSimulator()
  // Retries 20 ms apart: the waits, not their length, are what these tests check.
  tln = await startToolServer({ config: { rosterSyncIntervalMs: 0, rosterSyncRetry: { delaysMs: [20, 20], maxRetryAfterMs: 1_000 } } })
  platform = await connectSimulator(sim, tln)
})
afterAll(async () => {
  await tln?.close()
  await sim?.close()
})

const roster = async () => (await tln.db.knex('course_roster as r').join('lti_user as u', 'u.id', 'r.user_id')
  .where({ 'r.platform_id': platform.id, 'r.context_id': 'course-1' })
  .select('u.sub', 'u.name', 'u.email', 'u.role', 'r.tln_role', 'r.status', 'r.roles')
  .orderBy('u.sub')) as Array<{ sub: string; name: string | null; email: string | null; role: string; tln_role: string; status: string; roles: string[] }>
const membershipGets = () => sim.state.serviceRequests.filter((r) => r.method === 'GET' && r.url.startsWith(sim.double.services.membershipsUrl))

describe('roster sync (NRPS 2.0 §2.4)', () => {
  it('follows Link: rel="next" over 3 pages, accepts every role form, and upserts users and the course roster', async () => {
    sim.double.services.members = MEMBERS.map((m) => ({ ...m }))
    sim.double.services.pageSize = 2
    const before = membershipGets().length
    const result = await tln.tool.roster.sync(platform, sim.double.services.membershipsUrl)
    expect(result).toEqual({ contextId: 'course-1', members: 6, active: 5, deactivated: 1 })
    expect(membershipGets().length - before).toBe(3)
    const rows = await roster()
    expect(rows.map((r) => [r.sub, r.tln_role, r.status])).toEqual([
      ['user-17', 'teacher', 'active'],
      ['user-18', 'teacher', 'active'],
      ['user-19', 'facilitator', 'active'],
      ['user-20', 'facilitator', 'active'],
      ['user-21', 'teacher', 'active'],
      ['user-22', 'teacher', 'inactive'],
    ])
    expect(rows[0]!.roles).toEqual([`${MEMBERSHIP}#Learner`])
    expect(rows[3]!.roles).toEqual([`${MEMBERSHIP}/Instructor#TeachingAssistant`])
    expect(rows[4]!.roles).toEqual([`${MEMBERSHIP}#Learner`])
    expect(rows.find((r) => r.sub === 'user-19')).toMatchObject({ name: 'Dewi', email: 'dewi@example.org', role: 'facilitator' })
    const users = await tln.db.knex('lti_user').where({ issuer: sim.issuer }).whereIn('sub', MEMBERS.map((m) => m.user_id))
    expect(users).toHaveLength(6)
    expect(await tln.db.knex('course_roster_sync').where({ platform_id: platform.id, context_id: 'course-1' }).first()).toMatchObject({ status: 'ok', members: 6 })
  })

  it('asks every page with Accept application/vnd.ims.lti-nrps.v2.membershipcontainer+json and a contextmembership.readonly token, following the platform\'s next links as written (NRPS 2.0 §2.4.2, §3.6.1)', async () => {
    sim.double.services.members = MEMBERS.map((m) => ({ ...m }))
    sim.double.services.pageSize = 2
    const before = membershipGets().length
    await tln.tool.roster.sync(platform, sim.double.services.membershipsUrl)
    const pages = membershipGets().slice(before)
    const url = sim.double.services.membershipsUrl
    expect(pages.map((r) => r.url)).toEqual([url, `${url}?page=1`, `${url}?page=2`])
    for (const page of pages) {
      expect(page.accept).toBe('application/vnd.ims.lti-nrps.v2.membershipcontainer+json')
      const token = /^Bearer (\S+)$/.exec(page.authorization ?? '')?.[1]
      expect(sim.double.services.issuedTokens.get(token!)).toEqual(['https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly'])
    }
  })

  it('asks a fresh token once when a page answers 401, and finishes the sync (Security Framework 1.0 §7.1.1)', async () => {
    sim.double.services.members = MEMBERS.map((m) => ({ ...m }))
    const tokens = sim.double.services.tokenRequests
    sim.fail({ method: 'GET', path: /\/memberships$/, status: 401, body: 'token revoked' })
    expect(await tln.tool.roster.sync(platform, sim.double.services.membershipsUrl)).toMatchObject({ members: 6 })
    expect(sim.double.services.tokenRequests - tokens).toBe(1)
  })

  it('makes members no longer listed inactive, and active again when they come back', async () => {
    sim.double.services.members = MEMBERS.filter((m) => m.user_id !== 'user-18' && m.user_id !== 'user-21').map((m) => ({ ...m }))
    const result = await tln.tool.roster.sync(platform, sim.double.services.membershipsUrl)
    expect(result).toMatchObject({ members: 4, active: 3 })
    const rows = await roster()
    expect(rows.filter((r) => r.status === 'inactive').map((r) => r.sub)).toEqual(['user-18', 'user-21', 'user-22'])
    // The users stay: their launches, grades and statements still refer to them.
    expect(await tln.db.knex('lti_user').where({ issuer: sim.issuer, sub: 'user-18' }).first()).toBeDefined()

    sim.double.services.members = MEMBERS.map((m) => ({ ...m }))
    await tln.tool.roster.sync(platform, sim.double.services.membershipsUrl)
    expect((await roster()).filter((r) => r.status === 'inactive').map((r) => r.sub)).toEqual(['user-22'])
  })

  it('keeps the roster as it was and records the failure when the platform fails', async () => {
    sim.double.services.members = MEMBERS.slice(0, 2).map((m) => ({ ...m }))
    const before = await roster()
    sim.fail({ method: 'GET', path: /\/memberships$/, status: 500, body: 'oops' })
    await expect(tln.tool.roster.sync(platform, sim.double.services.membershipsUrl)).rejects.toMatchObject({ code: 'ERR_LTI_SERVICE_HTTP', status: 500 })
    expect(await roster()).toEqual(before)
    // No context id was given and none came back: the failure is kept under the memberships URL.
    expect(await tln.db.knex('course_roster_sync').where({ platform_id: platform.id, context_id: sim.double.services.membershipsUrl }).first()).toMatchObject({ status: 'failed', error: expect.stringContaining('500') })
    sim.double.services.members = MEMBERS.map((m) => ({ ...m }))
  })
})

describe('roster sync on an Instructor launch (NRPS 2.0 §3.6.1 claim)', () => {
  // One page per sync, so that memberships GETs count attempts.
  beforeAll(() => { sim.double.services.pageSize = 100 })

  async function launch(roles: string[]) {
    sim.state.next = { claims: { 'https://purl.imsglobal.org/spec/lti/claim/roles': roles } }
    const browser = new CookieJar()
    const login = await browser.login(`${tln.url}/lti/login`, sim.initiation())
    const auth = await (await fetch(login.headers.get('location')!)).text()
    return browser.post(formAction(auth), formFields(auth))
  }

  it('syncs in the background after an Instructor launch, without holding the launch', async () => {
    sim.double.services.members = [...MEMBERS.map((m) => ({ ...m })), { user_id: 'user-30', roles: ['Learner'], name: 'Wati', status: 'Active' }]
    const held = sim.hold({ method: 'GET', path: /\/memberships$/ })
    const response = await launch([`${MEMBERSHIP}#Instructor`])
    // The launch answered while the roster request is still held at the platform.
    expect(response.status).toBe(200)
    await held.reached
    held.release()
    await tln.tool.roster.idle()
    expect((await roster()).find((r) => r.sub === 'user-30')).toMatchObject({ status: 'active', tln_role: 'teacher' })
  })

  it('does not sync on a Learner launch', async () => {
    const before = membershipGets().length
    expect((await launch([`${MEMBERSHIP}#Learner`])).status).toBe(200)
    await tln.tool.roster.idle()
    expect(membershipGets().length).toBe(before)
  })

  it('logs and records a background sync that failed on every attempt; the launch still succeeds', async () => {
    const before = membershipGets().length
    sim.fail({ method: 'GET', path: /\/memberships$/, status: 503, body: 'busy', times: 3 })
    expect((await launch([`${MEMBERSHIP}#Instructor`])).status).toBe(200)
    await tln.tool.roster.idle()
    const sync = await tln.db.knex('course_roster_sync').where({ platform_id: platform.id, context_id: 'course-1' }).first()
    expect(sync).toMatchObject({ status: 'failed' })
    expect(sync.error).toContain('503')
    expect(membershipGets().length - before).toBe(3)
    expect(tln.logs().filter((l) => l.msg === 'NRPS roster sync failed; trying again')).toHaveLength(2)
    expect(tln.logs().some((l) => l.msg === 'NRPS roster sync after launch failed')).toBe(true)
  })

  it('tries a background sync again after a failure that may pass (5xx, RFC 9110 §15.6), and records it as synced', async () => {
    sim.double.services.members = [...MEMBERS.map((m) => ({ ...m })), { user_id: 'user-31', roles: ['Learner'], name: 'Lina', status: 'Active' }]
    const before = membershipGets().length
    sim.fail({ method: 'GET', path: /\/memberships$/, status: 502, body: 'bad gateway', times: 2 })
    expect((await launch([`${MEMBERSHIP}#Instructor`])).status).toBe(200)
    await tln.tool.roster.idle()
    expect(membershipGets().length - before).toBe(3)
    expect(await tln.db.knex('course_roster_sync').where({ platform_id: platform.id, context_id: 'course-1' }).first()).toMatchObject({ status: 'ok', error: null })
    expect((await roster()).find((r) => r.sub === 'user-31')).toMatchObject({ status: 'active' })
  })

  it('does not try again after a failure that will not pass by waiting (403)', async () => {
    const before = membershipGets().length
    sim.fail({ method: 'GET', path: /\/memberships$/, status: 403, body: 'not allowed', times: 3 })
    expect((await launch([`${MEMBERSHIP}#Instructor`])).status).toBe(200)
    await tln.tool.roster.idle()
    expect(membershipGets().length - before).toBe(1)
    sim.state.faults.length = 0
  })

  it('waits out a short Retry-After, and leaves a longer one to a later launch (RFC 9110 §10.2.3, RFC 6585 §4)', async () => {
    let before = membershipGets().length
    sim.fail({ method: 'GET', path: /\/memberships$/, status: 429, body: 'slow down', headers: { 'Retry-After': '0' }, times: 1 })
    await launch([`${MEMBERSHIP}#Instructor`])
    await tln.tool.roster.idle()
    expect(membershipGets().length - before).toBe(2)

    before = membershipGets().length
    sim.fail({ method: 'GET', path: /\/memberships$/, status: 429, body: 'slow down', headers: { 'Retry-After': '3600' }, times: 1 })
    await launch([`${MEMBERSHIP}#Instructor`])
    await tln.tool.roster.idle()
    expect(membershipGets().length - before).toBe(1)
  })

  it('stops trying again at shutdown instead of waiting out the delay', async () => {
    const slow = await startToolServer({ config: { rosterSyncIntervalMs: 0, rosterSyncRetry: { delaysMs: [60_000], maxRetryAfterMs: 1_000 } } })
    try {
      const slowPlatform = await connectSimulator(sim, slow)
      sim.fail({ method: 'GET', path: /\/memberships$/, status: 503, body: 'busy', times: 2 })
      const before = membershipGets().length
      slow.tool.roster.syncInBackground(slowPlatform, sim.double.services.membershipsUrl, { id: 'course-1' }, 0)
      await expect.poll(() => slow.logs().some((l) => l.msg === 'NRPS roster sync failed; trying again')).toBe(true)
      await slow.tool.roster.stop()
      expect(membershipGets().length - before).toBe(1)
      expect(await slow.db.knex('course_roster_sync').where({ platform_id: slowPlatform.id, context_id: 'course-1' }).first()).toMatchObject({ status: 'failed' })
    } finally {
      sim.state.faults.length = 0
      await slow.close()
    }
  })
})
