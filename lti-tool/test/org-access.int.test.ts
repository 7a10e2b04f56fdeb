import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accessOf, can, UserStore } from '../src/index.ts'
import { createLocalAccount, Browser, smallTree, startOrgServer, type OrgTestServer } from './org-helpers.ts'

const PASSWORD = 'sandi-rahasia-123'
const SCHOOLS = 'npsn,name,type,kecamatan\n99020601,TK Cahaya Praya,TK,Praya\n'

/** Scoped rights: a grant on a node covers its subtree; other districts 403, other tenants 404 (issue 5). */
describe(`scoped rights on ${testEngine()}`, () => {
  let s: OrgTestServer
  let tree: Awaited<ReturnType<typeof smallTree>>
  let other: Awaited<ReturnType<typeof smallTree>>
  let admin: Browser
  beforeAll(async () => {
    s = await startOrgServer()
    tree = await smallTree(s.tool)
    await s.db.knex('tenant').insert({ slug: 'other', name: 'Other province' })
    other = await smallTree(s.tool, 'other')
    await s.tool.org.upsertNode(tree.tenantId, { kind: 'school', code: '99020601', name: 'TK Cahaya', schoolType: 'TK', parentId: tree.praya.id })
    await createLocalAccount(s.tool.accounts, { tenantId: tree.tenantId, email: 'dinas@example.org', name: 'Dinas Lombok Tengah', role: 'district-admin', nodeId: tree.d1.id }, PASSWORD)
    admin = new Browser(s.url)
    expect((await admin.login('dinas@example.org', PASSWORD)).status).toBe(303)
  })
  afterAll(async () => { await s?.close() })

  const schools = async () => (await s.db.knex('org_node').where({ kind: 'school' }).select('code', 'tenant_id')) as Array<{ code: string; tenant_id: string }>

  it('lets a district admin read their district and import schools into it', async () => {
    const node = await admin.request(`/lti/org/nodes/${tree.d1.id}`)
    expect(node.status).toBe(200)
    expect(JSON.parse(node.text)).toMatchObject({ node: { id: tree.d1.id }, children: [{ id: tree.praya.id }] })
    const imported = await admin.request(`/lti/org/nodes/${tree.d1.id}/import/schools`, { body: SCHOOLS })
    expect(imported.status).toBe(200)
    expect(JSON.parse(imported.text)).toMatchObject({ ok: true, created: 0, updated: 1 })
    expect(await schools()).toEqual([{ code: '99020601', tenant_id: tree.tenantId }])
  })

  it('answers a bad row with the report (400) and stores nothing', async () => {
    const before = await schools()
    const res = await admin.request(`/lti/org/nodes/${tree.praya.id}/import/schools`, { body: `${SCHOOLS}99020602,KB Baru,XX,Praya\n` })
    expect(res.status).toBe(400)
    expect(JSON.parse(res.text)).toMatchObject({ error: { code: 'ERR_TOOL_IMPORT_REJECTED' }, problems: [{ row: 3, column: 'type', rule: 'school-type' }] })
    expect(await schools()).toEqual(before)
  })

  it('refuses a district admin on another district (403) and changes nothing', async () => {
    const before = await schools()
    const read = await admin.request(`/lti/org/nodes/${tree.d2.id}`)
    expect(read.status).toBe(403)
    expect(read.headers.get('x-tln-error')).toBe('ERR_TOOL_FORBIDDEN')
    const write = await admin.request(`/lti/org/nodes/${tree.d2.id}/import/schools`, { body: 'npsn,name,type,kecamatan\n99030101,TK Selong,TK,Selong\n' })
    expect(write.status).toBe(403)
    expect((await admin.request(`/lti/org/nodes/${tree.province.id}`)).status).toBe(403)
    expect(await schools()).toEqual(before)
  })

  it('answers another tenant\'s ids with 404 and changes nothing', async () => {
    const before = await schools()
    for (const id of [other.d1.id, other.praya.id, 'not-a-uuid']) {
      const res = await admin.request(`/lti/org/nodes/${id}/import/schools`, { body: SCHOOLS })
      expect(res.status).toBe(404)
      expect(res.headers.get('x-tln-error')).toBe('ERR_TOOL_NOT_FOUND')
    }
    expect((await admin.request(`/lti/org/nodes/${other.d1.id}`)).status).toBe(404)
    expect(await schools()).toEqual(before)
  })

  it('refuses without a session (401) and a CSV sent as a simple cross-site form type (400)', async () => {
    expect((await new Browser(s.url).request(`/lti/org/nodes/${tree.d1.id}`)).status).toBe(401)
    expect((await admin.request(`/lti/org/nodes/${tree.d1.id}/import/schools`, { body: SCHOOLS, type: 'text/plain' })).status).toBe(400)
  })

  it('shows a bad row\'s error on the import page and stores nothing', async () => {
    const before = await schools()
    const form = await admin.request(`/lti/org/import?node=${tree.d1.id}`)
    expect(form.status).toBe(200)
    const res = await admin.request('/lti/org/import', { form: { csrf: Browser.csrfOf(form.text), node: tree.d1.id, kind: 'schools', csv: `${SCHOOLS}1234,TK Pendek,TK,Praya\n` } })
    expect(res.status).toBe(400)
    expect(res.text).toContain('id="tln-import-problems"')
    expect(res.text).toMatch(/<td>3<\/td><td>npsn<\/td><td><code>npsn-format<\/code>/)
    expect(await schools()).toEqual(before)
    const noCsrf = await admin.request('/lti/org/import', { form: { node: tree.d1.id, kind: 'schools', csv: SCHOOLS } })
    expect(noCsrf.status).toBe(403)
  })

  it('maps an LTI teacher launch to the school of the matched teacher record', async () => {
    const school = await s.tool.org.findByRef(tree.tenantId, '99020601')
    await s.tool.org.upsertPerson(tree.tenantId, { name: 'Baiq Nurhasanah', schoolId: school.id, externalId: 'ptk-001', lti: { issuer: 'https://lms.example.org', sub: 'u-1' } })
    const user = await new UserStore(s.db.knex).upsert({ tenantId: tree.tenantId, issuer: 'https://lms.example.org', sub: 'u-1', role: 'teacher' })
    const { grants } = await accessOf(s.tool.org, user)
    expect(grants).toEqual([{ role: 'teacher', nodeId: school.id, nodePath: school.path }])
    expect(can(grants, 'tasks:submit', school)).toBe(true)
    expect(can(grants, 'tasks:submit', tree.praya)).toBe(false)
    const stranger = await new UserStore(s.db.knex).upsert({ tenantId: tree.tenantId, issuer: 'https://lms.example.org', sub: 'u-2', role: 'teacher' })
    expect((await accessOf(s.tool.org, stranger)).grants).toEqual([])
  })
})
