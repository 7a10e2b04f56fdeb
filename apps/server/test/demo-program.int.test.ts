import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { CompetenceConfigStore } from '@tln/competence'
import { ProgramStore, programVocabulary } from '@tln/lti-tool'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoCompetenceConfig } from '../src/seed/demo-competence.ts'
import { seedDemoOrg } from '../src/seed/demo-org.ts'
import { TIER_HOURS } from '../src/seed/demo-program-document.ts'
import { MODULES, PHASES, PROGRAM, TIER } from '../src/seed/demo-program.ts'
import { KECAMATAN } from '../src/seed/lombok-tengah.ts'

/**
 * The demo seed creates the paper's program (issue 5) through the program store: Diklat
 * Berjenjang Tingkat Dasar with its phases and modules under the demo statements' activity IRIs,
 * and the quotas of the 12 kecamatan; deterministic and idempotent.
 */
describe(`demo program seed on ${testEngine()}`, () => {
  let db: Db
  let tenantId: string
  const rows = async () => Promise.all(['program', 'program_tier', 'program_phase', 'program_module', 'program_quota'].map(async (t) => db.knex(t).where({ tenant_id: tenantId })))

  beforeAll(async () => {
    db = await createTestDb()
    await seedDemoOrg(db.knex)
    tenantId = ((await db.knex('tenant').where({ slug: 'default' }).first()) as { id: string }).id
  }, 120_000)
  afterAll(async () => { await db?.close() })

  it('stores the paper\'s program: one tier of 48 JP, three phases in order, six modules, 12 kecamatan × 5 participants', async () => {
    const store = new ProgramStore(db.knex)
    const [summary] = await store.list(tenantId)
    const program = (await store.program(tenantId, summary!.id))!
    expect(program.activityId).toBe(PROGRAM.id)
    expect(program.tierList).toHaveLength(1)
    const tier = program.tierList[0]!
    expect(tier).toMatchObject({ level: 'dasar', hours: TIER_HOURS, activityId: TIER.id, completion: { allModules: true, postTestMinPercent: 70, tasksAccepted: true } })
    expect(tier.phases.map((p) => [p.position, p.activityId, p.kind])).toEqual(PHASES.map((p, i) => [i + 1, p.id, p.slug === 'on-the-job-learning' ? 'on-the-job' : 'in-service']))
    expect(tier.phases.flatMap((p) => p.modules.map((m) => m.activityId)).sort()).toEqual(MODULES.map((m) => m.id).sort())
    expect(tier.phases.reduce((n, p) => n + p.hours, 0)).toBeLessThanOrEqual(tier.hours)
    expect(program.quotas).toHaveLength(KECAMATAN.length)
    expect(program.quotas.reduce((n, q) => n + q.participants, 0)).toBe(60)
  })

  it('the program\'s published vocabulary is the demo configuration\'s: the seed stores one config version', async () => {
    const expected = demoCompetenceConfig().program
    expect(await programVocabulary(db.knex, tenantId)).toEqual({ phases: expected.phases, quotas: expected.quotas })
    expect(await new CompetenceConfigStore(db.knex).activeVersion(tenantId)).toBe(1)
  })

  it('a second seed changes no row and stores no version (idempotent)', async () => {
    const before = await rows()
    await seedDemoOrg(db.knex)
    expect(await rows()).toEqual(before)
    expect(await new CompetenceConfigStore(db.knex).activeVersion(tenantId)).toBe(1)
  }, 60_000)
})
