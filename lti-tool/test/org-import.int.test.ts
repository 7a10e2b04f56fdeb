import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importOrgCsv } from '../src/index.ts'
import { smallTree, startOrgServer, type OrgTestServer } from './org-helpers.ts'

/** CSV import of schools and teachers: all rows or none, with a per-row report (issue 5). */
describe(`CSV import of the organisation tree on ${testEngine()}`, () => {
  let s: OrgTestServer
  let tree: Awaited<ReturnType<typeof smallTree>>
  beforeAll(async () => {
    s = await startOrgServer()
    tree = await smallTree(s.tool)
  })
  afterAll(async () => { await s?.close() })

  const schoolCount = async () => Number(((await s.db.knex('org_node').where({ kind: 'school' }).count('* as n')) as Array<{ n: string | number }>)[0]!.n)

  it('rejects a schools file with one bad row, reports it, and stores nothing', async () => {
    const csv = 'npsn,name,type,kecamatan\n99020601,TK Cahaya Praya,TK,Praya\n9902060X,KB Salah,KB,Praya\n99020603,TK Baik,TK,52.02.06\n'
    const before = await schoolCount()
    const result = await importOrgCsv(s.db.knex, { tenantId: tree.tenantId, kind: 'schools', csv })
    expect(result).toEqual({ ok: false, kind: 'schools', problems: [expect.objectContaining({ row: 3, column: 'npsn', rule: 'npsn-format' })] })
    expect(await schoolCount()).toBe(before)
  })

  it('checks without storing on a dry run, then stores, then updates on a second import', async () => {
    const csv = 'npsn,name,type,kecamatan\r\n99020601,TK Cahaya Praya,TK,Praya\r\n99020602,"KB Permata Hati, Gerunung",KB,52.02.06\r\n'
    expect(await importOrgCsv(s.db.knex, { tenantId: tree.tenantId, kind: 'schools', csv, dryRun: true })).toMatchObject({ ok: true, dryRun: true, rows: 2, created: 2 })
    expect(await schoolCount()).toBe(0)
    expect(await importOrgCsv(s.db.knex, { tenantId: tree.tenantId, kind: 'schools', csv })).toMatchObject({ ok: true, dryRun: false, rows: 2, created: 2, updated: 0 })
    expect(await importOrgCsv(s.db.knex, { tenantId: tree.tenantId, kind: 'schools', csv: csv.replace('TK Cahaya Praya', 'TK Cahaya') })).toMatchObject({ ok: true, created: 0, updated: 2 })
    const school = await s.tool.org.findByRef(tree.tenantId, '99020601')
    expect(school).toMatchObject({ kind: 'school', name: 'TK Cahaya', schoolType: 'TK', parentId: tree.praya.id })
    expect(school.path).toBe(`${tree.praya.path}${school.id}/`)
  })

  it('refuses a kecamatan outside the importer\'s subtree as unknown', async () => {
    const result = await importOrgCsv(s.db.knex, { tenantId: tree.tenantId, kind: 'schools', csv: 'npsn,name,type,kecamatan\n99030101,TK Selong,TK,Selong\n', under: tree.d1 })
    expect(result).toMatchObject({ ok: false, problems: [{ row: 2, column: 'kecamatan', rule: 'unknown-kecamatan' }] })
  })

  it('imports teachers of known schools with the teacher grant, and rejects a file naming an unknown school', async () => {
    await importOrgCsv(s.db.knex, { tenantId: tree.tenantId, kind: 'schools', csv: 'npsn,name,type,kecamatan\n99020601,TK Cahaya,TK,Praya\n99020602,KB Permata,KB,Praya\n' })
    const bad = 'name,npsn,email,id\nBaiq Nurhasanah,99020601,baiq@example.org,ptk-001\nSiti Aisyah,99029999,,ptk-002\n'
    expect(await importOrgCsv(s.db.knex, { tenantId: tree.tenantId, kind: 'teachers', csv: bad })).toMatchObject({ ok: false, problems: [{ row: 3, column: 'npsn', rule: 'unknown-school' }] })
    expect(Number(((await s.db.knex('person').count('* as n')) as Array<{ n: string }>)[0]!.n)).toBe(0)
    const good = bad.replace('99029999', '99020602')
    expect(await importOrgCsv(s.db.knex, { tenantId: tree.tenantId, kind: 'teachers', csv: good })).toMatchObject({ ok: true, rows: 2, created: 2 })
    expect(await importOrgCsv(s.db.knex, { tenantId: tree.tenantId, kind: 'teachers', csv: good })).toMatchObject({ ok: true, rows: 2, created: 0, updated: 2 })
    const people = await s.tool.org.people(tree.tenantId, tree.praya)
    expect(people.map((p) => p.name)).toEqual(['Baiq Nurhasanah', 'Siti Aisyah'])
    const grants = await s.tool.org.grants(tree.tenantId, people[0]!.id)
    expect(grants).toEqual([{ role: 'teacher', nodeId: people[0]!.schoolId, nodePath: expect.stringContaining(tree.praya.path) }])
  })

  it('does not see another tenant\'s kecamatan', async () => {
    await s.db.knex('tenant').insert({ slug: 'other', name: 'Other' })
    const other = await s.tool.org.tenantId('other')
    const result = await importOrgCsv(s.db.knex, { tenantId: other, kind: 'schools', csv: 'npsn,name,type,kecamatan\n99020699,TK X,TK,Praya\n' })
    expect(result).toMatchObject({ ok: false, problems: [{ rule: 'unknown-kecamatan' }] })
  })
})
