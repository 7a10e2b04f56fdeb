import { migrations, testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Knex } from '@tln/db'
import { CompetenceConfigStore } from '../../src/config/config-store.ts'
import { createEngineFixture, type EngineFixture } from './engine-fixture.ts'
import { attended, MEETING, postTest, scored, teacherKey, TEST_CONFIG, tierCompleted, voiding, workload } from './statements.ts'

let f: EngineFixture

beforeAll(async () => {
  f = await createEngineFixture()
})
afterAll(async () => {
  await f.close()
})

type Rows = Array<Record<string, unknown>>

async function rows(knex: Knex, query: string, tenantId: string): Promise<Rows> {
  return ((await knex.raw(query, [tenantId])) as { rows: Rows }).rows
}

/** The roll-ups as stored: [learner, stage, object, facts] and [activity, attendances, with facilitator]. */
async function rollups(tenantId: string) {
  return {
    stages: (await rows(f.knex, 'select learner_key, stage, object_id, facts from learner_stage where tenant_id = ? order by learner_key, stage, object_id', tenantId))
      .map((r) => [r['learner_key'], r['stage'], r['object_id'], r['facts']]),
    attendance: (await rows(f.knex, 'select object_id, attendances, with_facilitator from activity_attendance where tenant_id = ? order by object_id', tenantId))
      .map((r) => [r['object_id'], r['attendances'], r['with_facilitator']]),
  }
}

/** `learner_stage` worked out from every non-voided fact (the invariant the triggers keep). */
async function stagesFromFacts(tenantId: string) {
  const { rows: found } = (await f.knex.raw(`select learner_key, stage, object_id, count(*)::int as facts from (
      select learner_key, 'fact' as stage, '' as object_id from learning_fact where tenant_id = ? and not voided
      union all
      select learner_key, case when kind = 'assessment' then 'post-test' when kind = 'task-scored' then 'task-passed' else kind end,
             case when kind = 'phase-completed' then object_id else '' end
        from learning_fact where tenant_id = ? and not voided
         and (kind in ('phase-completed', 'tier-completed') or (kind in ('assessment', 'task-scored') and success))) s
      group by 1, 2, 3 order by 1, 2, 3`, [tenantId, tenantId])) as { rows: Rows }
  return found.map((r) => [r['learner_key'], r['stage'], r['object_id'], r['facts']])
}

const T1 = teacherKey(1)
const T2 = teacherKey(2)

describe(`fact roll-ups (learner_stage, activity_attendance) on ${testEngine()} (issue 6: "rolled up per school, kecamatan, district and month")`, () => {
  it('counts each learner\'s non-voided facts per funnel stage and each meeting\'s attendances with a facilitator', async () => {
    const tenant = await f.tenantWithConfig('rollup-exact')
    await f.store('rollup-exact', [
      scored('re/pass', 1, 0.9, '2026-02-10T10:00:00+08:00'),
      scored('re/fail', 1, 0.2, '2026-02-11T10:00:00+08:00'),
      postTest('re/post', 1, 0.8, '2026-02-12T10:00:00+08:00'),
      postTest('re/post-failed', 2, 0.1, '2026-02-12T11:00:00+08:00'),
      tierCompleted('re/tier', 1, '2026-02-13T10:00:00+08:00'),
      attended('re/att-1', 1, '2026-02-14T09:00:00+08:00'),
      attended('re/att-2', 2, '2026-02-14T09:05:00+08:00'),
    ])
    await f.catchUp()
    expect(await rollups(tenant)).toEqual({
      stages: [
        [T1, 'fact', '', 5], [T1, 'post-test', '', 1], [T1, 'task-passed', '', 1], [T1, 'tier-completed', '', 1],
        [T2, 'fact', '', 2],
      ],
      attendance: [[MEETING.id, 2, 2]],
    })
  })

  it('subtracts a voided fact, and deletes a roll-up row no fact supports any more (xAPI 1.0.3 Data 2.3.2)', async () => {
    const tenant = await f.tenantWithConfig('rollup-void')
    const pass = scored('rv/pass', 1, 0.9, '2026-02-10T10:00:00+08:00')
    const meeting = attended('rv/att', 2, '2026-02-14T09:05:00+08:00')
    await f.store('rollup-void', [pass, scored('rv/fail', 1, 0.2, '2026-02-11T10:00:00+08:00'), meeting])
    await f.catchUp()
    expect(await rollups(tenant)).toEqual({ stages: [[T1, 'fact', '', 2], [T1, 'task-passed', '', 1], [T2, 'fact', '', 1]], attendance: [[MEETING.id, 1, 1]] })
    await f.store('rollup-void', [voiding('rv/void-pass', 1, pass.id, '2026-02-20T10:00:00+08:00'), voiding('rv/void-att', 2, meeting.id, '2026-02-20T10:00:00+08:00')])
    await f.catchUp()
    expect(await rollups(tenant)).toEqual({ stages: [[T1, 'fact', '', 1]], attendance: [] })
    // A second voiding statement of the same target retracts nothing more.
    await f.store('rollup-void', [voiding('rv/void-pass-again', 1, pass.id, '2026-02-21T10:00:00+08:00')])
    await f.catchUp()
    expect(await rollups(tenant)).toEqual({ stages: [[T1, 'fact', '', 1]], attendance: [] })
  })

  it('is rebuilt with the projections on a config change, to the same rows', async () => {
    const tenant = await f.tenantWithConfig('rollup-rebuild')
    await f.store('rollup-rebuild', workload(60, 9, 'rr'))
    await f.catchUp(17)
    const before = await rollups(tenant)
    expect(before.stages.length).toBeGreaterThan(7)
    await new CompetenceConfigStore(f.knex).put(tenant, { ...TEST_CONFIG }, 'admin')
    await f.catchUp(9)
    expect(await rollups(tenant)).toEqual(before)
  })

  it('equals the aggregation of the non-voided facts after pages with voiding in them, whatever the page size', async () => {
    const tenant = await f.tenantWithConfig('rollup-invariant')
    const load = workload(80, 9, 'ri')
    const voids = load.filter((_, i) => i % 6 === 0).map((s, i) => voiding(`ri/void/${i}`, 1, s.id, '2026-09-01T10:00:00+08:00'))
    await f.store('rollup-invariant', load.slice(0, 50))
    await f.store('rollup-invariant', [...voids.slice(0, 5), ...load.slice(50), ...voids.slice(5)])
    await f.catchUp(13)
    const stored = await rollups(tenant)
    expect(stored.stages).toEqual(await stagesFromFacts(tenant))
    expect(stored.stages.some((r) => r[1] === 'post-test')).toBe(true)
    const attendance = await rows(f.knex, `select object_id, count(*)::int as a, count(related_key)::int as w from learning_fact
      where tenant_id = ? and not voided and kind = 'attended' group by object_id order by object_id`, tenant)
    expect(stored.attendance).toEqual(attendance.map((r) => [r['object_id'], r['a'], r['w']]))
  })

  it('is filled from the facts already built when the migration runs on an existing database (down, then up)', async () => {
    const tenant = await f.tenantWithConfig('rollup-migrate')
    const pass = scored('rm/pass', 1, 0.9, '2026-02-10T10:00:00+08:00')
    await f.store('rollup-migrate', [pass, postTest('rm/post', 2, 0.9, '2026-02-11T10:00:00+08:00'), attended('rm/att', 2, '2026-02-14T09:05:00+08:00')])
    await f.store('rollup-migrate', [voiding('rm/void', 1, pass.id, '2026-02-20T10:00:00+08:00')])
    await f.catchUp()
    const built = await rollups(tenant)
    expect(built).toEqual({ stages: [[T2, 'fact', '', 2], [T2, 'post-test', '', 1]], attendance: [[MEETING.id, 1, 1]] })
    const rollupMigration = migrations.find(([name]) => name === '20261129001060-competence-rollups')![1]
    await rollupMigration.down(f.knex)
    await rollupMigration.up(f.knex)
    expect(await rollups(tenant)).toEqual(built)
  })
})
