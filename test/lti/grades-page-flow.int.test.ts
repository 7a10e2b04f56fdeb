import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PlatformRecord, ScoreToPass } from '@tln/lti-tool'
import { smallTree, startOrgServer, type Browser, type OrgTestServer } from '../../lti-tool/test/org-helpers.ts'
import { csrfOf, signIn, type SessionBrowser } from '../../lti-tool/test/admin/admin-helpers.ts'
import { INSTRUCTOR, NRPS_CLAIM, simLaunch } from './lti-pages-helpers.ts'
import { drainPassbacks, expectSent } from './passback-helpers.ts'
import { startPlatformSimulator, type PlatformSimulator } from './platform-simulator.ts'

/**
 * Issue 4 end to end against the simulated Moodle: an administrator registers the LMS on the
 * platforms page; a grade for a learner Moodle cannot grade is refused with 400 (AGS 2.0 §3.4;
 * Moodle 5.1 behaviour) and shows on the facilitator's page with Moodle's answer, without being
 * retried; once the learner is enrolled, "retry now" sends it. A 5xx is retried with backoff and
 * shown as retrying until then.
 */
describe(`facilitator grades page against the platform simulator on ${testEngine()}`, () => {
  let sim: PlatformSimulator
  let s: OrgTestServer
  let tree: Awaited<ReturnType<typeof smallTree>>
  let platform: PlatformRecord
  let admin: Browser
  let facilitator: SessionBrowser
  /** The test server's clock stands still; launches need it at the simulator's time (iat, exp). */
  let started = 0
  const catchUpClock = () => { s.advance(Date.now() - started); started = Date.now() }

  beforeAll(async () => {
    sim = await startPlatformSimulator()
    // Taken before the server starts: its frozen clock is then never behind the simulator's.
    started = Date.now()
    s = await startOrgServer()
    sim.setTool({ loginUrl: `${s.url}/lti/login`, redirectUri: `${s.url}/lti/launch`, jwksUri: `${s.url}/lti/jwks` })
    tree = await smallTree(s.tool)
    const school = await s.tool.org.upsertNode(tree.tenantId, { kind: 'school', code: '99020601', name: 'TK Cahaya Praya', schoolType: 'TK', parentId: tree.praya.id })
    await s.tool.org.upsertPerson(tree.tenantId, { name: 'Baiq Nurhasanah', schoolId: school.id, externalId: 'ptk-99', lti: { issuer: sim.issuer, sub: 'user-99' } })
    await s.tool.org.upsertPerson(tree.tenantId, { name: 'Siti Rahayu', schoolId: school.id, externalId: 'ptk-17', lti: { issuer: sim.issuer, sub: 'user-17' } })
    const dewi = await s.tool.org.upsertPerson(tree.tenantId, { name: 'Dewi Lestari', externalId: 'fasda-19', lti: { issuer: sim.issuer, sub: 'user-19' } })
    await s.tool.org.grant(tree.tenantId, dewi.id, 'facilitator', tree.praya.id)
    admin = await signIn(s, { tenantId: tree.tenantId, email: 'admin@example.org', role: 'admin' })
  }, 60_000)
  afterAll(async () => {
    await s?.close()
    await sim?.close()
  })

  const worker = () => s.tool.createPassbackWorker({ random: () => 0 })
  let seq = 0
  const score = (userSub: string): ScoreToPass => {
    seq += 1
    return {
      platform, userSub, scoreGiven: 85, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded',
      timestamp: new Date(Date.UTC(2026, 10, 29, 2, 0, seq)), contextId: 'course-1',
      target: { lineItemsUrl: sim.double.services.lineItemsUrl, label: 'RPPH', resourceLinkId: 'rl-1', resourceId: 'task-rpph' },
    }
  }
  const states = (html: string) => [...html.matchAll(/data-passback="(\d+)" data-state="(\w+)"/g)].map((m) => [Number(m[1]), m[2]])

  it('registers the simulated Moodle on the admin page (manual registration, active at once)', async () => {
    const page = await admin.request('/lti/admin/platforms')
    const res = await admin.request('/lti/admin/platforms', {
      form: {
        csrf: csrfOf(page.text), issuer: sim.issuer, clientId: sim.clientId, authorizationEndpoint: sim.platform.authorizationEndpoint,
        tokenEndpoint: sim.platform.tokenEndpoint, jwksUri: sim.platform.jwksUri, deploymentIds: sim.deploymentId,
      },
    })
    expect(res.status).toBe(303)
    platform = (await s.tool.platforms.record(sim.issuer, sim.clientId))!
    expect(platform).toMatchObject({ status: 'active', deploymentIds: [sim.deploymentId] })
    catchUpClock()
    facilitator = await simLaunch(sim, s.url, { sub: 'user-19', name: 'Dewi Lestari' }, { claims: INSTRUCTOR, omit: [NRPS_CLAIM] })
  })

  it('shows a grade Moodle refused with 400 ("User cannot be graded") to the facilitator, not retried; retry now sends it once the learner is enrolled', async () => {
    const s99 = score('user-99')
    const id = await s.db.knex.transaction((trx) => s.tool.enqueueScore(trx, s99))
    expect(await drainPassbacks(s.tool)).toMatchObject({ failed: 1, sent: 0 })
    // The worker never comes back to it by itself, however long it waits.
    s.advance(2 * 3_600_000)
    expect(await worker().drain()).toMatchObject({ failed: 0, sent: 0, retry: 0 })

    const page = await facilitator.request('/lti/grades')
    expect(page.status).toBe(200)
    expect(states(page.text)).toEqual([[id, 'failed']])
    expect(page.text).toContain('HTTP 400 — User cannot be graded')
    expect(page.text).toContain('Baiq Nurhasanah')

    sim.double.services.members.push({ user_id: 'user-99', roles: ['Learner'], name: 'Baiq Nurhasanah' })
    const retried = await facilitator.request(`/lti/grades/${id}/retry`, { form: { csrf: csrfOf(page.text) } })
    expect(retried.status).toBe(303)
    await expectSent(s.tool, id)
    expect(sim.double.services.scores.filter((p) => p.body.userId === 'user-99' && p.body.timestamp === s99.timestamp.toISOString())).toHaveLength(1)
    expect(states((await facilitator.request('/lti/grades')).text)).toEqual([])
    expect(states((await facilitator.request('/lti/grades?show=sent')).text)).toEqual([[id, 'sent']])
  })

  it('shows a grade hit by a Moodle 503 as retrying with its next attempt, and retry now skips the backoff', async () => {
    const s17 = score('user-17')
    const id = await s.db.knex.transaction((trx) => s.tool.enqueueScore(trx, s17))
    sim.fail({ method: 'POST', path: /\/scores$/, status: 503, body: 'Moodle is in maintenance mode' })
    expect(await worker().drain()).toMatchObject({ retry: 1 })
    const page = await facilitator.request('/lti/grades')
    expect(states(page.text)).toEqual([[id, 'retrying']])
    expect(page.text).toContain('HTTP 503 — Moodle is in maintenance mode')
    expect(page.text).toMatch(/Percobaan berikut.*<time datetime=/)
    expect(await worker().drain()).toMatchObject({ sent: 0, retry: 0 })
    expect((await facilitator.request(`/lti/grades/${id}/retry`, { form: { csrf: csrfOf(page.text) } })).status).toBe(303)
    const { attempts, retried } = await expectSent(s.tool, id)
    expect(attempts).toBe(2 + retried)
  })
})
