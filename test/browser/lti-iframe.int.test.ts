import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PlatformSimulator } from '../lti/platform-simulator.ts'
import type { ToolServer } from '../lti/tool-server.ts'
import { launchChromium, SCREENSHOTS, startLmsAndTool } from './chromium.ts'

/**
 * A launch inside a cross-origin (cross-site) iframe in headless Chromium: the simulated LMS
 * course page at 127.0.0.2 frames the tool at 127.0.0.1, the login initiation is POSTed into the
 * frame, and the frame must end on the TLN landing page signed in. Runs on PGlite only: the
 * browser part does not depend on the database engine, which the HTTP flow tests cover on both.
 * Debian's Chromium (/usr/bin/chromium), never a downloaded browser.
 */

describe.skipIf(testEngine() !== 'pglite')('LTI launch in a cross-origin iframe (Chromium)', () => {
  let sim: PlatformSimulator
  let tln: ToolServer
  let browser: Browser

  beforeAll(async () => {
    ;({ sim, tln } = await startLmsAndTool('127.0.0.2'))
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await tln?.close()
    await sim?.close()
  })

  it('ends on the TLN landing page signed in, and offers a new window when the frame drops the cookie', async () => {
    const page = await browser.newPage()
    await page.goto(`${sim.origin}/course/view.php`)
    const frame = page.frameLocator('#tool')
    await expect.poll(async () => frame.locator('#tln-signed-in').textContent({ timeout: 30_000 }), { timeout: 40_000 }).toContain('Siti Rahayu')
    // Over plain http the session cookie is SameSite=Lax, which a cross-site frame drops: the offer must show.
    await frame.locator('#tln-new-window').waitFor({ state: 'visible', timeout: 30_000 })
    await page.screenshot({ path: join(SCREENSHOTS, 'lti-iframe-landing.png'), fullPage: true })

    const [popup] = await Promise.all([page.waitForEvent('popup'), frame.locator('#tln-new-window button').click()])
    await popup.waitForLoadState()
    expect(new URL(popup.url()).pathname).toBe('/lti/home')
    expect(await popup.locator('#tln-signed-in').textContent()).toContain('Siti Rahayu')
    await popup.screenshot({ path: join(SCREENSHOTS, 'lti-new-window.png'), fullPage: true })
    await page.close()
  }, 60_000)

  it('completes a launch through platform storage (lti_storage_target) in the frame', async () => {
    sim.state.platformStorage = true
    try {
      const page = await browser.newPage()
      await page.goto(`${sim.origin}/course/view.php`)
      const frame = page.frameLocator('#tool')
      await expect.poll(async () => frame.locator('#tln-signed-in').textContent({ timeout: 30_000 }), { timeout: 40_000 }).toContain('Siti Rahayu')
      await page.screenshot({ path: join(SCREENSHOTS, 'lti-iframe-platform-storage.png'), fullPage: true })
      await page.close()
    } finally {
      sim.state.platformStorage = false
    }
  }, 60_000)
})
