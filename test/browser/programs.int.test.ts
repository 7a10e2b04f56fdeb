import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, SCREENSHOTS, signInAtLogin } from './chromium.ts'
import { createLocalAccount, smallTree, startOrgServer, type OrgTestServer } from '../../lti-tool/test/org-helpers.ts'

/**
 * Issue 5's program pages in headless Chromium on a phone-sized screen: an administrator signs
 * in, creates a program, gives it a tier with two phases (one refused first for hours over the
 * tier's, the field's error shown, nothing saved) and a module, and sees them listed. PGlite only
 * (the HTTP tests cover both engines). Debian's Chromium.
 */
describe.skipIf(testEngine() !== 'pglite')('program pages (Chromium)', () => {
  let s: OrgTestServer
  let browser: Browser

  beforeAll(async () => {
    s = await startOrgServer()
    const tree = await smallTree(s.tool)
    await createLocalAccount(s.tool.accounts, { tenantId: tree.tenantId, email: 'admin@example.org', name: 'Admin TLN', role: 'admin' }, 'sandi-rahasia-123')
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await s?.close()
  })

  async function addPhase(page: Page, fields: { position: string; code: string; name: string; kind: string; hours: string }) {
    await page.locator('#phase-position').fill(fields.position)
    await page.locator('#phase-code').fill(fields.code)
    await page.locator('#phase-nameId').fill(fields.name)
    await page.locator('#phase-nameEn').fill(fields.name)
    await page.locator('#phase-kind').selectOption(fields.kind)
    await page.locator('#phase-hours').fill(fields.hours)
    await page.getByRole('button', { name: /Simpan fase/ }).click()
  }

  it('an admin creates a tier with two phases and a module and sees it listed', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } })
    await signInAtLogin(page, s.url, 'admin@example.org', 'sandi-rahasia-123')

    await page.goto(`${s.url}/lti/admin/programs`)
    await page.locator('#program-code').fill('diklat-berjenjang-2026')
    await page.locator('#program-nameId').fill('Diklat Berjenjang 2026')
    await page.locator('#program-nameEn').fill('Tiered training 2026')
    await page.getByRole('button', { name: /Simpan program/ }).first().click()
    await page.locator('#tln-notice').waitFor({ state: 'visible', timeout: 10_000 })

    await page.locator('#tier-level').selectOption('dasar')
    await page.locator('#tier-nameId').fill('Diklat Berjenjang Tingkat Dasar')
    await page.locator('#tier-nameEn').fill('Tiered Training, Basic Level')
    await page.locator('#tier-hours').fill('48')
    await page.locator('#tier-postTestMinPercent').fill('70')
    await page.getByRole('button', { name: /Simpan jenjang/ }).first().click()
    await page.locator('#tln-phase-form').waitFor({ state: 'visible', timeout: 10_000 })

    await addPhase(page, { position: '1', code: 'in-service-1', name: 'In-Service Learning 1', kind: 'in-service', hours: '16' })
    await page.locator('#tln-phases').waitFor({ state: 'visible', timeout: 10_000 })
    await addPhase(page, { position: '2', code: 'on-the-job-learning', name: 'On-the-Job Learning', kind: 'on-the-job', hours: '40' })
    const error = page.locator('#phase-hours-error')
    await error.waitFor({ state: 'visible', timeout: 10_000 })
    expect(await error.textContent()).toContain('paling banyak 32 JP')
    await page.screenshot({ path: join(SCREENSHOTS, 'programs-phase-hours-error.png'), fullPage: true })
    expect(Number(((await s.db.knex('program_phase').count('* as n').first()) as { n: string }).n)).toBe(1)
    await page.locator('#phase-hours').fill('24')
    await page.getByRole('button', { name: /Simpan fase/ }).click()
    await page.locator('#tln-phases li[data-phase="on-the-job-learning"]').waitFor({ state: 'visible', timeout: 10_000 })

    await page.locator('#module-phase').selectOption({ label: 'In-Service Learning 1 / In-Service Learning 1' })
    await page.locator('#module-code').fill('konsep-dasar-paud')
    await page.locator('#module-nameId').fill('Konsep Dasar Pendidikan Anak Usia Dini')
    await page.locator('#module-nameEn').fill('Foundations of early-childhood education')
    await page.locator('#module-hours').fill('4')
    await page.locator('#module-lmsActivityIds').fill('https://elearning.bppaudntb.example/mod/scorm/view.php?id=12')
    await page.getByRole('button', { name: /Simpan modul/ }).click()
    const module = page.locator('#tln-phases li[data-phase="in-service-1"] li[data-module="konsep-dasar-paud"]')
    await module.waitFor({ state: 'visible', timeout: 10_000 })
    expect(await page.locator('#tln-phases > li').evaluateAll((items) => items.map((li) => li.getAttribute('data-phase')))).toEqual(['in-service-1', 'on-the-job-learning'])
    expect(await module.textContent()).toContain('4 JP')
    await page.screenshot({ path: join(SCREENSHOTS, 'programs-tier-listed.png'), fullPage: true })

    await page.goto(`${s.url}/lti/admin/programs`)
    expect(await page.locator('#tln-programs').textContent()).toContain('diklat-berjenjang-2026')
    await page.close()
  }, 120_000)
})
