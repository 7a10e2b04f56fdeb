import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Browser, FrameLocator, Page } from 'playwright-core'
import { testEngine } from '@tln/db/testing'
import { checkStatementAgainstProfile, usesProfile, validateStatement, type Profile } from '@tln/xapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, SCREENSHOTS } from './chromium.ts'
import { createLocalAccount } from '../../lti-tool/test/org-helpers.ts'
import { CUSTOM, FACILITATOR, INSTRUCTOR, NRPS, ROLES, RPPH_TASK, TEACHER, startJourneyServer, type JourneyServer } from './journey-server.ts'

/**
 * Issue 5's main journeys walked end to end, in order, on ONE server (xAPI LRS, LTI tool, local
 * accounts, passback worker) with the simulated LMS, in headless Chromium:
 * 1. a teacher launches the RPPH task inside the LMS course page's iframe and sends a photo on a
 *    throttled connection (CDP Network.emulateNetworkConditions, 400 kbit/s, 300 ms) — the progress
 *    bar shows, the task ends "submitted";
 * 2. the teacher launches TLN again, logs two mentoring sessions with a colleague (one with a photo);
 *    the colleague confirms through the shared link without an account;
 * 3. a facilitator launches as Instructor, grades the RPPH with the rubric (the score reaches the
 *    simulator's AGS gradebook through the running worker) and verifies the confirmed session;
 * 4. a district admin signs in with a local account and imports a schools CSV with one bad row:
 *    that row's error shows and nothing is stored;
 * 5. every statement of the journey, read back through `GET /xapi/statements` with a read-only
 *    credential, follows the TLN xAPI Profile (the validator of test/profile/tln-profile.test.ts).
 * Screenshots of each page go to test-results/screenshots/journey-*.png. PGlite only, like the
 * other browser tests (the browser part does not depend on the engine; HTTP tests cover both).
 */
const profile = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../docs/xapi-profile/tln-profile.jsonld'), 'utf8')) as Profile
const PHONE = { width: 360, height: 740 }
const VERB = {
  launched: 'http://adlnet.gov/expapi/verbs/launched',
  submit: 'http://activitystrea.ms/schema/1.0/submit',
  mentored: 'http://id.tincanapi.com/verb/mentored',
  confirm: 'http://activitystrea.ms/schema/1.0/confirm',
  approve: 'http://activitystrea.ms/schema/1.0/approve',
  scored: 'http://adlnet.gov/expapi/verbs/scored',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  commented: 'http://adlnet.gov/expapi/verbs/commented',
}

let step = 0
const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `journey-${String(++step).padStart(2, '0')}-${name}.png`), fullPage: true })
const count = async (s: JourneyServer, table: string) => Number(((await s.db.knex(table).count('* as n').first()) as { n: number | string }).n)

describe.skipIf(testEngine() !== 'pglite')('issue 5 journey: LMS launch → RPPH photo → mentoring → grading → gradebook → CSV import → LRS (Chromium)', () => {
  let s: JourneyServer
  let browser: Browser
  let d1: string

  beforeAll(async () => {
    s = await startJourneyServer('127.0.0.1')
    const org = s.tool.org
    const tenantId = await org.tenantId('default')
    const province = await org.upsertNode(tenantId, { kind: 'province', code: '52', name: 'Nusa Tenggara Barat' })
    const district = await org.upsertNode(tenantId, { kind: 'district', code: '52.02', name: 'Kabupaten Lombok Tengah', parentId: province.id })
    d1 = district.id
    const praya = await org.upsertNode(tenantId, { kind: 'kecamatan', code: '52.02.06', name: 'Praya', parentId: district.id })
    const school = await org.upsertNode(tenantId, { kind: 'school', code: '99020601', name: 'TK Cahaya Praya', schoolType: 'TK', parentId: praya.id })
    const issuer = s.sim.platform.issuer
    const siti = await org.upsertPerson(tenantId, { name: TEACHER.name, schoolId: school.id, lti: { issuer, sub: TEACHER.sub } })
    await org.grant(tenantId, siti.id, 'teacher', school.id)
    const dewi = await org.upsertPerson(tenantId, { name: FACILITATOR.name, lti: { issuer, sub: FACILITATOR.sub } })
    await org.grant(tenantId, dewi.id, 'facilitator', praya.id)
    await createLocalAccount(s.tool.accounts, { tenantId, email: 'dinas@example.org', name: 'Dinas Lombok Tengah', role: 'district-admin', nodeId: district.id }, 'sandi-rahasia-123')
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await s?.close()
  })

  it('walks every role\'s journey on one server, and every statement follows the TLN profile', async () => {
    // 1. The teacher opens the course in the LMS; its iframe launches the RPPH task (same site, so the frame keeps the session cookie).
    const teacherPage = await (await browser.newContext({ viewport: PHONE })).newPage()
    s.sim.state.user = TEACHER
    s.sim.state.next = { claims: RPPH_TASK, omit: [NRPS] }
    await teacherPage.goto(`${s.sim.origin}/course/view.php`)
    const task: FrameLocator = teacherPage.frameLocator('#tool')
    await task.locator('#tln-upload').waitFor({ timeout: 30_000 })
    expect(await task.locator('#tln-status').getAttribute('data-status')).toBe('not_submitted')
    await shot(teacherPage, 'lms-task-in-iframe')

    const photo = Buffer.alloc(300 * 1024, 7)
    photo.set([0xff, 0xd8, 0xff, 0xe0], 0)
    await task.locator('#tln-file').setInputFiles({ name: 'rpph-media-air.jpg', mimeType: 'image/jpeg', buffer: photo })
    const cdp = await teacherPage.context().newCDPSession(teacherPage)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 300, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 })
    await task.locator('#tln-upload button[type=submit]').click()
    await task.locator('#tln-progress').waitFor({ state: 'visible', timeout: 10_000 })
    // Two 256 KB chunks at 400 kbit/s: the bar moves after the first one, long before the page turns "submitted".
    await expect.poll(async () => Number(await task.locator('#tln-progress').getAttribute('value') ?? 0) > 0, { timeout: 30_000 }).toBe(true)
    await shot(teacherPage, 'rpph-upload-progress')
    await task.locator('#tln-status[data-status="submitted"]').waitFor({ timeout: 45_000 })
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
    await shot(teacherPage, 'rpph-submitted')
    expect(await s.db.knex('task_submission').select('size', 'media_type', 'version')).toEqual([{ size: photo.length, media_type: 'image/jpeg', version: 1 }])

    // 2. The teacher launches TLN itself from the course and logs two mentoring sessions with a new colleague.
    s.sim.state.next = { omit: [NRPS] }
    await teacherPage.goto(`${s.sim.origin}/course/view.php`)
    const home = teacherPage.frameLocator('#tool')
    await home.locator('#tln-mentoring-link').click({ timeout: 20_000 })
    await home.locator('#tln-mentoring').waitFor()
    await shot(teacherPage, 'mentoring-home')
    await home.getByLabel(/Rekan di sekolah Anda/).selectOption('new')
    await home.getByLabel(/^Nama/).fill('Baiq Nurul Hidayah')
    await home.getByLabel(/Nomor HP/).fill('+62 812 3456 7890')
    await home.getByRole('button', { name: /Simpan rekan/ }).click()
    await home.locator('#tln-relation').waitFor()
    await shot(teacherPage, 'mentoring-relation')

    await home.getByLabel(/Lama \(menit\)/).fill('60')
    await home.getByLabel('Topik / Topic', { exact: true }).selectOption('RPPH')
    await home.getByLabel('Catatan / Notes', { exact: true }).fill('Menyusun RPPH tema air bersama')
    const evidence = Buffer.alloc(40 * 1024, 9)
    evidence.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0)
    await home.locator('#f-file').setInputFiles({ name: 'sesi-1.png', mimeType: 'image/png', buffer: evidence })
    await home.getByRole('button', { name: /Simpan sesi/ }).click()
    await home.locator('#tln-link').waitFor({ timeout: 20_000 })
    await shot(teacherPage, 'mentoring-share')
    const link = await home.locator('#tln-link').inputValue()

    await home.locator('a', { hasText: 'Baiq Nurul Hidayah' }).first().click()
    await home.getByLabel(/Lama \(menit\)/).fill('30')
    await home.getByLabel('Topik / Topic', { exact: true }).selectOption('PROMES')
    await home.getByRole('button', { name: /Simpan sesi/ }).click()
    await home.locator('#tln-link').waitFor()
    // Back to the TLN menu from inside the frame, the way every signed-in page offers.
    await home.locator('#tln-home-link').click()
    await expect.poll(async () => home.locator('#tln-signed-in').textContent()).toContain(TEACHER.name)
    await home.locator('#tln-my-tasks-link').waitFor()

    // The colleague confirms the first session through the link, on their own phone, without an account.
    const mentee = await (await browser.newContext({ viewport: PHONE })).newPage()
    await mentee.goto(link)
    await mentee.locator('#tln-confirm').waitFor()
    await shot(mentee, 'mentee-confirm')
    await mentee.locator('#tln-confirm').click()
    await mentee.locator('#tln-confirm-done').waitFor()
    await shot(mentee, 'mentee-confirmed')

    // 3. The facilitator launches the task as Instructor: the grading queue, then the rubric.
    const facilitator = await (await browser.newContext({ viewport: PHONE })).newPage()
    s.sim.state.user = FACILITATOR
    s.sim.state.next = { claims: { ...RPPH_TASK, ...INSTRUCTOR }, omit: [NRPS] }
    await facilitator.goto(`${s.sim.origin}/mod/lti/launch.php`)
    await facilitator.locator('a', { hasText: TEACHER.name }).click({ timeout: 20_000 })
    await facilitator.locator('input[name="level.rpph-tujuan"]').first().waitFor()
    await shot(facilitator, 'grading-rubric')
    for (const [criterion, level] of [['rpph-tujuan', 4], ['rpph-kegiatan', 3], ['rpph-media', 4], ['rpph-penilaian', 3]] as const) {
      await facilitator.locator(`#lvl-${criterion}-${level}`).check()
    }
    await facilitator.locator('#tln-feedback').fill('Foto media jelas; tujuan pembelajaran tepat.')
    await facilitator.getByRole('button', { name: /Terima dan beri nilai/ }).click()
    await facilitator.waitForURL(/\/lti\/grading$/)
    await shot(facilitator, 'grading-queue-after')
    expect(await s.db.knex('task_grade').first('decision', 'score_raw', 'passed')).toEqual({ decision: 'accepted', score_raw: 86.11, passed: true })

    // The running passback worker posts the score to the LMS gradebook (AGS 2.0 §3.4, score publish).
    await expect.poll(() => s.sim.double.services.scores.find((sc) => sc.body.userId === TEACHER.sub)?.body, { timeout: 20_000 })
      .toMatchObject({ scoreGiven: 86.11, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded' })

    // The facilitator of Praya verifies the confirmed mentoring session.
    await facilitator.goto(`${s.url}/lti/mentoring`)
    await facilitator.locator('#tln-verify-link').click()
    await facilitator.locator('#tln-verify-queue').waitFor()
    await shot(facilitator, 'mentoring-verify-queue')
    const confirmed = facilitator.locator('li', { has: facilitator.locator('[data-status="confirmed"]') })
    await confirmed.getByLabel(/Catatan/).fill('Bukti foto sesuai')
    await confirmed.getByRole('button', { name: /^Verifikasi/ }).click()
    await facilitator.waitForURL(/verify\?done=1/)
    await shot(facilitator, 'mentoring-verified')

    // The teacher sees the grade on the task.
    await teacherPage.goto(`${s.url}/lti/items/task-rpph`)
    expect(await teacherPage.locator('#tln-status').getAttribute('data-status')).toBe('accepted')
    expect(await teacherPage.locator('#tln-score').textContent()).toBe('86.11')
    await shot(teacherPage, 'rpph-graded')

    // 4. The district admin signs in with a local account and imports schools; one row is bad, so nothing is stored.
    const admin = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage()
    await admin.goto(`${s.url}/login`)
    await admin.getByLabel('Email').fill('dinas@example.org')
    await admin.getByLabel('Kata sandi').fill('sandi-rahasia-123')
    await shot(admin, 'admin-login')
    await admin.getByRole('button', { name: /Masuk/ }).click()
    await admin.waitForURL(`${s.url}/account`)
    const nodesBefore = await count(s, 'org_node')
    await admin.goto(`${s.url}/lti/org/import?node=${d1}`)
    await admin.locator('#csv').fill('npsn,name,type,kecamatan\n99020602,TK Pelangi,TK,Praya\n9902,TK Salah,TK,Praya\n99020603,KB Melati,KB,Praya\n')
    await admin.getByRole('button', { name: /Impor/ }).click()
    const problems = admin.locator('#tln-import-problems')
    await problems.waitFor({ state: 'visible', timeout: 10_000 })
    await shot(admin, 'admin-import-bad-row')
    const rows = await problems.locator('tbody tr').allTextContents()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toContain('3')
    expect(rows[0]).toContain('npsn-format')
    expect(rows[0]).toContain('NPSN harus 8 angka')
    expect(await count(s, 'org_node')).toBe(nodesBefore)

    // 5. The LRS holds every action's statement, read back through the xAPI API with a read-only credential.
    const statements = await s.readStatements()
    expect(statements.length).toBe(await count(s, 'xapi_statement'))
    const verbs = statements.map((st) => (st.verb as { id: string }).id)
    const times = (verb: string) => verbs.filter((v) => v === verb).length
    expect(times(VERB.launched)).toBe(3)
    expect(times(VERB.submit)).toBe(1)
    expect(times(VERB.mentored)).toBe(2)
    expect(times(VERB.confirm)).toBe(1)
    expect(times(VERB.approve)).toBe(1)
    expect(times(VERB.scored)).toBe(1)
    expect(times(VERB.passed)).toBe(1)
    expect(times(VERB.commented)).toBe(1)
    for (const statement of statements) {
      validateStatement(statement, { version: '1.0.3' })
      expect(usesProfile(profile, statement), `${JSON.stringify(statement.verb)} names the profile version in category`).toBe(true)
      const check = checkStatementAgainstProfile(profile, statement)
      expect(check.templates.length, `${JSON.stringify(statement.verb)} matches a template`).toBeGreaterThan(0)
      expect(check.issues, `${JSON.stringify(statement.verb)} follows its template`).toEqual([])
    }
  }, 90_000)
})
