import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, SCREENSHOTS, signInAtLogin } from './chromium.ts'
import { startOrgServer, type OrgTestServer } from '../../lti-tool/test/org-helpers.ts'
import { csrfOf, meetingTree, PASSWORD, signInAs } from '../../lti-tool/test/meetings/meeting-helpers.ts'

/**
 * Issue 5's meeting and observation journeys in headless Chromium at phone size (360×740): a
 * facilitator schedules a meeting and shows its code, a teacher checks in with it from their
 * phone, the facilitator sees the attendance; a monitor fills in an observation. Screenshots in
 * SCREENSHOTS. PGlite only (the HTTP tests cover both engines). Debian's Chromium, never a downloaded one.
 */
describe.skipIf(testEngine() !== 'pglite')('meetings and observations on a phone (Chromium)', () => {
  let s: OrgTestServer
  let browser: Browser
  let tree: Awaited<ReturnType<typeof meetingTree>>

  async function phoneSignedIn(email: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })
    const page = await context.newPage()
    await signInAtLogin(page, s.url, email, PASSWORD)
    return page
  }

  beforeAll(async () => {
    s = await startOrgServer()
    tree = await meetingTree(s)
    await signInAs(s, tree.tenantId, { email: 'fasil@example.org', name: 'Dewi Fasilitator', role: 'facilitator', nodeId: tree.praya.id })
    await signInAs(s, tree.tenantId, { email: 'siti@example.org', name: 'Siti Aminah', role: 'teacher', nodeId: tree.school.id, schoolId: tree.school.id })
    await signInAs(s, tree.tenantId, { email: 'rina@example.org', name: 'Rina Wati', role: 'teacher', nodeId: tree.school.id, schoolId: tree.school.id })
    await signInAs(s, tree.tenantId, { email: 'pemantau@example.org', name: 'Pemantau Praya', role: 'monitor', nodeId: tree.praya.id })
    const admin = (await signInAs(s, tree.tenantId, { email: 'dinas@example.org', name: 'Dinas', role: 'district-admin', nodeId: tree.d1.id })).browser
    const form = await admin.request('/lti/observations/instruments/new')
    const saved = await admin.request('/lti/observations/instruments', { form: {
      csrf: csrfOf(form.text), name: 'Observasi pembelajaran bulanan', kind: 'observation', top: '4', labels: 'Belum tampak\nMulai berkembang\nBerkembang sesuai harapan\nSangat baik',
      indicators: 'OBS1 | PED.C.2 | Guru menyiapkan RPPH sebelum kegiatan\nOBS2 | PED.D.1 | Kegiatan berjalan sesuai rencana',
    } })
    expect(saved.status).toBe(303)
    browser = await launchChromium()
  }, 90_000)
  afterAll(async () => {
    await browser?.close()
    await s?.close()
  })

  it('a facilitator shows the code, a teacher checks in with it, the facilitator sees the attendance', async () => {
    const fasil = await phoneSignedIn('fasil@example.org')
    await fasil.goto(`${s.url}/lti/meetings`)
    await fasil.getByRole('link', { name: 'TLN Praya' }).click()
    const start = new Date(Date.now() + 20 * 60_000 + 8 * 3_600_000).toISOString()
    await fasil.getByLabel(/^Judul/).fill('Pertemuan rutin TLN Praya')
    await fasil.locator('#date').fill(start.slice(0, 10))
    await fasil.locator('#time').fill(start.slice(11, 16))
    await fasil.getByLabel(/^Tempat/).fill('TK Cahaya Praya')
    await fasil.screenshot({ path: join(SCREENSHOTS, 'meeting-new.png'), fullPage: true })
    await fasil.getByRole('button', { name: /Simpan pertemuan/ }).click()
    const code = (await fasil.locator('#tln-code').textContent())!.trim()
    expect(code).toMatch(/^[A-Z0-9]{6}$/u)
    await fasil.screenshot({ path: join(SCREENSHOTS, 'meeting-code.png'), fullPage: true })
    const meetingUrl = fasil.url()

    const siti = await phoneSignedIn('siti@example.org')
    await siti.goto(`${s.url}/lti/meetings/check-in`)
    await siti.getByLabel(/Kode dari fasilitator/).fill('XXXXXX')
    await siti.getByRole('button', { name: /Kirim/ }).click()
    expect(await siti.locator('#code-error').textContent()).toContain('Kode salah')
    await siti.screenshot({ path: join(SCREENSHOTS, 'meeting-check-in-wrong.png'), fullPage: true })
    await siti.getByLabel(/Kode dari fasilitator/).fill(code.toLowerCase())
    await siti.getByRole('button', { name: /Kirim/ }).click()
    expect(await siti.locator('#tln-notice').textContent()).toContain('Kehadiran Anda')
    await siti.screenshot({ path: join(SCREENSHOTS, 'meeting-check-in-done.png'), fullPage: true })

    await fasil.goto(meetingUrl)
    expect(await fasil.locator('#tln-attended').textContent()).toContain('Siti Aminah')
    await fasil.getByLabel('Rina Wati').check()
    await fasil.getByRole('button', { name: /Simpan kehadiran/ }).click()
    expect(await fasil.locator('#tln-attended-count').textContent()).toBe('2')
    await fasil.screenshot({ path: join(SCREENSHOTS, 'meeting-attendance.png'), fullPage: true })
    const attended = await s.db.knex('xapi_statement').where({ verb_id: 'http://adlnet.gov/expapi/verbs/attended' }).count<{ count: number }[]>('* as count')
    expect(Number(attended[0]!.count)).toBe(2)
  }, 90_000)

  it('a monitor fills in an observation for a teacher', async () => {
    const monitor = await phoneSignedIn('pemantau@example.org')
    await monitor.goto(`${s.url}/lti/observations`)
    await monitor.getByRole('link', { name: /Isi untuk seorang guru/ }).click()
    await monitor.getByLabel(/^Guru/).selectOption({ label: 'Siti Aminah' })
    await monitor.locator('#date').fill(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10))
    await monitor.getByLabel('3 — Berkembang sesuai harapan').first().check()
    await monitor.getByLabel('4 — Sangat baik').nth(1).check()
    await monitor.getByLabel(/^Catatan/).fill('Kegiatan bermain balok berjalan baik.')
    await monitor.screenshot({ path: join(SCREENSHOTS, 'observation-form.png'), fullPage: true })
    await monitor.getByRole('button', { name: /Simpan/ }).click()
    expect(await monitor.locator('#tln-score').textContent()).toBe('88 / 100')
    await monitor.screenshot({ path: join(SCREENSHOTS, 'observation-record.png'), fullPage: true })
    const scored = await s.db.knex('xapi_statement').where({ verb_id: 'http://adlnet.gov/expapi/verbs/scored' }).count<{ count: number }[]>('* as count')
    expect(Number(scored[0]!.count)).toBe(1)
  }, 90_000)
})
