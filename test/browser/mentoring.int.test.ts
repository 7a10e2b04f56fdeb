import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { testEngine } from '@tln/db/testing'
import { beforeAll, describe, expect, it } from 'vitest'
import { SCREENSHOTS, useLmsToolAndBrowser } from './chromium.ts'

/**
 * Issue 5's peer-mentoring journey in headless Chromium at phone width (360×740): a teacher
 * launches TLN from the simulated LMS, opens "Pendampingan sejawat", adds a colleague who never
 * used TLN, logs two sessions (one with a photo, sent in resumable 256 KB chunks on a throttled
 * connection with a progress bar), the colleague confirms through the shared link without an account, and a facilitator of
 * the kecamatan (an Instructor launch) verifies. Screenshots of each page. PGlite only (the HTTP
 * tests in lti-tool/test/mentoring cover both engines); Debian's Chromium.
 */
const PHONE = { width: 360, height: 740 }
const NO_NRPS = ['https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice']
const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `mentoring-${name}.png`), fullPage: true })

describe.skipIf(testEngine() !== 'pglite')('peer mentoring journey (Chromium, 360×740)', () => {
  const env = useLmsToolAndBrowser('127.0.0.1')
  beforeAll(async () => {
    const { sim, tln } = env
    const org = tln.tool.org
    const tenantId = await org.tenantId('default')
    const province = await org.upsertNode(tenantId, { kind: 'province', code: '52', name: 'Nusa Tenggara Barat' })
    const district = await org.upsertNode(tenantId, { kind: 'district', code: '52.02', name: 'Kabupaten Lombok Tengah', parentId: province.id })
    const praya = await org.upsertNode(tenantId, { kind: 'kecamatan', code: '52.02.06', name: 'Praya', parentId: district.id })
    const school = await org.upsertNode(tenantId, { kind: 'school', code: '99020601', name: 'TK Cahaya Praya', schoolType: 'TK', parentId: praya.id })
    const issuer = sim.platform.issuer
    const siti = await org.upsertPerson(tenantId, { name: 'Siti Rahayu', schoolId: school.id, lti: { issuer, sub: 'user-17' } })
    await org.grant(tenantId, siti.id, 'teacher', school.id)
    await org.upsertPerson(tenantId, { name: 'Rina Wati', schoolId: school.id })
    const dewi = await org.upsertPerson(tenantId, { name: 'Dewi Lestari', lti: { issuer, sub: 'fas-1' } })
    await org.grant(tenantId, dewi.id, 'facilitator', praya.id)
  })

  it('adds a colleague, logs two sessions (one with a photo), the colleague confirms by link, a facilitator verifies', async () => {
    const { sim, tln, browser } = env
    // The teacher launches from the LMS and follows the landing page's link.
    const teacher = await (await browser.newContext({ viewport: PHONE })).newPage()
    sim.state.user = { sub: 'user-17', name: 'Siti Rahayu', email: 'siti@example.org' }
    sim.state.next = { omit: NO_NRPS }
    await teacher.goto(`${sim.origin}/mod/lti/launch.php`)
    await teacher.locator('#tln-mentoring-link').click()
    await teacher.locator('#tln-mentoring').waitFor()
    await shot(teacher, '1-home')

    // A colleague who never launched TLN, by name and phone.
    await teacher.getByLabel(/Rekan di sekolah Anda/).selectOption('new')
    await teacher.getByLabel(/^Nama/).fill('Baiq Nurul Hidayah')
    await teacher.getByLabel(/Nomor HP/).fill('+62 812 3456 7890')
    await teacher.getByRole('button', { name: /Simpan rekan/ }).click()
    await teacher.locator('#tln-relation').waitFor()
    await shot(teacher, '2-relation')

    // A bad duration first: the field says why, nothing is stored.
    await teacher.getByLabel(/Lama \(menit\)/).fill('2')
    await teacher.getByLabel('Topik / Topic', { exact: true }).selectOption('RPPH')
    await teacher.locator('#f-duration').evaluate((el) => el.removeAttribute('min'))
    await teacher.getByRole('button', { name: /Simpan sesi/ }).click()
    await teacher.locator('#err-duration').waitFor()
    await shot(teacher, '3-duration-error')
    expect(await tln.db.knex('mentoring_session').count('* as n').first()).toMatchObject({ n: 0 })

    // Session 1 with a photo, on a throttled connection: the progress bar shows, then the share page.
    await teacher.getByLabel(/Lama \(menit\)/).fill('60')
    await teacher.getByLabel('Topik / Topic', { exact: true }).selectOption('RPPH')
    await teacher.getByLabel('Catatan / Notes', { exact: true }).fill('Menyusun RPPH tema air bersama')
    const photo = Buffer.alloc(400 * 1024, 7)
    photo.set([0xff, 0xd8, 0xff, 0xe0], 0)
    await teacher.locator('#f-file').setInputFiles({ name: 'sesi-1.jpg', mimeType: 'image/jpeg', buffer: photo })
    // The photo goes up in resumable 256 KB chunks (`/lti/static/mentoring-upload.js`), not in the form post.
    const chunks: string[] = []
    teacher.on('request', (r) => { if (r.method() === 'PUT' && r.url().includes('/lti/mentoring/uploads/')) chunks.push(r.url()) })
    const cdp = await teacher.context().newCDPSession(teacher)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 200, downloadThroughput: 200 * 1024, uploadThroughput: 100 * 1024 })
    await teacher.getByRole('button', { name: /Simpan sesi/ }).click()
    await teacher.locator('#tln-progress').waitFor({ state: 'visible' })
    await expect.poll(async () => Number(await teacher.locator('#tln-progress').getAttribute('value') ?? 0) > 0 || teacher.url().includes('/share'), { timeout: 20_000 }).toBe(true)
    await shot(teacher, '4-upload-progress')
    await teacher.waitForURL(/\/share\?logged=1/, { timeout: 45_000 })
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
    expect(chunks.map((u) => new URL(u).searchParams.get('offset'))).toEqual(['0', String(256 * 1024)])
    expect(await tln.db.knex('mentoring_session').first('evidence_size')).toEqual({ evidence_size: photo.length })
    expect(await tln.db.knex('mentoring_upload').count('* as n').first()).toMatchObject({ n: 0 })
    await shot(teacher, '5-share')
    const link = await teacher.locator('#tln-link').inputValue()

    // Session 2, no photo, about Promes.
    await teacher.locator('a', { hasText: 'Baiq Nurul Hidayah' }).first().click()
    await teacher.getByLabel(/Lama \(menit\)/).fill('30')
    await teacher.getByLabel('Topik / Topic', { exact: true }).selectOption('PROMES')
    await teacher.getByRole('button', { name: /Simpan sesi/ }).click()
    await teacher.waitForURL(/\/share\?logged=1/)

    // The colleague opens the link on their own phone, without an account, and confirms.
    const mentee = await (await browser.newContext({ viewport: PHONE })).newPage()
    await mentee.goto(link)
    await mentee.locator('#tln-confirm').waitFor()
    await shot(mentee, '6-confirm')
    await mentee.locator('#tln-confirm').click()
    await mentee.locator('#tln-confirm-done').waitFor()
    await shot(mentee, '7-confirmed')

    // The teacher's page shows each session's status.
    await teacher.goto(`${tln.url}/lti/mentoring`)
    expect(await teacher.locator('[data-status="confirmed"]').count()).toBe(1)
    expect(await teacher.locator('[data-status="waiting"]').count()).toBe(1)
    await shot(teacher, '8-home-statuses')

    // A facilitator of the kecamatan launches (Instructor) and verifies the confirmed session.
    const facilitator = await (await browser.newContext({ viewport: PHONE })).newPage()
    sim.state.user = { sub: 'fas-1', name: 'Dewi Lestari', email: 'dewi@example.org' }
    sim.state.next = { omit: NO_NRPS, claims: { 'https://purl.imsglobal.org/spec/lti/claim/roles': ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'] } }
    await facilitator.goto(`${sim.origin}/mod/lti/launch.php`)
    await facilitator.locator('#tln-mentoring-link').click()
    await facilitator.locator('#tln-verify-link').click()
    await facilitator.locator('#tln-verify-queue').waitFor()
    await shot(facilitator, '9-verify-queue')
    const confirmed = facilitator.locator('li', { has: facilitator.locator('[data-status="confirmed"]') })
    await confirmed.getByLabel(/Catatan/).fill('Bukti foto sesuai')
    await confirmed.getByRole('button', { name: /^Verifikasi/ }).click()
    await facilitator.waitForURL(/verify\?done=1/)
    await shot(facilitator, '10-verified')

    const rows = (await tln.db.knex('mentoring_session').orderBy('created_at').select('status', 'evidence_type', 'duration_minutes')) as Array<Record<string, unknown>>
    expect(rows).toEqual([
      { status: 'verified', evidence_type: 'image/jpeg', duration_minutes: 60 },
      { status: 'waiting', evidence_type: null, duration_minutes: 30 },
    ])
    const verbs = ((await tln.db.knex('xapi_statement').select('statement')) as Array<{ statement: unknown }>)
      .map((r) => (typeof r.statement === 'string' ? JSON.parse(r.statement) : r.statement) as { verb: { id: string } }).map((s) => s.verb.id)
    expect(verbs.filter((v) => v === 'http://id.tincanapi.com/verb/mentored')).toHaveLength(2)
    expect(verbs).toContain('http://activitystrea.ms/schema/1.0/confirm')
    expect(verbs).toContain('http://activitystrea.ms/schema/1.0/approve')
  }, 150_000)
})
