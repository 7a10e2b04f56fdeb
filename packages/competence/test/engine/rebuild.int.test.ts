import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CompetenceConfigStore } from '../../src/config/config-store.ts'
import { CompetenceEngine } from '../../src/engine/competence-engine.ts'
import { CompetenceError } from '../../src/errors.ts'
import { alignRules } from '../../src/rules/align-rules.ts'
import { TLN_TEMPLATES } from '../../src/rules/default-rules.ts'
import { createEngineFixture, projections, type EngineFixture } from './engine-fixture.ts'
import { scored, TASK, TEST_CONFIG, workload } from './statements.ts'

let f: EngineFixture
let tenant: string
let configs: CompetenceConfigStore

beforeAll(async () => {
  f = await createEngineFixture()
  tenant = await f.tenant('rebuild')
  configs = new CompetenceConfigStore(f.knex)
})
afterAll(async () => {
  await f.close()
})

describe(`competence config store on ${testEngine()}`, () => {
  it('answers the default configuration as version 0 when none is stored', async () => {
    const active = await configs.active(tenant)
    expect(active).toMatchObject({ version: 0, rules: [], framework: { id: 'permendikbud-137-2014-pendidik-paud' } })
    expect(await configs.activeVersion(tenant)).toBe(0)
  })

  it('stores version + 1 and answers the highest as active', async () => {
    expect((await configs.put(tenant, TEST_CONFIG, 'admin')).version).toBe(1)
    const active = await configs.active(tenant)
    expect(active.version).toBe(1)
    expect(active.rules).toEqual(TEST_CONFIG.rules)
  })

  it('rejects an invalid configuration with every issue (ERR_COMPETENCE_INVALID_CONFIG) and stores nothing', async () => {
    const bad = { ...TEST_CONFIG, rules: [{ ...TEST_CONFIG.rules[0]!, indicator: 'PED.Z.9' }], program: { ...TEST_CONFIG.program, taskType: '' } }
    const error = await configs.put(tenant, bad, 'admin').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CompetenceError)
    expect((error as CompetenceError).code).toBe('ERR_COMPETENCE_INVALID_CONFIG')
    expect((error as CompetenceError).issues.map((i) => `${i.path} ${i.rule}`)).toEqual(['rules[0].indicator indicator-exists', 'program.taskType required'])
    expect(await configs.activeVersion(tenant)).toBe(1)
  })
})

describe(`rebuild on a config change on ${testEngine()} (issue 6: "Rebuild from scratch on a rule change with progress shown")`, () => {
  it('empties the projections, restarts from the stream start with progress, and ends current with the new version', async () => {
    await f.store('rebuild', workload(30, 5, 'r'))
    await new CompetenceEngine({ knex: f.knex }).catchUp()
    expect((await projections(f.knex, tenant)).ratings.every((r) => (r as { config_version: number }).config_version === 1)).toBe(true)
    const v2 = { ...TEST_CONFIG, rules: [...TEST_CONFIG.rules, ...alignRules(TLN_TEMPLATES.filter((t) => t.id === 'tln-task-scored'), [{ activity: TASK.id, indicators: ['PED.C.1'] }])] }
    expect((await configs.put(tenant, v2, 'admin')).version).toBe(2)
    const engine = new CompetenceEngine({ knex: f.knex, pageSize: 10 })
    expect(await engine.runOnce()).toBe(10)
    expect(await engine.status(tenant)).toMatchObject({ state: 'rebuilding', processed: 10, rebuildDone: 10, rebuildTotal: 30, configVersion: 2 })
    // Only the first page's evidence exists: the rest was deleted with the old projections.
    expect((await projections(f.knex, tenant)).facts.length).toBeLessThanOrEqual(10)
    await engine.catchUp()
    expect(await engine.status(tenant)).toMatchObject({ state: 'current', processed: 30, rebuildDone: 30, rebuildTotal: 30, configVersion: 2 })
    const p = await projections(f.knex, tenant)
    expect(p.ratings.every((r) => (r as { config_version: number }).config_version === 2)).toBe(true)
    expect(p.evidence.some((e) => (e as { indicator: string }).indicator === 'PED.C.1')).toBe(true)
  })

  it('rebuilds to the same projections when the partition is told to (config_version null, `tln competence rebuild`)', async () => {
    await f.store('rebuild', [scored('r/extra', 2, 0.9, '2026-07-01T10:00:00+08:00')])
    const engine = new CompetenceEngine({ knex: f.knex })
    await engine.catchUp()
    const before = await projections(f.knex, tenant)
    await f.knex('competence_engine').where({ tenant_id: tenant }).update({ config_version: null })
    expect(await engine.catchUp()).toBe(31)
    expect(await projections(f.knex, tenant)).toEqual(before)
    expect(await engine.status(tenant)).toMatchObject({ state: 'current', processed: 31, configVersion: 2 })
  })
})
