import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { testEngine } from '@tln/db/testing'
import { describe, expect, it } from 'vitest'
import { SCREENSHOTS, useLmsToolAndBrowser } from './chromium.ts'

/**
 * A launch inside a cross-origin (cross-site) iframe in headless Chromium: the simulated LMS
 * course page at 127.0.0.2 frames the tool at 127.0.0.1, the login initiation is POSTed into the
 * frame, and the frame must end on the TLN landing page signed in. Runs on PGlite only: the
 * browser part does not depend on the database engine, which the HTTP flow tests cover on both.
 * Debian's Chromium (/usr/bin/chromium), never a downloaded browser.
 */

describe.skipIf(testEngine() !== 'pglite')('LTI launch in a cross-origin iframe (Chromium)', () => {
  const env = useLmsToolAndBrowser('127.0.0.2')

  it('ends on the TLN landing page signed in, the launch bound by its partitioned state cookie, and offers a new window when the frame drops the session cookie', async () => {
    const { sim, tln, browser } = env
    const page = await browser.newPage()
    const launchCookies: string[] = []
    const checkCookies: string[] = []
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname
      if (request.url() === `${tln.url}/lti/launch`) void request.allHeaders().then((h) => launchCookies.push(h.cookie ?? ''))
      if (path === '/lti/launch/check') void request.allHeaders().then((h) => checkCookies.push(h.cookie ?? ''))
    })
    await page.goto(`${sim.origin}/course/view.php`)
    const frame = page.frameLocator('#tool')
    await expect.poll(async () => frame.locator('#tln-signed-in').textContent({ timeout: 30_000 }), { timeout: 40_000 }).toContain('Siti Rahayu')
    // Security Framework 1.0 §5.1.1 / RFC 6749 §10.12: the cross-site frame sent the login's state cookie back (SameSite=None; Secure; Partitioned),
    // first to the cookie check (before the platform was asked), then with the launch.
    expect(checkCookies).toEqual([expect.stringMatching(/(^|; )lti_state_[\w-]{22}=[\w-]{43}/)])
    expect(launchCookies).toEqual([expect.stringMatching(/(^|; )lti_state_[\w-]{22}=[\w-]{43}/)])
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

  it('completes a launch through platform storage (lti_storage_target) in a frame that drops the state cookie', async () => {
    const { sim, tln, browser } = env
    sim.state.platformStorage = true
    try {
      const context = await browser.newContext()
      const page = await context.newPage()
      await dropStateCookie(page)
      const continued: string[] = []
      page.on('request', (request) => { if (request.postData()?.includes('lti_storage_check') === true) continued.push(request.url()) })
      await page.goto(`${sim.origin}/course/view.php`)
      const frame = page.frameLocator('#tool')
      await expect.poll(async () => frame.locator('#tln-signed-in').textContent({ timeout: 30_000 }), { timeout: 40_000 }).toContain('Siti Rahayu')
      // The check page read the state back from platform storage and posted its continue form itself (same-origin, else refused).
      expect(continued).toEqual([`${tln.url}/lti/launch`])
      await page.screenshot({ path: join(SCREENSHOTS, 'lti-iframe-platform-storage.png'), fullPage: true })
      await context.close()
    } finally {
      sim.state.platformStorage = false
    }
  }, 60_000)

  it('offers "open in a new window" at the cookie check when the state cookie does not come back, before the platform is asked, and the restarted login lands signed in (Security Framework 1.0 §5.1.1.2; RFC 6749 §10.12)', async () => {
    const { sim, tln, browser } = env
    const context = await browser.newContext()
    const page = await context.newPage()
    await dropStateCookie(page, 'check')
    const authRequests = sim.state.authRequests.length
    await page.goto(`${sim.origin}/course/view.php`)
    const frame = page.frameLocator('#tool')
    const restart = frame.locator('#tln-restart-login')
    await restart.waitFor({ state: 'visible', timeout: 30_000 })
    // The platform never saw this frame's authentication request: a Moodle lti_message_hint is still unspent.
    expect(sim.state.authRequests.length).toBe(authRequests)
    await page.screenshot({ path: join(SCREENSHOTS, 'lti-iframe-not-bound.png'), fullPage: true })
    // rel="noopener": a new top-level window of the context, not a `popup` of the LMS page.
    const [popup] = await Promise.all([context.waitForEvent('page'), restart.click()])
    await popup.locator('#tln-signed-in').waitFor({ timeout: 30_000 })
    expect(await popup.locator('#tln-signed-in').textContent()).toContain('Siti Rahayu')
    expect(new URL(popup.url()).pathname).toBe('/lti/launch')
    expect(sim.state.authRequests.length).toBe(authRequests + 1)
    await popup.screenshot({ path: join(SCREENSHOTS, 'lti-new-window-login.png'), fullPage: true })
    await context.close()
  }, 60_000)

  it('still refuses at the launch a state cookie dropped after the check, offering the same new window (defence in depth; RFC 6749 §10.12)', async () => {
    const { sim, tln, browser } = env
    const context = await browser.newContext()
    const page = await context.newPage()
    await dropStateCookie(page, 'launch')
    await page.goto(`${sim.origin}/course/view.php`)
    const frame = page.frameLocator('#tool')
    const restart = frame.locator('#tln-restart-login')
    await restart.waitFor({ state: 'visible', timeout: 30_000 })
    // rel="noopener": a new top-level window of the context, not a `popup` of the LMS page.
    const [popup] = await Promise.all([context.waitForEvent('page'), restart.click()])
    await popup.locator('#tln-signed-in').waitFor({ timeout: 30_000 })
    expect(await popup.locator('#tln-signed-in').textContent()).toContain('Siti Rahayu')
    expect(new URL(popup.url()).pathname).toBe('/lti/launch')
    await context.close()
  }, 60_000)
})

/**
 * A browser that keeps no cookie for the framed tool (as one without partitioned cookies may): the
 * login's state cookie is never stored (`check`: the cookie check sees none), or is gone only when
 * the launch is posted (`launch`). Only this page's requests: a new window (the restarted login)
 * keeps its cookies.
 */
async function dropStateCookie(page: Page, at: 'check' | 'launch' = 'launch'): Promise<void> {
  if (at === 'check') {
    // A route sees only the first request of a redirect chain, so the login's answer itself loses its Set-Cookie.
    await page.route((url) => url.pathname === '/lti/login', async (route) => {
      const response = await route.fetch({ maxRedirects: 0 })
      const headers = Object.fromEntries(Object.entries(response.headers()).filter(([name]) => name !== 'set-cookie'))
      // route.fetch shares the context's cookie store: drop what it kept too.
      await page.context().clearCookies({ name: /^lti_state_/ })
      await route.fulfill({ response, headers })
    })
    return
  }
  await page.route((url) => url.pathname === '/lti/launch', async (route) => {
    if (route.request().method() === 'POST' && !route.request().postData()?.includes('lti_storage_check')) await page.context().clearCookies({ name: /^lti_state_/ })
    await route.continue()
  })
}
