import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCliTestEnv, type CliTestEnv } from '../../apps/server/test/cli-test-env.ts'
import { loadConfig } from '../../apps/server/src/config.ts'
import { createLogger } from '../../apps/server/src/logger.ts'
import { startServer, type RunningServer } from '../../apps/server/src/main.ts'
import { launchChromium, SCREENSHOTS } from './chromium.ts'

/**
 * The demo LMS of `tln serve --demo` in headless Chromium: a reviewer opens `/demo/lms`, presses
 * "Launch as …" and lands in TLN as that demo person, through the real LTI 1.3 flow (the login form,
 * the tool's cookie check, the demo LMS's auto-submitted id_token, under the pages' CSP: scripts from
 * files only). PGlite only: the HTTP flow is tested on both engines in test/lti/demo-lms.int.test.ts.
 */
describe.skipIf(testEngine() !== 'pglite')('demo LMS in Chromium (tln serve --demo)', () => {
  let env: CliTestEnv
  let server: RunningServer
  let browser: Browser
  beforeAll(async () => {
    env = await createCliTestEnv('demo-lms-browser')
    server = await startServer(loadConfig({ ...env.env, PORT: '0', HOST: '127.0.0.1' }), { logger: createLogger('silent'), demo: true })
    browser = await launchChromium()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    await env?.close()
  })

  it('"Launch as" a teacher lands on her task page, signed in as her', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const blocked: string[] = []
    page.on('console', (m) => { if (m.type() === 'error') blocked.push(m.text()) })
    await page.goto(`${server.publicUrl}/demo/lms`)
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-lms-course.png'), fullPage: true })
    await page.locator('#launch-demo-ptk-001').click()
    await page.waitForURL(/\/lti\/(launch|items\/)/, { timeout: 30_000 })
    await expect.poll(async () => page.locator('main').textContent(), { timeout: 30_000 }).toContain('RPPH')
    expect(await page.locator('main').textContent()).toContain('Baiq Nurhasanah')
    expect(blocked).toEqual([])
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-lms-teacher.png'), fullPage: true })
    await context.close()
  }, 60_000)

  it('the course\'s activities: pick a person, press TLN\'s home, and land on its menu (mentoring, check-in, reports) as that person', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${server.publicUrl}/demo/lms`)
    await page.locator('#demo-lms-person').selectOption('demo-ptk-004')
    await page.locator('#demo-lms-activities button', { hasText: 'TLN:' }).click()
    await page.locator('#tln-mentoring-link').waitFor({ state: 'visible', timeout: 30_000 })
    expect(await page.locator('#tln-check-in-link').count()).toBe(1)
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-lms-activity.png'), fullPage: true })
    await context.close()
  }, 60_000)

  it('"Launch as" the facilitator lands on the task\'s grading queue, and "Pick a task" opens the Deep Linking picker', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${server.publicUrl}/demo/lms`)
    await page.locator('#launch-demo-fas-02').click()
    await expect.poll(async () => page.locator('h1').first().textContent(), { timeout: 30_000 }).toContain('Antrean penilaian')
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-lms-facilitator.png'), fullPage: true })
    await page.goto(`${server.publicUrl}/demo/lms`)
    await page.locator('#deep-link-demo-fas-02').click()
    await page.locator('input[name="item"]').first().waitFor({ state: 'visible', timeout: 30_000 })
    await page.locator('input[name="item"]').first().check()
    await page.locator('form[action="/lti/deep-linking"] button[type="submit"]:not([name="cancel"])').first().click()
    await page.locator('#demo-lms-picked').waitFor({ state: 'visible', timeout: 30_000 })
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-lms-deep-linking.png'), fullPage: true })
    await context.close()
  }, 60_000)

  it('a page of another site cannot launch through the demo LMS: its "Launch as" POST and a login it starts with a scraped button are refused (login CSRF; Fetch Metadata)', async () => {
    const html = await (await fetch(`${server.publicUrl}/demo/lms`)).text()
    const button = [...html.matchAll(/<form method="post" action="\/lti\/login">(.*?)<\/form>/gs)].map((m) => m[1]!).find((f) => f.includes('id="launch-demo-ptk-001"'))!
    const activity = /name="activity" value="([^"]+)"/.exec(html)![1]!
    const attack = (action: string, fields: string) => `<!doctype html><form id="f" method="post" action="${server.publicUrl}${action}">${fields}</form>`
    for (const [action, fields] of [['/demo/lms/launch', `<input name="person" value="demo-ptk-001"><input name="activity" value="${activity}">`], ['/lti/login', button.replace(/<button[\s\S]*<\/button>/, '')]] as const) {
      const context = await browser.newContext()
      const page = await context.newPage()
      await page.setContent(attack(action, fields))
      await Promise.all([page.waitForURL(/\/demo\/lms\/(launch|auth)/, { timeout: 30_000 }), page.locator('#f').evaluate((f: HTMLFormElement) => f.submit())])
      await page.locator('#demo-lms-error').waitFor({ state: 'visible', timeout: 30_000 })
      expect(await page.locator('#demo-lms-error').textContent(), action).toContain('Sec-Fetch-Site')
      const session = await page.evaluate(async () => (await fetch('/lti/session')).json())
      expect(session, action).toMatchObject({ signedIn: false })
      await context.close()
    }
  }, 90_000)
})
