import { join } from 'node:path'
import { testEngine } from '@tln/db/testing'
import { describe, expect, it } from 'vitest'
import { SCREENSHOTS, useLmsToolAndBrowser } from './chromium.ts'

const ADMINISTRATOR = { 'https://purl.imsglobal.org/spec/lti/claim/roles': ['http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator'] }

/**
 * The session hand-off in headless Chromium (issue 7): an LMS administrator launched inside the
 * LMS's iframe opens "LMS platforms" (never framed) from the framed menu and lands on it signed in,
 * in a new window. Over https the framed session cookie is partitioned under the LMS's site, so
 * the new top-level window has none; over plain http (here) cookies are not partitioned, so the
 * test clears the browser's cookies between the frame's request and the click: the new window
 * must get its session from the hand-off alone. The LMS runs on the same host as TLN (another
 * port: the same site), so the frame keeps its `SameSite=Lax` http cookie. PGlite only; Debian's
 * Chromium.
 */
describe.skipIf(testEngine() !== 'pglite')('session hand-off from the LMS frame to a new window (Chromium)', () => {
  const env = useLmsToolAndBrowser('127.0.0.1')

  it('a framed admin opens the platforms page in a new window, signed in by the single-use link alone', async () => {
    const { sim, tln, browser } = env
    sim.state.next = { claims: ADMINISTRATOR }
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
    const page = await context.newPage()
    await page.goto(`${sim.origin}/course/view.php`)
    const frame = page.frameLocator('#tool')
    await expect.poll(async () => frame.locator('#tln-signed-in').textContent({ timeout: 30_000 }), { timeout: 40_000 }).toContain('Siti Rahayu')

    await frame.locator('#tln-platforms-link').click()
    const link = frame.locator('#tln-handoff-link')
    await link.waitFor({ state: 'visible', timeout: 10_000 })
    await page.screenshot({ path: join(SCREENSHOTS, 'session-handoff-frame.png'), fullPage: true })

    // What a partitioned cookie means for the new window: it has no session of the frame's.
    await context.clearCookies()
    const handoffRequests: Array<Record<string, string>> = []
    context.on('request', (request) => {
      if (new URL(request.url()).pathname === '/lti/session/handoff') void request.allHeaders().then((h) => handoffRequests.push(h))
    })
    const [popup] = await Promise.all([page.waitForEvent('popup'), link.click()])
    await popup.waitForLoadState()
    expect(new URL(popup.url()).pathname).toBe('/lti/admin/platforms')
    await popup.locator('#tln-tool-urls').waitFor({ state: 'visible', timeout: 10_000 })
    expect(await popup.locator('h1').textContent()).toContain('Platform LMS')
    expect(await popup.locator('#tln-platforms').textContent()).toContain(sim.clientId)
    await popup.screenshot({ path: join(SCREENSHOTS, 'session-handoff-platforms.png'), fullPage: true })
    // The click on TLN's own page made it a same-origin navigation, with no session cookie.
    expect(handoffRequests).toHaveLength(1)
    expect(handoffRequests[0]!['sec-fetch-site']).toBe('same-origin')
    expect(handoffRequests[0]!.cookie ?? '').not.toContain('tln_session')
    const cookies = await context.cookies(tln.url)
    expect(cookies.find((c) => c.name === 'tln_session')).toMatchObject({ sameSite: 'Lax', httpOnly: true })

    // The same link clicked again: used up, a clear page in the new window.
    const [second] = await Promise.all([page.waitForEvent('popup'), link.click()])
    await second.waitForLoadState()
    expect(await second.locator('[role="alert"]').textContent()).toContain('sudah dipakai atau kedaluwarsa')
    expect(new URL(second.url()).pathname).toBe('/lti/session/handoff')
    await context.close()
  }, 90_000)
})
