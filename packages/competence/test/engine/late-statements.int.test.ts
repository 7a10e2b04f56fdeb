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

describe(`late statements on ${testEngine()} (issue 6: "late statements (old timestamp, new stored) handled")`, () => {
  it('gives the same ratings, evidence, learners and months when the same statements are stored in timestamp order or in reverse', async () => {
    const statements = workload(300, 12).sort((a, b) => a.timestamp.localeCompare(b.timestamp))
    const inOrder = await f.tenant('in-order')
    const reversed = await f.tenant('reversed')
    for (const tenant of [inOrder, reversed]) await new CompetenceConfigStore(f.knex).put(tenant, TEST_CONFIG, 'test')
    const engine = new CompetenceEngine({ knex: f.knex, pageSize: 40 })
    // Stored in several batches with the engine running between them, so late statements meet existing ratings.
    for (let i = 0; i < statements.length; i += 60) {
      await f.store('in-order', statements.slice(i, i + 60))
      await f.store('reversed', statements.slice().reverse().slice(i, i + 60))
      await engine.catchUp()
    }
    const a = await projections(f.knex, inOrder)
    const b = await projections(f.knex, reversed)
    expect(a.ratings.length).toBeGreaterThan(12 * 3)
    expect(b.ratings).toEqual(a.ratings)
    expect(b.evidence).toEqual(a.evidence)
    expect(b.learners).toEqual(a.learners)
    expect(b.months).toEqual(a.months)
  })
})
