import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, SCREENSHOTS, signInAtLogin } from './chromium.ts'
import { createLocalAccount, smallTree, startOrgServer, type OrgTestServer } from '../../lti-tool/test/org-helpers.ts'
import { INSTRUCTOR, NRPS_CLAIM } from '../lti/lti-pages-helpers.ts'
import { drainPassbacks } from '../lti/passback-helpers.ts'
import { startPlatformSimulator, type PlatformSimulator } from '../lti/platform-simulator.ts'

/**
 * Issue 4's admin and facilitator pages in headless Chromium, on a phone-sized screen: an admin
 * signs in, adds the simulated Moodle with one bad field (sees that field's error, nothing saved),
 * fixes it; then a facilitator launched from that Moodle sees the grade Moodle refused with 400
 * and retries it. PGlite only (the HTTP tests cover both engines). Debian's Chromium.
 */
describe.skipIf(testEngine() !== 'pglite')('LTI admin and facilitator pages (Chromium)', () => {
  let sim: PlatformSimulator
  let s: OrgTestServer
  let browser: Browser
  let started = 0

  beforeAll(async () => {
    sim = await startPlatformSimulator()
    started = Date.now()
    s = await startOrgServer()
    sim.setTool({ loginUrl: `${s.url}/lti/login`, redirectUri: `${s.url}/lti/launch`, jwksUri: `${s.url}/lti/jwks` })
    const tree = await smallTree(s.tool)
    const school = await s.tool.org.upsertNode(tree.tenantId, { kind: 'school', code: '99020601', name: 'TK Cahaya Praya', schoolType: 'TK', parentId: tree.praya.id })
    await s.tool.org.upsertPerson(tree.tenantId, { name: 'Baiq Nurhasanah', schoolId: school.id, externalId: 'ptk-99', lti: { issuer: sim.issuer, sub: 'user-99' } })
    const dewi = await s.tool.org.upsertPerson(tree.tenantId, { name: 'Dewi Lestari', externalId: 'fasda-19', lti: { issuer: sim.issuer, sub: 'user-19' } })
    await s.tool.org.grant(tree.tenantId, dewi.id, 'facilitator', tree.praya.id)
    await createLocalAccount(s.tool.accounts, { tenantId: tree.tenantId, email: 'admin@example.org', name: 'Admin TLN', role: 'admin' }, 'sandi-rahasia-123')
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await s?.close()
    await sim?.close()
  })

  it('an admin adds a platform: one bad field shows its error and saves nothing, the fixed form saves it', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } })
    await signInAtLogin(page, s.url, 'admin@example.org', 'sandi-rahasia-123')

    await page.goto(`${s.url}/lti/admin/platforms`)
    await page.screenshot({ path: join(SCREENSHOTS, 'lti-admin-platforms-empty.png'), fullPage: true })
    await page.locator('#f-issuer').fill(sim.issuer)
    await page.locator('#f-clientId').fill(sim.clientId)
    await page.locator('#f-authorizationEndpoint').fill(sim.platform.authorizationEndpoint)
    await page.locator('#f-tokenEndpoint').fill('http://moodle.example.org/mod/lti/token.php')
    await page.locator('#f-jwksUri').fill(sim.platform.jwksUri)
    await page.locator('#f-deploymentIds').fill(sim.deploymentId)
    await page.getByRole('button', { name: /Simpan platform/ }).click()
    const error = page.locator('#err-tokenEndpoint')
    await error.waitFor({ state: 'visible', timeout: 10_000 })
    expect(await error.textContent()).toContain('https://')
    expect(await page.locator('#f-clientId').inputValue()).toBe(sim.clientId)
    await page.screenshot({ path: join(SCREENSHOTS, 'lti-admin-platform-field-error.png'), fullPage: true })
    expect(await s.db.knex('lti_platform').select('id')).toEqual([])

    await page.locator('#f-tokenEndpoint').fill(sim.platform.tokenEndpoint)
    await page.getByRole('button', { name: /Simpan platform/ }).click()
    await page.locator('#tln-done').waitFor({ state: 'visible', timeout: 10_000 })
    expect(await page.locator('#tln-platforms').textContent()).toContain(sim.clientId)
    await page.screenshot({ path: join(SCREENSHOTS, 'lti-admin-platform-added.png'), fullPage: true })
    expect(await s.tool.platforms.find(sim.issuer, sim.clientId)).toBeDefined()
    await page.close()
  }, 90_000)

  it('a facilitator launched from that LMS sees the grade Moodle refused with 400, and retries it', async () => {
    const platform = (await s.tool.platforms.record(sim.issuer, sim.clientId))!
    const id = await s.db.knex.transaction((trx) => s.tool.enqueueScore(trx, {
      platform, userSub: 'user-99', scoreGiven: 85, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded',
      timestamp: new Date(), target: { lineItemsUrl: sim.double.services.lineItemsUrl, label: 'RPPH', resourceLinkId: 'rl-1' },
    }))
    expect(await drainPassbacks(s.tool)).toMatchObject({ failed: 1 })

    s.advance(Date.now() - started)
    sim.state.user = { sub: 'user-19', name: 'Dewi Lestari', email: 'dewi@example.org' }
    sim.state.next = { claims: INSTRUCTOR, omit: [NRPS_CLAIM] }
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
    const page = await context.newPage()
    await page.goto(`${sim.origin}/mod/lti/launch.php`)
    await page.waitForURL(`${s.url}/lti/launch`)
    await page.goto(`${s.url}/lti/grades`)
    const item = page.locator(`[data-passback="${id}"]`)
    await item.waitFor({ state: 'visible', timeout: 10_000 })
    expect(await item.getAttribute('data-state')).toBe('failed')
    expect(await item.textContent()).toContain('User cannot be graded')
    expect(await item.textContent()).toContain('Baiq Nurhasanah')
    await page.screenshot({ path: join(SCREENSHOTS, 'lti-grades-failed-passback.png'), fullPage: true })

    sim.double.services.members.push({ user_id: 'user-99', roles: ['Learner'], name: 'Baiq Nurhasanah' })
    await item.getByRole('button', { name: /Coba lagi sekarang/ }).click()
    await page.locator('#tln-done').waitFor({ state: 'visible', timeout: 10_000 })
    expect((await s.tool.passbacks.find(id))!.status).toBe('pending')
    await page.screenshot({ path: join(SCREENSHOTS, 'lti-grades-retried.png'), fullPage: true })
    await context.close()
  }, 90_000)
})
