import type { Browser, BrowserContext, Page } from 'playwright-core'
import { CompetenceConfigStore, CompetenceEngine } from '@tln/competence'
import { testEngine, waitForHorizon } from '@tln/db/testing'
import { validateStatement } from '@tln/xapi'
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest'
import { allowAxe, blocking, checkPage, type AxeResult } from './axe.ts'
import { launchChromium, signInAtLogin } from './chromium.ts'
import { createLocalAccount } from '../../lti-tool/test/org-helpers.ts'
import { keyOf, mentored, REPORT_CONFIG, scored } from '../../lti-tool/test/reports/report-data.ts'
import { CUSTOM, FACILITATOR, INSTRUCTOR, NRPS, ROLES, RPPH_TASK, TEACHER, startJourneyServer, type JourneyServer } from './journey-server.ts'

/**
 * The pages every role uses, checked with axe-core against WCAG 2.1 A and AA in headless Chromium
 * at phone size: a page with a serious or critical violation fails; moderate and minor ones are
 * listed in the output. One server as `main.ts` composes it (LTI tool, local accounts, reports)
 * with the simulated LMS: a teacher and a facilitator arrive by LTI launch, the coordinator,
 * monitor, district admin and tool admin sign in with local accounts, and a stranger opens the
 * public pages and the error pages. PGlite only (the page HTML does not depend on the engine).
 */
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }
const PASSWORD = 'sandi-rahasia-123'
const NPSN = '99020601'

describe.skipIf(testEngine() !== 'pglite')('every role\'s pages pass axe-core\'s WCAG 2.1 A/AA rules (Chromium)', () => {
  let s: JourneyServer
  let browser: Browser
  let ids: { district: string; praya: string; inviteLink: string }
  const checked: Array<{ role: string; name: string; url: string } & AxeResult> = []

  beforeAll(async () => {
    s = await startJourneyServer('127.0.0.1')
    const org = s.tool.org
    const tenantId = await org.tenantId('default')
    const province = await org.upsertNode(tenantId, { kind: 'province', code: '52', name: 'Nusa Tenggara Barat' })
    const district = await org.upsertNode(tenantId, { kind: 'district', code: '52.02', name: 'Kabupaten Lombok Tengah', parentId: province.id })
    const praya = await org.upsertNode(tenantId, { kind: 'kecamatan', code: '52.02.06', name: 'Praya', parentId: district.id })
    const school = await org.upsertNode(tenantId, { kind: 'school', code: NPSN, name: 'TK Cahaya Praya', schoolType: 'TK', parentId: praya.id })
    const issuer = s.sim.platform.issuer
    const siti = await org.upsertPerson(tenantId, { name: TEACHER.name, schoolId: school.id, lti: { issuer, sub: TEACHER.sub } })
    await org.grant(tenantId, siti.id, 'teacher', school.id)
    const dewi = await org.upsertPerson(tenantId, { name: FACILITATOR.name, lti: { issuer, sub: FACILITATOR.sub } })
    await org.grant(tenantId, dewi.id, 'facilitator', praya.id)
    await createLocalAccount(s.tool.accounts, { tenantId, email: 'dinas@example.org', name: 'Dinas Lombok Tengah', role: 'district-admin', nodeId: district.id }, PASSWORD)
    await createLocalAccount(s.tool.accounts, { tenantId, email: 'admin@example.org', name: 'Admin TLN', role: 'admin' }, PASSWORD)
    for (const [email, name, role] of [['koordinator@example.org', 'Koordinator Praya', 'coordinator'], ['pemantau@example.org', 'Pemantau Praya', 'monitor']] as const) {
      const { invitation } = await createLocalAccount(s.tool.accounts, { tenantId, email, name, role: 'monitor', nodeId: praya.id }, PASSWORD)
      if (role !== 'monitor') {
        await org.revokeRole(tenantId, invitation.account.personId, 'monitor')
        await org.grant(tenantId, invitation.account.personId, role, praya.id)
      }
    }
    const pending = await s.tool.accounts.invite({ tenantId, email: 'baru@example.org', name: 'Pemantau Baru', role: 'monitor', nodeId: praya.id })

    // Report data: task scores and mentoring sessions of two teachers of the school, the engine caught up.
    await new CompetenceConfigStore(s.db.knex).put(tenantId, REPORT_CONFIG, 'a11y-test')
    const who = (k: number) => ({ account: `guru-${k}`, name: `Guru ${k}`, npsn: NPSN })
    const statements = [
      scored('a1', who(1), 0.8, '2026-02-10T10:00:00+08:00'), scored('a2', who(2), 0.55, '2026-02-11T10:00:00+08:00'),
      mentored('m1', who(1), { account: 'guru-2', name: 'Guru 2' }, '2026-02-12T10:00:00+08:00'),
    ]
    const { credential } = await s.lrs.credentials.create({ tenant: 'default', scopes: ['all'] })
    await s.lrs.statements.storeStatements({ tenantId: credential.tenantId, credential, version: '1.0.3' }, statements.map((st) => validateStatement(structuredClone(st) as never, { version: '1.0.3' })))
    await waitForHorizon(s.db.knex)
    await new CompetenceEngine({ knex: s.db.knex }).catchUp()

    ids = { district: district.id, praya: praya.id, inviteLink: pending.link }
    browser = await launchChromium()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await s?.close()
    const line = (c: (typeof checked)[number], v: AxeResult['violations'][number]) => `  ${c.role} · ${c.name}: ${v.impact} ${v.rule} — ${v.help} (${v.targets.join(', ')})`
    const listed = checked.flatMap((c) => c.violations.filter((v) => v.impact === 'moderate' || v.impact === 'minor').map((v) => line(c, v)))
    checked.sort((a, b) => a.role.localeCompare(b.role))
    const review = checked.flatMap((c) => c.review.map((v) => line(c, v)))
    console.log([
      `axe-core WCAG 2.1 A/AA: ${checked.length} pages checked; ${listed.length === 0 ? 'no moderate or minor violations' : `moderate and minor violations:\n${listed.join('\n')}`}`,
      ...(review.length === 0 ? [] : [`axe could not decide (look at these by hand; chart text on SVG shapes is measured by lti-tool/test/reports/charts.test.ts):\n${review.join('\n')}`]),
    ].join('\n'))
  })

  /**
   * For one test (its own `expect`, as concurrent tests need): opens `path` (unless the page is
   * already there) and checks it; serious and critical violations fail the test.
   */
  const checker = (expect: ExpectStatic) => async (page: Page, role: string, name: string, path?: string, expectStatus?: number): Promise<void> => {
    if (path !== undefined) {
      const response = await page.goto(path.startsWith('http') ? path : `${s.url}${path}`)
      if (expectStatus !== undefined) expect(response?.status(), `${role} · ${name}`).toBe(expectStatus)
      else expect(response?.status(), `${role} · ${name}: ${path}`).toBeLessThan(400)
    }
    const result = await checkPage(page)
    checked.push({ role, name, url: page.url(), ...result })
    expect.soft(blocking(result.violations).map((v) => `${v.impact} ${v.rule}: ${v.help} (${v.targets.join(', ')})`), `${role} · ${name} (${page.url()})`).toEqual([])
  }
  const phone = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext(PHONE)
    await allowAxe(context)
    return { context, page: await context.newPage() }
  }
  const signedIn = async (email: string): Promise<Page> => {
    const { page } = await phone()
    await signInAtLogin(page, s.url, email, PASSWORD)
    return page
  }
  const launched = async (user: typeof TEACHER, claims: Record<string, unknown>, messageType?: 'LtiDeepLinkingRequest'): Promise<Page> => {
    const { page } = await phone()
    s.sim.state.user = user
    s.sim.state.next = { claims, omit: [NRPS], ...(messageType !== undefined && { messageType }) }
    await page.goto(`${s.sim.origin}/mod/lti/launch.php`)
    return page
  }

  // The roles run side by side (one server, one browser, a context each); the two LMS launches share the simulator, so they run in turn.
  it.concurrent('a stranger: landing, sign-in, invitation, 404 and LTI launch error pages', async ({ expect }) => {
    const check = checker(expect)
    const { page } = await phone()
    await check(page, 'stranger', 'landing page', '/')
    await check(page, 'stranger', 'sign-in page', '/login')
    // An address with no account, so no real account's failed-attempt count moves while the others sign in.
    await page.getByLabel('Email').fill('tidak-ada@example.org')
    await page.getByLabel('Kata sandi').fill('salah-sandi-1234')
    await page.getByRole('button', { name: /Masuk/ }).click()
    await page.locator('#tln-problem').waitFor()
    await check(page, 'stranger', 'sign-in refused')
    await check(page, 'stranger', 'invitation page', ids.inviteLink)
    // Two passwords that differ: the invitation page again with its problem (the link stays unused).
    await page.locator('#password').fill('sandi-baru-12345')
    await page.locator('#password2').fill('sandi-lain-12345')
    await page.getByRole('button', { name: /Simpan dan masuk/ }).click()
    await page.locator('#tln-problem').waitFor()
    await check(page, 'stranger', 'invitation with its problem')
    await check(page, 'stranger', 'tool page without a session (401)', '/lti/home', 401)
    // A launch with a state TLN never issued: the form post the LMS would send, turned into a POST on the way.
    await page.route(`${s.url}/lti/launch`, (route) => route.continue({ method: 'POST', headers: { ...route.request().headers(), 'content-type': 'application/x-www-form-urlencoded' }, postData: 'state=never-issued&id_token=not.a.token' }))
    const launch = await page.goto(`${s.url}/lti/launch`)
    expect(launch?.status()).toBeGreaterThanOrEqual(400)
    await check(page, 'stranger', 'LTI launch error page')
  }, 120_000)

  it.concurrent('from the LMS, a teacher (RPPH task and upload form, menu, mentoring, meetings), then a facilitator (grading queue and rubric, meetings, observations, mentoring verification, grades, classes, deep-linking picker)', async ({ expect }) => {
    const check = checker(expect)
    const page = await launched(TEACHER, RPPH_TASK)
    await page.locator('#tln-upload').waitFor({ timeout: 20_000 })
    await check(page, 'teacher', 'RPPH task with the upload form')
    const photo = Buffer.alloc(20 * 1024, 7)
    photo.set([0xff, 0xd8, 0xff, 0xe0], 0)
    await page.locator('#tln-file').setInputFiles({ name: 'rpph.jpg', mimeType: 'image/jpeg', buffer: photo })
    await page.locator('#tln-upload button[type=submit]').click()
    await page.locator('#tln-status[data-status="submitted"]').waitFor({ timeout: 20_000 })
    await check(page, 'teacher', 'RPPH task submitted')
    await check(page, 'teacher', 'home menu', '/lti/home')
    await check(page, 'teacher', 'my tasks', '/lti/tasks/mine')
    await check(page, 'teacher', 'mentoring home', '/lti/mentoring')
    await page.getByLabel(/Rekan di sekolah Anda/).selectOption('new')
    await page.getByLabel(/^Nama/).fill('Baiq Nurul Hidayah')
    await page.getByRole('button', { name: /Simpan rekan/ }).click()
    await page.locator('#tln-relation').waitFor()
    await check(page, 'teacher', 'mentoring relation with the session form')
    await page.getByLabel(/Lama \(menit\)/).fill('60')
    await page.getByLabel('Topik / Topic', { exact: true }).selectOption('RPPH')
    await page.getByRole('button', { name: /Simpan sesi/ }).click()
    await page.locator('#tln-link').waitFor()
    await check(page, 'teacher', 'mentoring session share link')
    const link = await page.locator('#tln-link').inputValue()
    await check(page, 'teacher', 'meetings', '/lti/meetings')
    await check(page, 'teacher', 'meeting check-in', '/lti/meetings/check-in')
    const mentee = (await phone()).page
    await check(mentee, 'mentee', 'mentoring confirmation (no account)', link)
    await facilitatorPages(check)
  }, 120_000)

  async function facilitatorPages(check: ReturnType<typeof checker>): Promise<void> {
    const page = await launched(FACILITATOR, { ...RPPH_TASK, ...INSTRUCTOR })
    await page.locator('a', { hasText: TEACHER.name }).waitFor({ timeout: 20_000 })
    await check(page, 'facilitator', 'grading queue')
    await page.locator('a', { hasText: TEACHER.name }).click()
    await page.locator('input[name="level.rpph-tujuan"]').first().waitFor()
    await check(page, 'facilitator', 'grading rubric form')
    await check(page, 'facilitator', 'meetings', '/lti/meetings')
    const group = page.locator('a[href*="/lti/meetings/groups/"]').first()
    await group.click()
    await check(page, 'facilitator', 'meeting form of a TLN group')
    const start = new Date(Date.now() + 20 * 60_000 + 8 * 3_600_000).toISOString()
    await page.getByLabel(/^Judul/).fill('Pertemuan rutin TLN Praya')
    await page.locator('#date').fill(start.slice(0, 10))
    await page.locator('#time').fill(start.slice(11, 16))
    await page.getByLabel(/^Tempat/).fill('TK Cahaya Praya')
    await page.getByRole('button', { name: /Simpan pertemuan/ }).click()
    await page.locator('#tln-code').waitFor()
    await check(page, 'facilitator', 'meeting with its check-in code')
    await check(page, 'facilitator', 'observations', '/lti/observations')
    await check(page, 'facilitator', 'mentoring verification queue', '/lti/mentoring/verify')
    await check(page, 'facilitator', 'failed grade passbacks', '/lti/grades')
    await check(page, 'facilitator', 'course classes', '/lti/classes')
    const picker = await launched(FACILITATOR, INSTRUCTOR, 'LtiDeepLinkingRequest')
    await picker.locator('form').first().waitFor({ timeout: 20_000 })
    await check(picker, 'facilitator', 'deep-linking picker (content from TLN into the LMS)')
  }

  it.concurrent('a coordinator and a monitor: task admin, observation instruments and records', async ({ expect }) => {
    const check = checker(expect)
    const coordinator = await signedIn('koordinator@example.org')
    await check(coordinator, 'coordinator', 'account home', '/account')
    await check(coordinator, 'coordinator', 'task admin', '/lti/tasks/admin')
    await check(coordinator, 'coordinator', 'new task form', '/lti/tasks/admin/new')
    const admin = await signedIn('dinas@example.org')
    await check(admin, 'district admin', 'new observation instrument', '/lti/observations/instruments/new')
    await admin.locator('[name="name"]').fill('Observasi pembelajaran bulanan')
    await admin.locator('[name="labels"]').fill('Belum tampak\nMulai berkembang\nBerkembang sesuai harapan\nSangat baik')
    await admin.locator('[name="indicators"]').fill('OBS1 | PED.C.2 | Guru menyiapkan RPPH sebelum kegiatan\nOBS2 | PED.D.1 | Kegiatan berjalan sesuai rencana')
    await admin.locator('form button[type=submit]').last().click()
    await admin.waitForURL(/\/lti\/observations/)
    await check(admin, 'district admin', 'observations after saving an instrument')
    const monitor = await signedIn('pemantau@example.org')
    await check(monitor, 'monitor', 'observations', '/lti/observations')
    await monitor.locator('a[href^="/lti/observations/new?instrument="]').first().click()
    await monitor.locator('form[action="/lti/observations/records"]').waitFor()
    await check(monitor, 'monitor', 'new observation record form')
    await monitor.locator('form[action="/lti/observations/records"] button[type=submit]').click()
    await monitor.waitForLoadState()
    await check(monitor, 'monitor', 'observation record form with its errors')
    await monitor.locator('select[name="teacher"]').selectOption({ label: TEACHER.name })
    await monitor.locator('input[name="date"]').fill('2026-02-10')
    await monitor.locator('#r-OBS1-3').check()
    await monitor.locator('#r-OBS2-4').check()
    await monitor.locator('form[action="/lti/observations/records"] button[type=submit]').click()
    await monitor.waitForURL(/\/lti\/observations\/records\/[^/]+\?saved=1$/)
    await check(monitor, 'monitor', 'observation record saved')
  }, 120_000)

  it.concurrent('a district admin: reports (district, kecamatan, teacher, evidence, mentoring network) and the organisation import', async ({ expect }) => {
    const check = checker(expect)
    const page = await signedIn('dinas@example.org')
    await check(page, 'district admin', 'account home', '/account')
    await check(page, 'district admin', 'district report dashboard', '/reports/district')
    await check(page, 'district admin', 'mentoring network report', '/reports/mentoring-network')
    await check(page, 'district admin', 'kecamatan report', `/reports/kecamatan/${ids.praya}`)
    await check(page, 'district admin', 'teacher report', `/reports/teacher/${encodeURIComponent(keyOf('guru-1'))}`)
    await page.locator('a[href*="/evidence/"]').first().click()
    await page.waitForURL(/\/evidence\//)
    await check(page, 'district admin', 'evidence behind a rating')
    await page.locator('a[href*="/statements/"]').first().click()
    await page.waitForURL(/\/statements\//)
    await check(page, 'district admin', 'one statement of the teacher')
    await check(page, 'district admin', 'report error page (404)', `/reports/kecamatan/${ids.district}x`, 404)
    await check(page, 'district admin', 'organisation import', `/lti/org/import?node=${ids.district}`)
    await page.locator('#csv').fill('npsn,name,type,kecamatan\n99020602,TK Pelangi,TK,Praya\n9902,TK Salah,TK,Praya\n')
    await page.getByRole('button', { name: /Impor/ }).click()
    await page.locator('#tln-import-problems').waitFor({ state: 'visible', timeout: 10_000 })
    await check(page, 'district admin', 'organisation import with a bad row')
  }, 120_000)

  it.concurrent('a tool admin: platforms, programs, task admin, and the tool\'s 404 page', async ({ expect }) => {
    const check = checker(expect)
    const page = await signedIn('admin@example.org')
    await check(page, 'admin', 'LMS platforms', '/lti/admin/platforms')
    await check(page, 'admin', 'programs', '/lti/admin/programs')
    await page.locator('#program-code').fill('diklat-berjenjang-2026')
    await page.locator('#program-nameId').fill('Diklat Berjenjang 2026')
    await page.locator('#program-nameEn').fill('Tiered training 2026')
    await page.getByRole('button', { name: /Simpan program/ }).first().click()
    await page.locator('#tln-notice').waitFor({ state: 'visible', timeout: 10_000 })
    await check(page, 'admin', 'program with its tier form')
    await page.locator('#tier-level').selectOption('dasar')
    await page.locator('#tier-nameId').fill('Diklat Berjenjang Tingkat Dasar')
    await page.locator('#tier-nameEn').fill('Tiered Training, Basic Level')
    await page.locator('#tier-hours').fill('48')
    await page.locator('#tier-postTestMinPercent').fill('70')
    await page.getByRole('button', { name: /Simpan jenjang/ }).first().click()
    await page.locator('#tln-phase-form').waitFor({ state: 'visible', timeout: 10_000 })
    await check(page, 'admin', 'tier with its phase and quota forms')
    await check(page, 'admin', 'task admin', '/lti/tasks/admin')
    await check(page, 'admin', 'tool 404 page', '/lti/items/no-such-item', 404)
  }, 120_000)
})
