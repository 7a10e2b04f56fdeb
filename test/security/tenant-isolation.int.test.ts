import { randomBytes, randomUUID } from 'node:crypto'
import { METHODS } from 'node:http'
import { Writable } from 'node:stream'
import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { createLrs, type Lrs } from '@tln/lrs'
import { createLtiTool, csrfToken, ProgramStore, SESSION_COOKIE, UserStore, type LtiTool } from '@tln/lti-tool'
import { createApp, createLogger, loadConfig } from '@tln/server'
import express, { type Express } from 'express'
import request from 'supertest'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mountBadges } from '../../apps/server/src/badges.ts'
import { listRoutes } from '../../apps/server/src/http/method-not-allowed.ts'

/**
 * Tenant isolation (ARCHITECTURE.md, "Tenancy is enforced in the query layer"; issue 7, Security:
 * "a credential ... of one tenant cannot read or change another's data"). Tenant B holds
 * statements, documents, an Activity definition, a forwarding target and a dead letter, an LTI
 * platform and an org tree; tenant A's credential (scope `all`) tries every xAPI
 * endpoint, the export and the forwarding admin API with B's ids. Every answer and B's rows are
 * checked. Then tenant A's sessions try the tool's programs, task editor, CLR and mentoring
 * upload endpoints with B's ids (second block), and every other page, form and API that names a
 * tenant's rows. The coverage table at the end names the test of each route the app registers
 * (`listRoutes`), or why the route holds no tenant data; a route in neither fails the suite.
 */
const PUBLIC = 'http://tln.test'
const V2 = { 'X-Experience-API-Version': '2.0.0' }
const ACTIVITY = 'https://tln.example/activities/rpph/tenant-b'
const AGENT_B = { objectType: 'Agent', name: 'Guru Lombok Timur', mbox: 'mailto:guru.b@paud-timur.example' }
const STATE = `/xapi/activities/state?activityId=${encodeURIComponent(ACTIVITY)}&agent=${encodeURIComponent(JSON.stringify(AGENT_B))}&stateId=draft`
const ACTIVITY_PROFILE = `/xapi/activities/profile?activityId=${encodeURIComponent(ACTIVITY)}&profileId=rubric`
const AGENT_PROFILE = `/xapi/agents/profile?agent=${encodeURIComponent(JSON.stringify(AGENT_B))}&profileId=prefs`

let db: Db
let lrs: Lrs
let tool: LtiTool
let http: TestAgent
let authA: string
let authB: string
let tenantB: string
const idB = randomUUID()
const voidedB = randomUUID()
/** The tool's key secret: session CSRF tokens are HMACs keyed with it. */
const keySecret = new Uint8Array(randomBytes(32))

function basic(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`
}

function statementB(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    actor: AGENT_B,
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
    object: { objectType: 'Activity', id: ACTIVITY, definition: { name: { id: 'RPPH Lombok Timur (rahasia B)' } } },
    ...extra,
  }
}

/** Tenant B's rows that A must never change: statements, documents, forwarding, with their content. */
async function snapshotB(): Promise<unknown> {
  const k = db.knex
  return {
    statements: await k('xapi_statement').where({ tenant_id: tenantB }).orderBy('seq').select('id', 'voided', db.knex.raw('statement::text as statement')),
    documents: await k('xapi_document').where({ tenant_id: tenantB }).orderBy('key').select('*'),
    forwarding: await k('forward_target').where({ tenant_id: tenantB }).select('name', 'endpoint', 'enabled'),
    deadLetters: await k('forward_dead_letter').count({ n: '*' }).first(),
    orgNodes: await k('org_node').where({ tenant_id: tenantB }).count({ n: '*' }).first(),
    platforms: await k('lti_platform').where({ tenant_id: tenantB }).select('issuer', 'client_id'),
  }
}

beforeAll(async () => {
  db = await createTestDb()
  const logger = { debug() {}, info() {}, warn() {}, error() {} }
  lrs = createLrs({ knex: db.knex, logger, publicUrl: PUBLIC, secretKey: randomBytes(32).toString('base64') })
  tool = await createLtiTool({ knex: db.knex, lrs, logger, config: { publicUrl: PUBLIC, keySecret } })
  const app = express()
  app.use('/xapi', lrs.router)
  app.use('/api/export', lrs.exportRouter)
  app.use('/api/admin/forwarding', lrs.forwardingRouter)
  http = request(app)

  const [b] = (await db.knex('tenant').insert({ slug: 'lombok-timur', name: 'Kabupaten Lombok Timur' }).returning('id')) as Array<{ id: string }>
  tenantB = b!.id
  const a = await lrs.credentials.create({ key: 'tenant-a', secret: 'a-long-secret-a', scopes: ['all'] })
  const bCred = await lrs.credentials.create({ key: 'tenant-b', secret: 'a-long-secret-b', scopes: ['all'], tenant: 'lombok-timur' })
  authA = basic(a.credential.key, 'a-long-secret-a')
  authB = basic(bCred.credential.key, 'a-long-secret-b')

  // Tenant B's data, through its own credential.
  const post = await http.post('/xapi/statements').set(V2).set('Authorization', authB).send([
    statementB(idB),
    statementB(voidedB),
    { actor: AGENT_B, verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: voidedB } },
  ])
  expect(post.status).toBe(200)
  for (const path of [STATE, ACTIVITY_PROFILE, AGENT_PROFILE]) {
    expect((await http.put(path).set(V2).set('Authorization', authB).send({ secret: 'B only' })).status).toBe(204)
  }
  const target = await lrs.forwarding.add(tenantB, { name: 'bppaud-timur', endpoint: 'https://lrs.timur.example/xapi/', key: 'k', secret: 's-long-secret', enabled: false })
  await lrs.forwarding.addDeadLetter(target.id, { seq: 1, statementId: idB, status: 400, error: 'refused' })

  // The tool's side of tenant B: an LTI platform and an org tree.
  const moodle = 'https://moodle.paud-timur.example'
  await tool.platforms.add({
    platform: { issuer: moodle, clientId: 'tln', authorizationEndpoint: `${moodle}/auth`, tokenEndpoint: `${moodle}/token`, jwksUri: `${moodle}/jwks` },
    deploymentIds: ['1'], tenant: 'lombok-timur', status: 'active', registeredBy: 'cli',
  })
  const province = await tool.org.upsertNode(tenantB, { kind: 'province', code: '52', name: 'Nusa Tenggara Barat' })
  await tool.org.upsertNode(tenantB, { kind: 'district', code: '52.03', name: 'Kabupaten Lombok Timur', parentId: province.id })
})
afterAll(async () => {
  await db?.close()
})

describe(`tenant A's credential against tenant B's data on ${testEngine()}`, () => {
  it('GET /statements?statementId= and ?voidedStatementId= of B answer 404 (Communication 2.1.3)', async () => {
    expect((await http.get(`/xapi/statements?statementId=${idB}`).set(V2).set('Authorization', authA)).status).toBe(404)
    expect((await http.get(`/xapi/statements?voidedStatementId=${voidedB}`).set(V2).set('Authorization', authA)).status).toBe(404)
    expect((await http.get(`/xapi/statements?statementId=${idB}`).set(V2).set('Authorization', authB)).status).toBe(200)
  })

  it("GET /statements lists none of B's statements, with or without B's agent, activity or verb as filter", async () => {
    for (const query of ['', `?agent=${encodeURIComponent(JSON.stringify(AGENT_B))}`, `?activity=${encodeURIComponent(ACTIVITY)}`, '?verb=http://adlnet.gov/expapi/verbs/completed']) {
      const res = await http.get(`/xapi/statements${query}`).set(V2).set('Authorization', authA)
      expect(res.status).toBe(200)
      expect(res.body.statements).toEqual([])
    }
  })

  it("PUT and POST with B's statement ids store A's own statements and leave B's untouched", async () => {
    const before = await snapshotB()
    const put = await http.put(`/xapi/statements?statementId=${idB}`).set(V2).set('Authorization', authA).send({ ...statementB(idB), actor: { mbox: 'mailto:a@paud.example' }, object: { objectType: 'Activity', id: ACTIVITY, definition: { name: { id: 'RPPH A' } } } })
    expect(put.status).toBe(204)
    const voiding = await http.post('/xapi/statements').set(V2).set('Authorization', authA).send({ actor: { mbox: 'mailto:a@paud.example' }, verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: idB } })
    expect(voiding.status).toBe(200)
    expect(await snapshotB()).toEqual(before)
    const stillB = await http.get(`/xapi/statements?statementId=${idB}`).set(V2).set('Authorization', authB)
    expect(stillB.status).toBe(200)
    expect(stillB.body.actor.mbox).toBe(AGENT_B.mbox)
  })

  it("State, Activity Profile and Agent Profile: B's documents are not found, not listed, and survive A's PUT, POST and DELETE", async () => {
    const before = await snapshotB()
    for (const path of [STATE, ACTIVITY_PROFILE, AGENT_PROFILE]) {
      expect((await http.get(path).set(V2).set('Authorization', authA)).status, path).toBe(404)
      const list = await http.get(path.replace(/&(stateId|profileId)=[^&]+/, '')).set(V2).set('Authorization', authA)
      expect(list.status).toBe(200)
      expect(list.body).toEqual([])
      expect((await http.delete(path).set(V2).set('Authorization', authA)).status).toBe(204)
      expect((await http.post(path).set(V2).set('Authorization', authA).send({ mine: 'A' })).status).toBe(204)
      expect((await http.put(path).set(V2).set('Authorization', authA).set('If-Match', '*').send({ mine: 'A2' })).status).toBe(204)
      const ofB = await http.get(path).set(V2).set('Authorization', authB)
      expect(ofB.body).toEqual({ secret: 'B only' })
    }
    const deleteAllState = STATE.replace(/&stateId=[^&]+/, '')
    expect((await http.delete(deleteAllState).set(V2).set('Authorization', authA)).status).toBe(204)
    expect(await snapshotB()).toEqual(before)
  })

  it("GET /activities does not give B's Activity definition; GET /agents does not give B's names (Communication 2.4, 2.5)", async () => {
    const activity = await http.get(`/xapi/activities?activityId=${encodeURIComponent(ACTIVITY)}`).set(V2).set('Authorization', authA)
    expect(activity.status).toBe(200)
    expect(JSON.stringify(activity.body)).not.toContain('rahasia B')
    const ofB = await http.get(`/xapi/activities?activityId=${encodeURIComponent(ACTIVITY)}`).set(V2).set('Authorization', authB)
    expect(JSON.stringify(ofB.body)).toContain('rahasia B')
    const person = await http.get(`/xapi/agents?agent=${encodeURIComponent(JSON.stringify({ mbox: AGENT_B.mbox }))}`).set(V2).set('Authorization', authA)
    expect(person.status).toBe(200)
    expect(JSON.stringify(person.body)).not.toContain('Guru Lombok Timur')
  })

  it("the export gives none of B's statements", async () => {
    const res = await http.get('/api/export/statements').set('Authorization', authA)
    expect(res.status).toBe(200)
    expect(res.text).not.toContain(voidedB)
    expect(res.text).not.toContain('paud-timur')
  })

  it("the forwarding admin API neither lists, changes, removes nor retries B's target", async () => {
    const before = await snapshotB()
    const list = await http.get('/api/admin/forwarding').set('Authorization', authA)
    expect(list.status).toBe(200)
    expect(list.body).toEqual([])
    expect((await http.get('/api/admin/forwarding/bppaud-timur/dead-letters').set('Authorization', authA)).status).toBe(404)
    expect((await http.patch('/api/admin/forwarding/bppaud-timur').set('Authorization', authA).send({ enabled: true })).status).toBe(404)
    expect((await http.post('/api/admin/forwarding/bppaud-timur/dead-letters/retry').set('Authorization', authA)).status).toBe(404)
    expect((await http.delete('/api/admin/forwarding/bppaud-timur').set('Authorization', authA)).status).toBe(404)
    expect(await snapshotB()).toEqual(before)
    expect((await http.get('/api/admin/forwarding').set('Authorization', authB)).body).toHaveLength(1)
  })
})

/**
 * The tool's endpoints added with programs, the task editor, CLR transcripts and resumable
 * mentoring evidence (issues 5, 6, 7): a session of tenant A — its tenant-wide admin and a teacher
 * — reads, lists and changes nothing of tenant B's, given B's ids; B's rows are compared whole
 * before and after. A positive control shows each id works for B.
 */
describe(`tenant A's sessions against tenant B's programs, tasks, CLR and mentoring uploads on ${testEngine()}`, () => {
  const LMS_A = 'https://lms.paud-tengah.example'
  const LMS_B = 'https://moodle.paud-timur.example'
  const LEARNER_B = `mbox:${AGENT_B.mbox}`
  const programs = () => new ProgramStore(db.knex)
  interface Who { cookie: string; csrf: string }
  /** The server app as `main.ts` composes it outside demo mode (LRS, tool, local accounts, reports, badges and CASE), on this file's database. */
  let app: Express
  let web: TestAgent
  const A = {} as { admin: Who; teacher: Who; program: string; tier: string }
  const B = {} as { admin: Who; program: string; tier: string; phase: string; module: string; kecamatan: string; task: string; relation: string; upload: string; mentor: string }

  async function sessionOf(tenantId: string, issuer: string, sub: string, role: 'teacher' | 'admin', place: { school?: string; admin?: true }): Promise<Who> {
    const user = await new UserStore(db.knex).upsert({ tenantId, issuer, sub, role, name: sub })
    const person = await tool.org.upsertPerson(tenantId, { name: sub, lti: { issuer, sub }, ...(place.school !== undefined && { schoolId: place.school }) })
    if (place.admin === true) await tool.org.grant(tenantId, person.id, 'admin', undefined)
    const id = await tool.sessions.create(user.id, { issuer, deploymentId: 'd-1', role }, 3_600_000)
    return { cookie: `${SESSION_COOKIE}=${id}`, csrf: csrfToken(keySecret, id) }
  }
  const formOf = (w: Who, path: string, fields: Record<string, string>) =>
    web.post(path).set('cookie', w.cookie).type('form').send(new URLSearchParams({ csrf: w.csrf, ...fields }).toString())

  /** Every row of B's programs, tasks, rubric versions, mentoring relations and uploads (content included). */
  async function toolRowsOfB(): Promise<unknown> {
    const whole = async (table: string) => ((await db.knex.raw(`select t::text as row from "${table}" t where tenant_id = ? order by 1`, [tenantB])) as { rows: unknown[] }).rows
    return {
      program: await whole('program'), tiers: await whole('program_tier'), phases: await whole('program_phase'), modules: await whole('program_module'),
      quotas: await whole('program_quota'), config: await whole('competence_config'), tasks: await whole('performance_task'), rubrics: await whole('task_rubric_version'),
      assignments: await whole('task_assignment'), relations: await whole('mentoring_relation'), uploads: await whole('mentoring_upload'), sessions: await whole('mentoring_session'),
      keys: await whole('badge_issuer_key'),
    }
  }

  beforeAll(async () => {
    const config = loadConfig({ TLN_SECRET_KEY: 'tenant-isolation-secret-0123456789abcdef' })
    const logger = createLogger('error', new Writable({ write(_chunk, _e, done) { done() } }))
    const badges = mountBadges({ config, knex: db.knex, publicUrl: PUBLIC, logger, viewers: { sessions: tool.sessions, org: tool.org } })
    app = createApp({ config, db, logger, lrs, publicUrl: PUBLIC, lti: tool.router, accounts: tool.accountRouter, reports: { pages: tool.reportsRouter, api: tool.reportsApiRouter }, badges: badges.router })
    web = request(app)

    // Tenant A (default): a school of Praya, its teacher and the tenant's admin, and a program of A's own.
    const tA = await tool.org.tenantId('default')
    const pA = await tool.org.upsertNode(tA, { kind: 'province', code: '52', name: 'Nusa Tenggara Barat' })
    const dA = await tool.org.upsertNode(tA, { kind: 'district', code: '52.02', name: 'Kabupaten Lombok Tengah', parentId: pA.id })
    const kA = await tool.org.upsertNode(tA, { kind: 'kecamatan', code: '52.02.06', name: 'Praya', parentId: dA.id })
    const sA = await tool.org.upsertNode(tA, { kind: 'school', code: '99020601', name: 'TK Cahaya Praya', schoolType: 'TK', parentId: kA.id })
    A.admin = await sessionOf(tA, LMS_A, 'admin-a', 'admin', { admin: true })
    A.teacher = await sessionOf(tA, LMS_A, 'guru-a', 'teacher', { school: sA.id })
    const mine = await programs().createProgram(tA, { code: 'diklat-a', name: { id: 'Diklat A', en: 'Training A' }, active: false }, 'test')
    A.program = mine.id
    A.tier = (await programs().saveTier(tA, mine.id, undefined, { level: 'dasar', name: { id: 'Dasar', en: 'Basic' }, hours: 48, completion: { allModules: true, postTestMinPercent: null, tasksAccepted: true, minAttendancePercent: null } }, 'test')).id

    // Tenant B (lombok-timur): a kecamatan and school under its district, its admin, a teacher who is the learner of AGENT_B.
    const dB = (await db.knex('org_node').where({ tenant_id: tenantB, kind: 'district' }).first('id')) as { id: string }
    const kB = await tool.org.upsertNode(tenantB, { kind: 'kecamatan', code: '52.03.01', name: 'Selong', parentId: dB.id })
    const sB = await tool.org.upsertNode(tenantB, { kind: 'school', code: '99030101', name: 'TK Melati Selong', schoolType: 'TK', parentId: kB.id })
    B.kecamatan = kB.id
    B.admin = await sessionOf(tenantB, LMS_B, 'admin-b', 'admin', { admin: true })
    const mentor = await tool.org.upsertPerson(tenantB, { name: 'Guru Lombok Timur', schoolId: sB.id, lti: { issuer: LMS_B, sub: 'guru-b' } })
    const mentee = await tool.org.upsertPerson(tenantB, { name: 'Rekan Lombok Timur', schoolId: sB.id })
    B.mentor = mentor.id
    await db.knex('person_identity').insert({ tenant_id: tenantB, ifi_key: LEARNER_B, person_id: mentor.id })
    await db.knex('competence_learner').insert({ tenant_id: tenantB, learner_key: LEARNER_B, name: AGENT_B.name, first_at: '2026-11-01T00:00:00Z', last_at: '2026-11-02T00:00:00Z' })

    // B's program, imported whole: a tier, a phase, a module and Selong's quota.
    const saved = await programs().putDocument(tenantB, {
      format: 'tln-program/1', code: 'diklat-timur', name: { id: 'Diklat Lombok Timur (rahasia B)', en: 'Training B' }, active: true,
      tiers: [{ level: 'dasar', name: { id: 'Dasar', en: 'Basic' }, hours: 48, completion: { allModules: true, postTestMinPercent: 70, tasksAccepted: true, minAttendancePercent: null },
        phases: [{ code: 'in-service-1', name: { id: 'In-Service 1', en: 'In-Service 1' }, kind: 'in-service', hours: 16,
          modules: [{ code: 'konsep-dasar', name: { id: 'Konsep Dasar', en: 'Foundations' }, hours: 6, lmsActivityIds: ['https://elearning.timur.example/mod/7'] }] }] }],
      quotas: { '52.03.01': 25 },
    }, 'test')
    B.program = saved.id
    B.tier = (await db.knex('program_tier').where({ program_id: B.program }).first('id')).id
    B.phase = (await db.knex('program_phase').where({ tier_id: B.tier }).first('id')).id
    B.module = (await db.knex('program_module').where({ tier_id: B.tier }).first('id')).id

    // B's tasks (the defaults) and a mentoring relation with an evidence upload half sent.
    await tool.tasks.store.ensureDefaults(tenantB)
    B.task = (await db.knex('performance_task').where({ tenant_id: tenantB }).orderBy('key').first('id')).id
    B.relation = (await db.knex('mentoring_relation').insert({ tenant_id: tenantB, mentor_person_id: mentor.id, mentee_person_id: mentee.id, school_id: sB.id, window_start: '2026-11-01', window_days: 7 }).returning('id'))[0].id
    B.upload = (await db.knex('mentoring_upload').insert({ tenant_id: tenantB, relation_id: B.relation, file_name: 'bukti-b.png', size: 32, received: 16, content: Buffer.alloc(16, 7), expires_at: new Date(Date.now() + 3_600_000) }).returning('id'))[0].id
  })

  it("the programs JSON lists none of B's programs, and B's program, tier, phase and module are not found on every page and form (404)", async () => {
    const before = await toolRowsOfB()
    const list = await web.get('/lti/api/programs').set('cookie', A.admin.cookie)
    expect(list.status).toBe(200)
    expect(list.body.programs.map((p: { id: string }) => p.id)).toEqual([A.program])
    expect(JSON.stringify(list.body)).not.toContain('rahasia B')
    expect((await web.get('/lti/admin/programs').set('cookie', A.admin.cookie)).text).not.toContain('diklat-timur')
    const P = `/lti/admin/programs/${B.program}`
    const T = `${P}/tiers/${B.tier}`
    for (const path of [`/lti/api/programs/${B.program}`, P, `${P}/export.json`, T, `${T}/phases/${B.phase}`, `${T}/modules/${B.module}`,
      // B's tier under A's own program: still not found.
      `/lti/admin/programs/${A.program}/tiers/${B.tier}`]) {
      const res = await web.get(path).set('cookie', A.admin.cookie)
      expect(res.status, path).toBe(404)
      expect(res.text, path).not.toContain('rahasia B')
    }
    const tier = { level: 'lanjut', nameId: 'Lanjut', nameEn: 'Advanced', hours: '40', allModules: 'on', tasksAccepted: 'on', postTestMinPercent: '', minAttendancePercent: '' }
    for (const [path, fields] of [
      [P, { code: 'dicuri', nameId: 'Dicuri', nameEn: 'Stolen', active: 'on' }], [`${P}/tiers`, tier], [`${P}/quotas`, { [`quota.${B.kecamatan}`]: '1' }], [T, { ...tier, level: 'dasar' }],
      [`${T}/phases`, { position: '2', code: 'ojl', nameId: 'OJL', nameEn: 'OJL', kind: 'on-the-job', hours: '8' }],
      [`${T}/phases/${B.phase}`, { position: '1', code: 'in-service-1', nameId: 'Dicuri', nameEn: 'Stolen', kind: 'in-service', hours: '8' }],
      [`${T}/modules/${B.module}`, { phase: B.phase, position: '1', code: 'konsep-dasar', nameId: 'Dicuri', nameEn: 'Stolen', hours: '1' }],
      // A's own program with B's kecamatan as a quota.
      [`/lti/admin/programs/${A.program}/quotas`, { [`quota.${B.kecamatan}`]: '1' }],
    ] as const) {
      expect((await formOf(A.admin, path, fields)).status, path).toBe(404)
    }
    expect(await toolRowsOfB()).toEqual(before)
    expect((await web.get(`/lti/api/programs/${B.program}`).set('cookie', B.admin.cookie)).body.quotas).toMatchObject([{ kecamatanCode: '52.03.01', participants: 25 }])
  })

  it("the task editor and its JSON list none of B's tasks and find none by id; a teacher's task list neither (404)", async () => {
    const before = await toolRowsOfB()
    const ofB = (await db.knex('performance_task').where({ tenant_id: tenantB }).pluck('id')) as string[]
    const list = await web.get('/lti/tasks/admin/api/tasks').set('cookie', A.admin.cookie)
    expect(list.status).toBe(200)
    expect(list.body.tasks.length).toBeGreaterThan(0)
    expect(list.body.tasks.filter((t: { id: string }) => ofB.includes(t.id))).toEqual([])
    const page = await web.get('/lti/tasks/admin').set('cookie', A.admin.cookie)
    const mineTasks = await web.get('/lti/tasks/mine').set('cookie', A.teacher.cookie)
    for (const id of ofB) {
      expect(page.text).not.toContain(id)
      expect(mineTasks.text).not.toContain(id)
    }
    expect((await web.get(`/lti/tasks/admin/api/tasks/${B.task}`).set('cookie', A.admin.cookie)).body).toMatchObject({ code: 'ERR_TOOL_NOT_FOUND' })
    expect((await web.get(`/lti/tasks/admin/${B.task}`).set('cookie', A.admin.cookie)).status).toBe(404)
    expect((await formOf(A.admin, `/lti/tasks/admin/${B.task}`, { type: 'RPPH', title_id: 'Dicuri', title_en: 'Stolen', description_id: 'x', types: 'pdf', max_mb: '5', pass: '75', node: '' })).status).toBe(404)
    expect((await web.get(`/lti/tasks/mine/${B.task}`).set('cookie', A.teacher.cookie)).status).toBe(404)
    expect(await toolRowsOfB()).toEqual(before)
    expect((await web.get(`/lti/tasks/admin/api/tasks/${B.task}`).set('cookie', B.admin.cookie)).status).toBe(200)
  })

  it("a CLR of B's learner is not found for A's admin and teacher (404), and signs nothing", async () => {
    const before = await toolRowsOfB()
    for (const who of [A.admin, A.teacher]) {
      const res = await web.get(`/badges/clr/${encodeURIComponent(LEARNER_B)}`).set('cookie', who.cookie)
      expect(res.status).toBe(404)
      expect(res.body.error).toMatchObject({ code: 'ERR_BADGE_NOT_FOUND', field: 'learnerKey' })
      expect(res.text).not.toContain('Lombok Timur')
    }
    expect(await toolRowsOfB()).toEqual(before)
    // B's admin reaches the learner: her CLR is only empty (no badge, no proficient competence yet).
    expect((await web.get(`/badges/clr/${encodeURIComponent(LEARNER_B)}`).set('cookie', B.admin.cookie)).body.error).toMatchObject({ code: 'ERR_BADGE_CLR_EMPTY' })
  })

  it("B's mentoring evidence upload is neither read, continued nor used, and B's relation takes no upload from A (404)", async () => {
    const before = await toolRowsOfB()
    const json = (method: 'get' | 'put' | 'post', path: string) => web[method](path).set('cookie', A.teacher.cookie).set('x-tln-csrf', A.teacher.csrf)
    expect((await json('get', `/lti/mentoring/uploads/${B.upload}`)).status).toBe(404)
    const chunk = await json('put', `/lti/mentoring/uploads/${B.upload}?offset=16`).type('application/octet-stream').send(Buffer.alloc(16, 1))
    expect(chunk.status).toBe(404)
    expect(chunk.body).toMatchObject({ code: 'ERR_TOOL_NOT_FOUND' })
    const created = await json('post', '/lti/mentoring/uploads').type('json').send({ relation: B.relation, fileName: 'bukti.png', size: 100 })
    expect(created.status).toBe(404)
    const session = await formOf(A.teacher, `/lti/mentoring/relations/${B.relation}/sessions`, { date: '2026-11-02', duration: '60', topic: 'RPPH', upload: B.upload })
    expect(session.status).toBe(404)
    expect(await toolRowsOfB()).toEqual(before)
  })

  it('every route the app registers is in the coverage table above or exempt for holding no tenant data, and neither list names a route the app lacks', () => {
    const listed = new Set<string>()
    for (const route of listRoutes(app)) {
      // `app.all()` registers each method Node knows (the xAPI Profile): one entry, `*`, as a `router.all()` route has.
      const methods = route.methods.includes('*') || route.methods.length >= METHODS.length ? ['*'] : route.methods.filter((m) => !(m === 'HEAD' && route.methods.includes('GET')))
      for (const method of methods) listed.add(`${method} ${route.path}`)
    }
    const covered = new Set(Object.values(COVERAGE).flat())
    expect([...listed].filter((r) => !covered.has(r) && !(r in EXEMPT)), 'routes neither covered nor exempt').toEqual([])
    expect([...covered, ...Object.keys(EXEMPT)].filter((r) => !listed.has(r)), 'covered or exempt routes the app no longer has').toEqual([])
    expect(Object.keys(EXEMPT).filter((r) => covered.has(r)), 'routes both covered and exempt').toEqual([])
  })

  /**
   * Every other page, form and API that names or lists a tenant's rows: meetings, observations,
   * mentoring sessions, task assignments, submissions and uploads, classes, grade passbacks, the org
   * tree, LTI platforms and the reports. B holds one of each (marked "rahasia B"); A's admin and
   * teacher send each request with B's ids. Every answer is 403 or 404 (a list shows none of B's),
   * and every row of B, in every table with a `tenant_id`, is the same afterwards.
   */
  describe('every other route with B\'s ids', () => {
    const X = {} as { platform: string; assignment: string; submission: string; taskUpload: string; meeting: string; instrument: string; record: string; session: string; passback: string; klass: string; school: string }

    /** Every row of tenant B, in every table that has a `tenant_id`, as text. */
    async function everyRowOfB(): Promise<Record<string, unknown[]>> {
      const tables = (await db.knex('information_schema.columns').where({ table_schema: 'public', column_name: 'tenant_id' }).orderBy('table_name').pluck('table_name')) as string[]
      const out: Record<string, unknown[]> = {}
      for (const table of tables) out[table] = ((await db.knex.raw(`select t::text as row from "${table}" t where tenant_id = ? order by 1`, [tenantB])) as { rows: unknown[] }).rows
      return out
    }

    beforeAll(async () => {
      const k = db.knex
      X.platform = (await k('lti_platform').where({ tenant_id: tenantB }).first('id')).id
      X.school = (await k('org_node').where({ tenant_id: tenantB, kind: 'school' }).first('id')).id
      const user = await new UserStore(k).upsert({ tenantId: tenantB, issuer: LMS_B, sub: 'guru-b', role: 'teacher', name: 'Guru Lombok Timur' })
      const one = async (table: string, row: Record<string, unknown>) => ((await k(table).insert({ tenant_id: tenantB, ...row }).returning('id')) as Array<{ id: string }>)[0]!.id
      X.assignment = await one('task_assignment', { task_id: B.task, user_id: user.id, platform_id: X.platform, context_key: 'ctx-b', context_title: 'Kelas rahasia B' })
      X.submission = await one('task_submission', { assignment_id: X.assignment, version: 1, kind: 'url', url: 'https://paud-timur.example/rpph-rahasia-b', statement_id: randomUUID() })
      X.taskUpload = await one('task_upload', { assignment_id: X.assignment, file_name: 'rpph-b.pdf', size: 32, received: 16, content: Buffer.alloc(16, 7), expires_at: new Date(Date.now() + 3_600_000) })
      X.meeting = await one('tln_meeting', { kecamatan_id: B.kecamatan, kind: 'routine', title: 'Pertemuan rahasia B', starts_at: new Date(Date.now() + 3_600_000), code: 'RAHSIB', facilitator: JSON.stringify({ name: 'Fasilitator B' }) })
      X.instrument = await one('observation_instrument', { name: 'Instrumen rahasia B', kind: 'observation', scale: JSON.stringify({ top: 4, labels: ['a', 'b', 'c', 'd'] }), indicators: JSON.stringify([{ code: 'OBS1', competency: 'PED.C.2', text: 'x' }]) })
      X.record = await one('observation_record', { instrument_id: X.instrument, teacher_person_id: B.mentor, monitor: JSON.stringify({ name: 'Pemantau B' }), observed_on: '2026-11-02', ratings: JSON.stringify({ OBS1: 3 }), notes: 'catatan rahasia B' })
      X.session = await one('mentoring_session', { relation_id: B.relation, session_date: '2026-11-02', duration_minutes: 60, topic_text: 'Topik rahasia B' })
      X.passback = String(await one('grade_passback', { platform_id: X.platform, line_item_url: 'https://moodle.paud-timur.example/lineitems/1', user_sub: 'guru-b', activity_progress: 'Completed', grading_progress: 'FullyGraded', score_timestamp: new Date(), status: 'failed', attempts: 1, label: 'Nilai rahasia B', last_error: 'HTTP 400' }))
      X.klass = await one('course_class', { platform_id: X.platform, context_id: 'ctx-b', title: 'Kelas rahasia B' })
    })

    /**
     * What A's sessions send: [method, path, body, statuses]; a `form` body goes with A's CSRF token,
     * `json` with the CSRF header, `csv` as text/csv. The answer is 403 or 404, or 400 where B's id is
     * a form field that the form refuses as not one of A's (`statuses`).
     */
    type Probe = readonly [method: 'get' | 'post' | 'put', path: string, body?: { form?: Record<string, string>; json?: object; csv?: string; bytes?: Buffer; multipart?: true }, statuses?: readonly number[]]
    const FIELD_REFUSED = [400, 403, 404] as const
    const probes = (): Probe[] => [
      // Task assignments, submissions and uploads (the teacher's pages and the grader's).
      ['post', `/lti/tasks/mine/${B.task}`, { form: {} }],
      ['get', `/lti/tasks/${X.assignment}`], ['get', `/lti/tasks/${B.task}`],
      ['post', `/lti/tasks/${X.assignment}/url`, { form: { url: 'https://a.example/dicuri' } }],
      ['post', `/lti/tasks/${X.assignment}/file`, { multipart: true }],
      ['post', '/lti/tasks/uploads', { json: { assignment: X.assignment, fileName: 'x.pdf', size: 10 } }],
      ['get', `/lti/tasks/uploads/${X.taskUpload}`], ['put', `/lti/tasks/uploads/${X.taskUpload}?offset=16`, { bytes: Buffer.alloc(16, 1) }],
      ['post', `/lti/tasks/uploads/${X.taskUpload}/complete`, { json: {} }],
      ['get', `/lti/tasks/submissions/${X.submission}/file`],
      ['get', `/lti/grading/${X.assignment}`], ['post', `/lti/grading/${X.assignment}`, { form: { version: '1', 'score.0': '4', comment: 'dicuri' } }],
      ['post', '/lti/tasks/admin/', { form: { type: 'RPPH', title_id: 'Baru', title_en: 'New', description_id: 'x', types: 'pdf', max_mb: '5', pass: '75', node: B.kecamatan } }, FIELD_REFUSED],
      ['post', `/lti/admin/programs/${B.program}/tiers/${B.tier}/modules`, { form: { phase: B.phase, position: '2', code: 'dicuri', nameId: 'Dicuri', nameEn: 'Stolen', hours: '1' } }],
      // Meetings: B's kecamatan as a group, B's meeting, its code.
      ['get', `/lti/meetings/groups/${B.kecamatan}`], ['post', `/lti/meetings/groups/${B.kecamatan}`, { form: { kind: 'routine', title: 'Dicuri', date: '2026-12-01', time: '09:00', place: 'x' } }],
      ['get', `/lti/meetings/${X.meeting}`], ['post', `/lti/meetings/${X.meeting}/attendance`, { form: { person: B.mentor } }],
      ['post', `/lti/meetings/${X.meeting}/attendance/${B.mentor}/undo`, { form: {} }],
      ['post', '/lti/meetings/check-in', { form: { code: 'RAHSIB' } }, FIELD_REFUSED],
      // Observations: B's record, B's teacher and instrument in a new record of A's.
      ['get', `/lti/observations/records/${X.record}`], ['get', `/lti/observations/records/${X.record}/correct`],
      ['post', `/lti/observations/records/${X.record}/correct`, { form: { observedOn: '2026-11-03', 'rating.OBS1': '1', notes: 'dicuri' } }],
      ['post', '/lti/observations/records', { form: { instrument: X.instrument, teacher: B.mentor, observedOn: '2026-11-03', 'rating.OBS1': '1' } }],
      // Mentoring: B's relation, session and people.
      ['get', `/lti/mentoring/relations/${B.relation}`], ['post', '/lti/mentoring/relations', { form: { mentee: B.mentor, start: '2026-11-01' } }],
      ['get', `/lti/mentoring/sessions/${X.session}/share`], ['post', `/lti/mentoring/sessions/${X.session}/link`, { form: {} }],
      ['post', `/lti/mentoring/sessions/${X.session}/answer`, { form: { decision: 'confirm' } }], ['get', `/lti/mentoring/sessions/${X.session}/evidence`],
      ['post', `/lti/mentoring/sessions/${X.session}/verify`, { form: { decision: 'verify' } }], ['get', `/lti/mentoring/chain/${B.mentor}`],
      // Classes, grade passbacks, the org tree, LTI platforms.
      ['get', `/lti/classes/${X.klass}`], ['post', `/lti/grades/${X.passback}/retry`, { form: {} }],
      ['get', `/lti/org/nodes/${B.kecamatan}`], ['post', `/lti/org/nodes/${B.kecamatan}/import/schools`, { csv: 'npsn,name,type\n99030199,TK Dicuri,TK\n' }],
      ['get', `/lti/org/import?node=${B.kecamatan}`], ['post', `/lti/org/import?node=${B.kecamatan}`, { form: { kind: 'schools', node: B.kecamatan, csv: 'npsn,name,type\n99030199,TK Dicuri,TK\n' } }],
      ['post', `/lti/admin/platforms/${X.platform}/activate`, { form: {} }], ['post', `/lti/admin/platforms/${X.platform}/deactivate`, { form: {} }],
      ['post', `/lti/admin/platforms/${X.platform}/deployments`, { form: { deploymentId: 'dicuri' } }], ['post', `/lti/admin/platforms/${X.platform}/deployments/remove`, { form: { deploymentId: '1' } }],
      // Reports, pages and JSON: B's kecamatan and learner.
      ['get', `/reports/kecamatan/${B.kecamatan}`], ['get', `/api/reports/kecamatan/${B.kecamatan}`],
      ['get', `/reports/teacher/${encodeURIComponent(LEARNER_B)}`], ['get', `/api/reports/teacher/${encodeURIComponent(LEARNER_B)}`],
      ['get', `/reports/teacher/${encodeURIComponent(LEARNER_B)}/evidence/PED.C.2`], ['get', `/api/reports/teacher/${encodeURIComponent(LEARNER_B)}/evidence/PED.C.2`],
      ['get', `/reports/teacher/${encodeURIComponent(LEARNER_B)}/statements/${idB}`],
    ]

    it("A's admin and teacher are answered 403 or 404 with B's ids on every such page, form and API, and no row of B changes", async () => {
      const before = await everyRowOfB()
      const wrong: string[] = []
      for (const who of [A.admin, A.teacher]) {
        for (const [method, path, body, statuses = [403, 404]] of probes()) {
          let req = web[method](path).set('cookie', who.cookie).set('x-tln-csrf', who.csrf)
          if (body?.form !== undefined) req = req.type('form').send(new URLSearchParams({ csrf: who.csrf, ...body.form }).toString())
          else if (body?.json !== undefined) req = req.type('json').send(body.json)
          else if (body?.csv !== undefined) req = req.type('text/csv').send(body.csv)
          else if (body?.bytes !== undefined) req = req.type('application/octet-stream').send(body.bytes)
          else if (body?.multipart === true) req = req.type('multipart/form-data; boundary=zzz').send(`--zzz\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${who.csrf}\r\n--zzz\r\nContent-Disposition: form-data; name="file"; filename="x.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--zzz--\r\n`)
          const res = await req
          if (!statuses.includes(res.status) || /rahasia B|Lombok Timur|Selong/.test(res.text)) wrong.push(`${who === A.admin ? 'admin' : 'teacher'} ${method.toUpperCase()} ${path} → ${res.status} ${res.text.slice(0, 200)}`)
        }
      }
      expect(wrong).toEqual([])
      expect(await everyRowOfB()).toEqual(before)
      // Positive control: B's admin reaches the same rows.
      for (const path of [`/lti/meetings/${X.meeting}`, `/lti/observations/records/${X.record}`, `/lti/classes/${X.klass}`, `/reports/kecamatan/${B.kecamatan}`]) {
        expect((await web.get(path).set('cookie', B.admin.cookie)).status, path).toBe(200)
      }
    })

    it("the lists and forms A's sessions see show none of B's rows", async () => {
      const lists = ['/lti/meetings/', '/lti/meetings/check-in', '/lti/observations/', '/lti/observations/new', '/lti/observations/instruments/new', '/lti/mentoring/', '/lti/mentoring/verify', '/lti/mentoring/chain',
        '/lti/grading', '/lti/classes/', '/lti/grades/', '/lti/tasks/admin/new', '/lti/admin/platforms/', '/lti/org/import', '/lti/home', '/lti/session',
        '/reports/', '/reports/district', '/reports/mentoring-network', '/api/reports/district', '/api/reports/mentoring-network', '/account']
      const wrong: string[] = []
      for (const who of [A.admin, A.teacher]) {
        for (const path of lists) {
          const res = await web.get(path).set('cookie', who.cookie)
          if (res.status >= 500 || /rahasia B|Lombok Timur|Selong|paud-timur/.test(res.text)) wrong.push(`${path} → ${res.status} ${res.text.slice(0, 200)}`)
        }
      }
      expect(wrong).toEqual([])
    })

    it("creating with B's names makes A's own row: a program or import with B's code, a forwarding target with B's name, a platform with B's issuer (B's rows unchanged)", async () => {
      const before = await everyRowOfB()
      expect((await formOf(A.admin, '/lti/admin/programs/', { code: 'diklat-timur', nameId: 'Diklat A', nameEn: 'Training A' })).status).toBeLessThan(500)
      const doc = { format: 'tln-program/1', code: 'diklat-timur', name: { id: 'Impor A', en: 'Import A' }, active: false, tiers: [], quotas: {} }
      expect((await formOf(A.admin, '/lti/admin/programs/import', { document: JSON.stringify(doc) })).status).toBeLessThan(500)
      const platform = await formOf(A.admin, '/lti/admin/platforms/', { issuer: 'https://moodle.paud-timur.example', clientId: 'tln', authorizationEndpoint: 'https://moodle.paud-timur.example/auth', tokenEndpoint: 'https://moodle.paud-timur.example/token', jwksUri: 'https://moodle.paud-timur.example/jwks', deploymentIds: '1' })
      expect(platform.status).toBe(409)
      const forwarding = await http.post('/api/admin/forwarding/').set('Authorization', authA).send({ name: 'bppaud-timur', endpoint: 'https://lrs.a.example/xapi/', key: 'k', secret: 's-long-secret-a', enabled: false })
      expect(forwarding.status).toBeLessThan(300)
      expect(await everyRowOfB()).toEqual(before)
      expect((await http.get('/api/admin/forwarding').set('Authorization', authB)).body).toMatchObject([{ name: 'bppaud-timur', endpoint: 'https://lrs.timur.example/xapi/' }])
    })
  })
})

/**
 * Which test above covers each route of the app (`listRoutes`, method and full pattern; HEAD goes
 * with GET, `*` is a route for every method). The completeness test fails on a route that is in
 * neither this table nor EXEMPT, so a new route needs an isolation check or a reason.
 */
const COVERAGE: Record<string, readonly string[]> = {
  "credential: statements": ['* /xapi/statements'],
  "credential: State, Activity Profile, Agent Profile, Activities, Agents": ['* /xapi/activities/state', '* /xapi/activities/profile', '* /xapi/agents/profile', '* /xapi/activities', '* /xapi/agents'],
  "credential: export": ['GET /api/export/statements', '* /api/export/statements'],
  "credential: forwarding admin API (and creating with B's name)": ['GET /api/admin/forwarding/', 'POST /api/admin/forwarding/', 'PATCH /api/admin/forwarding/:name', 'DELETE /api/admin/forwarding/:name', 'GET /api/admin/forwarding/:name/dead-letters', 'POST /api/admin/forwarding/:name/dead-letters/retry'],
  "sessions: programs (and creating or importing with B's code)": ['GET /lti/api/programs/', 'GET /lti/api/programs/:id', 'GET /lti/admin/programs/', 'POST /lti/admin/programs/', 'POST /lti/admin/programs/import', 'GET /lti/admin/programs/:id', 'GET /lti/admin/programs/:id/export.json', 'POST /lti/admin/programs/:id',
    'POST /lti/admin/programs/:id/quotas', 'POST /lti/admin/programs/:id/tiers', 'GET /lti/admin/programs/:id/tiers/:tierId', 'POST /lti/admin/programs/:id/tiers/:tierId', 'POST /lti/admin/programs/:id/tiers/:tierId/phases', 'POST /lti/admin/programs/:id/tiers/:tierId/modules',
    'GET /lti/admin/programs/:id/tiers/:tierId/phases/:phaseId', 'POST /lti/admin/programs/:id/tiers/:tierId/phases/:phaseId', 'GET /lti/admin/programs/:id/tiers/:tierId/modules/:moduleId', 'POST /lti/admin/programs/:id/tiers/:tierId/modules/:moduleId'],
  "sessions: task editor and teacher's tasks": ['GET /lti/tasks/admin/', 'POST /lti/tasks/admin/', 'GET /lti/tasks/admin/new', 'GET /lti/tasks/admin/api/tasks', 'GET /lti/tasks/admin/api/tasks/:id', 'GET /lti/tasks/admin/:id', 'POST /lti/tasks/admin/:id',
    'GET /lti/tasks/mine', 'GET /lti/tasks/mine/:taskId', 'POST /lti/tasks/mine/:taskId'],
  "sessions: task assignments, submissions, uploads, grading": ['GET /lti/tasks/:id', 'POST /lti/tasks/:id/file', 'POST /lti/tasks/:id/url', 'POST /lti/tasks/uploads', 'GET /lti/tasks/uploads/:id', 'PUT /lti/tasks/uploads/:id', 'POST /lti/tasks/uploads/:id/complete',
    'GET /lti/tasks/submissions/:id/file', 'GET /lti/grading', 'GET /lti/grading/:id', 'POST /lti/grading/:id'],
  "sessions: CLR": ['GET /badges/clr/:learnerKey'],
  "sessions: mentoring": ['POST /lti/mentoring/uploads', 'GET /lti/mentoring/uploads/:id', 'PUT /lti/mentoring/uploads/:id', 'GET /lti/mentoring/', 'POST /lti/mentoring/relations', 'GET /lti/mentoring/relations/:id', 'POST /lti/mentoring/relations/:id/sessions',
    'GET /lti/mentoring/sessions/:id/share', 'POST /lti/mentoring/sessions/:id/link', 'POST /lti/mentoring/sessions/:id/answer', 'GET /lti/mentoring/sessions/:id/evidence', 'GET /lti/mentoring/verify', 'POST /lti/mentoring/sessions/:id/verify',
    'GET /lti/mentoring/chain', 'GET /lti/mentoring/chain/:person'],
  "sessions: meetings": ['GET /lti/meetings/', 'GET /lti/meetings/check-in', 'POST /lti/meetings/check-in', 'GET /lti/meetings/groups/:id', 'POST /lti/meetings/groups/:id', 'GET /lti/meetings/:id', 'POST /lti/meetings/:id/attendance', 'POST /lti/meetings/:id/attendance/:person/undo'],
  "sessions: observations": ['GET /lti/observations/', 'GET /lti/observations/new', 'GET /lti/observations/instruments/new', 'POST /lti/observations/records', 'GET /lti/observations/records/:id', 'GET /lti/observations/records/:id/correct', 'POST /lti/observations/records/:id/correct'],
  "sessions: classes, grade passbacks, org tree, LTI platforms": ['GET /lti/classes/', 'GET /lti/classes/:id', 'GET /lti/grades/', 'POST /lti/grades/:id/retry', 'GET /lti/org/nodes/:id', 'POST /lti/org/nodes/:id/import/:kind', 'GET /lti/org/import', 'POST /lti/org/import',
    'GET /lti/admin/platforms/', 'POST /lti/admin/platforms/', 'POST /lti/admin/platforms/:id/activate', 'POST /lti/admin/platforms/:id/deactivate', 'POST /lti/admin/platforms/:id/deployments', 'POST /lti/admin/platforms/:id/deployments/remove'],
  "sessions: reports, pages and JSON": ['GET /reports/', 'GET /reports/district', 'GET /reports/mentoring-network', 'GET /reports/kecamatan/:id', 'GET /reports/teacher/:learnerKey', 'GET /reports/teacher/:learnerKey/evidence/:code', 'GET /reports/teacher/:learnerKey/statements/:id',
    'GET /api/reports/district', 'GET /api/reports/mentoring-network', 'GET /api/reports/kecamatan/:id', 'GET /api/reports/teacher/:learnerKey', 'GET /api/reports/teacher/:learnerKey/evidence/:code'],
  "sessions: the signed-in person's own pages": ['GET /lti/home', 'GET /lti/session', 'GET /account'],
}

/** Routes that hold no tenant's data, each with the reason. */
const EXEMPT: Record<string, string> = {
  'GET /healthz': 'liveness: no data',
  'GET /readyz': 'readiness: whether the database answers, no rows',
  'GET /': 'the landing page: static',
  'GET /favicon.ico': 'an empty icon',
  'GET /xapi/about': 'the LRS version and extensions, the same for every tenant (xAPI Communication 2.8)',
  '* /xapi/about': "the LRS's 405 for /about",
  'GET /xapi/profile': 'the TLN xAPI Profile: a public document, the same for every tenant',
  '* /xapi/profile': "the Profile's 405",
  'GET /xapi/profile/v0.1': 'the TLN xAPI Profile version: public',
  '* /xapi/profile/v0.1': "the Profile version's 405",
  'GET /lti/static/:file': "the tool's scripts and styles",
  'GET /lti/meetings/meetings.css': 'a stylesheet',
  'GET /reports/static/reports.css': 'a stylesheet',
  'GET /lti/jwks': "the tool's public keys, the same for every platform (LTI Security Framework §6.3)",
  'GET /lti/config.json': "the tool's LTI configuration: public URLs and scopes",
  'GET /lti/items/:id': 'a catalogue item: the same TLN activities for every tenant, no learner data',
  'GET /lti/login': 'OIDC login initiation: stores a login state for the platform that names itself, shows no data',
  'POST /lti/login': 'OIDC login initiation (form post), as GET',
  'GET /lti/launch/check': "the login's cookie check: the browser's own state",
  'POST /lti/launch': "an LTI launch acts in the tenant of the platform whose key signed the id_token (the registration's, never the request's); it names no other row (test/lti/launch-flow)",
  'POST /lti/deep-linking': "the Deep Linking return to the launching platform: the session's own launch, signed for its platform",
  'POST /lti/continue': "continues the session's own platform-storage login",
  'GET /lti/register': 'Dynamic Registration: stores a pending platform for an operator to approve, reads none',
  'GET /lti/session/handoff/': "redeems a single-use hand-off token for the session that minted it (session-handoff.int.test.ts)",
  'POST /lti/session/handoff/': "mints a hand-off token for the caller's own session",
  'POST /lti/observations/instruments': "creates an instrument in the session's own tenant; names no id",
  'POST /lti/mentoring/settings': "the session's own tenant's mentoring settings; names no id",
  'GET /lti/mentoring/confirm/:token': "a mentee's single-use confirmation link: the token is the capability, whoever holds it, by design",
  'POST /lti/mentoring/confirm/:token': 'the same link, answered',
  'GET /login': 'the sign-in form',
  'POST /login': "signs in by e-mail and password: the account's own tenant",
  'POST /logout': "ends the caller's own session",
  'GET /invite/:token': 'an invitation link: the token is the capability, by design',
  'POST /invite': 'accepts an invitation by its token',
  'POST /badges/clr/verify': 'verifies a CLR the caller presents: reads no stored row',
  'GET /badges/issuer/:tenant': "a tenant's Open Badges issuer profile: public by design, so anyone can verify its badges (OB 3.0 §8)",
  'GET /badges/issuer/:tenant/jwks': "the issuer's public keys: public by design",
  'GET /badges/revocations/:tenant': 'the issuer\'s status list: public by design (Bitstring Status List)',
  'GET /badges/:id/verify': 'a badge\'s verification: public by design, as the badge is its holder\'s to share',
  'GET /badges/:file': "a badge, by its unguessable id: its holder's to share (OB 3.0)",
  'GET /ims/case/v1p0/CFPackages/:id': 'competence framework data: public (CASE 1.0)',
  'GET /ims/case/v1p0/CFItems/:id': 'competence framework data: public (CASE 1.0)',
}
