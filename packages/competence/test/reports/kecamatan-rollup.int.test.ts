/**
 * The kecamatan report reads its task, meeting and mentoring sections from the engine's roll-ups
 * (`learner_activity`, `mentoring_edge`) when no period, program or tier narrows the facts, and
 * from the facts otherwise. Both must give the same figures: statements stored through the LRS
 * and projected by the engine, with voiding, then the report without a filter and with a period
 * that holds every statement.
 */
import { testEngine } from '@tln/db/testing'
import { nameUuid } from '@tln/xapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CompetenceConfigStore } from '../../src/config/config-store.ts'
import { CompetenceReports } from '../../src/reports/competence-reports.ts'
import type { KecamatanReport } from '../../src/reports/types.ts'
import { createEngineFixture, type EngineFixture } from '../engine/engine-fixture.ts'
import { mentored, scored, voiding, workload, type Raw } from '../engine/statements.ts'
import { orgTree } from './report-fixture.ts'

let f: EngineFixture

beforeAll(async () => {
  f = await createEngineFixture()
})
afterAll(async () => {
  await f.close()
})

function submitted(key: string, n: number, timestamp: string): Raw {
  const { result: _result, ...statement } = scored(key, n, 0, timestamp)
  return { ...statement, id: nameUuid('0b8f3e2d-5a6c-4d71-9e20-6c3b1a7f4d58', key), verb: { id: 'http://activitystrea.ms/schema/1.0/submit' } }
}

/** What the report says, without the header (whose filter differs by construction). */
function sections(r: KecamatanReport | undefined) {
  expect(r).toBeDefined()
  const { teachers, tasks, meetings, attendanceRate, mentoring } = r!
  return { teachers, tasks, meetings, attendanceRate, mentoring }
}

describe(`kecamatan report from the roll-ups on ${testEngine()} (issue 6 "TLN group / kecamatan"; issue 7 stable p95)`, () => {
  it('gives the same teachers, tasks, days to complete, meetings and mentoring as the facts, before and after voiding (xAPI 1.0.3 Data 2.3.2)', async () => {
    const tenantId = await f.tenantWithConfig('kecamatan-rollup')
    // The statements' NPSNs are 99900..99909 (statements.ts); two kecamatan split them.
    const schools = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`9990${i}`, i < 6 ? 'K1' : 'K2']))
    const t = await orgTree(f.knex, 'kecamatan-rollup', 'Kabupaten Uji', { K1: 'Kecamatan Satu', K2: 'Kecamatan Dua' }, schools)
    const load = [
      ...workload(120, 9, 'kr'),
      ...Array.from({ length: 18 }, (_, i) => submitted(`kr/sub/${i}`, i % 9, `2026-0${2 + (i % 6)}-1${i % 10}T08:00:00+08:00`)),
      mentored('kr/ment-a', 1, 2, '2026-03-01T08:00:00+08:00'), mentored('kr/ment-b', 1, 2, '2026-03-08T08:00:00+08:00'),
    ]
    await f.store('kecamatan-rollup', load)
    await f.catchUp(17)
    const reports = new CompetenceReports(f.knex, new CompetenceConfigStore(f.knex), async () => ({ state: 'current', processed: 0, timeZone: 'Asia/Makassar' }))
    const compare = async () => {
      for (const code of ['K1', 'K2']) {
        const fromRollups = sections(await reports.kecamatan(t.kecamatan[code]!.id, { tenantId }))
        const fromFacts = sections(await reports.kecamatan(t.kecamatan[code]!.id, { tenantId, from: '2020-01-01', to: '2030-12-31' }))
        expect(fromRollups).toEqual(fromFacts)
      }
      return sections(await reports.kecamatan(t.kecamatan['K1']!.id, { tenantId }))
    }
    const before = await compare()
    expect(before.teachers.length).toBeGreaterThan(3)
    expect(before.tasks[0]!.submitted).toBeGreaterThan(0)
    expect(before.tasks[0]!.passed).toBeGreaterThan(0)
    expect(before.tasks[0]!.medianDaysToComplete).not.toBeNull()
    expect(before.meetings[0]!.attended).toBeGreaterThan(0)
    expect(before.mentoring.sessions).toBeGreaterThan(0)

    await f.store('kecamatan-rollup', load.filter((_, i) => i % 4 === 0).map((s, i) => voiding(`kr/void/${i}`, 1, s.id, '2026-09-01T10:00:00+08:00')))
    await f.catchUp(11)
    const after = await compare()
    expect(after).not.toEqual(before)
  })
})
