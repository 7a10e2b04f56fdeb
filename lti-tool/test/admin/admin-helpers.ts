import { SESSION_COOKIE, UserStore, type OrgNode, type TlnRole } from '../../src/index.ts'
import { createLocalAccount, Browser, type OrgTestServer } from '../org-helpers.ts'

export const PASSWORD = 'sandi-rahasia-123'

/** A local account with `role` (on `nodeId`, or the tenant), signed in through `/login`. */
export async function signIn(s: OrgTestServer, input: { tenantId: string; email: string; role: 'admin' | 'district-admin' | 'monitor'; nodeId?: string }): Promise<Browser> {
  await createLocalAccount(s.tool.accounts, { tenantId: input.tenantId, email: input.email, name: input.email.split('@')[0]!, role: input.role, ...(input.nodeId !== undefined && { nodeId: input.nodeId }) }, PASSWORD)
  const browser = new Browser(s.url)
  const res = await browser.login(input.email, PASSWORD)
  if (res.status !== 303) throw new Error(`sign-in of ${input.email} failed: ${res.status}`)
  return browser
}

/**
 * A browser holding the session an LTI launch of (issuer, sub) with `role` opens (the launch
 * itself is covered by the flows against the platform simulator). With `grant`, the person linked
 * to (issuer, sub) holds that stored grant, as a facilitator's kecamatan comes from stored grants.
 */
export async function launchSession(s: OrgTestServer, input: {
  tenantId: string; issuer: string; sub: string; name: string; role: TlnRole; grant?: { role: 'facilitator' | 'coordinator' | 'teacher'; node: OrgNode }
}): Promise<SessionBrowser> {
  const user = await new UserStore(s.db.knex).upsert({ tenantId: input.tenantId, issuer: input.issuer, sub: input.sub, name: input.name, role: input.role })
  if (input.grant !== undefined) {
    const person = await s.tool.org.upsertPerson(input.tenantId, { name: input.name, externalId: `lti:${input.sub}`, lti: { issuer: input.issuer, sub: input.sub } })
    await s.tool.org.grant(input.tenantId, person.id, input.grant.role, input.grant.node.id)
  }
  const id = await s.tool.sessions.create(user.id, { issuer: input.issuer, deploymentId: 'd-1', role: input.role }, 3_600_000)
  return new SessionBrowser(s.url, id)
}

/** Requests with a fixed session cookie, no redirects followed. */
export class SessionBrowser {
  constructor(private readonly base: string, readonly session: string) {}

  async request(path: string, init: { form?: Record<string, string> } = {}): Promise<{ status: number; text: string; headers: Headers }> {
    const headers: Record<string, string> = { cookie: `${SESSION_COOKIE}=${this.session}` }
    let body: string | undefined
    if (init.form !== undefined) { headers['content-type'] = 'application/x-www-form-urlencoded'; body = new URLSearchParams(init.form).toString() }
    const res = await fetch(`${this.base}${path}`, { method: body === undefined ? 'GET' : 'POST', headers, redirect: 'manual', ...(body !== undefined && { body }) })
    return { status: res.status, text: await res.text(), headers: res.headers }
  }
}

/** The CSRF field of the first form on a page. */
export const csrfOf = (html: string): string => Browser.csrfOf(html)

