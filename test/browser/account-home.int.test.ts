import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, SCREENSHOTS, signInAtLogin } from './chromium.ts'
import { createLocalAccount, smallTree, startOrgServer, type OrgTestServer } from '../../lti-tool/test/org-helpers.ts'

/**
 * A local account's home in headless Chromium at 360 px (issue 5, "Role-aware navigation"): a
 * district admin signs in at `/login`, lands on `/account` and sees the menu their grant allows,
 * on a phone-sized screen without sideways scrolling. PGlite only (the HTTP test covers both engines).
 */
describe.skipIf(testEngine() !== 'pglite')('local account home (Chromium, 360 px)', () => {
  let s: OrgTestServer
  let browser: Browser

  beforeAll(async () => {
    s = await startOrgServer()
    const tree = await smallTree(s.tool)
    await createLocalAccount(s.tool.accounts, { tenantId: tree.tenantId, email: 'kabupaten@example.org', name: 'Admin Kabupaten Lombok Tengah', role: 'district-admin', nodeId: tree.d1.id }, 'sandi-rahasia-123')
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await s?.close()
  })

  it('a district admin signs in and lands on a home with their menu, readable at 360 px', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } })
    await signInAtLogin(page, s.url, 'kabupaten@example.org', 'sandi-rahasia-123')
    const menu = page.getByRole('navigation', { name: 'Menu TLN' })
    expect(await menu.getByRole('link').count()).toBe(4)
    expect(await menu.getByRole('link', { name: /Program, jenjang dan modul/ }).isVisible()).toBe(true)
    expect(await menu.getByRole('link', { name: /Impor sekolah dan guru/ }).isVisible()).toBe(true)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await page.screenshot({ path: join(SCREENSHOTS, 'account-home-360.png'), fullPage: true })
    await menu.getByRole('link', { name: /Program, jenjang dan modul/ }).click()
    await page.waitForURL(`${s.url}/lti/admin/programs`)
  })
})
