import { migrations, testEngine } from '@tln/db/testing'
import { nameUuid } from '@tln/xapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CompetenceConfigStore } from '../../src/config/config-store.ts'
import { createEngineFixture, type EngineFixture } from './engine-fixture.ts'
import { attended, MEETING, scored, TASK, teacherKey, TEST_CONFIG, voiding, workload, type Raw } from './statements.ts'

let f: EngineFixture

beforeAll(async () => {
  f = await createEngineFixture()
})
afterAll(async () => {
  await f.close()
})

type Row = Array<string | null>

/** A teacher's lesson plan submitted for the task (Activity Streams `submit`: a `task-submitted` fact). */
function submitted(key: string, n: number, timestamp: string): Raw {
  const { result: _result, ...statement } = scored(key, n, 0, timestamp)
  return { ...statement, id: nameUuid('7d0c5b8e-3c1f-4a57-8b1e-2f4a6c9d0e13', key), verb: { id: 'http://activitystrea.ms/schema/1.0/submit' } }
}

const iso = (v: unknown) => (v === null ? null : new Date(v as string).toISOString())

/** `learner_activity` as stored: [learner, kind, object, name, first_at, first_success_at]. */
async function activity(tenantId: string): Promise<Row[]> {
  const { rows } = (await f.knex.raw(`select learner_key, kind, object_id, name, first_at, first_success_at from learner_activity
      where tenant_id = ? order by learner_key, kind, object_id`, [tenantId])) as { rows: Array<Record<string, unknown>> }
  return rows.map((r) => [r['learner_key'] as string, r['kind'] as string, r['object_id'] as string, r['name'] as string | null, iso(r['first_at']), iso(r['first_success_at'])])
}

/** The same rows worked out from every non-voided fact (the invariant the triggers keep). */
async function activityFromFacts(tenantId: string): Promise<Row[]> {
  const { rows } = (await f.knex.raw(`select learner_key, kind, object_id, max(object_name) as name, min(at) as first_at, min(at) filter (where success) as first_success_at
      from learning_fact where tenant_id = ? and not voided and kind in ('task-submitted', 'task-scored', 'attended')
     group by 1, 2, 3 order by 1, 2, 3`, [tenantId])) as { rows: Array<Record<string, unknown>> }
  return rows.map((r) => [r['learner_key'] as string, r['kind'] as string, r['object_id'] as string, r['name'] as string | null, iso(r['first_at']), iso(r['first_success_at'])])
}

const T1 = teacherKey(1)
const T2 = teacherKey(2)

describe(`learner_activity roll-up on ${testEngine()} (issue 6 kecamatan report "task completion rate and days to complete, meeting attendance"; issue 7 stable p95)`, () => {
  it('keeps one row per teacher × task or meeting with the first submission, first passing score and first attendance; later cycles add no rows', async () => {
    const tenant = await f.tenantWithConfig('activity-exact')
    await f.store('activity-exact', [
      submitted('ae/sub-1', 1, '2026-02-10T10:00:00+08:00'),
      scored('ae/fail', 1, 0.2, '2026-02-11T10:00:00+08:00'),
      scored('ae/pass', 1, 0.9, '2026-02-13T10:00:00+08:00'),
      attended('ae/att-1', 1, '2026-02-14T09:00:00+08:00'),
      attended('ae/att-2', 2, '2026-02-14T09:05:00+08:00'),
    ])
    await f.catchUp()
    const first = [
      [T1, 'attended', MEETING.id, null, '2026-02-14T01:00:00.000Z', null],
      [T1, 'task-scored', TASK.id, 'RPPH', '2026-02-11T02:00:00.000Z', '2026-02-13T02:00:00.000Z'],
      [T1, 'task-submitted', TASK.id, 'RPPH', '2026-02-10T02:00:00.000Z', null],
      [T2, 'attended', MEETING.id, null, '2026-02-14T01:05:00.000Z', null],
    ]
    expect(await activity(tenant)).toEqual(first)
    const versions = async () => ((await f.knex.raw('select xmin::text as v from learner_activity where tenant_id = ? order by learner_key, kind, object_id', [tenant])) as { rows: Array<{ v: string }> }).rows.map((r) => r.v)
    const before = await versions()
    // A second program cycle of the same tasks and meeting: more facts, the same rows and times,
    // and not even a new row version (nothing for vacuum to clean up).
    await f.store('activity-exact', [
      submitted('ae/sub-2', 1, '2026-08-10T10:00:00+08:00'),
      scored('ae/pass-2', 1, 0.95, '2026-08-11T10:00:00+08:00'),
      attended('ae/att-3', 1, '2026-08-14T09:00:00+08:00'),
    ])
    await f.catchUp()
    expect(await activity(tenant)).toEqual(first)
    expect(await versions()).toEqual(before)
    // A late statement with an earlier time moves the first times back.
    await f.store('activity-exact', [scored('ae/early-pass', 1, 0.8, '2026-02-09T10:00:00+08:00')])
    await f.catchUp()
    expect((await activity(tenant))[1]).toEqual([T1, 'task-scored', TASK.id, 'RPPH', '2026-02-09T02:00:00.000Z', '2026-02-09T02:00:00.000Z'])
  })

  it('recomputes a voided first passing score and drops a row whose only fact is voided (xAPI 1.0.3 Data 2.3.2)', async () => {
    const tenant = await f.tenantWithConfig('activity-void')
    const pass = scored('av/pass', 1, 0.9, '2026-02-10T10:00:00+08:00')
    const meeting = attended('av/att', 2, '2026-02-14T09:05:00+08:00')
    await f.store('activity-void', [pass, scored('av/pass-later', 1, 0.7, '2026-02-12T10:00:00+08:00'), meeting])
    await f.catchUp()
    expect(await activity(tenant)).toEqual([
      [T1, 'task-scored', TASK.id, 'RPPH', '2026-02-10T02:00:00.000Z', '2026-02-10T02:00:00.000Z'],
      [T2, 'attended', MEETING.id, null, '2026-02-14T01:05:00.000Z', null],
    ])
    await f.store('activity-void', [voiding('av/void-pass', 1, pass.id, '2026-02-20T10:00:00+08:00'), voiding('av/void-att', 2, meeting.id, '2026-02-20T10:00:00+08:00')])
    await f.catchUp()
    expect(await activity(tenant)).toEqual([[T1, 'task-scored', TASK.id, 'RPPH', '2026-02-12T02:00:00.000Z', '2026-02-12T02:00:00.000Z']])
  })

  it('equals the aggregation of the non-voided facts after pages with voiding in them, and is rebuilt to the same rows on a config change', async () => {
    const tenant = await f.tenantWithConfig('activity-invariant')
    const load = [...workload(80, 9, 'ai'), ...Array.from({ length: 12 }, (_, i) => submitted(`ai/sub/${i}`, i % 9, `2026-0${3 + (i % 5)}-0${1 + (i % 8)}T08:00:00+08:00`))]
    const voids = load.filter((_, i) => i % 6 === 0).map((s, i) => voiding(`ai/void/${i}`, 1, s.id, '2026-09-01T10:00:00+08:00'))
    await f.store('activity-invariant', load.slice(0, 50))
    await f.store('activity-invariant', [...voids.slice(0, 5), ...load.slice(50), ...voids.slice(5)])
    await f.catchUp(13)
    const stored = await activity(tenant)
    expect(stored).toEqual(await activityFromFacts(tenant))
    expect(new Set(stored.map((r) => r[1]))).toEqual(new Set(['attended', 'task-scored', 'task-submitted']))
    await new CompetenceConfigStore(f.knex).put(tenant, { ...TEST_CONFIG }, 'admin')
    await f.catchUp(9)
    expect(await activity(tenant)).toEqual(stored)
  })

  it('follows erasure: facts re-keyed to a pseudonym move their rows, and redacted names are recomputed', async () => {
    const tenant = await f.tenantWithConfig('activity-erase')
    await f.store('activity-erase', [submitted('ar/sub', 1, '2026-02-10T10:00:00+08:00'), scored('ar/pass', 1, 0.9, '2026-02-11T10:00:00+08:00'), attended('ar/att', 2, '2026-02-14T09:05:00+08:00')])
    await f.catchUp()
    // What apps/server's erasure does to the facts (privacy/erasure.ts, step 5).
    await f.knex('learning_fact').where({ tenant_id: tenant, learner_key: T1 }).update({ learner_key: 'erased:1' })
    await f.knex('learning_fact').where({ tenant_id: tenant, kind: 'task-submitted' }).update({ object_name: null })
    expect(await activity(tenant)).toEqual([
      [T2, 'attended', MEETING.id, null, '2026-02-14T01:05:00.000Z', null],
      ['erased:1', 'task-scored', TASK.id, 'RPPH', '2026-02-11T02:00:00.000Z', '2026-02-11T02:00:00.000Z'],
      ['erased:1', 'task-submitted', TASK.id, null, '2026-02-10T02:00:00.000Z', null],
    ])
    expect(await activity(tenant)).toEqual(await activityFromFacts(tenant))
  })

  it('is filled from the facts already built when the migration runs on an existing database (down, then up)', async () => {
    const tenant = await f.tenantWithConfig('activity-migrate')
    const pass = scored('am/pass', 1, 0.9, '2026-02-10T10:00:00+08:00')
    await f.store('activity-migrate', [pass, scored('am/pass-2', 1, 0.9, '2026-02-12T10:00:00+08:00'), attended('am/att', 2, '2026-02-14T09:05:00+08:00')])
    await f.store('activity-migrate', [voiding('am/void', 1, pass.id, '2026-02-20T10:00:00+08:00')])
    await f.catchUp()
    const built = await activity(tenant)
    expect(built).toEqual([
      [T1, 'task-scored', TASK.id, 'RPPH', '2026-02-12T02:00:00.000Z', '2026-02-12T02:00:00.000Z'],
      [T2, 'attended', MEETING.id, null, '2026-02-14T01:05:00.000Z', null],
    ])
    const migration = migrations.find(([name]) => name === '20261130002100-learner-activity')![1]
    await migration.down(f.knex)
    await migration.up(f.knex)
    expect(await activity(tenant)).toEqual(built)
  })
})
