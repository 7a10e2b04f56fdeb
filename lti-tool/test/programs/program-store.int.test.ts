import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { CompetenceConfigStore, DEFAULT_COMPETENCE_CONFIG } from '@tln/competence'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OrgStore, ProgramInputError, ProgramStore, type OrgNode, type ProgramDocument } from '../../src/index.ts'

const TLN_BASE = 'https://tln.example/xapi'
const COMPLETION = { allModules: true, postTestMinPercent: 70, tasksAccepted: true, minAttendancePercent: null }
const name = (id: string, en = id) => ({ id, en })

async function sum(db: Db, tierId: string): Promise<number> {
  return Number(((await db.knex('program_phase').where({ tier_id: tierId }).sum('hours as n').first()) as { n: string | number }).n)
}

/** The rule names a refused save carries, or `saved` when it went through. */
async function outcome(run: Promise<unknown>): Promise<string[] | 'saved'> {
  try {
    await run
    return 'saved'
  } catch (error) {
    if (error instanceof ProgramInputError) return error.problems.map((p) => `${p.field}:${p.rule}${error.conflict ? ' (409)' : ''}`)
    throw error
  }
}

/**
 * The program store (issue 5: programs, tiers, phases, modules and quotas configurable by an
 * administrator): the database's constraints and the store's rules, tenancy, and the publishing
 * of the program vocabulary into the competence configuration. On PGlite and PostgreSQL.
 */
describe(`program store on ${testEngine()}`, () => {
  let db: Db
  let store: ProgramStore
  let configs: CompetenceConfigStore
  let tenantId: string
  let otherTenant: string
  let praya: OrgNode
  let jonggat: OrgNode
  let selong: OrgNode
  const version = () => configs.activeVersion(tenantId)
  const count = async (table: string) => Number(((await db.knex(table).count('* as n').first()) as { n: string | number }).n)

  beforeAll(async () => {
    db = await createTestDb()
    store = new ProgramStore(db.knex)
    configs = new CompetenceConfigStore(db.knex)
    const org = new OrgStore(db.knex)
    tenantId = await org.tenantId('default')
    const province = await org.upsertNode(tenantId, { kind: 'province', code: '52', name: 'Nusa Tenggara Barat' })
    const district = await org.upsertNode(tenantId, { kind: 'district', code: '52.02', name: 'Kabupaten Lombok Tengah', parentId: province.id })
    praya = await org.upsertNode(tenantId, { kind: 'kecamatan', code: '52.02.06', name: 'Praya', parentId: district.id })
    jonggat = await org.upsertNode(tenantId, { kind: 'kecamatan', code: '52.02.07', name: 'Jonggat', parentId: district.id })
    await db.knex('tenant').insert({ slug: 'other', name: 'Other province' })
    otherTenant = await org.tenantId('other')
    const p2 = await org.upsertNode(otherTenant, { kind: 'province', code: '53', name: 'NTT' })
    const d2 = await org.upsertNode(otherTenant, { kind: 'district', code: '53.01', name: 'Kupang', parentId: p2.id })
    selong = await org.upsertNode(otherTenant, { kind: 'kecamatan', code: '53.01.01', name: 'Kupang Barat', parentId: d2.id })
  })
  afterAll(async () => { await db?.close() })

  describe('programs', () => {
    it('a new program gets a stable activity IRI under the TLN base from its code', async () => {
      const saved = await store.createProgram(tenantId, { code: 'diklat-2026', name: name('Diklat 2026'), active: true }, 'test')
      const program = await store.program(tenantId, saved.id)
      expect(program?.activityId).toBe(`${TLN_BASE}/activities/program/diklat-2026`)
    })

    it('the code is unique per tenant (409), and another tenant may use it', async () => {
      expect(await outcome(store.createProgram(tenantId, { code: 'diklat-2026', name: name('Lagi'), active: true }, 'test'))).toEqual(['code:taken (409)'])
      expect(await outcome(store.createProgram(otherTenant, { code: 'diklat-2026', name: name('Lain'), active: true }, 'test'))).toBe('saved')
    })

    it('renaming the code keeps the activity IRI statements already carry', async () => {
      const saved = await store.createProgram(tenantId, { code: 'rename-me', name: name('R'), active: false }, 'test')
      await store.updateProgram(tenantId, saved.id, { code: 'renamed', name: name('R2'), active: false }, 'test')
      expect(await store.program(tenantId, saved.id)).toMatchObject({ code: 'renamed', activityId: `${TLN_BASE}/activities/program/rename-me` })
    })

    it('another tenant\'s program id, or a malformed one, is not found', async () => {
      const theirs = (await store.list(otherTenant))[0]!
      expect(await store.program(tenantId, theirs.id)).toBeUndefined()
      expect(await store.program(tenantId, 'not-a-uuid')).toBeUndefined()
      await expect(store.updateProgram(tenantId, theirs.id, { code: 'x-1', name: name('x'), active: true }, 'test')).rejects.toMatchObject({ code: 'ERR_TOOL_NOT_FOUND' })
      expect((await store.program(otherTenant, theirs.id))?.name.id).toBe('Lain')
    })
  })

  describe('tiers, phases and modules', () => {
    let programId: string
    let tierId: string
    let is1: string
    let ojl: string

    beforeAll(async () => {
      programId = (await store.createProgram(tenantId, { code: 'tiers-test', name: name('Tiers'), active: true }, 'test')).id
    })

    it('one tier per level and program; its IRI lives under the program\'s', async () => {
      tierId = (await store.saveTier(tenantId, programId, undefined, { level: 'dasar', name: name('Dasar'), hours: 48, completion: COMPLETION }, 'test')).id
      expect(await outcome(store.saveTier(tenantId, programId, undefined, { level: 'dasar', name: name('Dua'), hours: 10, completion: COMPLETION }, 'test'))).toEqual(['level:taken (409)'])
      const tier = (await store.program(tenantId, programId))!.tierList[0]!
      expect(tier).toMatchObject({ level: 'dasar', hours: 48, completion: COMPLETION, activityId: `${TLN_BASE}/activities/program/tiers-test/tier/dasar` })
    })

    it('phase code and order are unique in the tier (409); nothing is stored on a refusal', async () => {
      is1 = (await store.savePhase(tenantId, programId, tierId, undefined, { code: 'in-service-1', position: 1, name: name('IS 1'), kind: 'in-service', hours: 16 }, 'test')).id
      const before = await count('program_phase')
      expect(await outcome(store.savePhase(tenantId, programId, tierId, undefined, { code: 'in-service-1', position: 1, name: name('x'), kind: 'in-service', hours: 1 }, 'test')))
        .toEqual(['code:taken (409)', 'position:taken (409)'])
      expect(await count('program_phase')).toBe(before)
    })

    it('a tier\'s phases fit in the tier\'s hours; a tier cannot shrink below its phases', async () => {
      expect(await outcome(store.savePhase(tenantId, programId, tierId, undefined, { code: 'on-the-job', position: 2, name: name('OJL'), kind: 'on-the-job', hours: 33 }, 'test'))).toEqual(['hours:hours-total'])
      ojl = (await store.savePhase(tenantId, programId, tierId, undefined, { code: 'on-the-job', position: 2, name: name('OJL'), kind: 'on-the-job', hours: 24 }, 'test')).id
      expect(await outcome(store.saveTier(tenantId, programId, tierId, { level: 'dasar', name: name('Dasar'), hours: 39, completion: COMPLETION }, 'test'))).toEqual(['hours:hours-total'])
    })

    it('module code unique in the tier, order unique in the phase, hours within the phase, an LMS id counts for one module', async () => {
      const m = (code: string, position: number, hours: number, lms: string[] = [], phaseId = is1) => ({ code, position, name: name(code), hours, lmsActivityIds: lms, phaseId })
      await store.saveModule(tenantId, programId, tierId, undefined, m('konsep', 1, 8, ['https://lms.example/mod/1']), 'test')
      expect(await outcome(store.saveModule(tenantId, programId, tierId, undefined, m('konsep', 1, 1, [], ojl), 'test'))).toEqual(['code:taken (409)'])
      expect(await outcome(store.saveModule(tenantId, programId, tierId, undefined, m('anak', 1, 1), 'test'))).toEqual(['position:taken (409)'])
      expect(await outcome(store.saveModule(tenantId, programId, tierId, undefined, m('anak', 2, 9), 'test'))).toEqual(['hours:hours-total'])
      expect(await outcome(store.saveModule(tenantId, programId, tierId, undefined, m('anak', 2, 8, ['https://lms.example/mod/1']), 'test'))).toEqual(['lmsActivityIds:taken (409)'])
      expect(await outcome(store.saveModule(tenantId, programId, tierId, undefined, m('anak', 2, 8), 'test'))).toBe('saved')
      expect(await outcome(store.savePhase(tenantId, programId, tierId, is1, { code: 'in-service-1', position: 1, name: name('IS 1'), kind: 'in-service', hours: 15 }, 'test'))).toEqual(['hours:hours-total'])
    })

    it('a module moved to another phase keeps its IRI (under the tier, not the phase)', async () => {
      const tier = (await store.program(tenantId, programId))!.tierList[0]!
      const konsep = tier.phases[0]!.modules.find((x) => x.code === 'konsep')!
      await store.saveModule(tenantId, programId, tierId, konsep.id, { code: 'konsep', position: 1, name: name('konsep'), hours: 8, lmsActivityIds: [], phaseId: ojl }, 'test')
      const moved = (await store.program(tenantId, programId))!.tierList[0]!.phases[1]!.modules[0]!
      expect(moved).toMatchObject({ id: konsep.id, activityId: `${TLN_BASE}/activities/program/tiers-test/tier/dasar/module/konsep` })
    })

    it('two saves at once cannot together break the hours rule (the tenant row serialises program writes)', async () => {
      const tier = (await store.saveTier(tenantId, programId, undefined, { level: 'mahir', name: name('Mahir'), hours: 10, completion: COMPLETION }, 'test')).id
      const phase = (code: string, position: number) => store.savePhase(tenantId, programId, tier, undefined, { code, position, name: name(code), kind: 'in-service', hours: 6 }, 'test')
      const outcomes = await Promise.all([outcome(phase('x', 1)), outcome(phase('y', 2))])
      expect(outcomes.filter((o) => o === 'saved')).toHaveLength(1)
      expect(outcomes).toContainEqual(['hours:hours-total'])
      expect(await sum(db, tier)).toBe(6)
    })

    it('ids of another program, tier or tenant are not found', async () => {
      const other = (await store.createProgram(tenantId, { code: 'other-program', name: name('O'), active: false }, 'test')).id
      await expect(store.savePhase(tenantId, other, tierId, undefined, { code: 'x', position: 1, name: name('x'), kind: 'in-service', hours: 1 }, 'test')).rejects.toMatchObject({ code: 'ERR_TOOL_NOT_FOUND' })
      await expect(store.saveTier(otherTenant, programId, tierId, { level: 'dasar', name: name('x'), hours: 48, completion: COMPLETION }, 'test')).rejects.toMatchObject({ code: 'ERR_TOOL_NOT_FOUND' })
      await expect(store.setQuotas(tenantId, programId, new Map([[selong.id, 3]]), 'test')).rejects.toMatchObject({ code: 'ERR_TOOL_NOT_FOUND' })
    })
  })

  describe('the database enforces the shape on its own', () => {
    it('order is unique in a tier (checked at commit, so a swap in one transaction works)', async () => {
      const tier = (await db.knex('program_tier').first('id', 'tenant_id')) as { id: string; tenant_id: string }
      const row = (i: number) => ({ tenant_id: tier.tenant_id, tier_id: tier.id, position: 40, code: `db-${i}`, name_id: 'x', name_en: 'x', kind: 'in-service', hours: 0, activity_id: `https://x.example/db-${i}` })
      await expect(db.knex.transaction(async (trx) => { await trx('program_phase').insert([row(1), row(2)]) })).rejects.toMatchObject({ code: '23505' })
      await db.knex.transaction(async (trx) => {
        await trx('program_phase').insert([row(3), { ...row(4), position: 41 }])
        await trx('program_phase').where({ code: 'db-3' }).update({ position: 41 })
        await trx('program_phase').where({ code: 'db-4' }).update({ position: 40 })
      })
      await db.knex('program_phase').whereIn('code', ['db-3', 'db-4']).delete()
    })

    it('a child cannot hang under another tenant\'s parent (composite foreign keys)', async () => {
      const tier = (await db.knex('program_tier').first('id')) as { id: string }
      await expect(db.knex('program_phase').insert({ tenant_id: otherTenant, tier_id: tier.id, position: 45, code: 'cross', name_id: 'x', name_en: 'x', kind: 'in-service', hours: 0, activity_id: 'https://x.example/cross' }))
        .rejects.toMatchObject({ code: '23503' })
    })

    it('level and kind are closed lists, hours and percentages in range', async () => {
      const program = (await db.knex('program').where({ tenant_id: tenantId }).first('id')) as { id: string }
      const tier = { tenant_id: tenantId, program_id: program.id, name_id: 'x', name_en: 'x', activity_id: 'https://x.example/t' }
      await expect(db.knex('program_tier').insert({ ...tier, level: 'ahli', hours: 10 })).rejects.toMatchObject({ code: '23514' })
      await expect(db.knex('program_tier').insert({ ...tier, level: 'mahir', hours: 0 })).rejects.toMatchObject({ code: '23514' })
      await expect(db.knex('program_tier').insert({ ...tier, level: 'mahir', hours: 10, post_test_min_percent: 101 })).rejects.toMatchObject({ code: '23514' })
    })
  })

  describe('publishing the program vocabulary (phases in order, quotas) as a competence config version', () => {
    let programId: string
    let tierId: string

    it('a program with phases and quotas publishes them; the framework, rules and rating stay', async () => {
      const start = await version()
      programId = (await store.createProgram(tenantId, { code: 'published', name: name('Published'), active: true }, 'test')).id
      tierId = (await store.saveTier(tenantId, programId, undefined, { level: 'dasar', name: name('Dasar'), hours: 48, completion: COMPLETION }, 'test')).id
      const a = await store.savePhase(tenantId, programId, tierId, undefined, { code: 'a', position: 2, name: name('Fase A', 'Phase A'), kind: 'on-the-job', hours: 8 }, 'test')
      const b = await store.savePhase(tenantId, programId, tierId, undefined, { code: 'b', position: 1, name: name('Fase B', 'Phase B'), kind: 'in-service', hours: 8 }, 'test')
      expect(a.published && b.published).toBe(true)
      const q = await store.setQuotas(tenantId, programId, new Map([[praya.id, 5], [jonggat.id, 4]]), 'test')
      expect(q.version).toBeGreaterThan(start)
      const active = await configs.active(tenantId)
      const tierIri = `${TLN_BASE}/activities/program/published/tier/dasar`
      // The tiers-test program is active too: its phases come first (programs by code), each name led by its tier's.
      expect(active.program.phases?.filter((p) => p.id.startsWith(tierIri))).toEqual([
        { id: `${tierIri}/phase/b`, name: { id: 'Dasar — Fase B', en: 'Dasar — Phase B' } },
        { id: `${tierIri}/phase/a`, name: { id: 'Dasar — Fase A', en: 'Dasar — Phase A' } },
      ])
      expect(active.program.quotas).toEqual({ '52.02.06': 5, '52.02.07': 4 })
      expect(active.framework).toEqual(DEFAULT_COMPETENCE_CONFIG.framework)
      expect(active.program.tierType).toBe(DEFAULT_COMPETENCE_CONFIG.program.tierType)
    })

    it('a change the reports cannot see (a module, a name of an inactive program) stores no version: no rebuild', async () => {
      const before = await version()
      const phaseId = (await store.program(tenantId, programId))!.tierList[0]!.phases[0]!.id
      const saved = await store.saveModule(tenantId, programId, tierId, undefined, { code: 'm', position: 1, name: name('m'), hours: 2, lmsActivityIds: [], phaseId }, 'test')
      expect(saved).toMatchObject({ published: false, version: before })
      expect(await version()).toBe(before)
    })

    it('deactivating programs takes their phases and quotas out of the vocabulary', async () => {
      for (const p of await store.list(tenantId)) if (p.active) await store.updateProgram(tenantId, p.id, { code: p.code, name: p.name, active: false }, 'test')
      const active = await configs.active(tenantId)
      expect(active.program.phases).toBeUndefined()
      expect(active.program.quotas).toBeUndefined()
    })

    it('a refused save publishes nothing', async () => {
      const before = await version()
      await store.updateProgram(tenantId, programId, { code: 'published', name: name('Published'), active: true }, 'test')
      const after = await version()
      expect(after).toBe(before + 1)
      expect(await outcome(store.savePhase(tenantId, programId, tierId, undefined, { code: 'c', position: 3, name: name('C'), kind: 'in-service', hours: 40 }, 'test'))).toEqual(['hours:hours-total'])
      expect(await version()).toBe(after)
    })
  })

  describe('program documents (import and export)', () => {
    const doc = (over: Partial<ProgramDocument> = {}): ProgramDocument => ({
      format: 'tln-program/1', code: 'imported', name: name('Diimpor', 'Imported'), active: true,
      tiers: [{
        level: 'dasar', name: name('Dasar'), hours: 48, completion: COMPLETION, activityId: 'https://tln.example/xapi/activities/tier/imported-dasar',
        phases: [
          { code: 'in-service-1', name: name('IS 1'), kind: 'in-service', hours: 16, modules: [{ code: 'm1', name: name('M1'), hours: 8, lmsActivityIds: ['https://lms.example/1'] }, { code: 'm2', name: name('M2'), hours: 8, lmsActivityIds: [] }] },
          { code: 'on-the-job', name: name('OJL'), kind: 'on-the-job', hours: 24, modules: [] },
        ],
      }],
      quotas: { '52.02.06': 5 },
      ...over,
    })

    it('imports a whole program; the given tier IRI is kept and the rest derived under it', async () => {
      const saved = await store.putDocument(tenantId, doc(), 'test')
      const exported = await store.document(tenantId, saved.id)
      expect(exported.tiers[0]!.activityId).toBe('https://tln.example/xapi/activities/tier/imported-dasar')
      expect(exported.tiers[0]!.phases[0]!.modules[1]!.activityId).toBe('https://tln.example/xapi/activities/tier/imported-dasar/module/m2')
      expect(exported.quotas).toEqual({ '52.02.06': 5 })
    })

    it('importing its own export again changes nothing and publishes nothing (idempotent)', async () => {
      const id = (await store.list(tenantId)).find((p) => p.code === 'imported')!.id
      const before = await store.program(tenantId, id)
      const saved = await store.putDocument(tenantId, await store.document(tenantId, id), 'test')
      expect(saved.published).toBe(false)
      expect(await store.program(tenantId, id)).toEqual(before)
    })

    it('reorders phases and moves modules in one transaction; what the document leaves out is removed', async () => {
      const id = (await store.list(tenantId)).find((p) => p.code === 'imported')!.id
      const d = doc()
      const [is1, ojl] = d.tiers[0]!.phases
      const saved = await store.putDocument(tenantId, doc({ tiers: [{ ...d.tiers[0]!, phases: [{ ...ojl!, modules: [is1!.modules[0]!] }, { ...is1!, modules: [] }] }], quotas: {} }), 'test')
      expect(saved.published).toBe(true)
      const tier = (await store.program(tenantId, id))!.tierList[0]!
      expect(tier.phases.map((p) => [p.position, p.code, p.modules.map((m) => m.code)])).toEqual([[1, 'on-the-job', ['m1']], [2, 'in-service-1', []]])
      expect((await store.program(tenantId, id))!.quotas).toEqual([])
    })

    it('refuses hours over a parent\'s and unknown kecamatan codes, storing nothing', async () => {
      const d = doc({ code: 'refused' })
      const over = { ...d, tiers: [{ ...d.tiers[0]!, hours: 30, activityId: 'https://tln.example/xapi/activities/tier/refused' }], quotas: { '99.99': 1 } }
      expect(await outcome(store.putDocument(tenantId, over, 'test'))).toEqual(['tiers[0].hours:hours-total', 'quotas.99.99:unknown-kecamatan'])
      expect((await store.list(tenantId)).some((p) => p.code === 'refused')).toBe(false)
    })
  })
})
