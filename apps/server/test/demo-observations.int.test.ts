/**
 * The demo's monthly observation and interview instruments (issue 5; the paper: "evaluasi setiap
 * satu bulan sekali … melalui kegiatan observasi dan wawancara"): the demo seed defines them once,
 * by the instrument form's rules, and a demo facilitator can then "fill in for a teacher"
 * (facilitator guide, "Observations") on the server app. On PGlite and PostgreSQL.
 */
import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { createLrs } from '@tln/lrs'
import { checkInstrumentForm, createLtiTool, instrumentCompetenceCodes, SESSION_COOKIE, UserStore, type LtiTool } from '@tln/lti-tool'
import type { Express } from 'express'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { createLogger } from '../src/logger.ts'
import { DEMO_INSTRUMENT_FORMS } from '../src/seed/demo-observations.ts'
import { seedDemoOrg } from '../src/seed/demo-org.ts'
import { FACILITATORS, SCHOOLS, TEACHERS } from '../src/seed/lombok-tengah.ts'

const PUBLIC_URL = 'http://tln.test'
const LMS = 'https://lms.example'
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/u.exec(html)![1]!

describe(`demo observation and interview instruments on ${testEngine()}`, () => {
  let db: Db
  let tool: LtiTool
  let app: Express
  let tenantId: string
  const instruments = async () => db.knex('observation_instrument').where({ tenant_id: tenantId }).orderBy('name')

  beforeAll(async () => {
    db = await createTestDb()
    const logger = createLogger('warn', new Writable({ write(_c, _e, done) { done() } }))
    const lrs = createLrs({ knex: db.knex, logger, publicUrl: PUBLIC_URL })
    tool = await createLtiTool({ knex: db.knex, lrs, logger, config: { publicUrl: PUBLIC_URL, keySecret: new Uint8Array(randomBytes(32)) } })
    app = createApp({ config: loadConfig({}), db, logger, lrs, publicUrl: PUBLIC_URL, lti: tool.router })
    await seedDemoOrg(db.knex)
    tenantId = await tool.org.tenantId('default')
  }, 120_000)
  afterAll(async () => { await db?.close() })

  it('defines one monthly observation and one teacher interview instrument, each passing the district admin\'s form rules', async () => {
    const rows = (await instruments()) as Array<{ name: string; kind: string; created_by_user_id: string | null }>
    expect(rows.map((r) => [r.kind, r.name]).sort()).toEqual([['interview', 'Wawancara guru bulanan'], ['observation', 'Observasi pembelajaran bulanan']])
    expect(rows.every((r) => r.created_by_user_id === null)).toBe(true)
    const codes = await instrumentCompetenceCodes(db.knex, tenantId)
    for (const form of DEMO_INSTRUMENT_FORMS) expect(checkInstrumentForm(form, codes).ok).toBe(true)
    const observation = (await db.knex('observation_instrument').where({ tenant_id: tenantId, kind: 'observation' }).first()) as { scale: unknown; indicators: unknown }
    const parse = <T>(v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as T
    expect(parse<{ min: number; max: number; labels: string[] }>(observation.scale)).toEqual({ min: 1, max: 4, labels: ['Perlu bimbingan', 'Cukup', 'Baik', 'Sangat baik'] })
    expect(parse<Array<{ code: string; competence: string }>>(observation.indicators).map((i) => [i.code, i.competence])).toEqual([['OBS1', 'PED.C.2'], ['OBS2', 'PED.D.1'], ['OBS3', 'PED.D.2'], ['OBS4', 'PED.B.2'], ['OBS5', 'PED.F.2']])
  })

  it('a second demo seed adds no instrument and changes none (idempotent)', async () => {
    const before = await instruments()
    await seedDemoOrg(db.knex)
    expect(await instruments()).toEqual(before)
  }, 60_000)

  it('a demo facilitator fills in the seeded observation for a teacher of their kecamatan (facilitator guide, "Fill in for a teacher")', async () => {
    // Facilitator fas-01 accompanies Praya, Praya Tengah and Praya Timur; they open TLN from the LMS.
    const fas = FACILITATORS[0]!
    await tool.org.upsertPerson(tenantId, { name: fas.name, externalId: fas.id, lti: { issuer: LMS, sub: fas.id } })
    const user = await new UserStore(db.knex).upsert({ tenantId, issuer: LMS, sub: fas.id, role: 'facilitator', name: fas.name })
    const cookie = `${SESSION_COOKIE}=${await tool.sessions.create(user.id, { issuer: LMS, deploymentId: 'd-1', role: 'facilitator' }, 3_600_000)}`

    const home = await request(app).get('/lti/observations').set('cookie', cookie)
    expect(home.status).toBe(200)
    expect(home.text).toContain('Observasi pembelajaran bulanan')
    expect(home.text).toContain('Wawancara guru bulanan')
    const observation = ((await db.knex('observation_instrument').where({ tenant_id: tenantId, kind: 'observation' }).first('id')) as { id: string }).id
    expect(home.text).toContain(`href="/lti/observations/new?instrument=${observation}"`)

    const form = await request(app).get(`/lti/observations/new?instrument=${observation}`).set('cookie', cookie)
    expect(form.status).toBe(200)
    const ownKecamatan = new Set(fas.kecamatan)
    const own = TEACHERS.filter((t) => ownKecamatan.has(SCHOOLS.find((s) => s.npsn === t.npsn)!.kecamatan))
    const other = TEACHERS.find((t) => !ownKecamatan.has(SCHOOLS.find((s) => s.npsn === t.npsn)!.kecamatan))!
    expect(own.length).toBeGreaterThan(0)
    for (const t of own) expect(form.text).toContain(t.name)
    expect(form.text).not.toContain(other.name)

    const teacher = (await db.knex('person').where({ tenant_id: tenantId, external_id: own[0]!.id }).first('id')) as { id: string }
    const ratings = { 'rating.OBS1': '3', 'rating.OBS2': '3', 'rating.OBS3': '2', 'rating.OBS4': '4', 'rating.OBS5': '3' }
    const saved = await request(app).post('/lti/observations/records').set('cookie', cookie).type('form')
      .send({ csrf: csrfOf(form.text), instrument: observation, teacher: teacher.id, date: '2026-03-20', notes: 'Kunjungan bulan Maret', ...ratings })
    expect(saved.status).toBe(303)
    const records = (await db.knex('observation_record').where({ tenant_id: tenantId })) as Array<{ instrument_id: string; teacher_person_id: string }>
    expect(records.map((r) => [r.instrument_id, r.teacher_person_id])).toEqual([[observation, teacher.id]])
  }, 60_000)
})
