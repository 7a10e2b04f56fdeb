/**
 * End to end: statements stored through the LRS (validated, as any client's), the aggregation
 * engine's `catchUp()`, then the reports' exact numbers (issue 6, "Done when: given statement
 * sets built in tests, the reports show exactly the expected numbers, including after voiding").
 */
import { nameUuid } from '@tln/xapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CompetenceConfigStore } from '../../src/config/config-store.ts'
import { CompetenceEngine } from '../../src/engine/competence-engine.ts'
import { CompetenceReports } from '../../src/reports/competence-reports.ts'
import { createEngineFixture, type EngineFixture } from '../engine/engine-fixture.ts'
import { attended, MEETING, mentored, postTest, PROGRAM, scored, TASK, teacher, teacherKey, TEST_CONFIG, TIER, tierCompleted, voiding, type Raw } from '../engine/statements.ts'
import { orgTree, type Tenant } from './report-fixture.ts'

const NS = '9c4f7a10-2d3e-4b5f-8a6b-1c2d3e4f5a6b'

/** A task submission (Activity Streams `submit`), shaped like the engine tests' statements. */
function submitted(key: string, n: number, timestamp: string): Raw {
  return {
    id: nameUuid(NS, key), actor: teacher(n), verb: { id: 'http://activitystrea.ms/schema/1.0/submit' }, object: TASK, timestamp,
    context: { contextActivities: { grouping: [PROGRAM, TIER] }, extensions: { 'https://tln.example/xapi/extensions/npsn': `9990${n}` } },
  }
}

let f: EngineFixture
let org: Tenant
let engine: CompetenceEngine
let reports: CompetenceReports
const lateScore = scored('e2e/t1-scored-1', 1, 1, '2026-03-02T10:00:00+08:00')

beforeAll(async () => {
  f = await createEngineFixture()
  const tenantId = await f.tenant('kab-e2e')
  const configs = new CompetenceConfigStore(f.knex)
  await configs.put(tenantId, TEST_CONFIG, 'test')
  // Schools 99901 and 99902 in Praya; teacher 3's school (99903) is not in the organisation tree.
  org = await orgTree(f.knex, 'kab-e2e', 'Kabupaten Lombok Tengah', { '52.02.06': 'Praya' }, { 99901: '52.02.06', 99902: '52.02.06' })
  engine = new CompetenceEngine({ knex: f.knex, configs })
  reports = new CompetenceReports(f.knex, configs, (t) => engine.status(t))
  await f.store('kab-e2e', [
    submitted('e2e/t1-submit', 1, '2026-02-18T10:00:00+08:00'),
    scored('e2e/t1-scored-05', 1, 0.5, '2026-02-20T10:00:00+08:00'),
    lateScore,
    postTest('e2e/t1-post', 1, 0.8, '2026-05-23T10:00:00+08:00'),
    attended('e2e/t1-meeting', 1, '2026-02-14T09:00:00+08:00'),
    mentored('e2e/t1-mentored-t2', 1, 2, '2026-03-03T13:00:00+08:00'),
    tierCompleted('e2e/t1-tier', 1, '2026-05-23T15:00:00+08:00'),
    scored('e2e/t2-scored', 2, 0.5, '2026-02-21T10:00:00+08:00'),
    postTest('e2e/t2-post', 2, 0.6, '2026-05-23T10:00:00+08:00'),
    attended('e2e/t2-meeting', 2, '2026-02-14T09:00:00+08:00'),
    scored('e2e/t3-scored', 3, 1, '2026-03-05T10:00:00+08:00'),
  ])
  expect(await engine.catchUp()).toBe(11)
})

afterAll(async () => {
  await f?.close()
})

describe('reports over the engine\'s projections of statements stored through the LRS', () => {
  it('district: heatmap rows, funnel, trend, quota and success indicators', async () => {
    const r = await reports.district({ tenantId: org.id })
    expect(r.engine).toMatchObject({ state: 'current', processed: 11, configVersion: 1 })
    expect(r.heatmap.map((h) => [h.kecamatanName, h.teachers])).toEqual([['Praya', 2], ['Belum ditempatkan', 1]])
    expect(r.funnel.map((s) => [s.stage, s.teachers])).toEqual([['enrolled', 3], ['post-test', 1], ['tier-completed', 1]])
    // Months in WITA (the default report zone; every statement here is at 09:00–15:00 WITA): t1 Feb 3 (submit, score, meeting), Mar 2, May 2; t2 Feb 2, May 1; t3 Mar 1.
    expect(r.trend).toEqual([
      { month: '2026-02', activeTeachers: 2, statements: 5 },
      { month: '2026-03', activeTeachers: 2, statements: 3 },
      // No statement in April: the month is there, at zero, so the trend does not skip it.
      { month: '2026-04', activeTeachers: 0, statements: 0 },
      { month: '2026-05', activeTeachers: 2, statements: 3 },
    ])
    expect(r.quota.map((q) => [q.kecamatanName, q.participants, q.quota])).toEqual([['Praya', 2, null], ['Belum ditempatkan', 1, null]])
    expect(r.success).toEqual({ activitiesHeld: 1, participants: 3, quota: null, facilitatorsPresent: 1, masteryShown: 2 / 3 })
    expect(r.mentoring).toMatchObject({ mentors: 1, mentees: 1, sessions: 1, maxDepth: 1 })
    expect((await reports.mentoringNetwork({ tenantId: org.id })).network).toMatchObject({ edges: [{ mentor: teacherKey(1), mentee: teacherKey(2), sessions: 1 }], reach: 1, maxDepth: 1 })
  })

  it('kecamatan: task completion and days to complete, meeting attendance, mentoring', async () => {
    const r = (await reports.kecamatan(org.kecamatan['52.02.06']!.id, { tenantId: org.id }))!
    expect(r.teachers.map((t) => t.name)).toEqual(['Guru 1', 'Guru 2'])
    // t1 submitted on 18 Feb and reached a passing score on 2 Mar: 12 days.
    expect(r.tasks).toEqual([{ taskId: TASK.id, name: 'RPPH', submitted: 2, passed: 1, completionRate: 0.5, medianDaysToComplete: 12 }])
    expect(r.meetings).toEqual([{ meetingId: MEETING.id, name: MEETING.id, day: '2026-02-14', attended: 2 }])
    expect(r.attendanceRate).toBe(1)
    expect(r.mentoring).toEqual({ mentors: 1, mentees: 1, sessions: 1 })
    const pedC2 = r.teachers[0]!.cells.find((c) => c.code === 'PED.C.2')!
    expect(pedC2).toMatchObject({ proficient: 1, withEvidence: 1, evidenceCount: 2 })
    // The statements behind the cell, on demand (the teacher × indicator drill-down).
    expect((await reports.evidence(teacherKey(1), 'PED.C.2', { tenantId: org.id })).map((e) => e.statementId).sort())
      .toEqual([lateScore.id, nameUuid('2b0c7e1a-6f0d-4f55-9a3b-7d1e0c9b8a11', 'e2e/t1-scored-05')].sort())
  })

  it('teacher: rating with its evidence, post-tests, tier completion, tasks', async () => {
    const r = (await reports.teacher(teacherKey(1), { tenantId: org.id }))!
    expect(r.teacher).toEqual({ learnerKey: teacherKey(1), name: 'Guru 1', schoolName: 'Sekolah 99901', kecamatanName: 'Praya' })
    const pedC2 = r.ratings.find((x) => x.code === 'PED.C.2')!
    // Decaying average (0.65): 1 × 0.65 + 0.5 × 0.35.
    expect(pedC2.rating).toBeCloseTo(0.825, 5)
    expect(pedC2.proficient).toBe(true)
    expect(r.tier.postTests.map((p) => [p.at, p.score, p.success])).toEqual([['2026-05-23T02:00:00.000Z', 0.8, true]])
    expect(r.tier.completedAt).toBe('2026-05-23T07:00:00.000Z')
    expect(r.tasks).toEqual([expect.objectContaining({ submissions: 1, latestScore: 1, passed: true, firstSubmittedAt: '2026-02-18T02:00:00.000Z', passedAt: '2026-03-02T02:00:00.000Z' })])
    expect(r.mentoringGiven).toEqual([{ mentee: teacherKey(2), name: 'Guru 2', sessions: 1, lastAt: '2026-03-03T05:00:00.000Z' }])
  })

  it('after voiding the passing score: the rating, the task and the evidence drop it', async () => {
    await f.store('kab-e2e', [voiding('e2e/void-t1-scored-1', 1, lateScore.id, '2026-03-04T10:00:00+08:00')])
    await engine.catchUp()
    const t = (await reports.teacher(teacherKey(1), { tenantId: org.id }))!
    const pedC2 = t.ratings.find((x) => x.code === 'PED.C.2')!
    expect(pedC2.rating).toBeCloseTo(0.5, 5)
    expect(pedC2.proficient).toBe(false)
    expect(pedC2.evidence).not.toContain(lateScore.id)
    expect(t.tasks).toEqual([expect.objectContaining({ latestScore: 0.5, passed: false, passedAt: null })])
    expect((await reports.evidence(teacherKey(1), 'PED.C.2', { tenantId: org.id })).map((e) => e.score)).toEqual([0.5])
    const k = (await reports.kecamatan(org.kecamatan['52.02.06']!.id, { tenantId: org.id }))!
    expect(k.teachers[0]!.cells.find((c) => c.code === 'PED.C.2')).toMatchObject({ proficient: 0, evidenceCount: 1 })
    expect(k.tasks).toEqual([{ taskId: TASK.id, name: 'RPPH', submitted: 2, passed: 0, completionRate: 0, medianDaysToComplete: null }])
    expect((await reports.district({ tenantId: org.id })).success.masteryShown).toBe(1 / 3)
  })
})
