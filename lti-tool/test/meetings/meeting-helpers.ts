import type { GrantRole } from '../../src/index.ts'
import { createLocalAccount, Browser, smallTree, type OrgTestServer } from '../org-helpers.ts'

export const PASSWORD = 'sandi-rahasia-123'

/**
 * A local account holding one grant of any role (local invitations give only staff roles, so the
 * invitation's `monitor` grant is swapped for the one asked), signed in through `/login`.
 */
export async function signInAs(s: OrgTestServer, tenantId: string, input: { email: string; name: string; role: GrantRole; nodeId: string; schoolId?: string }): Promise<{ browser: Browser; personId: string }> {
  if (input.schoolId !== undefined) await s.tool.org.upsertPerson(tenantId, { name: input.name, email: input.email, schoolId: input.schoolId })
  const { invitation } = await createLocalAccount(s.tool.accounts, { tenantId, email: input.email, name: input.name, role: 'monitor', nodeId: input.nodeId }, PASSWORD)
  const personId = invitation.account.personId
  if (input.role !== 'monitor') {
    await s.tool.org.revokeRole(tenantId, personId, 'monitor')
    await s.tool.org.grant(tenantId, personId, input.role, input.nodeId)
  }
  const browser = new Browser(s.url)
  const login = await browser.login(input.email, PASSWORD)
  if (login.status !== 303) throw new Error(`login of ${input.email} answered ${login.status}`)
  return { browser, personId }
}

/** The small tree plus a school in Praya (two teachers) and one in Selong (another kecamatan). */
export async function meetingTree(s: OrgTestServer, tenant = 'default') {
  const tree = await smallTree(s.tool, tenant)
  const school = await s.tool.org.upsertNode(tree.tenantId, { kind: 'school', code: tenant === 'default' ? '69900001' : '69900091', name: 'TK Cahaya Praya', schoolType: 'TK', parentId: tree.praya.id })
  const selong = await s.tool.org.upsertNode(tree.tenantId, { kind: 'school', code: tenant === 'default' ? '69900002' : '69900092', name: 'KB Melati Selong', schoolType: 'KB', parentId: tree.k2.id })
  return { ...tree, school, selong }
}

/** The tool's statements in the LRS of a tenant: `{ id, verb, voided, statement }`. */
export async function statementsOf(s: OrgTestServer, tenantId: string): Promise<Array<{ id: string; verb_id: string; voided: boolean; statement: Record<string, any> }>> {
  const rows = (await s.db.knex('xapi_statement').where({ tenant_id: tenantId }).orderBy('seq').select('id', 'verb_id', 'voided', 'statement')) as Array<{ id: string; verb_id: string; voided: boolean; statement: unknown }>
  return rows.map((r) => ({ ...r, statement: typeof r.statement === 'string' ? JSON.parse(r.statement) : r.statement as Record<string, any> }))
}

export const csrfOf = (html: string) => Browser.csrfOf(html)
