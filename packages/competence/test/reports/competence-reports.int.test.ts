/**
 * Competence reports over hand-built projection rows (issue 6, "Done when: given statement sets
 * built in tests, the reports show exactly the expected numbers, including after voiding").
 * Every expected number is worked out in report-data.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '@tln/db'
import { createTestDb } from '@tln/db/testing'
import { CompetenceReports } from '../../src/reports/competence-reports.ts'
import type { ReportFilter } from '../../src/reports/types.ts'
import { CONFIG, DASAR, ENGINE, KEYS, MEET1, PH1, PH2, TASK1, TASK2 } from './report-fixture.ts'
import { seedReports, type DataSet } from './report-data.ts'

let db: Db
let data: DataSet
let reports: CompetenceReports
let all: ReportFilter
const NOW = new Date('2026-06-02T00:00:00Z')

beforeAll(async () => {
  db = await createTestDb()
  data = await seedReports(db.knex)
  const configs = { active: async (tenantId: string) => { if (tenantId !== data.a.id && tenantId !== data.b.id) throw new Error('no config'); return CONFIG } }
  reports = new CompetenceReports(db.knex, configs, async () => ENGINE, () => NOW)
  all = { tenantId: data.a.id }
})

afterAll(async () => {
  await db?.close()
})

const PRAYA = () => data.a.kecamatan['52.02.06']!
const JONGGAT = () => data.a.kecamatan['52.02.07']!

describe('district report', () => {
  it('carries the header: time, engine status, the filter shown without tenant and scope, competence headings', async () => {
    const r = await reports.district({ ...all, scopePath: '/', tier: DASAR })
    expect(r.generatedAt).toBe('2026-06-02T00:00:00.000Z')
    expect(r.engine).toEqual(ENGINE)
    expect(r.filter).toEqual({ tier: DASAR })
    expect(r.competences.map((c) => [c.code, c.indicators.map((i) => i.code)])).toEqual([['PED', ['PED.C.1', 'PED.C.2']], ['SOS', ['SOS.A.1']]])
  })

  it('names the district the tenant has', async () => {
    expect((await reports.district(all)).district).toEqual({ id: data.a.district, name: 'Kabupaten Lombok Tengah' })
  })

  it('heatmap: mean rating and proficient count per kecamatan × competence, unplaced learners in a row of their own', async () => {
    const r = await reports.district(all)
    expect(r.heatmap).toEqual([
      { kecamatanId: JONGGAT().id, kecamatanName: 'Jonggat', teachers: 1, cells: [
        { code: 'PED', rating: 1, proficient: 1, withEvidence: 1 }, { code: 'SOS', rating: null, proficient: 0, withEvidence: 0 }] },
      // t5 is placed in Praya through person_identity; its PED rating rests on no evidence and does not count.
      { kecamatanId: PRAYA().id, kecamatanName: 'Praya', teachers: 3, cells: [
        { code: 'PED', rating: 0.5, proficient: 1, withEvidence: 2 }, { code: 'SOS', rating: 0.5, proficient: 0, withEvidence: 1 }] },
      { kecamatanId: null, kecamatanName: 'Belum ditempatkan', teachers: 1, cells: [
        { code: 'PED', rating: 0.5, proficient: 0, withEvidence: 1 }, { code: 'SOS', rating: null, proficient: 0, withEvidence: 0 }] },
    ])
  })

  it('funnel: enrolled → each phase → post-test passed → tier completed, voided phase completion left out', async () => {
    const r = await reports.district(all)
    expect(r.funnel.map((s) => [s.stage, s.teachers])).toEqual([['enrolled', 4], [`phase:${PH1}`, 2], [`phase:${PH2}`, 1], ['post-test', 1], ['tier-completed', 1]])
    expect(r.funnel[1]!.label).toEqual({ id: 'In-Service 1', en: 'In-Service 1' })
  })

  it('funnel with a tier filter: enrolled only with facts in the tier; the tier\'s own completion counts', async () => {
    const r = await reports.district({ ...all, tier: DASAR })
    expect(r.funnel.map((s) => s.teachers)).toEqual([3, 2, 1, 1, 1])
  })

  it('trend: active learners and statements month by month', async () => {
    expect((await reports.district(all)).trend).toEqual([
      { month: '2026-02', activeTeachers: 4, statements: 15 },
      { month: '2026-03', activeTeachers: 2, statements: 6 },
      { month: '2026-04', activeTeachers: 1, statements: 2 },
      { month: '2026-05', activeTeachers: 1, statements: 2 },
    ])
  })

  it('quota: participants per kecamatan against the configured quota by kecamatan code', async () => {
    expect((await reports.district(all)).quota).toEqual([
      { kecamatanId: JONGGAT().id, kecamatanName: 'Jonggat', participants: 1, quota: 5 },
      { kecamatanId: PRAYA().id, kecamatanName: 'Praya', participants: 3, quota: 10 },
      { kecamatanId: null, kecamatanName: 'Belum ditempatkan', participants: 1, quota: null },
    ])
  })

  it('mentoring reach: mentors, mentees, sessions and the longest chain per kecamatan of the mentor and in all; a cycle ends; voided sessions left out', async () => {
    const m = (await reports.district(all)).mentoring
    // Edges t3→t1, t3→x (t3 in Jonggat), t1→t2 ×2, t2→t3 (Praya); t1→t4 is voided. Longest chain t1→t2→t3→x.
    expect(m).toEqual({
      mentors: 3, mentees: 4, sessions: 5, maxDepth: 3,
      kecamatan: [
        { kecamatanId: JONGGAT().id, kecamatanName: 'Jonggat', mentors: 1, mentees: 2, sessions: 2, maxDepth: 2 },
        { kecamatanId: PRAYA().id, kecamatanName: 'Praya', mentors: 2, mentees: 2, sessions: 3, maxDepth: 3 },
        { kecamatanId: null, kecamatanName: 'Belum ditempatkan', mentors: 0, mentees: 0, sessions: 0, maxDepth: 0 },
      ],
    })
  })

  it('mentoring network page: edges with sessions, reach, the longest chain, a cycle ends, voided sessions left out', async () => {
    const r = await reports.mentoringNetwork(all)
    expect(r.district).toEqual({ id: data.a.district, name: 'Kabupaten Lombok Tengah' })
    expect(r.engine).toEqual(ENGINE)
    const m = r.network
    expect(m.edges).toEqual([
      { mentor: KEYS.t3, mentee: KEYS.t1, sessions: 1 },
      { mentor: KEYS.t3, mentee: KEYS.x, sessions: 1 },
      { mentor: KEYS.t1, mentee: KEYS.t2, sessions: 2 },
      { mentor: KEYS.t2, mentee: KEYS.t3, sessions: 1 },
    ].sort((a, b) => a.mentor.localeCompare(b.mentor) || a.mentee.localeCompare(b.mentee)))
    expect(m.reach).toBe(4)
    expect(m.maxDepth).toBe(3)
    expect(m.nodes).toEqual([
      { key: KEYS.t3, name: 'Citra', kecamatanId: JONGGAT().id, participant: true },
      { key: KEYS.t1, name: 'Ani', kecamatanId: PRAYA().id, participant: true },
      { key: KEYS.t2, name: 'Budi', kecamatanId: PRAYA().id, participant: true },
      // Not a learner (no statement of their own), named by their TLN person.
      { key: KEYS.x, name: 'Xena Rekan', kecamatanId: null, participant: false },
    ].sort((a, b) => a.key.localeCompare(b.key)))
  })

  it('success indicators: activities held, participants per quota, facilitators present, mastery shown', async () => {
    expect((await reports.district(all)).success).toEqual({ activitiesHeld: 2, participants: 5, quota: 15, facilitatorsPresent: 2 / 3, masteryShown: 2 / 5 })
  })

  it('period filter: only learners and facts of April–May count', async () => {
    const r = await reports.district({ ...all, from: '2026-04-01', to: '2026-05-31' })
    expect(r.heatmap.map((h) => [h.kecamatanName, h.teachers])).toEqual([['Jonggat', 1], ['Praya', 0]])
    expect(r.trend.map((t) => t.month)).toEqual(['2026-04', '2026-05'])
    expect(r.funnel.map((s) => s.teachers)).toEqual([1, 0, 0, 0, 0])
    expect(r.success).toEqual({ activitiesHeld: 1, participants: 1, quota: 15, facilitatorsPresent: 1, masteryShown: 0 })
    expect([r.mentoring.mentors, r.mentoring.mentees, r.mentoring.sessions, r.mentoring.maxDepth]).toEqual([1, 2, 2, 1])
    const network = (await reports.mentoringNetwork({ ...all, from: '2026-04-01', to: '2026-05-31' })).network
    expect(network.edges.map((e) => [e.mentor, e.mentee])).toEqual([[KEYS.t3, KEYS.t1], [KEYS.t3, KEYS.x]].sort((a, b) => a[1]!.localeCompare(b[1]!)))
    expect([network.reach, network.maxDepth]).toEqual([2, 1])
  })

  it('the period\'s last day is inclusive (to = the day of a fact)', async () => {
    const r = await reports.district({ ...all, from: '2026-03-20', to: '2026-03-20' })
    expect(r.funnel.find((s) => s.stage === 'tier-completed')!.teachers).toBe(1)
    expect(r.funnel.find((s) => s.stage === 'enrolled')!.teachers).toBe(1)
  })

  it('scopePath limits a kecamatan facilitator to their subtree', async () => {
    const r = await reports.district({ ...all, scopePath: PRAYA().path })
    expect(r.heatmap.map((h) => [h.kecamatanName, h.teachers])).toEqual([['Praya', 3]])
    expect(r.quota).toEqual([{ kecamatanId: PRAYA().id, kecamatanName: 'Praya', participants: 3, quota: 10 }])
    expect(r.funnel.map((s) => s.teachers)).toEqual([2, 2, 1, 1, 1])
    expect(r.trend).toEqual([{ month: '2026-02', activeTeachers: 3, statements: 14 }, { month: '2026-03', activeTeachers: 2, statements: 6 }])
    expect(r.mentoring).toEqual({ mentors: 2, mentees: 2, sessions: 3, maxDepth: 2, kecamatan: [{ kecamatanId: PRAYA().id, kecamatanName: 'Praya', mentors: 2, mentees: 2, sessions: 3, maxDepth: 2 }] })
    const network = (await reports.mentoringNetwork({ ...all, scopePath: PRAYA().path })).network
    expect(network.edges.map((e) => [e.mentor, e.mentee, e.sessions])).toEqual([[KEYS.t1, KEYS.t2, 2], [KEYS.t2, KEYS.t3, 1]])
    expect(r.success).toEqual({ activitiesHeld: 1, participants: 3, quota: 10, facilitatorsPresent: 1 / 2, masteryShown: 2 / 3 })
    expect(r.district).toEqual({ id: data.a.district, name: 'Kabupaten Lombok Tengah' })
  })

  it('school filter: one school\'s learners only', async () => {
    const r = await reports.district({ ...all, schoolId: data.a.schools['112']! })
    expect(r.heatmap.map((h) => [h.kecamatanName, h.teachers, h.cells[0]!.rating])).toEqual([['Praya', 1, 0.25]])
  })

  it('tenant B\'s rows never show in tenant A\'s report, even with the same learner key and NPSN', async () => {
    const b = await reports.district({ tenantId: data.b.id })
    expect(b.heatmap).toEqual([{ kecamatanId: data.b.kecamatan['52.03.01']!.id, kecamatanName: 'Selong', teachers: 1, cells: [
      { code: 'PED', rating: 0, proficient: 0, withEvidence: 1 }, { code: 'SOS', rating: null, proficient: 0, withEvidence: 0 }] }])
    expect(b.trend).toEqual([{ month: '2026-02', activeTeachers: 1, statements: 100 }])
    // Tenant A's figures above are unchanged by B's rows: spot-check the ones B would move.
    const a = await reports.district(all)
    expect(a.heatmap.find((h) => h.kecamatanName === 'Praya')!.cells[0]).toEqual({ code: 'PED', rating: 0.5, proficient: 1, withEvidence: 2 })
    expect(a.heatmap.map((h) => h.kecamatanName)).not.toContain('Selong')
    expect(a.trend[0]).toEqual({ month: '2026-02', activeTeachers: 4, statements: 15 })
    expect((await reports.mentoringNetwork(all)).network.nodes.map((n) => n.key)).not.toContain(KEYS.t5)
    expect(a.mentoring.mentees).toBe(4)
  })
})

describe('kecamatan report', () => {
  it('teachers × indicators: a cell per rated indicator with how many statements it rests on, voided evidence not counted', async () => {
    const r = (await reports.kecamatan(PRAYA().id, all))!
    expect(r.kecamatan).toEqual({ id: PRAYA().id, name: 'Praya' })
    expect(r.teachers.map((t) => [t.name, t.schoolName])).toEqual([['Ani', 'Sekolah 111'], ['Budi', 'Sekolah 112'], ['Eka Person', 'Sekolah 111']])
    // Ani's PED.C.2 rating lists e1 and the voided e2; PED.C.1 and SOS.A.1 have no rating, so no cell.
    expect(r.teachers[0]!.cells).toEqual([{ code: 'PED.C.2', rating: 0.75, proficient: 1, withEvidence: 1, evidenceCount: 1 }])
    expect(r.teachers[1]!.cells).toEqual([{ code: 'PED.C.2', rating: 0.25, proficient: 0, withEvidence: 1, evidenceCount: 1 }])
    // Eka's (t5) PED rating rests on no evidence at all.
    expect(r.teachers[2]!.cells).toEqual([])
  })

  it('serves the statements behind a cell on demand, not in the report (issue 7: the answer grows with ratings, not evidence)', async () => {
    const r = (await reports.kecamatan(PRAYA().id, all))!
    const text = JSON.stringify(r)
    for (const id of [data.ids.e1, data.ids.e2, data.ids.e3]) expect(text).not.toContain(id)
    const ani = r.teachers[0]!
    const cell = ani.cells.find((c) => c.code === 'PED.C.2')!
    const items = await reports.evidence(ani.learnerKey, 'PED.C.2', { ...all, scopePath: PRAYA().path })
    expect(items.map((e) => e.statementId)).toEqual([data.ids.e1])
    expect(items).toHaveLength(cell.evidenceCount)
  })

  it('tasks: submitted, passed, completion rate, median days from first submission to a passing score', async () => {
    const r = (await reports.kecamatan(PRAYA().id, all))!
    expect(r.tasks).toEqual([
      { taskId: TASK2, name: 'Prota', submitted: 1, passed: 0, completionRate: 0, medianDaysToComplete: null },
      { taskId: TASK1, name: 'RPPH', submitted: 2, passed: 2, completionRate: 1, medianDaysToComplete: 3 },
    ].sort((a, b) => a.taskId.localeCompare(b.taskId)))
  })

  it('meetings with attendance, the attendance rate, and mentoring reach', async () => {
    const r = (await reports.kecamatan(PRAYA().id, all))!
    expect(r.meetings).toEqual([{ meetingId: MEET1, name: 'Pertemuan 1', day: '2026-02-15', attended: 2 }])
    expect(r.attendanceRate).toBe(2 / 3)
    expect(r.mentoring).toEqual({ mentors: 2, mentees: 2, sessions: 3 })
  })

  it('period filter applies to tasks, meetings and mentoring', async () => {
    const r = (await reports.kecamatan(PRAYA().id, { ...all, from: '2026-02-04', to: '2026-02-20' }))!
    expect(r.teachers.map((t) => t.name)).toEqual(['Ani', 'Budi', 'Eka Person'])
    expect(r.tasks.map((t) => [t.name, t.submitted, t.passed, t.medianDaysToComplete])).toEqual([['Prota', 1, 0, null], ['RPPH', 2, 2, null]])
    expect(r.mentoring).toEqual({ mentors: 1, mentees: 1, sessions: 1 })
  })

  it('is undefined for a kecamatan outside the scope, of another tenant, or not a kecamatan id', async () => {
    expect(await reports.kecamatan(JONGGAT().id, { ...all, scopePath: PRAYA().path })).toBeUndefined()
    expect(await reports.kecamatan(data.b.kecamatan['52.03.01']!.id, all)).toBeUndefined()
    expect(await reports.kecamatan(data.a.district, all)).toBeUndefined()
    expect(await reports.kecamatan('not-a-uuid', all)).toBeUndefined()
  })
})

describe('teacher report', () => {
  it('ratings in framework order with method, config version and non-voided evidence', async () => {
    const r = (await reports.teacher(KEYS.t1, all))!
    expect(r.teacher).toEqual({ learnerKey: KEYS.t1, name: 'Ani', schoolName: 'Sekolah 111', kecamatanName: 'Praya' })
    expect(r.ratings).toEqual([
      { code: 'PED', level: 'competence', rating: 0.75, proficient: true, method: 'latest', configVersion: 3, evidence: [data.ids.e1] },
      { code: 'PED.C.2', level: 'indicator', rating: 0.75, proficient: true, method: 'latest', configVersion: 3, evidence: [data.ids.e1] },
      { code: 'SOS', level: 'competence', rating: 0.5, proficient: false, method: 'latest', configVersion: 3, evidence: [data.ids.e1] },
    ])
  })

  it('tier progress: phases completed, post-tests, tier completion', async () => {
    const r = (await reports.teacher(KEYS.t1, all))!
    expect(r.tier).toEqual({
      phases: [{ id: PH1, name: 'In-Service 1', completedAt: '2026-02-10T00:00:00.000Z' }, { id: PH2, name: 'On-the-Job Learning', completedAt: '2026-03-10T00:00:00.000Z' }],
      postTests: [{ at: '2026-03-15T00:00:00.000Z', score: 0.8, success: true, statementId: data.ids.post }],
      completedAt: '2026-03-20T00:00:00.000Z',
    })
    const t2 = (await reports.teacher(KEYS.t2, all))!
    expect(t2.tier.phases.map((p) => p.completedAt)).toEqual(['2026-02-11T00:00:00.000Z', null])
  })

  it('tasks with submissions, latest score, passing and the statements behind them', async () => {
    const r = (await reports.teacher(KEYS.t1, all))!
    expect(r.tasks).toEqual([
      { taskId: TASK2, name: 'Prota', submissions: 1, latestScore: null, passed: false, firstSubmittedAt: '2026-02-06T08:00:00.000Z', passedAt: null, statementIds: [data.ids.task2] },
      { taskId: TASK1, name: 'RPPH', submissions: 1, latestScore: 0.9, passed: true, firstSubmittedAt: '2026-02-01T08:00:00.000Z', passedAt: '2026-02-05T08:00:00.000Z', statementIds: data.ids.task1 },
    ].sort((a, b) => a.taskId.localeCompare(b.taskId)))
  })

  it('mentoring given and received with names, voided sessions left out', async () => {
    const r = (await reports.teacher(KEYS.t1, all))!
    expect(r.mentoringGiven).toEqual([{ mentee: KEYS.t2, name: 'Budi', sessions: 2, lastAt: '2026-02-21T00:00:00.000Z' }])
    expect(r.mentoringReceived).toEqual([{ mentor: KEYS.t3, name: 'Citra', sessions: 1, lastAt: '2026-05-01T00:00:00.000Z' }])
  })

  it('names a mentee who has sent no statement by their TLN person, as the mentoring form recorded them', async () => {
    const r = (await reports.teacher(KEYS.t3, all))!
    // Latest session first: x on 2 May, Ani on 1 May.
    expect(r.mentoringGiven.map((m) => [m.mentee, m.name])).toEqual([[KEYS.x, 'Xena Rekan'], [KEYS.t1, 'Ani']])
  })

  it('timeline: non-voided facts, newest first', async () => {
    const r = (await reports.teacher(KEYS.t1, all))!
    expect(r.timeline).toHaveLength(12)
    expect(r.timeline[0]).toMatchObject({ at: '2026-03-20T00:00:00.000Z', kind: 'tier-completed', objectId: DASAR, score: null })
    expect(r.timeline.at(-1)).toMatchObject({ at: '2026-02-01T07:00:00.000Z', kind: 'launched', name: 'Modul 1' })
    expect(r.timeline.map((t) => t.objectId)).not.toContain(KEYS.t4)
  })

  it('period filter applies to tier progress, tasks and timeline; ratings stay current', async () => {
    const r = (await reports.teacher(KEYS.t1, { ...all, from: '2026-03-01' }))!
    expect(r.tier.phases.map((p) => p.completedAt)).toEqual([null, '2026-03-10T00:00:00.000Z'])
    expect(r.tasks).toEqual([])
    expect(r.timeline.map((t) => t.kind)).toEqual(['tier-completed', 'assessment', 'phase-completed'])
    expect(r.ratings).toHaveLength(3)
  })

  it('is undefined for a learner outside the scope or unknown in the tenant', async () => {
    expect(await reports.teacher(KEYS.t3, { ...all, scopePath: PRAYA().path })).toBeUndefined()
    expect(await reports.teacher(KEYS.x, all)).toBeUndefined()
    expect(await reports.teacher(KEYS.t5, { ...all, scopePath: PRAYA().path })).toBeDefined()
  })

  it('tenant B sees its own learner under the same key, with none of tenant A\'s facts', async () => {
    const r = (await reports.teacher(KEYS.t1, { tenantId: data.b.id }))!
    expect(r.teacher.name).toBe('Zed')
    expect(r.tasks.map((t) => t.taskId)).toEqual([TASK2])
    expect(r.mentoringReceived).toEqual([{ mentor: KEYS.t5, name: KEYS.t5, sessions: 1, lastAt: '2026-02-20T00:00:00.000Z' }])
  })
})

describe('evidence', () => {
  it('lists the non-voided evidence of an indicator with score, weight, source, rule and time', async () => {
    expect(await reports.evidence(KEYS.t1, 'PED.C.2', all)).toEqual([
      { statementId: data.ids.e1, indicator: 'PED.C.2', score: 0.75, weight: 1, source: 'facilitator-rubric', rule: 'tln-rubric@1', at: '2026-02-05T08:00:00.000Z' },
    ])
  })

  it('of a competence: the evidence of every indicator below it', async () => {
    expect((await reports.evidence(KEYS.t2, 'PED', all)).map((e) => e.statementId)).toEqual([data.ids.e3])
    expect(await reports.evidence(KEYS.t2, 'PE', all)).toEqual([])
  })

  it('is empty outside the scope and never returns another tenant\'s evidence', async () => {
    expect(await reports.evidence(KEYS.t2, 'PED.C.2', { ...all, scopePath: JONGGAT().path })).toEqual([])
    expect((await reports.evidence(KEYS.t1, 'PED.C.2', { tenantId: data.b.id })).map((e) => e.source)).toEqual(['observation'])
  })
})

describe('filters', () => {
  it('rejects a malformed filter naming the field and the rule', async () => {
    await expect(reports.district({ ...all, from: '2026-02-30' })).rejects.toThrow(/ReportFilter\.from must be a day YYYY-MM-DD/)
    await expect(reports.district({ ...all, kecamatanId: "x' or 1=1" })).rejects.toThrow(/ReportFilter\.kecamatanId must be a UUID/)
    await expect(reports.district({ ...all, from: '2026-03-01', to: '2026-02-01' })).rejects.toThrow(/from must not be after/)
  })

  it('treats a scope path as a prefix, not a pattern', async () => {
    const r = await reports.district({ ...all, scopePath: '/%' })
    expect(r.heatmap.every((h) => h.teachers === 0)).toBe(true)
  })
})
