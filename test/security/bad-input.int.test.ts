import { Writable } from 'node:stream'
import { csrfToken } from '@tln/lti-tool'
import { createApp, createLogger, loadConfig } from '@tln/server'
import type { Express } from 'express'
import request from 'supertest'
import type { Response } from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mountBadges } from '../../apps/server/src/badges.ts'
import { startJourneyServer, type JourneyServer } from '../browser/journey-server.ts'
import { simLaunch } from '../lti/lti-pages-helpers.ts'

/**
 * Issue 5, "bad input on every form and API (missing fields, wrong file type, oversize, another
 * tenant's ids) gets a clear message and changes nothing" (ARCHITECTURE.md invariant "Bad input
 * gets a clear error and changes nothing"). Every state-changing route of the tool — tasks and
 * uploads, grading, mentoring, meetings, observations, the org import (page and API), local
 * accounts, the platforms admin page, grade passback retries, programs, the task and rubric
 * editor, CLR transcripts (`/badges/clr`), resumable mentoring evidence — is sent a missing field, a wrong
 * type, an oversize body or file, an id of another tenant and a form without its CSRF token. Each
 * must answer 4xx with a message that names the field or the rule, and the data tables must hold
 * exactly the rows they held before (a fingerprint of every row, not only counts).
 */
const NRPS = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'
const CUSTOM = 'https://purl.imsglobal.org/spec/lti/claim/custom'
const INSTRUCTOR = { 'https://purl.imsglobal.org/spec/lti/claim/roles': ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'] }
const RPPH_TASK = { [CUSTOM]: { tln_item: 'task-rpph', tln_kind: 'task', tln_task_type: 'RPPH' } }
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82])
const EXE = Buffer.from('MZ'.padEnd(64, '\0'))
const PROGRAMS = '/lti/admin/programs'
const PROGRAM_TIER = { level: 'dasar', nameId: 'Diklat Berjenjang Tingkat Dasar', nameEn: 'Tiered Training, Basic', hours: '48', allModules: 'on', postTestMinPercent: '70', tasksAccepted: 'on', minAttendancePercent: '' }
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)

/** The tables that hold what people did; sessions, throttles and audit logs change on any request and are left out. */
const DATA_TABLES = [
  'tenant', 'org_node', 'person', 'person_grant', 'person_identity', 'local_account', 'account_invitation',
  'lti_platform', 'lti_deployment', 'lti_user', 'task_assignment', 'task_upload', 'task_submission', 'task_grade', 'grade_passback',
  'mentoring_relation', 'mentoring_session', 'mentoring_confirmation', 'mentoring_setting', 'mentoring_upload', 'mentoring_edge',
  'tln_meeting', 'tln_meeting_attendance', 'observation_instrument', 'observation_record', 'performance_task', 'xapi_statement', 'tool_statement_outbox',
  'program', 'program_tier', 'program_phase', 'program_module', 'program_quota', 'competence_config', 'task_rubric_version',
  'badge_issuer', 'badge_issuer_key', 'open_badge', 'privacy_erasure',
]

interface Who { cookie: string; csrf: string }

let s: JourneyServer
/** The server app with the badge routes (`mountBadges`, a server secret: CLRs are signed on request) on the journey's database and sessions. */
let badgeApp: Express
let tables: string[]
const A = {} as { teacher: Who; facilitator: Who; admin: Who; assignment: string; submission: string; upload: string; relation: string; session: string; confirmLink: string; meeting: string; instrument: string; record: string; platform: string; passback: number; courseClass: string; praya: string; district: string; siti: string; program: string; tier: string; phase: string; module: string; task: string; learnerKey: string; evidenceUpload: string }
const B = {} as { teacher: Who; facilitator: Who; admin: Who; person: string; kecamatan: string; district: string }

const who = (sessionId: string): Who => ({ cookie: `tln_session=${sessionId}`, csrf: csrfToken(s.secret, sessionId) })
const form = (w: Who, path: string, fields: Record<string, string | string[]>, options: { csrf?: boolean } = {}) => {
  const body = new URLSearchParams()
  if (options.csrf !== false) body.append('csrf', w.csrf)
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one)
  return request(s.url).post(path).set('cookie', w.cookie).type('form').send(body.toString())
}
const json = (w: Who, method: 'post' | 'put', path: string, body: unknown, options: { csrf?: boolean } = {}) => {
  const r = request(s.url)[method](path).set('cookie', w.cookie)
  if (options.csrf !== false) r.set('x-tln-csrf', w.csrf)
  return r.type('json').send(JSON.stringify(body))
}

/** Every row of the data tables, hashed per table: an insert, update or delete anywhere changes it. */
async function fingerprint(except: readonly string[] = []): Promise<Record<string, string>> {
  // One round trip for every table: the sweep runs this twice per case.
  const sql = tables.filter((t) => !except.includes(t))
    .map((table) => `select '${table}' as name, count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from "${table}" t`).join(' union all ')
  const { rows } = (await s.db.knex.raw(sql)) as { rows: Array<{ name: string; n: number; h: string }> }
  return Object.fromEntries(rows.map((r) => [r.name, `${r.n}:${r.h}`]))
}

/** The response is refused with `status` and its text names the field or rule; nothing stored changed. */
async function refusedAndUnchanged(send: () => Promise<Response>, status: number, says: readonly (string | RegExp)[], options: { transient?: readonly string[] } = {}): Promise<Response> {
  const before = await fingerprint(options.transient)
  const res = await send()
  const text = res.type === 'application/json' ? JSON.stringify(res.body) : res.text
  expect(res.status, text.slice(0, 600)).toBe(status)
  for (const phrase of says) expect(text).toMatch(phrase)
  expect(await fingerprint(options.transient)).toEqual(before)
  return res
}

beforeAll(async () => {
  s = await startJourneyServer('127.0.0.1', { passbackWorker: false })
  const present = (await s.db.knex('information_schema.tables').where({ table_schema: 'public' }).pluck('table_name')) as string[]
  tables = DATA_TABLES.filter((t) => present.includes(t))
  const { org } = s.tool
  const issuer = s.sim.platform.issuer

  // Tenant A (default): Praya with a school, a teacher, a facilitator, an admin.
  const tA = await org.tenantId('default')
  const province = await org.upsertNode(tA, { kind: 'province', code: '52', name: 'Nusa Tenggara Barat' })
  const district = await org.upsertNode(tA, { kind: 'district', code: '52.02', name: 'Kabupaten Lombok Tengah', parentId: province.id })
  const praya = await org.upsertNode(tA, { kind: 'kecamatan', code: '52.02.06', name: 'Praya', parentId: district.id })
  const school = await org.upsertNode(tA, { kind: 'school', code: '99020601', name: 'TK Cahaya Praya', schoolType: 'TK', parentId: praya.id })
  const siti = await org.upsertPerson(tA, { name: 'Siti Rahayu', schoolId: school.id, lti: { issuer, sub: 'user-17' } })
  await org.grant(tA, siti.id, 'teacher', school.id)
  const dewi = await org.upsertPerson(tA, { name: 'Dewi Lestari', lti: { issuer, sub: 'fas-1' } })
  await org.grant(tA, dewi.id, 'facilitator', praya.id)
  Object.assign(A, { praya: praya.id, district: district.id, siti: siti.id })
  A.admin = await directSession(tA, 'https://lms.admin-a.example', 'adm-a', 'Admin A', 'admin', undefined)

  // Tenant B: its own tree and people; its sessions send tenant A's ids.
  const [row] = (await s.db.knex('tenant').insert({ slug: 'lain', name: 'Kabupaten lain' }).returning('id')) as Array<{ id: string }>
  const tB = row!.id
  const pB = await org.upsertNode(tB, { kind: 'province', code: '53', name: 'Nusa Tenggara Timur' })
  const dB = await org.upsertNode(tB, { kind: 'district', code: '53.01', name: 'Kabupaten Lain', parentId: pB.id })
  const kB = await org.upsertNode(tB, { kind: 'kecamatan', code: '53.01.01', name: 'Kecamatan Lain', parentId: dB.id })
  const sB = await org.upsertNode(tB, { kind: 'school', code: '99530101', name: 'TK Lain', schoolType: 'TK', parentId: kB.id })
  Object.assign(B, { kecamatan: kB.id, district: dB.id })
  B.teacher = await directSession(tB, 'https://lms.lain.example', 't-b', 'Guru Lain', 'teacher', { role: 'teacher', node: sB.id, school: sB.id })
  B.facilitator = await directSession(tB, 'https://lms.lain.example', 'f-b', 'Fasilitator Lain', 'facilitator', { role: 'facilitator', node: kB.id })
  B.admin = await directSession(tB, 'https://lms.lain.example', 'a-b', 'Admin Lain', 'admin', undefined)
  B.person = (await org.upsertPerson(tB, { name: 'Rekan Lain', schoolId: sB.id })).id

  // A's teacher launches the RPPH task and submits a photo; a grade's passback job waits in A's queue.
  const t1 = await simLaunch(s.sim, s.url, { sub: 'user-17', name: 'Siti Rahayu' }, { claims: RPPH_TASK, omit: [NRPS] }).catch((error: unknown) => { throw new Error(`${String(error)}; server log: ${JSON.stringify(s.logs().slice(-3))}`) })
  A.teacher = who(t1.session)
  A.assignment = (await s.db.knex('task_assignment').first('id')).id
  await uploadWhole(A.teacher, A.assignment, PNG)
  A.submission = (await s.db.knex('task_submission').where({ assignment_id: A.assignment }).first('id')).id
  // The facilitator's launch carries the NRPS claim: the course roster syncs in the background and makes A's class.
  const f = await simLaunch(s.sim, s.url, { sub: 'fas-1', name: 'Dewi Lestari' }, { claims: { ...RPPH_TASK, ...INSTRUCTOR } })
  A.facilitator = who(f.session)
  for (let i = 0; i < 200 && A.courseClass === undefined; i++) {
    A.courseClass = (await s.db.knex('course_class').first('id'))?.id
    if (A.courseClass === undefined) await new Promise((r) => setTimeout(r, 100))
  }
  const platform = (await s.db.knex('lti_platform').first('id', 'tenant_id')) as { id: string; tenant_id: string }
  A.passback = await s.tool.enqueueScore(s.db.knex, {
    platform: { id: platform.id, tenantId: platform.tenant_id }, target: { lineItemUrl: `${s.sim.origin}/mod/lti/services.php/2/lineitems/1/lineitem` },
    userSub: 'user-17', scoreGiven: 80, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: new Date(), contextId: 'course-1',
  })
  A.upload = (await json(A.teacher, 'post', '/lti/tasks/uploads', { assignment: A.assignment, fileName: 'rpph.pdf', size: 1000 })).body.id as string

  // Mentoring: a relation, a logged session and its confirmation link.
  const rel = await form(A.teacher, '/lti/mentoring/relations', { mentee: 'new', name: 'Rina Wati', start: today() })
  expect(rel.status, rel.text.slice(0, 300)).toBe(303)
  A.relation = rel.headers.location!.split('/').pop()!
  const logged = await request(s.url).post(`/lti/mentoring/relations/${A.relation}/sessions`).set('cookie', A.teacher.cookie).field('csrf', A.teacher.csrf).field('date', today()).field('duration', '60').field('topic', 'RPPH')
  expect(logged.status, logged.text.slice(0, 300)).toBe(303)
  A.session = /sessions\/([^/]+)\/share/.exec(logged.headers.location!)![1]!
  const share = await request(s.url).get(`/lti/mentoring/sessions/${A.session}/share`).set('cookie', A.teacher.cookie)
  A.confirmLink = new URL(/id="tln-link"[^>]*value="([^"]+)"/.exec(share.text)![1]!).pathname
  const evidence = await json(A.teacher, 'post', '/lti/mentoring/uploads', { relation: A.relation, fileName: 'bukti.png', size: 1000 })
  expect(evidence.status, JSON.stringify(evidence.body)).toBe(201)
  A.evidenceUpload = evidence.body.id as string

  // A meeting of Praya, an instrument and a record, an LMS registration.
  const meeting = await form(A.facilitator, `/lti/meetings/groups/${A.praya}`, { kind: 'routine', title: 'Pertemuan rutin Praya', date: today(), time: '09:00', place: 'Gugus Praya' })
  expect(meeting.status, meeting.text.slice(0, 300)).toBe(303)
  A.meeting = meeting.headers.location!.split('/').pop()!
  const instrument = await form(A.admin, '/lti/observations/instruments', { name: 'Observasi kelas', kind: 'observation', top: '4', labels: 'Belum\nMulai\nBerkembang\nMahir', indicators: 'OBS1 | PED.C.2 | Tujuan pembelajaran jelas' })
  expect(instrument.status, instrument.text.slice(0, 600)).toBe(303)
  A.instrument = (await s.db.knex('observation_instrument').first('id')).id
  const record = await form(A.facilitator, '/lti/observations/records', { instrument: A.instrument, teacher: A.siti, date: today(), 'rating.OBS1': '3', notes: '' })
  expect(record.status, record.text.slice(0, 600)).toBe(303)
  A.record = record.headers.location!.split('/').pop()!.split('?')[0]!
  A.platform = (await s.db.knex('lti_platform').first('id')).id

  // A's program with a tier, a phase and a module (issue 5's program admin); the task of A's assignment.
  const program = await form(A.admin, PROGRAMS, { code: 'diklat-2026', nameId: 'Diklat Berjenjang 2026', nameEn: 'Tiered training 2026', active: 'on' })
  expect(program.status, program.text.slice(0, 600)).toBe(303)
  A.program = program.headers.location!.split('?')[0]!.split('/').pop()!
  const tier = await form(A.admin, `${PROGRAMS}/${A.program}/tiers`, PROGRAM_TIER)
  expect(tier.status, tier.text.slice(0, 600)).toBe(303)
  A.tier = tier.headers.location!.split('?')[0]!.split('/').pop()!
  const phase = await form(A.admin, `${PROGRAMS}/${A.program}/tiers/${A.tier}/phases`, { position: '1', code: 'in-service-1', nameId: 'In-Service 1', nameEn: 'In-Service 1', kind: 'in-service', hours: '16' })
  expect(phase.status, phase.text.slice(0, 600)).toBe(303)
  A.phase = (await s.db.knex('program_phase').where({ tier_id: A.tier }).first('id')).id
  const module = await form(A.admin, `${PROGRAMS}/${A.program}/tiers/${A.tier}/modules`, { phase: A.phase, position: '1', code: 'konsep-dasar', nameId: 'Konsep Dasar PAUD', nameEn: 'Foundations of ECE', hours: '6', lmsActivityIds: 'https://elearning.example/mod/7' })
  expect(module.status, module.text.slice(0, 600)).toBe(303)
  A.module = (await s.db.knex('program_module').where({ tier_id: A.tier }).first('id')).id
  A.task = (await s.db.knex('task_assignment').where({ id: A.assignment }).first('task_id')).task_id

  // The CLR routes on the same database and sessions; Siti's xAPI identity makes her a learner of A.
  const config = loadConfig({ TLN_SECRET_KEY: 'bad-input-sweep-secret-0123456789abcdef' })
  const logger = createLogger('warn', new Writable({ write(_chunk, _e, done) { done() } }))
  const badges = mountBadges({ config, knex: s.db.knex, publicUrl: s.url, logger, viewers: { sessions: s.tool.sessions, org: s.tool.org } })
  badgeApp = createApp({ config, db: s.db, logger, lrs: s.lrs, publicUrl: s.url, badges: badges.router })
  A.learnerKey = 'mbox:mailto:siti.rahayu@paud-praya.example'
  await s.db.knex('person_identity').insert({ tenant_id: tA, ifi_key: A.learnerKey, person_id: A.siti })
  await s.db.knex('competence_learner').insert({ tenant_id: tA, learner_key: A.learnerKey, name: 'Siti Rahayu', first_at: '2026-11-01T00:00:00Z', last_at: '2026-11-02T00:00:00Z' })
  await settle()
}, 120_000)

afterAll(async () => {
  await s?.close()
})

/** A session opened directly (the launch itself is covered elsewhere), with a stored grant. */
async function directSession(tenantId: string, issuer: string, sub: string, name: string, role: 'teacher' | 'facilitator' | 'admin', grant: { role: 'teacher' | 'facilitator'; node: string; school?: string } | undefined): Promise<Who> {
  const user = await s.tool.users.upsert({ tenantId, issuer, sub, role, name })
  const person = await s.tool.org.upsertPerson(tenantId, { name, ...(grant?.school !== undefined && { schoolId: grant.school }), lti: { issuer, sub } })
  await s.tool.org.grant(tenantId, person.id, grant?.role ?? 'admin', grant?.node)
  return who(await s.tool.sessions.create(user.id, { issuer, deploymentId: 'd-1', role }, 3_600_000))
}

async function uploadWhole(w: Who, assignment: string, bytes: Buffer): Promise<void> {
  const created = await json(w, 'post', '/lti/tasks/uploads', { assignment, fileName: 'rpph.png', size: bytes.length })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  await request(s.url).put(`/lti/tasks/uploads/${created.body.id}?offset=0`).set('cookie', w.cookie).set('x-tln-csrf', w.csrf).type('application/octet-stream').send(bytes)
  const done = await request(s.url).post(`/lti/tasks/uploads/${created.body.id}/complete`).set('cookie', w.cookie).set('x-tln-csrf', w.csrf)
  expect(done.status, JSON.stringify(done.body)).toBe(200)
}

/** Wait until statements queued by the set-up have been delivered (the fingerprint then holds still). */
async function settle(): Promise<void> {
  let last = JSON.stringify(await fingerprint())
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100))
    const now = JSON.stringify(await fingerprint())
    if (now === last) return
    last = now
  }
}

const CSRF_MESSAGE = /Formulir ini kedaluwarsa|This form expired/
const NOT_FOUND = /tidak ditemukan|not found/

describe('performance tasks and uploads (/lti/tasks, /lti/grading)', () => {
  it('an upload without the CSRF header is refused (403)', () =>
    refusedAndUnchanged(() => json(A.teacher, 'post', '/lti/tasks/uploads', { assignment: A.assignment, fileName: 'x.pdf', size: 10 }, { csrf: false }), 403, [/ERR_TOOL_CSRF/, CSRF_MESSAGE]))
  it('an upload without its size is refused, naming the size', () =>
    refusedAndUnchanged(() => json(A.teacher, 'post', '/lti/tasks/uploads', { assignment: A.assignment, fileName: 'x.pdf' }), 400, [/"detail":"size must be a positive integer"/]))
  it('an upload whose size is not a number is refused, naming the size', () =>
    refusedAndUnchanged(() => json(A.teacher, 'post', '/lti/tasks/uploads', { assignment: A.assignment, fileName: 'x.pdf', size: 'besar' }), 400, [/"detail":"size must be a positive integer"/]))
  it('an upload over 10 MB is refused before any byte (413)', () =>
    refusedAndUnchanged(() => json(A.teacher, 'post', '/lti/tasks/uploads', { assignment: A.assignment, fileName: 'x.pdf', size: 10 * 1024 * 1024 + 1 }), 413, [/10 MB/]))
  it('an upload API call whose body is a form, not JSON, is refused with 415 naming the Content-Type (RFC 9110 §15.5.16)', () =>
    refusedAndUnchanged(() => request(s.url).post('/lti/tasks/uploads').set('cookie', A.teacher.cookie).set('x-tln-csrf', A.teacher.csrf).type('form').send(`assignment=${A.assignment}&fileName=x.pdf&size=10`), 415, [/ERR_TOOL_UNSUPPORTED_MEDIA_TYPE/, /application\/json/]))
  it('an upload API body over 4 KB is refused (413)', () =>
    refusedAndUnchanged(() => json(A.teacher, 'post', '/lti/tasks/uploads', { assignment: A.assignment, fileName: 'x'.repeat(5000), size: 10 }), 413, [/terlalu besar|too large/]))
  it('an upload on another tenant\'s assignment is not found (404)', () =>
    refusedAndUnchanged(() => json(B.teacher, 'post', '/lti/tasks/uploads', { assignment: A.assignment, fileName: 'x.pdf', size: 10 }), 404, [NOT_FOUND]))
  it('a chunk of another tenant\'s upload is not found (404)', () =>
    refusedAndUnchanged(() => request(s.url).put(`/lti/tasks/uploads/${A.upload}?offset=0`).set('cookie', B.teacher.cookie).set('x-tln-csrf', B.teacher.csrf).type('application/octet-stream').send(PNG), 404, [NOT_FOUND]))
  it('completing another tenant\'s upload is not found (404)', () =>
    refusedAndUnchanged(() => request(s.url).post(`/lti/tasks/uploads/${A.upload}/complete`).set('cookie', B.teacher.cookie).set('x-tln-csrf', B.teacher.csrf), 404, [NOT_FOUND]))
  it('a first chunk of a type the task does not take is refused (415); only the pending upload is dropped', async () => {
    const created = await json(A.teacher, 'post', '/lti/tasks/uploads', { assignment: A.assignment, fileName: 'rpph.pdf', size: EXE.length })
    await refusedAndUnchanged(() => request(s.url).put(`/lti/tasks/uploads/${created.body.id}?offset=0`).set('cookie', A.teacher.cookie).set('x-tln-csrf', A.teacher.csrf).type('application/octet-stream').send(EXE),
      415, [/Jenis berkas tidak diterima/], { transient: ['task_upload'] })
    expect(await s.db.knex('task_upload').where({ id: created.body.id })).toEqual([])
  })
  it('the one-post file form without its CSRF token is refused (403)', () =>
    refusedAndUnchanged(() => request(s.url).post(`/lti/tasks/${A.assignment}/file`).set('cookie', A.teacher.cookie).attach('file', PNG, 'rpph.png'), 403, [CSRF_MESSAGE]))
  it('the one-post file form without a file says to choose one (400)', () =>
    refusedAndUnchanged(() => request(s.url).post(`/lti/tasks/${A.assignment}/file`).set('cookie', A.teacher.cookie).field('csrf', A.teacher.csrf), 400, [/Pilih berkas atau foto/]))
  it('the one-post file form with an executable is refused (415)', () =>
    refusedAndUnchanged(() => request(s.url).post(`/lti/tasks/${A.assignment}/file`).set('cookie', A.teacher.cookie).field('csrf', A.teacher.csrf).attach('file', EXE, 'rpph.pdf'), 415, [/Jenis berkas tidak diterima/]))
  it('the link form without its CSRF token is refused (403)', () =>
    refusedAndUnchanged(() => form(A.teacher, `/lti/tasks/${A.assignment}/url`, { url: 'https://blog.example/rpph' }, { csrf: false }), 403, [CSRF_MESSAGE]))
  it('grading without a decision names the choice to make (400)', () =>
    refusedAndUnchanged(() => form(A.facilitator, `/lti/grading/${A.assignment}`, { submission: A.submission, feedback: 'ok' }), 400, [/Pilih (&#34;|")Terima(&#34;|") atau (&#34;|")Kembalikan untuk revisi/]))
  it('accepting without a level on every criterion names the criteria left (400)', () =>
    refusedAndUnchanged(() => form(A.facilitator, `/lti/grading/${A.assignment}`, { submission: A.submission, decision: 'accepted', 'level.rpph-tujuan': '4' }), 400, [/rpph-kegiatan/]))
  it('a level that is not one of the rubric\'s is treated as missing and named (400)', () =>
    refusedAndUnchanged(() => form(A.facilitator, `/lti/grading/${A.assignment}`, { submission: A.submission, decision: 'accepted', 'level.rpph-tujuan': 'sembilan', 'level.rpph-kegiatan': '99', 'level.rpph-media': '4', 'level.rpph-penilaian': '3' }), 400, [/rpph-tujuan/, /rpph-kegiatan/]))
  it('a grading form over 64 KB is refused (413)', () =>
    refusedAndUnchanged(() => form(A.facilitator, `/lti/grading/${A.assignment}`, { submission: A.submission, decision: 'returned', feedback: 'x'.repeat(70_000) }), 413, [/terlalu besar|too large/]))
  it('grading another tenant\'s assignment is not found (404)', () =>
    refusedAndUnchanged(() => form(B.facilitator, `/lti/grading/${A.assignment}`, { submission: A.submission, decision: 'returned', feedback: 'x' }), 404, [NOT_FOUND]))
  it('grading without the CSRF token is refused (403)', () =>
    refusedAndUnchanged(() => form(A.facilitator, `/lti/grading/${A.assignment}`, { submission: A.submission, decision: 'returned', feedback: 'x' }, { csrf: false }), 403, [CSRF_MESSAGE]))
})

describe('peer mentoring (/lti/mentoring)', () => {
  it('an evidence upload call whose body is a form, not JSON, is refused with 415 naming the Content-Type (RFC 9110 §15.5.16)', () =>
    refusedAndUnchanged(() => request(s.url).post('/lti/mentoring/uploads').set('cookie', A.teacher.cookie).set('x-tln-csrf', A.teacher.csrf).type('form').send(`relation=${A.relation}&fileName=bukti.png&size=1000`), 415, [/ERR_TOOL_UNSUPPORTED_MEDIA_TYPE/, /application\/json/]))
  it('adding a colleague without the CSRF token is refused (403)', () =>
    refusedAndUnchanged(() => form(A.teacher, '/lti/mentoring/relations', { mentee: 'new', name: 'Baiq', start: today() }, { csrf: false }), 403, [CSRF_MESSAGE]))
  it('adding a new colleague without a name names the field (400)', () =>
    refusedAndUnchanged(() => form(A.teacher, '/lti/mentoring/relations', { mentee: 'new', name: '', start: today() }), 400, [/tulis nama rekan baru/]))
  it('a phone that is not a number names the field (400)', () =>
    refusedAndUnchanged(() => form(A.teacher, '/lti/mentoring/relations', { mentee: 'new', name: 'Baiq', phone: 'telepon saya', start: today() }), 400, [/Nomor HP hanya angka/]))
  it('another tenant\'s person as the mentee is not found (404)', () =>
    refusedAndUnchanged(() => form(A.teacher, '/lti/mentoring/relations', { mentee: B.person, start: today() }), 404, [NOT_FOUND]))
  it('a session without its length names the duration (400)', () =>
    refusedAndUnchanged(() => form(A.teacher, `/lti/mentoring/relations/${A.relation}/sessions`, { date: today(), topic: 'RPPH' }), 400, [/Isi lama sesi dalam menit/]))
  it('a session length that is not a number names the duration (400)', () =>
    refusedAndUnchanged(() => form(A.teacher, `/lti/mentoring/relations/${A.relation}/sessions`, { date: today(), duration: 'satu jam', topic: 'RPPH' }), 400, [/Isi lama sesi dalam menit/]))
  it('a session dated in the future names the date (400)', () =>
    refusedAndUnchanged(() => form(A.teacher, `/lti/mentoring/relations/${A.relation}/sessions`, { date: '2999-01-01', duration: '60', topic: 'RPPH' }), 400, [/tidak boleh di masa depan/]))
  it('an evidence file that is not a photo or document is refused (415)', () =>
    refusedAndUnchanged(() => request(s.url).post(`/lti/mentoring/relations/${A.relation}/sessions`).set('cookie', A.teacher.cookie).field('csrf', A.teacher.csrf).field('date', today()).field('duration', '60').field('topic', 'RPPH').attach('file', EXE, 'bukti.jpg'), 415, [/file|berkas|Berkas/]))
  it('an evidence body announced over 10 MB is refused before it is read (413)', () =>
    refusedAndUnchanged(() => request(s.url).post(`/lti/mentoring/relations/${A.relation}/sessions`).set('cookie', A.teacher.cookie).set('content-type', 'multipart/form-data; boundary=x').set('content-length', String(11 * 1024 * 1024)).send(Buffer.alloc(1024)).catch((e: { response?: Response }) => e.response!), 413, [/paling besar 10 MB/]))
  it('a session on another tenant\'s relation is not found (404)', () =>
    refusedAndUnchanged(() => form(B.teacher, `/lti/mentoring/relations/${A.relation}/sessions`, { date: today(), duration: '60', topic: 'RPPH' }), 404, [NOT_FOUND]))
  it('a session without the CSRF token is refused (403)', () =>
    refusedAndUnchanged(() => form(A.teacher, `/lti/mentoring/relations/${A.relation}/sessions`, { date: today(), duration: '60', topic: 'RPPH' }, { csrf: false }), 403, [CSRF_MESSAGE]))
  it('a new confirmation link for another tenant\'s session is not found (404)', () =>
    refusedAndUnchanged(() => form(B.teacher, `/lti/mentoring/sessions/${A.session}/link`, {}), 404, [NOT_FOUND]))
  it('the mentee\'s answer without a decision names the choice (400)', () =>
    refusedAndUnchanged(() => request(s.url).post(A.confirmLink).type('form').send('note=halo'), 400, [/Pilih (&#34;|")Benar(&#34;|") atau (&#34;|")Tidak benar/]))
  it('the mentee\'s dispute without a reason names the note (400)', () =>
    refusedAndUnchanged(() => request(s.url).post(A.confirmLink).type('form').send('decision=dispute'), 400, [/Tulis alasannya/]))
  it('verifying without a decision names the choice (400)', () =>
    refusedAndUnchanged(() => form(A.facilitator, `/lti/mentoring/sessions/${A.session}/verify`, { note: 'ok' }), 400, [/Pilih (&#34;|")Verifikasi(&#34;|") atau (&#34;|")Tolak/]))
  it('verifying another tenant\'s session is not found (404)', () =>
    refusedAndUnchanged(() => form(B.facilitator, `/lti/mentoring/sessions/${A.session}/verify`, { decision: 'verify', note: 'ok' }), 404, [NOT_FOUND]))
  it('a challenge window that is not a number names the window (400)', () =>
    refusedAndUnchanged(() => form(A.admin, '/lti/mentoring/settings', { windowDays: 'tujuh' }), 400, [/Jendela tantangan/]))
})

describe('meetings (/lti/meetings)', () => {
  it('scheduling without title, date and time names each field (400)', () =>
    refusedAndUnchanged(() => form(A.facilitator, `/lti/meetings/groups/${A.praya}`, { kind: 'routine' }), 400, [/Tulis judul pertemuan/, /Tulis tanggal yang valid/, /Tulis jam yang valid/]))
  it('a time that is not a time names the field (400)', () =>
    refusedAndUnchanged(() => form(A.facilitator, `/lti/meetings/groups/${A.praya}`, { kind: 'routine', title: 'Rutin', date: today(), time: '25:99' }), 400, [/Tulis jam yang valid/]))
  it('scheduling in another tenant\'s kecamatan is not found (404)', () =>
    refusedAndUnchanged(() => form(A.facilitator, `/lti/meetings/groups/${B.kecamatan}`, { kind: 'routine', title: 'Rutin', date: today(), time: '09:00' }), 404, [NOT_FOUND]))
  it('scheduling without the CSRF token is refused (403)', () =>
    refusedAndUnchanged(() => form(A.facilitator, `/lti/meetings/groups/${A.praya}`, { kind: 'routine', title: 'Rutin', date: today(), time: '09:00' }, { csrf: false }), 403, [CSRF_MESSAGE]))
  it('attendance without a ticked teacher says to tick one (400)', () =>
    refusedAndUnchanged(() => form(A.facilitator, `/lti/meetings/${A.meeting}/attendance`, {}), 400, [/Centang paling sedikit satu guru/]))
  it('attendance for another tenant\'s person is refused, nothing saved (400)', () =>
    refusedAndUnchanged(() => form(A.facilitator, `/lti/meetings/${A.meeting}/attendance`, { person: [A.siti, B.person] }), 400, [/Hanya guru kelompok TLN ini/]))
  it('attendance on another tenant\'s meeting is not found (404)', () =>
    refusedAndUnchanged(() => form(B.facilitator, `/lti/meetings/${A.meeting}/attendance`, { person: A.siti }), 404, [NOT_FOUND]))
  it('undoing attendance on another tenant\'s meeting is not found (404)', () =>
    refusedAndUnchanged(() => form(B.facilitator, `/lti/meetings/${A.meeting}/attendance/${A.siti}/undo`, {}), 404, [NOT_FOUND]))
  it('a check-in without a code says the code is wrong (400)', () =>
    refusedAndUnchanged(() => form(A.teacher, '/lti/meetings/check-in', {}), 400, [/Kode salah/]))
})

describe('observations (/lti/observations)', () => {
  it('an instrument without name, kind, scale and indicators names each field (400)', () =>
    refusedAndUnchanged(() => form(A.admin, '/lti/observations/instruments', {}), 400, [/Tulis nama instrumen/, /Pilih observasi atau wawancara/, /Nilai tertinggi skala/, /indikator/]))
  it('an instrument whose scale top is not a number names the scale (400)', () =>
    refusedAndUnchanged(() => form(A.admin, '/lti/observations/instruments', { name: 'X', kind: 'observation', top: 'empat', labels: 'a', indicators: 'OBS1 | PED.C.2 | x' }), 400, [/Nilai tertinggi skala/]))
  it('an instrument without the CSRF token is refused (403)', () =>
    refusedAndUnchanged(() => form(A.admin, '/lti/observations/instruments', { name: 'X' }, { csrf: false }), 403, [CSRF_MESSAGE]))
  it('a record without teacher and date names both (400)', () =>
    refusedAndUnchanged(() => form(A.facilitator, '/lti/observations/records', { instrument: A.instrument }), 400, [/Pilih guru/, /Tulis tanggal yang valid/]))
  it('a record on another tenant\'s instrument is not found (404)', () =>
    refusedAndUnchanged(() => form(B.facilitator, '/lti/observations/records', { instrument: A.instrument, teacher: A.siti, date: today(), 'rating.OBS1': '3' }), 404, [NOT_FOUND]))
  it('correcting another tenant\'s record is not found (404)', () =>
    refusedAndUnchanged(() => form(B.facilitator, `/lti/observations/records/${A.record}/correct`, { date: today(), 'rating.OBS1': '2' }), 404, [NOT_FOUND]))
})

describe('organisation import (/lti/org)', () => {
  /** The import page's double-submit token: the cookie and the form field. */
  async function importForm(w: Who): Promise<{ cookie: string; csrf: string }> {
    const page = await request(s.url).get(`/lti/org/import?node=${A.district}`).set('cookie', w.cookie)
    const cookie = (page.headers['set-cookie'] as unknown as string[] | undefined ?? []).map((c) => c.split(';')[0]!).join('; ')
    return { cookie: [w.cookie, cookie].filter(Boolean).join('; '), csrf: /name="csrf" value="([^"]+)"/.exec(page.text)![1]! }
  }
  it('an import form without the CSRF token is refused (403)', () =>
    refusedAndUnchanged(() => form(A.admin, '/lti/org/import', { node: A.district, kind: 'schools', csv: 'npsn,name,type,kecamatan\n99020602,TK Baru,TK,Praya\n' }, { csrf: false }), 403, [CSRF_MESSAGE]))
  it('an import form without its kind names the field (400)', async () => {
    const f = await importForm(A.admin)
    await refusedAndUnchanged(() => request(s.url).post('/lti/org/import').set('cookie', f.cookie).type('form').send(new URLSearchParams({ csrf: f.csrf, node: A.district, csv: 'npsn,name,type,kecamatan\n99020602,TK Baru,TK,Praya\n' }).toString()), 400, [/<td>kind<\/td>/, /Pilih jenis data/])
  })
  it('an import form without a CSV names the empty-file rule (400)', async () => {
    const f = await importForm(A.admin)
    await refusedAndUnchanged(() => request(s.url).post('/lti/org/import').set('cookie', f.cookie).type('form').send(new URLSearchParams({ csrf: f.csrf, node: A.district, kind: 'schools' }).toString()), 400, [/empty-file/])
  })
  it('an import with one bad row names the row and its rule, and stores no row (400)', async () => {
    const f = await importForm(A.admin)
    await refusedAndUnchanged(() => request(s.url).post('/lti/org/import').set('cookie', f.cookie).type('form').send(new URLSearchParams({ csrf: f.csrf, node: A.district, kind: 'schools', csv: 'npsn,name,type,kecamatan\n99020602,TK Baru,TK,Praya\n9902,TK Salah,TK,Praya\n' }).toString()), 400, [/npsn-format/, /NPSN harus 8 angka/])
  })
  it('an import under another tenant\'s node is refused (404)', async () => {
    const f = await importForm(A.admin)
    await refusedAndUnchanged(() => request(s.url).post('/lti/org/import').set('cookie', f.cookie).type('form').send(new URLSearchParams({ csrf: f.csrf, node: B.district, kind: 'schools', csv: 'npsn,name,type,kecamatan\n99020602,TK Baru,TK,Praya\n' }).toString()), 404, [NOT_FOUND])
  })
  it('the import API under another tenant\'s node is not found (404)', () =>
    refusedAndUnchanged(() => request(s.url).post(`/lti/org/nodes/${B.district}/import/schools`).set('cookie', A.admin.cookie).type('text/csv').send('npsn,name,type,kecamatan\n99020602,TK Baru,TK,Praya\n'), 404, [/ERR_TOOL_NOT_FOUND/]))
  it('the import API with a bad row answers each problem with its row and rule (400)', () =>
    refusedAndUnchanged(() => request(s.url).post(`/lti/org/nodes/${A.district}/import/schools`).set('cookie', A.admin.cookie).type('text/csv').send('npsn,name,type,kecamatan\n99020602,TK Baru,XX,Praya\n'), 400, [/"row":2/, /"rule"/]))
  it('the import API over 2 MB is refused (413)', () =>
    refusedAndUnchanged(() => request(s.url).post(`/lti/org/nodes/${A.district}/import/schools`).set('cookie', A.admin.cookie).type('text/csv').send(`npsn,name,type,kecamatan\n${'99020602,TK Baru,TK,Praya\n'.repeat(90_000)}`), 413, [/too large|terlalu besar/]))
})

describe('local accounts (/login, /invite)', () => {
  it('a sign-in without the CSRF token is refused (403)', () =>
    refusedAndUnchanged(() => request(s.url).post('/login').type('form').send('email=a%40b.example&password=x'), 403, [CSRF_MESSAGE]))
  it('a sign-in without a password is refused with the sign-in message (401)', async () => {
    const page = await request(s.url).get('/login')
    const cookie = (page.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]!).join('; ')
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1]!
    await refusedAndUnchanged(() => request(s.url).post('/login').set('cookie', cookie).type('form').send(new URLSearchParams({ csrf, email: 'nobody@example.org' }).toString()), 401, [/Email atau kata sandi salah/])
  })
  it('accepting an invitation with a short password names the rule (400)', async () => {
    const tA = await s.tool.org.tenantId('default')
    const invitation = await s.tool.accounts.invite({ tenantId: tA, email: `undangan-${Date.now()}@example.org`, name: 'Undangan', role: 'monitor', nodeId: A.district })
    const token = new URL(invitation.link).pathname.split('/').pop()!
    const page = await request(s.url).get(`/invite/${token}`)
    const cookie = (page.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]!).join('; ')
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1]!
    await refusedAndUnchanged(() => request(s.url).post('/invite').set('cookie', cookie).type('form').send(new URLSearchParams({ csrf, token, password: 'pendek', password2: 'pendek' }).toString()), 400, [/10–200 karakter/])
    await refusedAndUnchanged(() => request(s.url).post('/invite').set('cookie', cookie).type('form').send(new URLSearchParams({ csrf, token, password: 'sandi-rahasia-123', password2: 'sandi-lain-12345' }).toString()), 400, [/Kedua kata sandi tidak sama/])
  })
})

describe('LMS registrations (/lti/admin/platforms)', () => {
  it('a registration without its fields names each required field (400)', () =>
    refusedAndUnchanged(() => form(A.admin, '/lti/admin/platforms', {}), 400, [/Wajib diisi/, /issuer|Platform ID/]))
  it('a registration over plain http names the https rule (400)', () =>
    refusedAndUnchanged(() => form(A.admin, '/lti/admin/platforms', { issuer: 'http://moodle.example.org', clientId: 'c', authorizationEndpoint: 'http://moodle.example.org/auth', tokenEndpoint: 'http://moodle.example.org/token', jwksUri: 'http://moodle.example.org/jwks', deploymentIds: '1' }), 400, [/Harus memakai https/]))
  it('a registration without the CSRF token is refused (403)', () =>
    refusedAndUnchanged(() => form(A.admin, '/lti/admin/platforms', { issuer: 'https://m.example' }, { csrf: false }), 403, [CSRF_MESSAGE]))
  it('a deployment ID with spaces names the rule (400)', () =>
    refusedAndUnchanged(() => form(A.admin, `/lti/admin/platforms/${A.platform}/deployments`, { deploymentId: 'ada spasi' }), 400, [/Deployment ID/]))
  it('activating another tenant\'s registration is not found (404)', () =>
    refusedAndUnchanged(() => form(B.admin, `/lti/admin/platforms/${A.platform}/activate`, {}), 404, [NOT_FOUND]))
  it('adding a deployment to another tenant\'s registration is not found (404)', () =>
    refusedAndUnchanged(() => form(B.admin, `/lti/admin/platforms/${A.platform}/deployments`, { deploymentId: 'd-9' }), 404, [NOT_FOUND]))
})

describe('grade passbacks (/lti/grades)', () => {
  it('retrying another tenant\'s passback is not found (404)', () =>
    refusedAndUnchanged(() => form(B.facilitator, `/lti/grades/${A.passback}/retry`, {}), 404, [NOT_FOUND]))
  it('retrying an id that is not a number is not found (404)', () =>
    refusedAndUnchanged(() => form(A.facilitator, '/lti/grades/satu/retry', {}), 404, [NOT_FOUND]))
  it('a retry without the CSRF token is refused (403)', () =>
    refusedAndUnchanged(() => form(A.facilitator, `/lti/grades/${A.passback}/retry`, {}, { csrf: false }), 403, [CSRF_MESSAGE]))
})

describe('course classes (/lti/classes, read-only)', () => {
  it('another tenant\'s class is not found (404), even for that tenant\'s admin', async () => {
    expect((await request(s.url).get(`/lti/classes/${A.courseClass}`).set('cookie', A.admin.cookie)).status).toBe(200)
    const res = await request(s.url).get(`/lti/classes/${A.courseClass}`).set('cookie', B.admin.cookie)
    expect(res.status).toBe(404)
    expect(res.text).toMatch(NOT_FOUND)
  })
})

describe('programs (/lti/admin/programs)', () => {
  const P = () => `${PROGRAMS}/${A.program}`
  const T = () => `${P()}/tiers/${A.tier}`
  it('a new program without code and names names each field (400)', () =>
    refusedAndUnchanged(() => form(A.admin, PROGRAMS, {}), 400, [/Kode wajib diisi/, /Tulis nama dalam Bahasa Indonesia/, /Tulis nama dalam Bahasa Inggris/]))
  it('a program code with capitals and spaces names the code rule (400)', () =>
    refusedAndUnchanged(() => form(A.admin, PROGRAMS, { code: 'Diklat 2027', nameId: 'Diklat', nameEn: 'Training' }), 400, [/Kode: huruf kecil, angka dan tanda hubung/]))
  it('a code another program of the tenant holds is a conflict named at the code (409)', () =>
    refusedAndUnchanged(() => form(A.admin, PROGRAMS, { code: 'diklat-2026', nameId: 'Lagi', nameEn: 'Again' }), 409, [/sudah dipakai/]))
  it('a program form without the CSRF token is refused (403)', () =>
    refusedAndUnchanged(() => form(A.admin, PROGRAMS, { code: 'tanpa-token', nameId: 'x', nameEn: 'x' }, { csrf: false }), 403, [CSRF_MESSAGE]))
  it('a program form over 256 kB is refused (413)', () =>
    refusedAndUnchanged(() => form(A.admin, PROGRAMS, { code: 'besar', nameId: 'x'.repeat(270_000), nameEn: 'x' }), 413, [/terlalu besar|too large/]))
  it('an import that is not JSON names the document (400)', () =>
    refusedAndUnchanged(() => form(A.admin, `${PROGRAMS}/import`, { document: '{"format": "tln-program/1",' }), 400, [/Bukan JSON yang sah/]))
  it('an import whose fields have the wrong types names each path and rule (400)', () =>
    refusedAndUnchanged(() => form(A.admin, `${PROGRAMS}/import`, { document: JSON.stringify({ format: 'tln-program/1', code: 'impor', name: { id: 'Impor', en: 'Import' }, active: 'ya', tiers: {}, quotas: [] }) }), 400, [/active harus true atau false/, /tiers harus larik/, /quotas harus objek/]))
  it('an import whose quota names another tenant\'s kecamatan code names the quota (400)', () =>
    refusedAndUnchanged(() => form(A.admin, `${PROGRAMS}/import`, { document: JSON.stringify({ format: 'tln-program/1', code: 'impor', name: { id: 'Impor', en: 'Import' }, active: true, tiers: [], quotas: { '53.01.01': 5 } }) }), 400, [/Tidak ada kecamatan berkode 53.01.01/]))
  it('an import whose activity id another program of the tenant holds is a conflict (409)', async () => {
    const { activity_id: taken } = (await s.db.knex('program').where({ id: A.program }).first('activity_id')) as { activity_id: string }
    await refusedAndUnchanged(() => form(A.admin, `${PROGRAMS}/import`, { document: JSON.stringify({ format: 'tln-program/1', code: 'impor', name: { id: 'Impor', en: 'Import' }, active: false, activityId: taken, tiers: [], quotas: {} }) }), 409, [/ID aktivitas dari kode ini sudah dipakai/])
  })
  it('changing another tenant\'s program is not found (404)', () =>
    refusedAndUnchanged(() => form(B.admin, P(), { code: 'dicuri', nameId: 'Dicuri', nameEn: 'Stolen', active: 'on' }), 404, [NOT_FOUND]))
  it('a program id that is not a UUID is not found (404)', () =>
    refusedAndUnchanged(() => form(A.admin, `${PROGRAMS}/satu`, { code: 'satu', nameId: 'Satu', nameEn: 'One' }), 404, [NOT_FOUND]))
  it('a tier whose hours are not a number and whose level is unknown names both (400)', () =>
    refusedAndUnchanged(() => form(A.admin, `${P()}/tiers`, { ...PROGRAM_TIER, level: 'ahli', hours: 'empat puluh' }), 400, [/Pilih jenjang: dasar, lanjut atau mahir/, /Jam pelajaran \(JP\): bilangan bulat 1 sampai 1000/]))
  it('a tier level the program holds already is a conflict (409)', () =>
    refusedAndUnchanged(() => form(A.admin, `${P()}/tiers`, PROGRAM_TIER), 409, [/sudah dipakai/]))
  it('adding a tier to another tenant\'s program is not found (404)', () =>
    refusedAndUnchanged(() => form(B.admin, `${P()}/tiers`, { ...PROGRAM_TIER, level: 'lanjut' }), 404, [NOT_FOUND]))
  it('changing another tenant\'s tier is not found (404)', () =>
    refusedAndUnchanged(() => form(B.admin, T(), PROGRAM_TIER), 404, [NOT_FOUND]))
  it('a phase over the hours left in its tier names the hours (400)', () =>
    refusedAndUnchanged(() => form(A.admin, `${T()}/phases`, { position: '2', code: 'on-the-job', nameId: 'OJL', nameEn: 'OJL', kind: 'on-the-job', hours: '40' }), 400, [/paling banyak 32 JP/]))
  it('a phase of an unknown kind and a position that is not a number names both (400)', () =>
    refusedAndUnchanged(() => form(A.admin, `${T()}/phases`, { position: 'kedua', code: 'ojl', nameId: 'OJL', nameEn: 'OJL', kind: 'daring', hours: '8' }), 400, [/Pilih jenis fase: in-service atau on-the-job/, /Urutan: bilangan bulat 1 sampai 50/]))
  it('changing another tenant\'s phase is not found (404)', () =>
    refusedAndUnchanged(() => form(B.admin, `${T()}/phases/${A.phase}`, { position: '1', code: 'in-service-1', nameId: 'Dicuri', nameEn: 'Stolen', kind: 'in-service', hours: '8' }), 404, [NOT_FOUND]))
  it('a module without a phase of this tier names the phase (400)', () =>
    refusedAndUnchanged(() => form(A.admin, `${T()}/modules`, { phase: B.kecamatan, position: '2', code: 'modul-2', nameId: 'Modul 2', nameEn: 'Module 2', hours: '2' }), 400, [/Pilih fase modul ini/]))
  it('a module whose LMS activity ids are no addresses names the rule (400)', () =>
    refusedAndUnchanged(() => form(A.admin, `${T()}/modules`, { phase: A.phase, position: '2', code: 'modul-2', nameId: 'Modul 2', nameEn: 'Module 2', hours: '2', lmsActivityIds: 'modul tujuh' }), 400, [/Setiap baris harus alamat aktivitas lengkap/]))
  it('changing another tenant\'s module is not found (404)', () =>
    refusedAndUnchanged(() => form(B.admin, `${T()}/modules/${A.module}`, { phase: A.phase, position: '1', code: 'konsep-dasar', nameId: 'Dicuri', nameEn: 'Stolen', hours: '6' }), 404, [NOT_FOUND]))
  it('a quota that is not a whole number names the kecamatan\'s field (400)', () =>
    refusedAndUnchanged(() => form(A.admin, `${P()}/quotas`, { [`quota.${A.praya}`]: 'banyak' }), 400, [/Kuota peserta: bilangan bulat 0 sampai 100000/]))
  it('a quota for another tenant\'s kecamatan is not found, and no quota is stored (404)', () =>
    refusedAndUnchanged(() => form(A.admin, `${P()}/quotas`, { [`quota.${A.praya}`]: '20', [`quota.${B.kecamatan}`]: '10' }), 404, [NOT_FOUND]))
  it('setting quotas on another tenant\'s program is not found (404)', () =>
    refusedAndUnchanged(() => form(B.admin, `${P()}/quotas`, { [`quota.${B.kecamatan}`]: '10' }), 404, [NOT_FOUND]))
})

describe('task and rubric editor (/lti/tasks/admin, /lti/tasks/mine)', () => {
  const RUBRIC = {
    'l0.points': '1', 'l0.label_id': 'Perlu bimbingan', 'l1.points': '4', 'l1.label_id': 'Sangat baik',
    'c0.code': 'tujuan', 'c0.title_id': 'Tujuan', 'c0.indicator': 'PED.C.2', 'c0.weight': '1',
  }
  const TASK = { type: 'RPPH', title_id: 'RPPH tema air', title_en: 'Lesson plan: water', description_id: 'Unggah RPPH.', types: 'application/pdf', max_mb: '5', pass: '75', node: '', ...RUBRIC }
  it('a new task without its fields names each field (400)', () =>
    refusedAndUnchanged(() => form(A.admin, '/lti/tasks/admin', {}), 400, [/Pilih jenis tugas/, /Tulis judul \(paling panjang 200 karakter\)/, /Tulis petunjuk untuk guru/, /Batas lulus: bilangan bulat 1 sampai 100/]))
  it('a pass mark, size and due date that are not numbers or dates name each field (400)', () =>
    refusedAndUnchanged(() => form(A.admin, '/lti/tasks/admin', { ...TASK, pass: 'tujuh puluh', max_mb: 'besar', due: 'besok' }), 400, [/Batas lulus/, /Ukuran berkas paling besar: 0,1 sampai 10 MB/, /Batas waktu: tanggal dan jam/]))
  it('a file type the task type does not take names the types (400)', () =>
    refusedAndUnchanged(() => form(A.admin, '/lti/tasks/admin', { ...TASK, type: 'MEDIA', types: ['image/jpeg', 'application/pdf'] }), 400, [/Jenis tugas ini tidak menerima: application\/pdf/]))
  it('a rubric level whose points are not a number names the level (400)', () =>
    refusedAndUnchanged(() => form(A.admin, '/lti/tasks/admin', { ...TASK, 'l1.points': 'empat' }), 400, [/Poin: bilangan bulat 0 sampai 100/]))
  it('a task for another tenant\'s kecamatan names the node (400)', () =>
    refusedAndUnchanged(() => form(A.admin, '/lti/tasks/admin', { ...TASK, node: B.kecamatan }), 400, [/Pilih kelompok TLN atau wilayah yang menjadi hak Anda/]))
  it('a task form without the CSRF token is refused (403)', () =>
    refusedAndUnchanged(() => form(A.admin, '/lti/tasks/admin', TASK, { csrf: false }), 403, [CSRF_MESSAGE]))
  it('a task form over 64 kB is refused (413)', () =>
    refusedAndUnchanged(() => form(A.admin, '/lti/tasks/admin', { ...TASK, description_id: 'x'.repeat(70_000) }), 413, [/terlalu besar|too large/]))
  it('a teacher has no task editor (403)', () =>
    refusedAndUnchanged(() => form(A.teacher, '/lti/tasks/admin', TASK), 403, [/tidak mencakup halaman ini/]))
  it('changing another tenant\'s task is not found (404)', () =>
    refusedAndUnchanged(() => form(B.admin, `/lti/tasks/admin/${A.task}`, TASK), 404, [NOT_FOUND]))
  it('a task id that is not a UUID is not found (404)', () =>
    refusedAndUnchanged(() => form(A.admin, '/lti/tasks/admin/satu', TASK), 404, [NOT_FOUND]))
  it('the task API for another tenant\'s task is not found, in JSON (404)', () =>
    refusedAndUnchanged(() => request(s.url).get(`/lti/tasks/admin/api/tasks/${A.task}`).set('cookie', B.admin.cookie), 404, [/"code":"ERR_TOOL_NOT_FOUND"/]))
  it('opening another tenant\'s task from "my tasks" is not found, and assigns nothing (404)', async () => {
    // B's first visit seeds B's default tasks; the refused request after it must change nothing.
    expect((await request(s.url).get('/lti/tasks/mine').set('cookie', B.teacher.cookie)).status).toBe(200)
    await refusedAndUnchanged(() => request(s.url).get(`/lti/tasks/mine/${A.task}`).set('cookie', B.teacher.cookie), 404, [NOT_FOUND])
  })
})

describe('CLR 2.0 transcripts (/badges/clr)', () => {
  const verify = (body: string | Buffer, type = 'application/vc+jwt') => request(badgeApp).post('/badges/clr/verify').set('content-type', type).send(body)
  it('a verification without a body names the body (400)', () =>
    refusedAndUnchanged(() => verify(''), 400, [/"code":"ERR_BADGE_INVALID_JWT"/, /"field":"body"/]))
  it('a verification of something that is no VC-JWT names the body (400)', () =>
    refusedAndUnchanged(() => verify('kartu hasil belajar'), 400, [/"code":"ERR_BADGE_INVALID_JWT"/, /"field":"body"/]))
  it('a verification posted as JSON names the media type to use (400)', () =>
    refusedAndUnchanged(() => verify(JSON.stringify({ jwt: 'x' }), 'application/json'), 400, [/Content-Type application\/vc\+jwt/, /"field":"body"/]))
  it('a verification body over 4 MB is refused (413)', () =>
    refusedAndUnchanged(() => verify(`${'a'.repeat(4 * 1024 * 1024 + 10)}`), 413, [/too large|terlalu besar/]))
  it('a CLR of a key that is no xAPI actor key names learnerKey (400)', () =>
    refusedAndUnchanged(() => request(badgeApp).get('/badges/clr/bukan-aktor').set('cookie', A.teacher.cookie), 400, [/"code":"ERR_BADGE_INVALID_ID"/, /"field":"learnerKey"/]))
  it('a CLR without a session names the sign-in (401)', () =>
    refusedAndUnchanged(() => request(badgeApp).get(`/badges/clr/${encodeURIComponent(A.learnerKey)}`), 401, [/"code":"ERR_BADGE_NOT_SIGNED_IN"/]))
  it('a CLR of another tenant\'s learner is not found, even for an admin (404)', async () => {
    // A's admin reaches the learner: her CLR is only empty (no badge, no proficient competence yet).
    expect((await request(badgeApp).get(`/badges/clr/${encodeURIComponent(A.learnerKey)}`).set('cookie', A.admin.cookie)).body.error).toMatchObject({ code: 'ERR_BADGE_CLR_EMPTY' })
    await refusedAndUnchanged(() => request(badgeApp).get(`/badges/clr/${encodeURIComponent(A.learnerKey)}`).set('cookie', B.admin.cookie), 404, [/"code":"ERR_BADGE_NOT_FOUND"/, /"field":"learnerKey"/])
  })
})

describe('mentoring evidence uploads (/lti/mentoring/uploads)', () => {
  const chunk = (w: Who, id: string, offset: string, bytes: Buffer) =>
    request(s.url).put(`/lti/mentoring/uploads/${id}?offset=${offset}`).set('cookie', w.cookie).set('x-tln-csrf', w.csrf).type('application/octet-stream').send(bytes)
  it('an evidence upload without the CSRF header is refused (403)', () =>
    refusedAndUnchanged(() => json(A.teacher, 'post', '/lti/mentoring/uploads', { relation: A.relation, fileName: 'bukti.png', size: 10 }, { csrf: false }), 403, [/ERR_TOOL_CSRF/, CSRF_MESSAGE]))
  it('an evidence upload without its size is refused, naming the size (400)', () =>
    refusedAndUnchanged(() => json(A.teacher, 'post', '/lti/mentoring/uploads', { relation: A.relation, fileName: 'bukti.png' }), 400, [/"detail":"size must be a positive integer"/]))
  it('an evidence upload whose size is not a number is refused, naming the size (400)', () =>
    refusedAndUnchanged(() => json(A.teacher, 'post', '/lti/mentoring/uploads', { relation: A.relation, fileName: 'bukti.png', size: 'besar' }), 400, [/"detail":"size must be a positive integer"/]))
  it('an evidence upload over 10 MB is refused before any byte (413)', () =>
    refusedAndUnchanged(() => json(A.teacher, 'post', '/lti/mentoring/uploads', { relation: A.relation, fileName: 'bukti.png', size: 10 * 1024 * 1024 + 1 }), 413, [/10 MB/]))
  it('an evidence upload API body over 4 KB is refused (413)', () =>
    refusedAndUnchanged(() => json(A.teacher, 'post', '/lti/mentoring/uploads', { relation: A.relation, fileName: 'x'.repeat(5000), size: 10 }), 413, [/terlalu besar|too large/]))
  it('an evidence upload on another tenant\'s relation is not found (404)', () =>
    refusedAndUnchanged(() => json(B.teacher, 'post', '/lti/mentoring/uploads', { relation: A.relation, fileName: 'bukti.png', size: 10 }), 404, [NOT_FOUND]))
  it('a chunk of another tenant\'s evidence upload is not found (404)', () =>
    refusedAndUnchanged(() => chunk(B.teacher, A.evidenceUpload, '0', PNG), 404, [NOT_FOUND]))
  it('an empty chunk is refused, naming the chunk size rule (400)', () =>
    refusedAndUnchanged(() => chunk(A.teacher, A.evidenceUpload, '0', Buffer.alloc(0)), 400, [/"detail":"chunk must be 1 byte to 256 KB"/]))
  it('a chunk whose offset is not a number answers the server\'s offset (409)', () =>
    refusedAndUnchanged(() => chunk(A.teacher, A.evidenceUpload, 'awal', PNG), 409, [/"code":"ERR_TOOL_UPLOAD_OFFSET"/, /"offset":0/]))
  it('a first chunk that is no photo or PDF is refused (415); only that pending upload is dropped', async () => {
    const created = await json(A.teacher, 'post', '/lti/mentoring/uploads', { relation: A.relation, fileName: 'bukti.jpg', size: EXE.length })
    await refusedAndUnchanged(() => chunk(A.teacher, created.body.id as string, '0', EXE), 415, [/Jenis berkas tidak diterima/], { transient: ['mentoring_upload'] })
    expect(await s.db.knex('mentoring_upload').where({ id: created.body.id })).toEqual([])
  })
  it('a session naming another tenant\'s evidence upload is not found (404)', () =>
    refusedAndUnchanged(() => form(B.teacher, `/lti/mentoring/relations/${A.relation}/sessions`, { date: today(), duration: '60', topic: 'RPPH', upload: A.evidenceUpload }), 404, [NOT_FOUND]))
})
