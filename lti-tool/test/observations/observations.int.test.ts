import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evaluationStatementId, INDICATOR_RATINGS_EXTENSION, INSTRUMENT_TYPE } from '../../src/index.ts'
import { Browser, startOrgServer, type OrgTestServer } from '../org-helpers.ts'
import { csrfOf, meetingTree, signInAs, statementsOf } from '../meetings/meeting-helpers.ts'

const INDICATORS = 'OBS1 | PED.C.2 | Guru menyiapkan RPPH sebelum kegiatan\nOBS2 | PED.D.1 | Kegiatan berjalan sesuai rencana'

/**
 * Observation and interview instruments (issue 5, "monthly observation and interview instruments
 * (indicators, rating scale, notes) filled in by internal or external monitors"): definition by an
 * admin, records by monitors in scope, corrections as new records with the old statement voided
 * (xAPI 1.0.3 Data 2.3.2). On PGlite and PostgreSQL.
 */
describe(`observations and interviews on ${testEngine()}`, () => {
  let s: OrgTestServer
  let tree: Awaited<ReturnType<typeof meetingTree>>
  let other: Awaited<ReturnType<typeof meetingTree>>
  let admin: Browser
  let monitor: Browser
  let selongMonitor: Browser
  let teacherId: string
  let teacherBrowser: Browser
  let observation: string
  let interview: string

  async function define(kind: string, name: string): Promise<string> {
    const page = await admin.request('/lti/observations/instruments/new')
    const res = await admin.request('/lti/observations/instruments', { form: { csrf: csrfOf(page.text), name, kind, top: '4', labels: 'Belum\nMulai\nBerkembang\nSangat baik', indicators: INDICATORS } })
    expect(res.status).toBe(303)
    return ((await s.db.knex('observation_instrument').where({ name }).first('id')) as { id: string }).id
  }
  async function fill(b: Browser, instrument: string, fields: Record<string, string>, action = '/lti/observations/records') {
    const page = await b.request(`/lti/observations/new?instrument=${instrument}`)
    return b.request(action, { form: { csrf: csrfOf(page.text), instrument, ...fields } })
  }
  const records = async () => s.db.knex('observation_record').select('id', 'superseded', 'statement_stored', 'void_statement_stored').orderBy('created_at')

  beforeAll(async () => {
    s = await startOrgServer()
    tree = await meetingTree(s)
    await s.db.knex('tenant').insert({ slug: 'other', name: 'Other province' })
    other = await meetingTree(s, 'other')
    admin = (await signInAs(s, tree.tenantId, { email: 'dinas@example.org', name: 'Dinas', role: 'district-admin', nodeId: tree.d1.id })).browser
    monitor = (await signInAs(s, tree.tenantId, { email: 'pemantau@example.org', name: 'Pemantau Praya', role: 'monitor', nodeId: tree.praya.id })).browser
    selongMonitor = (await signInAs(s, tree.tenantId, { email: 'pemantau2@example.org', name: 'Pemantau Selong', role: 'monitor', nodeId: tree.k2.id })).browser
    const t = await signInAs(s, tree.tenantId, { email: 'siti@example.org', name: 'Siti Aminah', role: 'teacher', nodeId: tree.school.id, schoolId: tree.school.id })
    teacherId = t.personId
    teacherBrowser = t.browser
    observation = await define('observation', 'Observasi pembelajaran bulanan')
    interview = await define('interview', 'Wawancara bulanan')
  })
  afterAll(async () => { await s?.close() })

  it('lets an admin define an instrument whose indicators link to the framework\'s competence indicators', async () => {
    const row = (await s.db.knex('observation_instrument').where({ id: observation }).first()) as { indicators: unknown; scale: unknown }
    const indicators = typeof row.indicators === 'string' ? JSON.parse(row.indicators) : row.indicators
    expect(indicators).toEqual([
      { code: 'OBS1', competence: 'PED.C.2', text: 'Guru menyiapkan RPPH sebelum kegiatan' },
      { code: 'OBS2', competence: 'PED.D.1', text: 'Kegiatan berjalan sesuai rencana' },
    ])
  })

  it('refuses an indicator linked to no framework indicator (400, naming the line) and a monitor defining instruments (403)', async () => {
    const before = await s.db.knex('observation_instrument').count<{ count: number }[]>('* as count')
    const page = await admin.request('/lti/observations/instruments/new')
    const res = await admin.request('/lti/observations/instruments', { form: { csrf: csrfOf(page.text), name: 'X', kind: 'observation', top: '4', labels: 'a\nb\nc\nd', indicators: 'OBS1 | PED.Q.9 | x' } })
    expect(res.status).toBe(400)
    expect(res.text).toContain('PED.Q.9 bukan indikator kerangka')
    expect((await monitor.request('/lti/observations/instruments/new')).status).toBe(403)
    expect(await s.db.knex('observation_instrument').count<{ count: number }[]>('* as count')).toEqual(before)
  })

  it('refuses a rating outside the scale with 400 naming the indicator, and stores nothing', async () => {
    const res = await fill(monitor, observation, { teacher: teacherId, date: '2026-01-15', 'rating.OBS1': '5', 'rating.OBS2': '3', notes: '' })
    expect(res.status).toBe(400)
    expect(res.text).toContain('Nilai indikator OBS1 harus 1 sampai 4')
    expect(await records()).toEqual([])
  })

  it('answers a teacher outside the monitor\'s scope, another tenant\'s ids, and a teacher\'s session with 404/403; nothing stored', async () => {
    const fields = { teacher: teacherId, date: '2026-01-15', 'rating.OBS1': '3', 'rating.OBS2': '3' }
    expect((await fill(selongMonitor, observation, fields)).status).toBe(404)
    expect((await monitor.request(`/lti/observations/new?instrument=${observation}`)).text).toContain('Siti Aminah')
    expect((await selongMonitor.request(`/lti/observations/new?instrument=${observation}`)).text).not.toContain('Siti Aminah')
    const otherInstrument = (await s.db.knex('observation_instrument').insert({ tenant_id: other.tenantId, name: 'Lain', kind: 'observation', scale: JSON.stringify({ min: 1, max: 4, labels: ['a', 'b', 'c', 'd'] }), indicators: '[]' }).returning('id')) as Array<{ id: string }>
    expect((await monitor.request(`/lti/observations/new?instrument=${otherInstrument[0]!.id}`)).status).toBe(404)
    expect((await teacherBrowser.request(`/lti/observations/new?instrument=${observation}`)).status).toBe(403)
    expect(await records()).toEqual([])
  })

  it('records an observation as a scored statement on the instrument, the monitor as instructor, ratings per indicator', async () => {
    const res = await fill(monitor, observation, { teacher: teacherId, date: '2026-01-15', 'rating.OBS1': '3', 'rating.OBS2': '4', notes: 'Kelas tertib.' })
    expect(res.status).toBe(303)
    const [row] = await records()
    const st = (await statementsOf(s, tree.tenantId)).find((r) => r.id === evaluationStatementId(row!.id))!.statement
    expect(st.verb.id).toBe('http://adlnet.gov/expapi/verbs/scored')
    expect(st.actor.account).toEqual({ homePage: s.url, name: teacherId })
    expect(st.object.definition.type).toBe(INSTRUMENT_TYPE)
    expect(st.context.instructor.name).toBe('Pemantau Praya')
    expect(st.result.score).toEqual({ scaled: 0.875, raw: 7, min: 2, max: 8 })
    expect(st.result.extensions[INDICATOR_RATINGS_EXTENSION]).toEqual({ OBS1: { rating: 3, competence: 'PED.C.2' }, OBS2: { rating: 4, competence: 'PED.D.1' } })
    expect(JSON.stringify(st)).not.toContain('Kelas tertib')
    const page = await monitor.request(res.headers.get('location')!)
    expect(page.text).toContain('88 / 100')
  })

  it('keeps versions: a correction is a new record, the old statement voided; correcting it again is a conflict', async () => {
    const [old] = await records()
    const page = await monitor.request(`/lti/observations/records/${old!.id}/correct`)
    expect(page.status).toBe(200)
    const res = await monitor.request(`/lti/observations/records/${old!.id}/correct`, { form: { csrf: csrfOf(page.text), instrument: observation, teacher: teacherId, date: '2026-01-15', 'rating.OBS1': '2', 'rating.OBS2': '4' } })
    expect(res.status).toBe(303)
    const rows = await records()
    expect(rows).toEqual([
      { id: old!.id, superseded: true, statement_stored: true, void_statement_stored: true },
      { id: expect.any(String), superseded: false, statement_stored: true, void_statement_stored: false },
    ])
    const all = await statementsOf(s, tree.tenantId)
    expect(all.find((r) => r.id === evaluationStatementId(old!.id))!.voided).toBe(true)
    expect(all.find((r) => r.id === evaluationStatementId(rows[1]!.id))!.statement.result.score.scaled).toBe(0.75)
    const twice = await monitor.request(`/lti/observations/records/${old!.id}/correct`, { form: { csrf: csrfOf(page.text), instrument: observation, teacher: teacherId, date: '2026-01-15', 'rating.OBS1': '1', 'rating.OBS2': '1' } })
    expect(twice.status).toBe(409)
    expect(await records()).toHaveLength(2)
  })

  it('records an interview as the monitor interviewed the teacher (an Agent object)', async () => {
    const res = await fill(monitor, interview, { teacher: teacherId, date: '2026-01-16', 'rating.OBS1': '4', 'rating.OBS2': '4' })
    expect(res.status).toBe(303)
    const st = (await statementsOf(s, tree.tenantId)).find((r) => r.verb_id === 'http://id.tincanapi.com/verb/interviewed')!.statement
    expect(st.actor.name).toBe('Pemantau Praya')
    expect(st.object).toMatchObject({ objectType: 'Agent', account: { homePage: s.url, name: teacherId } })
    expect(st.context.contextActivities.other[0].id).toBe(`${s.url}/lti/observations/instruments/${interview}`)
  })
})
