import request from 'supertest'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LocalRole } from '../src/accounts/accounts.ts'
import type { GrantRole } from '../src/org/org-types.ts'
import { createLocalAccount, Browser, smallTree, startOrgServer, type OrgTestServer } from './org-helpers.ts'

const PASSWORD = 'sandi-rahasia-123'

/** Every menu link: its id on the page → its path. */
const LINKS = {
  reports: 'tln-reports-link', programs: 'tln-programs-link', taskAdmin: 'tln-task-admin-link', grading: 'tln-grading-link',
  grades: 'tln-grades-link', meetings: 'tln-meetings-link', observations: 'tln-observations-link', orgImport: 'tln-org-import-link',
  platforms: 'tln-platforms-link', mentoring: 'tln-mentoring-link', checkIn: 'tln-check-in-link', classes: 'tln-classes-link', myTasks: 'tln-my-tasks-link',
} as const
type Link = keyof typeof LINKS
const shown = (html: string) => (Object.keys(LINKS) as Link[]).filter((k) => html.includes(`id="${LINKS[k]}"`)).sort()
const hrefOf = (html: string, link: Link) => new RegExp(`<a href="([^"]+)" id="${LINKS[link]}"`).exec(html)?.[1]?.replaceAll('&amp;', '&')

/**
 * The home of a local account (issue 5, "Role-aware navigation"): `/login` lands on `/account`,
 * whose menu shows what the account's grants allow, and every link it shows opens for that account.
 */
describe(`local account home on ${testEngine()}`, () => {
  let s: OrgTestServer
  let tree: Awaited<ReturnType<typeof smallTree>>
  beforeAll(async () => {
    s = await startOrgServer()
    tree = await smallTree(s.tool)
  })
  afterAll(async () => { await s?.close() })

  /** An account with `role` on `nodeId` (plus `extra` grants), signed in through `/login` with supertest; returns the agent and the login answer. */
  async function signedIn(email: string, role: LocalRole, nodeId: string | undefined, extra: Array<{ role: GrantRole; nodeId: string }> = []) {
    const { account } = await createLocalAccount(s.tool.accounts, { tenantId: tree.tenantId, email, name: `Nama ${email}`, role, ...(nodeId !== undefined && { nodeId }) }, PASSWORD)
    for (const g of extra) await s.tool.org.grant(tree.tenantId, account.personId, g.role, g.nodeId)
    const agent = request.agent(s.url)
    const form = await agent.get('/login').expect(200)
    const login = await agent.post('/login').type('form').send({ csrf: Browser.csrfOf(form.text), email, password: PASSWORD })
    return { agent, login }
  }

  it('lands a district admin on /account with reports, programs, observations and org import of their district, nothing of LMS teachers or platforms', async () => {
    const { agent, login } = await signedIn('kabupaten@example.org', 'district-admin', tree.d1.id)
    expect(login.status).toBe(303)
    expect(login.headers.location).toBe('/account')
    const home = await agent.get('/account').expect(200)
    expect(home.text).toContain('<nav aria-label="Menu TLN">')
    expect(shown(home.text)).toEqual(['observations', 'orgImport', 'programs', 'reports'])
    expect(hrefOf(home.text, 'orgImport')).toBe(`/lti/org/import?node=${tree.d1.id}`)
    // Each link the menu shows opens for this account (the reports pages are mounted by the server app, not here).
    for (const link of shown(home.text).filter((l) => l !== 'reports')) expect((await agent.get(hrefOf(home.text, link)!)).status, link).toBe(200)
    // The LTI home sends a local account to its own home.
    const lti = await agent.get('/lti/home')
    expect(lti.status).toBe(303)
    expect(lti.headers.location).toBe('/account')
  })

  it('shows BPPAUD staff the reports only', async () => {
    const { agent } = await signedIn('bppaud@example.org', 'bppaud', tree.province.id)
    const home = await agent.get('/account').expect(200)
    expect(shown(home.text)).toEqual(['reports'])
  })

  it('shows a coordinator of a kecamatan grading, tasks, meetings, observations, org import and reports, not programs or platforms', async () => {
    const { agent } = await signedIn('koordinator@example.org', 'monitor', tree.praya.id, [{ role: 'coordinator', nodeId: tree.praya.id }])
    const home = await agent.get('/account').expect(200)
    expect(shown(home.text)).toEqual(['grades', 'grading', 'meetings', 'observations', 'orgImport', 'reports', 'taskAdmin'])
    for (const link of ['grading', 'taskAdmin', 'grades', 'meetings', 'orgImport'] as const) expect((await agent.get(hrefOf(home.text, link)!)).status, link).toBe(200)
  })

  it('shows a tenant administrator every staff page, platforms and programs included', async () => {
    const { agent } = await signedIn('admin@example.org', 'admin', undefined)
    const home = await agent.get('/account').expect(200)
    expect(shown(home.text)).toEqual(['grades', 'grading', 'meetings', 'observations', 'orgImport', 'platforms', 'programs', 'reports', 'taskAdmin'])
    expect(hrefOf(home.text, 'orgImport')).toBe('/lti/org/import')
    for (const link of ['platforms', 'programs', 'orgImport'] as const) expect((await agent.get(hrefOf(home.text, link)!)).status, link).toBe(200)
  })
})
