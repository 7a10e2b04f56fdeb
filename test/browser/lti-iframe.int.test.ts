import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPlatformSimulator, type PlatformSimulator } from '../lti/platform-simulator.ts'
import { startToolServer, type ToolServer } from '../lti/tool-server.ts'

/**
 * A launch inside a cross-origin (cross-site) iframe in headless Chromium: the simulated LMS
 * course page at 127.0.0.2 frames the tool at 127.0.0.1, the login initiation is POSTed into the
 * frame, and the frame must end on the TLN landing page signed in. Runs on PGlite only: the
 * browser part does not depend on the database engine, which the HTTP flow tests cover on both.
 * Debian's Chromium (/usr/bin/chromium), never a downloaded browser.
 */
const SCREENSHOTS = resolve(import.meta.dirname, '../../test-results/screenshots')
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

describe.skipIf(testEngine() !== 'pglite')('LTI launch in a cross-origin iframe (Chromium)', () => {
  let sim: PlatformSimulator
  let tln: ToolServer
  let browser: Browser

  beforeAll(async () => {
    sim = await startPlatformSimulator({ host: '127.0.0.2' })
    tln = await startToolServer({ host: '127.0.0.1' })
    sim.setTool({ loginUrl: `${tln.url}/lti/login`, redirectUri: `${tln.url}/lti/launch`, jwksUri: `${tln.url}/lti/jwks` })
    await tln.tool.platforms.add({ platform: sim.platform, deploymentIds: [sim.deploymentId], status: 'active', registeredBy: 'cli' })
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS })
    mkdirSync(SCREENSHOTS, { recursive: true })
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
    await expect.poll(async () => frame.locator('#tln-signed-in').textContent({ timeout: 10_000 }), { timeout: 15_000 }).toContain('Siti Rahayu')
    // Over plain http the session cookie is SameSite=Lax, which a cross-site frame drops: the offer must show.
    await frame.locator('#tln-new-window').waitFor({ state: 'visible', timeout: 10_000 })
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
      await expect.poll(async () => frame.locator('#tln-signed-in').textContent({ timeout: 10_000 }), { timeout: 15_000 }).toContain('Siti Rahayu')
      await page.screenshot({ path: join(SCREENSHOTS, 'lti-iframe-platform-storage.png'), fullPage: true })
      await page.close()
    } finally {
      sim.state.platformStorage = false
    }
  }, 60_000)
})
