import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { startPlatformSimulator, type PlatformSimulator } from '../lti/platform-simulator.ts'
import { connectSimulator, startToolServer, type ToolServer } from '../lti/tool-server.ts'

/** Where browser tests save their screenshots (created on launch). */
export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-results/screenshots')

/**
 * Debian's Chromium (/usr/bin/chromium), never a downloaded browser, with the flags this
 * closed network needs (no background networking, no component updates).
 */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** Sign in with a local account at `/login`, as a person does, and wait for the account home. */
export async function signInAtLogin(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Kata sandi').fill(password)
  await page.getByRole('button', { name: /Masuk/ }).click()
  await page.waitForURL(`${baseUrl}/account`)
}

/** The simulated LMS on `lmsHost` and the TLN tool on 127.0.0.1, registered with each other. */
export async function startLmsAndTool(lmsHost: string): Promise<{ sim: PlatformSimulator; tln: ToolServer }> {
  const sim = await startPlatformSimulator({ host: lmsHost })
  const tln = await startToolServer({ host: '127.0.0.1' })
  await connectSimulator(sim, tln)
  return { sim, tln }
}

/** The simulated LMS, the TLN tool and Chromium that a browser test file runs against. */
export interface LmsToolBrowser {
  readonly sim: PlatformSimulator
  readonly tln: ToolServer
  readonly browser: Browser
}

/**
 * Registers the file's `beforeAll` (the LMS on `lmsHost` and the tool, registered with each other,
 * then Chromium) and `afterAll` (all three closed). The fields are set once `beforeAll` ran: read
 * them in tests and in hooks registered after this call.
 */
export function useLmsToolAndBrowser(lmsHost: string): LmsToolBrowser {
  const env: { sim?: PlatformSimulator; tln?: ToolServer; browser?: Browser } = {}
  beforeAll(async () => {
    Object.assign(env, await startLmsAndTool(lmsHost))
    env.browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await env.browser?.close()
    await env.tln?.close()
    await env.sim?.close()
  })
  return env as LmsToolBrowser
}
