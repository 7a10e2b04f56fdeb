/**
 * Where a learner is placed is kept on `competence_learner.school_id` by triggers (migration
 * 20261130000100-learner-school): the linked person's school, else the school whose NPSN the
 * statements gave. Every writer that can change a placement — the engine, identity linking, a
 * teacher moved, the org import, privacy erasure, a rebuild — is a plain write to one of the
 * tables here, so each rule is tested with the write that writer makes, and with the report a
 * user opens right after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '@tln/db'
import { createTestDb } from '@tln/db/testing'
import { CompetenceReports } from '../../src/reports/competence-reports.ts'
import { CONFIG, ENGINE, KEYS, learner, orgTree, type Tenant } from './report-fixture.ts'
import { seedReports, type DataSet } from './report-data.ts'

let db: Db
let reports: CompetenceReports
let tenants = 0

beforeAll(async () => {
  db = await createTestDb()
  reports = new CompetenceReports(db.knex, { active: async () => CONFIG }, async () => ENGINE, () => new Date('2026-06-02T00:00:00Z'))
})

afterAll(async () => {
  await db?.close()
})

/** A tenant of its own per test: kecamatan Praya (schools 111, 112) and Jonggat (211). */
async function tenant(): Promise<Tenant> {
  tenants += 1
  return orgTree(db.knex, `placement-${tenants}`, 'Kabupaten Lombok Tengah', { '52.02.06': 'Praya', '52.02.07': 'Jonggat' }, { 111: '52.02.06', 112: '52.02.06', 211: '52.02.07' })
}

async function schoolOf(t: Tenant, key: string): Promise<string | null> {
  const row = (await db.knex('competence_learner').where({ tenant_id: t.id, learner_key: key }).first('school_id')) as { school_id: string | null } | undefined
  return row?.school_id ?? null
}

/** A person at `npsn`'s school, linked to `key`. */
async function person(t: Tenant, key: string, name: string, npsn: string): Promise<string> {
  const [p] = (await db.knex('person').insert({ tenant_id: t.id, name, school_id: t.schools[npsn] }).returning('id')) as Array<{ id: string }>
  await db.knex('person_identity').insert({ tenant_id: t.id, ifi_key: key, person_id: p!.id })
  return p!.id
}

async function teachersOf(t: Tenant, kecamatanCode: string): Promise<Array<[string, string | null]>> {
  const r = await reports.kecamatan(t.kecamatan[kecamatanCode]!.id, { tenantId: t.id })
  return r!.teachers.map((x) => [x.name, x.schoolName])
}

describe('the learner\'s stored school', () => {
  it('is the school of the NPSN the statements gave when the engine first writes the learner', async () => {
    const t = await tenant()
    await db.knex('competence_learner').insert([learner(t.id, KEYS.t1, 'Ani', '111'), learner(t.id, KEYS.t4, 'Dewi', null), learner(t.id, KEYS.x, 'X', '999')])
    expect([await schoolOf(t, KEYS.t1), await schoolOf(t, KEYS.t4), await schoolOf(t, KEYS.x)]).toEqual([t.schools['111'], null, null])
  })

  it('follows a later statement\'s NPSN (the engine\'s upsert)', async () => {
    const t = await tenant()
    await db.knex('competence_learner').insert(learner(t.id, KEYS.t1, 'Ani', '111'))
    await db.knex('competence_learner').where({ tenant_id: t.id, learner_key: KEYS.t1 }).update({ npsn: '211' })
    expect(await schoolOf(t, KEYS.t1)).toBe(t.schools['211'])
    expect(await teachersOf(t, '52.02.07')).toEqual([['Ani', 'Sekolah 211']])
  })

  it('is the linked person\'s school over the NPSN, from the moment the identity is linked until it is unlinked', async () => {
    const t = await tenant()
    await db.knex('competence_learner').insert(learner(t.id, KEYS.t1, 'Ani', '111'))
    await person(t, KEYS.t1, 'Ani Person', '211')
    expect(await schoolOf(t, KEYS.t1)).toBe(t.schools['211'])
    await db.knex('person_identity').where({ tenant_id: t.id, ifi_key: KEYS.t1 }).delete()
    expect(await schoolOf(t, KEYS.t1)).toBe(t.schools['111'])
  })

  it('a teacher moved to another school shows in the new kecamatan\'s report at once', async () => {
    const t = await tenant()
    await db.knex('competence_learner').insert(learner(t.id, KEYS.t1, 'Ani', null))
    const id = await person(t, KEYS.t1, 'Ani Person', '111')
    expect(await teachersOf(t, '52.02.06')).toEqual([['Ani Person', 'Sekolah 111']])
    await db.knex('person').where({ id }).update({ school_id: t.schools['211'] })
    expect(await teachersOf(t, '52.02.07')).toEqual([['Ani Person', 'Sekolah 211']])
    expect(await teachersOf(t, '52.02.06')).toEqual([])
    expect((await reports.district({ tenantId: t.id, scopePath: t.kecamatan['52.02.07']!.path })).heatmap.map((h) => [h.kecamatanName, h.teachers])).toEqual([['Jonggat', 1]])
  })

  it('an org import that renames a school and moves it to another kecamatan: the reports show the new name and kecamatan at once', async () => {
    const t = await tenant()
    await db.knex('competence_learner').insert([learner(t.id, KEYS.t1, 'Ani', '111'), learner(t.id, KEYS.t2, 'Budi', null)])
    await person(t, KEYS.t2, 'Budi Person', '111')
    const jonggat = t.kecamatan['52.02.07']!
    await db.knex('org_node').where({ id: t.schools['111'] }).update({ name: 'TK Bintang', parent_id: jonggat.id, path: `${jonggat.path}${t.schools['111']}/` })
    expect(await teachersOf(t, '52.02.07')).toEqual([['Ani', 'TK Bintang'], ['Budi Person', 'TK Bintang']])
    expect(await teachersOf(t, '52.02.06')).toEqual([])
  })

  it('a school imported after its teachers\' statements places them by NPSN; recoding it unplaces them', async () => {
    const t = await tenant()
    await db.knex('competence_learner').insert(learner(t.id, KEYS.t1, 'Ani', '999'))
    const praya = t.kecamatan['52.02.06']!
    const id = crypto.randomUUID()
    await db.knex('org_node').insert({ id, tenant_id: t.id, parent_id: praya.id, kind: 'school', code: '999', name: 'Sekolah 999', path: `${praya.path}${id}/`, school_type: 'TK' })
    expect(await schoolOf(t, KEYS.t1)).toBe(id)
    expect(await teachersOf(t, '52.02.06')).toEqual([['Ani', 'Sekolah 999']])
    await db.knex('org_node').where({ id }).update({ code: '998' })
    expect(await schoolOf(t, KEYS.t1)).toBeNull()
    await db.knex('org_node').where({ id }).delete()
    expect(await schoolOf(t, KEYS.t1)).toBeNull()
  })

  it('a school removed unplaces the learners placed at it by NPSN', async () => {
    const t = await tenant()
    await db.knex('competence_learner').insert(learner(t.id, KEYS.t1, 'Ani', '112'))
    await db.knex('org_node').where({ id: t.schools['112'] }).delete()
    expect(await schoolOf(t, KEYS.t1)).toBeNull()
  })

  it('privacy erasure re-keys the learner and links the pseudonym to the tombstone person: the pseudonym keeps the school', async () => {
    const t = await tenant()
    await db.knex('competence_learner').insert(learner(t.id, KEYS.t1, 'Ani', null))
    const id = await person(t, KEYS.t1, 'Ani Person', '211')
    const pseudonym = 'erased:0123456789abcdef'
    // What apps/server/src/privacy/erasure.ts writes, in its order.
    await db.knex('competence_learner').where({ tenant_id: t.id, learner_key: KEYS.t1 }).update({ learner_key: pseudonym, name: null })
    await db.knex('person_identity').where({ tenant_id: t.id, ifi_key: KEYS.t1 }).delete()
    await db.knex('person_identity').insert({ tenant_id: t.id, ifi_key: pseudonym, person_id: id })
    expect(await schoolOf(t, pseudonym)).toBe(t.schools['211'])
    expect((await reports.kecamatan(t.kecamatan['52.02.07']!.id, { tenantId: t.id }))!.teachers.map((x) => x.learnerKey)).toEqual([pseudonym])
  })

  it('a person deleted (identities cascade) leaves the learner at the NPSN school', async () => {
    const t = await tenant()
    await db.knex('competence_learner').insert(learner(t.id, KEYS.t1, 'Ani', '112'))
    const id = await person(t, KEYS.t1, 'Ani Person', '211')
    await db.knex('person').where({ id }).delete()
    expect(await schoolOf(t, KEYS.t1)).toBe(t.schools['112'])
  })

  it('a rebuild (learners deleted and written again) stores the school again', async () => {
    const t = await tenant()
    await person(t, KEYS.t1, 'Ani Person', '211')
    await db.knex('competence_learner').insert(learner(t.id, KEYS.t1, 'Ani', '111'))
    await db.knex('competence_learner').where({ tenant_id: t.id }).delete()
    await db.knex('competence_learner').insert(learner(t.id, KEYS.t1, 'Ani', '111'))
    expect(await schoolOf(t, KEYS.t1)).toBe(t.schools['211'])
  })
})

describe('a district admin\'s scope', () => {
  let data: DataSet
  beforeAll(async () => {
    data = await seedReports(db.knex)
  })

  it('a scope that leaves out fewer learners than it keeps: the success indicators from the roll-ups minus the outside learners\' facts equal the count over facts', async () => {
    const districtPath = ((await db.knex('org_node').where({ id: data.a.district }).first('path')) as { path: string }).path
    for (const scopePath of [districtPath, data.a.kecamatan['52.02.06']!.path]) {
      // A period from before any fact reads the facts themselves (the roll-ups answer no period).
      const facts = await reports.district({ tenantId: data.a.id, scopePath, from: '2000-01-01' })
      const rollups = await reports.district({ tenantId: data.a.id, scopePath })
      expect(rollups.success).toEqual(facts.success)
    }
  })

  it('a scope that leaves out fewer learners than it keeps: the funnel and the trend from the roll-ups minus the outside learners\' rows equal the counts over facts', async () => {
    const districtPath = ((await db.knex('org_node').where({ id: data.a.district }).first('path')) as { path: string }).path
    for (const scopePath of [districtPath, data.a.kecamatan['52.02.06']!.path]) {
      const facts = await reports.district({ tenantId: data.a.id, scopePath, from: '2000-01-01' })
      const rollups = await reports.district({ tenantId: data.a.id, scopePath })
      expect(rollups.funnel).toEqual(facts.funnel)
      expect(rollups.trend).toEqual(facts.trend)
    }
    // The scope left someone out: the subtraction took place (the tenant-wide numbers are larger).
    const tenantWide = await reports.district({ tenantId: data.a.id })
    const scoped = await reports.district({ tenantId: data.a.id, scopePath: districtPath })
    expect(scoped.funnel[0]!.teachers).toBeLessThan(tenantWide.funnel[0]!.teachers)
    expect(scoped.trend.reduce((n, m) => n + m.statements, 0)).toBeLessThan(tenantWide.trend.reduce((n, m) => n + m.statements, 0))
  })

  it('a scope that holds every learner of the tenant gives exactly the tenant-wide numbers; one learner outside keeps them to the scope', async () => {
    const districtPath = ((await db.knex('org_node').where({ id: data.a.district }).first('path')) as { path: string }).path
    const sections = (r: Awaited<ReturnType<CompetenceReports['district']>>) => ({ ...r, generatedAt: undefined, filter: undefined })
    // Dewi (t4) has no school: the scope leaves her out.
    const outside = await reports.district({ tenantId: data.a.id, scopePath: districtPath })
    expect(outside.heatmap.map((h) => h.teachers)).toEqual([1, 3])
    await db.knex('competence_learner').where({ tenant_id: data.a.id, learner_key: KEYS.t4 }).update({ npsn: '211' })
    const scoped = await reports.district({ tenantId: data.a.id, scopePath: districtPath })
    const tenantWide = await reports.district({ tenantId: data.a.id })
    expect(scoped.heatmap.map((h) => h.teachers)).toEqual([2, 3])
    expect(sections(scoped)).toEqual(sections(tenantWide))
  })
})
