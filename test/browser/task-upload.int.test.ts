import { join } from 'node:path'
import { testEngine } from '@tln/db/testing'
import { describe, expect, it } from 'vitest'
import { SCREENSHOTS, useLmsToolAndBrowser } from './chromium.ts'

/**
 * A teacher submits a photo of learning media from the task page on a throttled connection
 * (CDP `Network.emulateNetworkConditions`: 200 ms latency, 100 KB/s up): the page's script sends it
 * in 256 KB chunks with a visible progress bar and lands on the submitted status. Top-level, LMS and
 * tool on one site (the
 * iframe case is `lti-iframe.int.test.ts`). PGlite only, Debian's Chromium.
 */

describe.skipIf(testEngine() !== 'pglite')('task photo upload on a throttled connection (Chromium)', () => {
  const env = useLmsToolAndBrowser('127.0.0.1')

  it('shows the progress bar and ends submitted, the photo stored whole', async () => {
    const { sim, tln, browser } = env
    sim.state.next = { claims: { 'https://purl.imsglobal.org/spec/lti/claim/custom': { tln_item: 'task-media' } }, omit: ['https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'] }
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } })
    await page.goto(`${sim.origin}/mod/lti/launch.php`)
    await page.locator('#tln-upload').waitFor({ timeout: 15_000 })
    await page.screenshot({ path: join(SCREENSHOTS, 'task-page-teacher.png'), fullPage: true })

    const photo = Buffer.alloc(600 * 1024, 7)
    photo.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0)
    await page.locator('#tln-file').setInputFiles({ name: 'media-botol.png', mimeType: 'image/png', buffer: photo })
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 200, downloadThroughput: 200 * 1024, uploadThroughput: 100 * 1024 })
    await page.locator('#tln-upload button[type=submit]').click()
    await page.locator('#tln-progress').waitFor({ state: 'visible' })
    await expect.poll(async () => Number(await page.locator('#tln-progress').getAttribute('value') ?? 0) > 0 || page.url().includes('submitted='), { timeout: 20_000 }).toBe(true)
    await page.screenshot({ path: join(SCREENSHOTS, 'task-upload-progress.png'), fullPage: true })
    await page.waitForURL(/submitted=1/, { timeout: 45_000 })
    expect(await page.locator('#tln-status').getAttribute('data-status')).toBe('submitted')
    await page.screenshot({ path: join(SCREENSHOTS, 'task-submitted.png'), fullPage: true })
    const row = await tln.db.knex('task_submission').first('size', 'media_type')
    expect(row).toMatchObject({ size: photo.length, media_type: 'image/png' })
    await page.close()
  }, 90_000)
})
