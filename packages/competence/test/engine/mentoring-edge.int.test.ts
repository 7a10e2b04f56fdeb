/**
 * The `mentoring_edge` roll-up (migration 20261129001610): the district dashboard's mentoring
 * reach reads it instead of every `mentored` fact, so it must count exactly the non-voided
 * mentoring facts per mentor → mentee, through voiding and rebuilds (issue 6, "mentoring network
 * graph (who mentored whom, depth)"; xAPI 1.0.3 Data 2.3.2 on voided statements).
 */
import { migrations, testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CompetenceConfigStore } from '../../src/config/config-store.ts'
import { createEngineFixture, type EngineFixture } from './engine-fixture.ts'
import { mentored, teacherKey, TEST_CONFIG, voiding, workload } from './statements.ts'

let f: EngineFixture

beforeAll(async () => {
  f = await createEngineFixture()
})
afterAll(async () => {
  await f.close()
})

type Edge = [mentor: string, mentee: string, sessions: number]

async function edges(tenantId: string): Promise<Edge[]> {
  const { rows } = (await f.knex.raw('select mentor_key, mentee_key, sessions from mentoring_edge where tenant_id = ? order by 1, 2', [tenantId])) as { rows: Array<{ mentor_key: string; mentee_key: string; sessions: number }> }
  return rows.map((r) => [r.mentor_key, r.mentee_key, r.sessions])
}

/** The edges worked out from every non-voided mentoring fact (the invariant the triggers keep). */
async function edgesFromFacts(tenantId: string): Promise<Edge[]> {
  const { rows } = (await f.knex.raw(`select learner_key, related_key, count(*)::int as n from learning_fact
      where tenant_id = ? and not voided and kind = 'mentored' and related_key is not null group by 1, 2 order by 1, 2`, [tenantId])) as { rows: Array<{ learner_key: string; related_key: string; n: number }> }
  return rows.map((r) => [r.learner_key, r.related_key, r.n])
}

const T1 = teacherKey(1)
const T2 = teacherKey(2)
const T3 = teacherKey(3)

describe(`mentoring_edge roll-up on ${testEngine()} (issue 6: "who mentored whom")`, () => {
  it('counts the non-voided mentoring sessions of each mentor → mentee pair', async () => {
    const tenant = await f.tenantWithConfig('edge-exact')
    await f.store('edge-exact', [
      mentored('ee/1', 1, 2, '2026-03-01T10:00:00+08:00'),
      mentored('ee/2', 1, 2, '2026-03-02T10:00:00+08:00'),
      mentored('ee/3', 1, 3, '2026-03-03T10:00:00+08:00'),
      mentored('ee/4', 2, 3, '2026-03-04T10:00:00+08:00'),
    ])
    await f.catchUp()
    expect(await edges(tenant)).toEqual([[T1, T2, 2], [T1, T3, 1], [T2, T3, 1]])
  })

  it('subtracts a voided session and deletes a pair no session supports any more (xAPI 1.0.3 Data 2.3.2)', async () => {
    const tenant = await f.tenantWithConfig('edge-void')
    const first = mentored('ev/1', 1, 2, '2026-03-01T10:00:00+08:00')
    const only = mentored('ev/2', 2, 3, '2026-03-02T10:00:00+08:00')
    await f.store('edge-void', [first, mentored('ev/3', 1, 2, '2026-03-03T10:00:00+08:00'), only])
    await f.catchUp()
    expect(await edges(tenant)).toEqual([[T1, T2, 2], [T2, T3, 1]])
    await f.store('edge-void', [voiding('ev/void-1', 1, first.id, '2026-03-10T10:00:00+08:00'), voiding('ev/void-2', 2, only.id, '2026-03-10T10:00:00+08:00')])
    await f.catchUp()
    expect(await edges(tenant)).toEqual([[T1, T2, 1]])
    // A second voiding statement of the same target retracts nothing more.
    await f.store('edge-void', [voiding('ev/void-1-again', 1, first.id, '2026-03-11T10:00:00+08:00')])
    await f.catchUp()
    expect(await edges(tenant)).toEqual([[T1, T2, 1]])
  })

  it('equals the aggregation of the non-voided facts after pages with voiding in them, and again after a rebuild', async () => {
    const tenant = await f.tenantWithConfig('edge-invariant')
    const load = workload(90, 9, 'ei')
    const voids = load.filter((_, i) => i % 10 === 8).map((s, i) => voiding(`ei/void/${i}`, 1, s.id, '2026-09-01T10:00:00+08:00'))
    await f.store('edge-invariant', load.slice(0, 50))
    await f.store('edge-invariant', [...voids.slice(0, 6), ...load.slice(50), ...voids.slice(6)])
    await f.catchUp(11)
    const built = await edges(tenant)
    expect(built.length).toBeGreaterThan(2)
    expect(built).toEqual(await edgesFromFacts(tenant))
    await new CompetenceConfigStore(f.knex).put(tenant, { ...TEST_CONFIG }, 'admin')
    await f.catchUp(7)
    expect(await edges(tenant)).toEqual(built)
  })

  it('is filled from the facts already built when the migration runs on an existing database (down, then up)', async () => {
    const tenant = await f.tenantWithConfig('edge-migrate')
    const voided = mentored('em/1', 1, 2, '2026-03-01T10:00:00+08:00')
    await f.store('edge-migrate', [voided, mentored('em/2', 2, 3, '2026-03-02T10:00:00+08:00')])
    await f.store('edge-migrate', [voiding('em/void', 1, voided.id, '2026-03-05T10:00:00+08:00')])
    await f.catchUp()
    expect(await edges(tenant)).toEqual([[T2, T3, 1]])
    const migration = migrations.find(([name]) => name === '20261129001610-mentoring-rollup-time-zone')![1]
    await migration.down(f.knex)
    await migration.up(f.knex)
    expect(await edges(tenant)).toEqual([[T2, T3, 1]])
  })
})
