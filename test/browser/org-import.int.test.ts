import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, SCREENSHOTS } from './chromium.ts'
import { createLocalAccount, smallTree, startOrgServer, type OrgTestServer } from '../../lti-tool/test/org-helpers.ts'

/**
 * Issue 5's admin journey in headless Chromium: a district admin signs in with a local account,
 * imports a CSV of schools with one bad row, and sees that row's error; nothing is stored.
 * PGlite only (the HTTP tests cover both engines). Debian's Chromium, never a downloaded one.
 */

describe.skipIf(testEngine() !== 'pglite')('admin CSV import of schools (Chromium)', () => {
  let s: OrgTestServer
  let browser: Browser
  let tree: Awaited<ReturnType<typeof smallTree>>

  beforeAll(async () => {
    s = await startOrgServer()
    tree = await smallTree(s.tool)
    await createLocalAccount(s.tool.accounts, { tenantId: tree.tenantId, email: 'dinas@example.org', name: 'Dinas Lombok Tengah', role: 'district-admin', nodeId: tree.d1.id }, 'sandi-rahasia-123')
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await s?.close()
  })

  it('signs in, imports a CSV with one bad row, and shows that row\'s error', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } })
    await page.goto(`${s.url}/login`)
    await page.getByLabel('Email').fill('dinas@example.org')
    await page.getByLabel('Kata sandi').fill('sandi-rahasia-123')
    await page.screenshot({ path: join(SCREENSHOTS, 'org-login.png'), fullPage: true })
    await page.getByRole('button', { name: /Masuk/ }).click()
    await page.waitForURL(`${s.url}/account`)
    expect(await page.locator('#tln-grants').textContent()).toContain('Kabupaten Lombok Tengah')

    await page.goto(`${s.url}/lti/org/import?node=${tree.d1.id}`)
    await page.locator('#csv').fill('npsn,name,type,kecamatan\n99020601,TK Cahaya Praya,TK,Praya\n9902,TK Salah,TK,Praya\n')
    await page.getByRole('button', { name: /Impor/ }).click()
    const problems = page.locator('#tln-import-problems')
    await problems.waitFor({ state: 'visible', timeout: 10_000 })
    const text = await problems.textContent()
    expect(text).toContain('npsn-format')
    expect(text).toContain('NPSN harus 8 angka')
    await page.screenshot({ path: join(SCREENSHOTS, 'org-import-bad-row.png'), fullPage: true })
    expect(await s.db.knex('org_node').where({ kind: 'school' }).select('id')).toEqual([])
    await page.close()
  }, 60_000)
})
