/**
 * Report days and months are local to the report time zone (`TLN_REPORT_TIME_ZONE`, default
 * Asia/Makassar = WITA, UTC+8), not UTC: a district in Lombok closes its month at WITA midnight.
 * Statements stored through the LRS, projected by the engine, read back through the reports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CompetenceConfigStore } from '../../src/config/config-store.ts'
import { CompetenceEngine } from '../../src/engine/competence-engine.ts'
import { CompetenceReports } from '../../src/reports/competence-reports.ts'
import { createEngineFixture, type EngineFixture } from '../engine/engine-fixture.ts'
import { attended, MEETING, teacherKey, TEST_CONFIG } from '../engine/statements.ts'
import { orgTree, type Tenant } from './report-fixture.ts'

let f: EngineFixture
let org: Tenant
let reports: CompetenceReports

// 23:30 UTC on 31 January is 07:30 on 1 February in WITA; 10:00 UTC on 31 January is still 31 January there.
const LATE = attended('tz/late', 1, '2026-01-31T23:30:00Z')
const EARLY = attended('tz/early', 2, '2026-01-31T10:00:00Z')

async function months(tenantId: string): Promise<Array<[string, string, number]>> {
  const { rows } = (await f.knex.raw(`select learner_key, to_char(month, 'YYYY-MM-DD') as month, statements from learner_month where tenant_id = ? order by 1, 2`, [tenantId])) as { rows: Array<{ learner_key: string; month: string; statements: number }> }
  return rows.map((r) => [r.learner_key, r.month, r.statements])
}

beforeAll(async () => {
  f = await createEngineFixture()
  const tenantId = await f.tenant('kab-tz')
  await new CompetenceConfigStore(f.knex).put(tenantId, TEST_CONFIG, 'test')
  org = await orgTree(f.knex, 'kab-tz', 'Kabupaten Lombok Tengah', { '52.02.06': 'Praya' }, { 99901: '52.02.06', 99902: '52.02.06' })
  await f.store('kab-tz', [LATE, EARLY])
  const engine = new CompetenceEngine({ knex: f.knex })
  reports = new CompetenceReports(f.knex, new CompetenceConfigStore(f.knex), (t) => engine.status(t))
})

afterAll(async () => {
  await f?.close()
})

describe('report time zone (issue 6: months and days of Lombok, WITA)', () => {
  it('buckets a statement at 23:30 UTC into the next day\'s month in WITA (the default zone)', async () => {
    await new CompetenceEngine({ knex: f.knex }).catchUp()
    expect(await months(org.id)).toEqual([[teacherKey(1), '2026-02-01', 1], [teacherKey(2), '2026-01-01', 1]])
    const r = await reports.district({ tenantId: org.id })
    expect(r.engine.timeZone).toBe('Asia/Makassar')
    expect(r.trend).toEqual([{ month: '2026-01', activeTeachers: 1, statements: 1 }, { month: '2026-02', activeTeachers: 1, statements: 1 }])
  })

  it('counts the statement on the WITA day in period filters: from = to = 1 February has it, 31 January does not', async () => {
    const feb1 = await reports.district({ tenantId: org.id, from: '2026-02-01', to: '2026-02-01' })
    expect(feb1.funnel[0]).toMatchObject({ stage: 'enrolled', teachers: 1 })
    expect(feb1.success.activitiesHeld).toBe(1)
    expect(feb1.heatmap.map((h) => [h.kecamatanName, h.teachers])).toEqual([['Praya', 1]])
    const jan31 = await reports.district({ tenantId: org.id, from: '2026-01-31', to: '2026-01-31' })
    expect(jan31.funnel[0]).toMatchObject({ stage: 'enrolled', teachers: 1 })
    expect(jan31.trend).toEqual([{ month: '2026-01', activeTeachers: 1, statements: 1 }])
    const teacher1 = await reports.teacher(teacherKey(1), { tenantId: org.id, to: '2026-01-31' })
    expect(teacher1?.timeline).toEqual([])
  })

  it('gives a meeting the WITA day of its first attendance', async () => {
    const r = (await reports.kecamatan(org.kecamatan['52.02.06']!.id, { tenantId: org.id, from: '2026-02-01' }))!
    expect(r.meetings).toEqual([{ meetingId: MEETING.id, name: MEETING.id, day: '2026-02-01', attended: 1 }])
  })

  it('rebuilds the months when the server\'s zone changes, and the reports follow the zone the months were built in', async () => {
    await new CompetenceEngine({ knex: f.knex, timeZone: 'UTC' }).catchUp()
    expect(await months(org.id)).toEqual([[teacherKey(1), '2026-01-01', 1], [teacherKey(2), '2026-01-01', 1]])
    const utc = await reports.district({ tenantId: org.id })
    expect(utc.engine.timeZone).toBe('UTC')
    expect(utc.trend).toEqual([{ month: '2026-01', activeTeachers: 2, statements: 2 }])
    expect((await reports.district({ tenantId: org.id, from: '2026-02-01' })).funnel[0]!.teachers).toBe(0)
    await new CompetenceEngine({ knex: f.knex, timeZone: 'Asia/Makassar' }).catchUp()
    expect(await months(org.id)).toEqual([[teacherKey(1), '2026-02-01', 1], [teacherKey(2), '2026-01-01', 1]])
    expect((await reports.district({ tenantId: org.id, from: '2026-02-01' })).funnel[0]!.teachers).toBe(1)
  })

  it('refuses an unknown time zone (a configuration mistake, not input)', () => {
    expect(() => new CompetenceEngine({ knex: f.knex, timeZone: 'Lombok/Praya' })).toThrow(TypeError)
  })
})
