import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, SCREENSHOTS, signInAtLogin } from './chromium.ts'
import { createLocalAccount, smallTree } from '../../lti-tool/test/org-helpers.ts'
import { REPORT_CONFIG, scored } from '../../lti-tool/test/reports/report-data.ts'
import { startReportServer, type ReportServer } from '../../lti-tool/test/reports/report-server.ts'
import { REPORTS_CSS } from '../../lti-tool/src/reports/reports-css.ts'

const EMAIL = 'dinas@example.org'
const PASSWORD = 'sandi-rahasia-123'
const PHONE = { width: 360, height: 740 }
const TEACHERS = 60
const name = (i: number) => `Guru ${String(i).padStart(2, '0')}`

/**
 * Issue 7: the kecamatan page pages its teachers (50 a page). A district admin's phone (headless
 * Chromium, 360 × 740) opens a kecamatan of 60 teachers with a period filter, follows "next" to
 * page 2 and back to page 1: the filter stays, the rows are the page's, nothing pushes the page
 * sideways. PGlite only (the route tests cover both engines). Debian's Chromium.
 */
describe.skipIf(testEngine() !== 'pglite')('kecamatan report pages in the browser (Chromium)', () => {
  let s: ReportServer
  let browser: Browser
  let page: Page
  let prayaId: string

  beforeAll(async () => {
    s = await startReportServer()
    const tree = await smallTree(s.tool)
    prayaId = tree.praya.id
    await s.tool.org.upsertNode(tree.tenantId, { kind: 'school', code: '99020601', name: 'TK Cahaya', schoolType: 'TK', parentId: tree.praya.id })
    await s.configure(tree.tenantId, REPORT_CONFIG)
    await s.store('default', Array.from({ length: TEACHERS }, (_, k) => scored(`t${k + 1}`, { account: `guru-${k + 1}`, name: name(k + 1), npsn: '99020601' }, 0.5 + (k % 5) / 10, '2026-02-10T10:00:00+08:00')))
    await s.catchUp()
    await createLocalAccount(s.tool.accounts, { tenantId: tree.tenantId, email: EMAIL, name: 'Dinas Lombok Tengah', role: 'district-admin', nodeId: tree.d1.id }, PASSWORD)

    browser = await launchChromium()
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true })
    page = await context.newPage()
    await signInAtLogin(page, s.url, EMAIL, PASSWORD)
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await s?.close()
  })

  const rowNames = async () => page.locator('#tbl-teachers tbody tr td:first-child').allTextContents()
  const fitsPhone = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)

  it('goes from page 1 to page 2 and back, keeping the filter', async () => {
    const first = `${s.url}/reports/kecamatan/${prayaId}?from=2026-01-01`
    const weight = (await (await page.context().request.get(first)).body()).byteLength + REPORTS_CSS.length
    expect(weight, `page weight ${weight} bytes`).toBeLessThan(100_000)
    await page.goto(first)
    expect(await page.locator('#tln-pager-top .pager-count').textContent()).toContain('Guru 1–50 dari 60')
    expect(await rowNames()).toEqual(Array.from({ length: 50 }, (_, k) => name(k + 1)))
    await fitsPhone()

    await page.locator('#tln-pager-top a[rel="next"]').click()
    await page.waitForURL(`${s.url}/reports/kecamatan/${prayaId}?from=2026-01-01&page=2#h-teachers`)
    expect(await rowNames()).toEqual(Array.from({ length: 10 }, (_, k) => name(k + 51)))
    expect(await page.locator('#tln-pager-top .pager-count').textContent()).toContain('Guru 51–60 dari 60')
    expect(await page.locator('#tln-pager-top [aria-current="page"]').textContent()).toBe('2')
    // The heatmap's rows are this page's teachers; the summary counts the whole kecamatan.
    const heat = await page.locator('#c-PED svg').textContent()
    expect(heat).toContain(name(55))
    expect(heat).not.toContain(name(1))
    expect(await page.locator('#tbl-summary').textContent()).toContain(String(TEACHERS))
    expect(await page.locator('#f-from').inputValue()).toBe('2026-01-01')
    await fitsPhone()
    await page.screenshot({ path: join(SCREENSHOTS, 'reports-kecamatan-page-2-phone.png'), fullPage: true })

    await page.locator('#tln-pager-bottom').getByRole('link', { name: '1', exact: true }).click()
    await page.waitForURL(`${s.url}/reports/kecamatan/${prayaId}?from=2026-01-01#h-teachers`)
    expect((await rowNames())[0]).toBe(name(1))
  }, 60_000)

  it('answers a page after the last with a 400 page naming the parameter and the rule', async () => {
    const res = await page.goto(`${s.url}/reports/kecamatan/${prayaId}?page=3`)
    expect(res?.status()).toBe(400)
    expect(await page.locator('#tln-error-field').textContent()).toBe('page')
    expect(await page.locator('#tln-error-rule').textContent()).toBe('within-pages')
  })
})
