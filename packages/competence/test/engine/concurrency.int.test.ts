import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CompetenceConfigStore } from '../../src/config/config-store.ts'
import { CompetenceEngine } from '../../src/engine/competence-engine.ts'
import { createEngineFixture, projections, type EngineFixture } from './engine-fixture.ts'
import { TEST_CONFIG, workload } from './statements.ts'

let f: EngineFixture

beforeAll(async () => {
  f = await createEngineFixture()
})
afterAll(async () => {
  await f.close()
})

async function storeMany(slug: string, count: number, teachers: number, prefix: string): Promise<void> {
  const statements = workload(count, teachers, prefix)
  for (let i = 0; i < statements.length; i += 500) await f.store(slug, statements.slice(i, i + 500))
}

describe(`aggregation throughput on ${testEngine()} (issue 6 benchmark: statements/s)`, () => {
  it('applies 5,000 statements with one engine, every statement once (the rate is logged, not asserted)', async () => {
    const tenant = await f.tenant('throughput')
    await new CompetenceConfigStore(f.knex).put(tenant, TEST_CONFIG, 'test')
    await storeMany('throughput', 5000, 500, 't')
    const engine = new CompetenceEngine({ knex: f.knex })
    const started = performance.now()
    const applied = await engine.catchUp()
    const seconds = (performance.now() - started) / 1000
    console.log(`[competence engine ${testEngine()}] ${applied} statements in ${seconds.toFixed(2)} s: ${Math.round(applied / seconds)} statements/s (500 learners, page 500)`)
    expect(applied).toBe(5000)
    expect(await engine.status(tenant)).toMatchObject({ state: 'current', processed: 5000 })
  }, 120_000)
})

// PGlite has one connection, so two engines there never overlap; on PostgreSQL they do.
describe.runIf(testEngine() === 'postgres')('two engines on one PostgreSQL (issue 6: "safe with two server processes")', () => {
  it('applies each of 2,000 statements once and gives exactly the tables one engine gives', async () => {
    const tenant = await f.tenant('concurrent')
    await new CompetenceConfigStore(f.knex).put(tenant, TEST_CONFIG, 'test')
    await storeMany('concurrent', 2000, 80, 'p')
    const [a, b] = await Promise.all([
      new CompetenceEngine({ knex: f.knex, pageSize: 100 }).catchUp(),
      new CompetenceEngine({ knex: f.knex, pageSize: 100 }).catchUp(),
    ])
    expect(a + b).toBe(2000)
    expect((await new CompetenceEngine({ knex: f.knex }).status(tenant)).processed).toBe(2000)
    const together = await projections(f.knex, tenant)
    await f.knex('competence_engine').where({ tenant_id: tenant }).update({ config_version: null })
    expect(await new CompetenceEngine({ knex: f.knex, pageSize: 100 }).catchUp()).toBe(2000)
    expect(await projections(f.knex, tenant)).toEqual(together)
  }, 120_000)
})
