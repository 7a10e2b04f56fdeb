import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OrgNode, PlatformRecord, ScoreToPass } from '../../src/index.ts'
import { smallTree, startOrgServer, type OrgTestServer } from '../org-helpers.ts'
import { csrfOf, launchSession, signIn, type SessionBrowser } from './admin-helpers.ts'

const ISSUER = 'https://lms.example.org'

/**
 * The facilitator page of grade passbacks (issue 4: "a failed passback is retried with backoff and
 * visible to the facilitator, never lost"; Moodle's 400 surfaced, not retried forever): who sees
 * what (kecamatan scope, tenant), the platform's answer, and "retry now" with CSRF and scope checks.
 */
describe(`/lti/grades on ${testEngine()}`, () => {
  let s: OrgTestServer
  let tree: Awaited<ReturnType<typeof smallTree>>
  let platform: PlatformRecord
  let facilitator: SessionBrowser
  const jobs = { refused: 0, retrying: 0, dead: 0, sent: 0, selong: 0, unplaced: 0, otherTenant: 0 }

  beforeAll(async () => {
    s = await startOrgServer()
    tree = await smallTree(s.tool)
    const school = await s.tool.org.upsertNode(tree.tenantId, { kind: 'school', code: '99020601', name: 'TK Cahaya Praya', schoolType: 'TK', parentId: tree.praya.id })
    const selongSchool = await s.tool.org.upsertNode(tree.tenantId, { kind: 'school', code: '99030101', name: 'TK Selong', schoolType: 'TK', parentId: tree.k2.id })
    platform = await s.tool.platforms.add({ status: 'active', registeredBy: 'cli', deploymentIds: ['d-1'], platform: endpoints(ISSUER, 'c-1') })
    await s.db.knex('tenant').insert({ slug: 'other', name: 'Other province' })
    const otherPlatform = await s.tool.platforms.add({ tenant: 'other', status: 'active', registeredBy: 'cli', deploymentIds: ['d-1'], platform: endpoints('https://other.example.org', 'c-9') })
    await teacher('t-praya-1', 'Siti Rahayu', school)
    await teacher('t-praya-2', 'Baiq Nur', school)
    await teacher('t-praya-3', 'Lalu Ahmad', school)
    await teacher('t-praya-4', 'Rina', school)
    await teacher('t-selong', 'Yuni', selongSchool)
    jobs.refused = await job(platform, 't-praya-1', { status: 'failed', attempts: 1, last_error: 'HTTP 400', last_error_status: 400, last_error_body: 'User cannot be graded' })
    jobs.retrying = await job(platform, 't-praya-2', { status: 'pending', attempts: 2, last_error: 'HTTP 503', last_error_status: 503, last_error_body: 'maintenance', next_attempt_at: new Date(Date.now() + 3_600_000) })
    jobs.dead = await job(platform, 't-praya-3', { status: 'failed', attempts: 12, last_error: 'gave up after 12 attempts: HTTP 502', last_error_status: 502 })
    jobs.sent = await job(platform, 't-praya-4', { status: 'sent', attempts: 1, sent_at: new Date() })
    jobs.selong = await job(platform, 't-selong', { status: 'failed', attempts: 1, last_error: 'HTTP 400', last_error_status: 400, last_error_body: 'User cannot be graded' })
    jobs.unplaced = await job(platform, 't-nowhere', { status: 'failed', attempts: 1, last_error: 'HTTP 400', last_error_status: 400, last_error_body: 'Unplaced learner' })
    jobs.otherTenant = await job(otherPlatform, 't-other', { status: 'failed', attempts: 1, last_error: 'HTTP 400', last_error_status: 400, last_error_body: 'Other tenant' })
    facilitator = await launchSession(s, { tenantId: tree.tenantId, issuer: ISSUER, sub: 'f-praya', name: 'Dewi', role: 'facilitator', grant: { role: 'facilitator', node: tree.praya } })
  })
  afterAll(async () => { await s?.close() })

  async function teacher(sub: string, name: string, school: OrgNode) {
    await s.tool.org.upsertPerson(tree.tenantId, { name, schoolId: school.id, externalId: sub, lti: { issuer: ISSUER, sub } })
  }
  let seq = 0
  async function job(p: PlatformRecord, userSub: string, state: Record<string, unknown>): Promise<number> {
    seq += 1
    const score: ScoreToPass = {
      platform: p, userSub, scoreGiven: 80, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded',
      timestamp: new Date(Date.UTC(2026, 10, 29, 1, 0, seq)), target: { lineItemUrl: `${p.issuer}/mod/lti/services.php/2/lineitems/7/lineitem` },
    }
    const id = await s.db.knex.transaction((trx) => s.tool.enqueueScore(trx, score))
    await s.db.knex('grade_passback').where({ id }).update(state)
    return id
  }
  const row = async (id: number) => (await s.db.knex('grade_passback').where({ id }).first()) as { status: string; attempts: number; next_attempt_at: Date; updated_at: Date }
  const shown = (html: string) => [...html.matchAll(/data-passback="(\d+)" data-state="(\w+)"/g)].map((m) => [Number(m[1]), m[2]])

  describe('access', () => {
    it('answers 401 without a session', async () => {
      expect((await fetch(`${s.url}/lti/grades`)).status).toBe(401)
    })
    it('refuses a teacher and a district admin (no grading grant) with 403', async () => {
      const t = await launchSession(s, { tenantId: tree.tenantId, issuer: ISSUER, sub: 't-praya-1', name: 'Siti', role: 'teacher' })
      expect((await t.request('/lti/grades')).status).toBe(403)
      const dinas = await signIn(s, { tenantId: tree.tenantId, email: 'dinas@example.org', role: 'district-admin', nodeId: tree.d1.id })
      expect((await dinas.request('/lti/grades')).status).toBe(403)
    })
  })

  describe('what a facilitator sees', () => {
    it('lists the failed, retrying and dead passbacks of learners in their kecamatan, newest first, nothing else', async () => {
      const res = await facilitator.request('/lti/grades')
      expect(res.status).toBe(200)
      expect(shown(res.text)).toEqual([[jobs.dead, 'dead'], [jobs.retrying, 'retrying'], [jobs.refused, 'failed']])
      expect(res.text).toContain('id="tln-scope">Praya<')
    })
    it('shows the platform\'s answer (Moodle\'s 400 "user cannot be graded"), the attempts and the next attempt time', async () => {
      const text = (await facilitator.request('/lti/grades')).text
      expect(text).toContain('HTTP 400 — User cannot be graded')
      expect(text).toContain('<strong>Siti Rahayu</strong> — TK Cahaya Praya, Praya')
      expect(text).toContain('12 percobaan')
      const next = (await row(jobs.retrying)).next_attempt_at
      expect(text).toContain(`<time datetime="${new Date(next).toISOString()}">`)
    })
    it('filters the sent ones on request', async () => {
      expect(shown((await facilitator.request('/lti/grades?show=sent')).text)).toEqual([[jobs.sent, 'sent']])
    })
    it('shows a coordinator of the kecamatan the same scope', async () => {
      const coordinator = await launchSession(s, { tenantId: tree.tenantId, issuer: ISSUER, sub: 'c-praya', name: 'Koordinator', role: 'facilitator', grant: { role: 'coordinator', node: tree.praya } })
      expect(shown((await coordinator.request('/lti/grades')).text).map(([id]) => id)).toEqual([jobs.dead, jobs.retrying, jobs.refused])
    })
    it('shows a tenant admin every passback of the tenant, learners not placed in the tree too, never another tenant\'s', async () => {
      const admin = await signIn(s, { tenantId: tree.tenantId, email: 'admin@example.org', role: 'admin' })
      const ids = shown((await admin.request('/lti/grades?show=all')).text).map(([id]) => id)
      expect(ids).toEqual([jobs.unplaced, jobs.selong, jobs.sent, jobs.dead, jobs.retrying, jobs.refused])
      expect(ids).not.toContain(jobs.otherTenant)
    })
    it('has no script and escapes the platform\'s answer', async () => {
      await s.db.knex('grade_passback').where({ id: jobs.refused }).update({ last_error_body: '<script>alert(1)</script>User cannot be graded' })
      const text = (await facilitator.request('/lti/grades')).text
      expect(text).not.toMatch(/<script/i)
      expect(text).toContain('&#60;script&#62;')
      await s.db.knex('grade_passback').where({ id: jobs.refused }).update({ last_error_body: 'User cannot be graded' })
    })
  })

  describe('retry now', () => {
    it('refuses a retry without the session\'s CSRF token (403) and changes nothing', async () => {
      const before = await row(jobs.refused)
      const res = await facilitator.request(`/lti/grades/${jobs.refused}/retry`, { form: { csrf: 'forged' } })
      expect(res.status).toBe(403)
      expect(res.headers.get('x-tln-error')).toBe('ERR_TOOL_CSRF')
      expect(await row(jobs.refused)).toEqual(before)
    })
    it('answers another kecamatan\'s, an unplaced learner\'s and another tenant\'s passback with 404 and changes nothing', async () => {
      const csrf = csrfOf((await facilitator.request('/lti/grades')).text)
      for (const id of [jobs.selong, jobs.unplaced, jobs.otherTenant, 999_999]) {
        const before = await s.db.knex('grade_passback').where({ id }).first()
        const res = await facilitator.request(`/lti/grades/${id}/retry`, { form: { csrf } })
        expect(res.status, `job ${id}`).toBe(404)
        expect(await s.db.knex('grade_passback').where({ id }).first()).toEqual(before)
      }
      expect((await facilitator.request('/lti/grades/abc/retry', { form: { csrf } })).status).toBe(404)
    })
    it('queues a refused passback again with a fresh attempt budget', async () => {
      const csrf = csrfOf((await facilitator.request('/lti/grades')).text)
      const res = await facilitator.request(`/lti/grades/${jobs.refused}/retry`, { form: { csrf } })
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe('/lti/grades?done=retried')
      expect(await row(jobs.refused)).toMatchObject({ status: 'pending', attempts: 0 })
      expect(new Date((await row(jobs.refused)).next_attempt_at).getTime()).toBeLessThanOrEqual(Date.now())
    })
    it('resets a dead passback (out of attempts) the same way', async () => {
      const csrf = csrfOf((await facilitator.request('/lti/grades')).text)
      expect((await facilitator.request(`/lti/grades/${jobs.dead}/retry`, { form: { csrf } })).status).toBe(303)
      expect(await row(jobs.dead)).toMatchObject({ status: 'pending', attempts: 0 })
    })
    it('makes a retrying passback due now, skipping its backoff', async () => {
      const csrf = csrfOf((await facilitator.request('/lti/grades')).text)
      expect(new Date((await row(jobs.retrying)).next_attempt_at).getTime()).toBeGreaterThan(Date.now())
      expect((await facilitator.request(`/lti/grades/${jobs.retrying}/retry`, { form: { csrf } })).status).toBe(303)
      expect(await row(jobs.retrying)).toMatchObject({ status: 'pending', attempts: 2 })
      expect(new Date((await row(jobs.retrying)).next_attempt_at).getTime()).toBeLessThanOrEqual(Date.now())
    })
    it('refuses to retry a passback already sent (409)', async () => {
      const csrf = csrfOf((await facilitator.request('/lti/grades')).text)
      const res = await facilitator.request(`/lti/grades/${jobs.sent}/retry`, { form: { csrf } })
      expect(res.status).toBe(409)
      expect((await row(jobs.sent)).status).toBe('sent')
    })
  })
})

function endpoints(issuer: string, clientId: string) {
  return { issuer, clientId, authorizationEndpoint: `${issuer}/mod/lti/auth.php`, tokenEndpoint: `${issuer}/mod/lti/token.php`, jwksUri: `${issuer}/mod/lti/certs.php` }
}
