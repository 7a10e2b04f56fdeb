import { expect } from 'vitest'
import { SESSION_COOKIE } from '@tln/lti-tool'
import { SessionBrowser } from '../../lti-tool/test/admin/admin-helpers.ts'
import type { NextLaunch, PlatformSimulator } from './platform-simulator.ts'
import { CookieJar } from './cookie-jar.ts'
import { formAction, formFields } from './tool-server.ts'

/** An Instructor's roles claim (LTI Core 1.3 §5.3.7). */
export const INSTRUCTOR = { 'https://purl.imsglobal.org/spec/lti/claim/roles': ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'] }
export const NRPS_CLAIM = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'

/**
 * A real launch from the platform simulator, as Moodle's browser makes it (login initiation POST →
 * authentication request → id_token form-posted to `/lti/launch`).
 * @returns a browser holding the session cookie the launch set
 */
export async function simLaunch(sim: PlatformSimulator, toolUrl: string, user: { sub: string; name: string; email?: string }, next: NextLaunch = {}): Promise<SessionBrowser> {
  sim.state.user = { email: `${user.sub}@example.org`, ...user }
  const { response } = await formLaunch(sim, toolUrl, next)
  if (response.status !== 200) throw new Error(`launch failed: ${response.status} ${response.headers.get('x-tln-error')}`)
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${SESSION_COOKIE}=`))!
  return new SessionBrowser(toolUrl, cookie.slice(SESSION_COOKIE.length + 1))
}

/**
 * The launch as a browser makes it: login initiation (and the tool's cookie check) → the
 * platform's authentication answer → its id_token form-posted to the tool, the state cookie set at
 * login coming back (login CSRF binding). The tool's answer, whatever its status.
 */
export async function formLaunch(sim: PlatformSimulator, toolUrl: string, next: NextLaunch = {}): Promise<{ response: Response; html: string }> {
  sim.state.next = next
  const browser = new CookieJar()
  const login = await browser.login(`${toolUrl}/lti/login`, sim.initiation())
  const auth = await (await fetch(login.headers.get('location')!)).text()
  const response = await browser.post(formAction(auth), formFields(auth))
  return { response, html: await response.text() }
}

/**
 * A refused launch's answer, as the certification cases require it: the status and error code, no
 * cookie set, and a page naming the claim (HTML-escaped quotes) and the rule, with a reference id.
 */
export function expectRefusalPage(response: Response, html: string, refusal: { status: number; code: string; claim: string; rule: string }): void {
  expect(response.status).toBe(refusal.status)
  expect(response.headers.get('x-tln-error')).toBe(refusal.code)
  expect(response.headers.get('set-cookie')).toBeNull()
  expect(html).toContain(`Claim &#34;${refusal.claim}&#34;`)
  expect(html).toContain(refusal.rule)
  expect(html).toMatch(/id="tln-error-ref">[0-9A-F]{10}</)
}
