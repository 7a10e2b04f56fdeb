import { createHash, randomUUID } from 'node:crypto'
import type { Db, Knex } from '@tln/db'
import { testEngine } from '@tln/db/testing'
import { CompetenceEngine } from '@tln/competence'
import { IndexKind, indexKey } from '@tln/lrs'
import { ifiKey } from '@tln/xapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import express from 'express'
import { pino } from 'pino'
import request from 'supertest'
import type TestAgent from 'supertest/lib/agent.js'
import { createTestDb } from '@tln/db/testing'
import { createLrs, type Lrs } from '@tln/lrs'
import { requestRebuild } from '../src/cli/competence-commands.ts'
import { runExport } from '../src/cli/privacy-commands.ts'
import { pruneAudit } from '../src/privacy/audit-retention.ts'
import { erasedHomePage, resolveSubject, tenantOf, type DataSubject } from '../src/privacy/data-subject.ts'
import { erasePerson } from '../src/privacy/erasure.ts'
import { exportPerson, type BundleLine } from '../src/privacy/export.ts'
import { ETRAINING_HOME_PAGE } from '../src/seed/demo-program.ts'
import { seedDemo } from '../src/seed/demo.ts'
import { seedDemoOrg } from '../src/seed/demo-org.ts'

/**
 * Issue 7, privacy (UU 27/2022): export and erasure of one teacher's data over the demo stream,
 * with the teacher also signed in through an LMS and a local account, a submission with its file,
 * mentoring both ways, a meeting, an observation, a grade passback, a State document and an
 * attachment. Erasure is checked by a text search over every row of every table.
 */
const NAME = 'Sri Wahyuni'
const EMAIL = 'sri.wahyuni@paud.example'
const LMS = 'https://lms.example'
const SUB = 'lms-sri-77'
const ETRAINING_ID = 'ptk-003'
const FILE_TEXT = `RPPH minggu 3, disusun oleh ${NAME}`
const PUBLIC_URL = 'http://tln.test'
const V103 = { 'X-Experience-API-Version': '1.0.3' }

/** A multipart/mixed statement request with one attachment (xAPI 1.0.3 Communication 1.5.2). */
function withAttachment(statement: Record<string, unknown>, content: Buffer): { contentType: string; body: Buffer } {
  const sha2 = createHash('sha256').update(content).digest('hex')
  const json = { ...statement, attachments: [{ usageType: 'https://tln.example/attachment-usage/lesson-plan', display: { id: 'RPPH' }, contentType: 'application/pdf', length: content.length, sha2 }] }
  const boundary = 'tln-privacy-test'
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(json)}\r\n--${boundary}\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${sha2}\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return { contentType: `multipart/mixed; boundary=${boundary}`, body }
}

describe(`privacy export and erasure on ${testEngine()}`, () => {
  let t: { db: Db; lrs: Lrs; http: TestAgent; auth: string; credential(tenant: string): Promise<string> }
  let knex: Knex
  let tenant: { id: string; slug: string }
  let otherTenantId: string
  let personId: string
  let menteeId: string
  let mentorOfTargetId: string
  let otherTeacherKey: string
  const engine = () => new CompetenceEngine({ knex })

  const catchUp = async () => {
    const e = engine()
    const started = Date.now()
    // A transaction elsewhere on a shared PostgreSQL server can hold the stream horizon back for a moment.
    for (;;) {
      const applied = await e.catchUp()
      const status = await e.status(tenant.id)
      if (applied === 0 && status.state === 'current') return
      if (Date.now() - started > 120_000) throw new Error('the competence engine did not catch up')
    }
  }
  const subject = (selector: { agent: string } | { personId: string }): Promise<DataSubject> => resolveSubject(knex, tenant, selector, PUBLIC_URL)
  const postStatement = async (statement: object, auth = t.auth) => (await t.http.post('/xapi/statements').set(V103).set('Authorization', auth).send(statement).expect(200)).body as string[]

  beforeAll(async () => {
    const db = await createTestDb()
    const lrs = createLrs({ knex: db.knex, logger: pino({ level: 'silent' }), publicUrl: PUBLIC_URL })
    const app = express()
    app.use('/xapi', lrs.router)
    const credential = async (tenantSlug: string) => {
      const { credential: c, secret } = await lrs.credentials.create({ scopes: ['all'], tenant: tenantSlug })
      return `Basic ${Buffer.from(`${c.key}:${secret}`).toString('base64')}`
    }
    t = { db, lrs, http: request(app), auth: await credential('default'), credential }
    knex = t.db.knex
    await seedDemo(t.lrs)
    await seedDemoOrg(knex)
    tenant = await tenantOf(knex, 'default')
    const person = (id: string) => knex('person').first('id', 'school_id').where({ tenant_id: tenant.id, external_id: id }) as Promise<{ id: string; school_id: string }>
    const target = await person(ETRAINING_ID)
    personId = target.id
    menteeId = (await person('ptk-001')).id
    mentorOfTargetId = (await person('ptk-002')).id
    otherTeacherKey = ifiKey({ account: { homePage: ETRAINING_HOME_PAGE, name: 'ptk-004' } })!

    // The teacher also launches from an LMS, has an e-mail and a local account.
    await knex('person').where({ id: personId }).update({ email: EMAIL, phone: '+62 812 0000 0003', lti_issuer: LMS, lti_sub: SUB })
    await knex('local_account').insert({ tenant_id: tenant.id, person_id: personId, email: EMAIL })
    const platformId = ((await knex('lti_platform').insert({ tenant_id: tenant.id, issuer: LMS, client_id: 'c1', authorization_endpoint: `${LMS}/auth`, token_endpoint: `${LMS}/token`, jwks_uri: `${LMS}/jwks` }).returning('id')) as Array<{ id: string }>)[0]!.id
    const [user] = (await knex('lti_user').insert({ tenant_id: tenant.id, issuer: LMS, sub: SUB, name: NAME, email: EMAIL, role: 'teacher' }).returning('id')) as Array<{ id: string }>
    const [grader] = (await knex('lti_user').insert({ tenant_id: tenant.id, issuer: LMS, sub: 'lms-fas-1', name: 'Fasilitator Satu', role: 'facilitator' }).returning('id')) as Array<{ id: string }>
    await knex('lti_session').insert({ id_hash: 'h-sri', user_id: user!.id, expires_at: new Date(Date.now() + 3_600_000), data: JSON.stringify({ name: NAME }) })
    const taskId = ((await knex('performance_task').insert({ tenant_id: tenant.id, key: 'task-rpph', task_type: 'RPPH', title_id: 'RPPH', title_en: 'Daily plan', rubric: JSON.stringify({ criteria: [] }) }).returning('id')) as Array<{ id: string }>)[0]!.id
    const assignmentId = ((await knex('task_assignment').insert({ tenant_id: tenant.id, task_id: taskId, user_id: user!.id, platform_id: platformId }).returning('id')) as Array<{ id: string }>)[0]!.id
    const submissionId = ((await knex('task_submission').insert({ tenant_id: tenant.id, assignment_id: assignmentId, version: 1, kind: 'file', file_name: 'rpph-sri-wahyuni.pdf', media_type: 'application/pdf', size: FILE_TEXT.length, content: Buffer.from(FILE_TEXT), statement_id: randomUUID() }).returning('id')) as Array<{ id: string }>)[0]!.id
    await knex('task_grade').insert({ tenant_id: tenant.id, submission_id: submissionId, grader_user_id: grader!.id, decision: 'accepted', levels: '{}', feedback: `Bagus, ${NAME}` })
    await knex('grade_passback').insert({ tenant_id: tenant.id, platform_id: platformId, line_item_url: `${LMS}/li/1`, user_sub: SUB, score_given: 80, score_maximum: 100, activity_progress: 'Completed', grading_progress: 'FullyGraded', score_timestamp: new Date(), comment: `Bagus, ${NAME}`, instructor_sub: 'lms-fas-1', instructor_name: 'Fasilitator Satu' })

    // Mentoring both ways: the target mentors ptk-001 and is mentored by ptk-002.
    const relation = async (mentor: string, mentee: string, notes: string) => {
      const id = ((await knex('mentoring_relation').insert({ tenant_id: tenant.id, mentor_person_id: mentor, mentee_person_id: mentee, school_id: target.school_id, window_start: '2026-03-01', window_days: 15 }).returning('id')) as Array<{ id: string }>)[0]!.id
      await knex('mentoring_session').insert({ tenant_id: tenant.id, relation_id: id, session_date: '2026-03-05', duration_minutes: 45, topic_task: 'RPPH', notes, evidence: Buffer.from(`foto ${NAME}`), evidence_type: 'image/jpeg', evidence_name: 'foto.jpg', evidence_size: 10 })
      return id
    }
    await relation(personId, menteeId, `${NAME} menjelaskan RPPH`)
    await relation(mentorOfTargetId, personId, `Mendampingi ${NAME}`)

    // A meeting the target attended (marked by a facilitator), an observation of the target.
    const facilitator = { objectType: 'Agent', name: 'Fasilitator Satu', account: { homePage: LMS, name: 'lms-fas-1' } }
    const kecamatanId = ((await knex('org_node').first('parent_id').where({ id: target.school_id })) as { parent_id: string }).parent_id
    const meetingId = ((await knex('tln_meeting').insert({ tenant_id: tenant.id, kecamatan_id: kecamatanId, kind: 'routine', title: 'Pertemuan rutin', starts_at: new Date('2026-03-14T01:00:00Z'), code: 'ABC123', facilitator: JSON.stringify(facilitator) }).returning('id')) as Array<{ id: string }>)[0]!.id
    await knex('tln_meeting_attendance').insert({ tenant_id: tenant.id, meeting_id: meetingId, person_id: personId, method: 'marked', instructor: JSON.stringify(facilitator) })
    await knex('tln_meeting_attendance').insert({ tenant_id: tenant.id, meeting_id: meetingId, person_id: menteeId, method: 'code', instructor: JSON.stringify(facilitator) })
    const instrumentId = ((await knex('observation_instrument').insert({ tenant_id: tenant.id, name: 'Observasi', kind: 'observation', scale: '[]', indicators: '[]' }).returning('id')) as Array<{ id: string }>)[0]!.id
    await knex('observation_record').insert({ tenant_id: tenant.id, instrument_id: instrumentId, teacher_person_id: personId, monitor: JSON.stringify(facilitator), observed_on: '2026-03-09', ratings: '{}', notes: `${NAME} sudah baik` })

    // A badge issued to the teacher (the credential names them).
    await knex('open_badge').insert({ id: randomUUID(), tenant_id: tenant.id, learner_key: ifiKey({ account: { homePage: ETRAINING_HOME_PAGE, name: ETRAINING_ID } }), achievement: 'https://tln.example/tiers/1', statement_id: randomUUID(), status_index: 9_999,
      credential: JSON.stringify({ type: ['VerifiableCredential', 'OpenBadgeCredential'], name: 'Tingkat 1', credentialSubject: { name: NAME } }), jwt: `header.${NAME}.signature`, issued_at: new Date() })
    // Statements from the LMS identity and the e-mail (with a file attached), a State document.
    const lmsActor = { objectType: 'Agent', name: NAME, account: { homePage: LMS, name: SUB } }
    await postStatement({ actor: lmsActor, verb: { id: 'http://adlnet.gov/expapi/verbs/launched' }, object: { id: 'https://tln.example/lti/rl-1', definition: { name: { und: 'RPPH' } } } })
    // A colleague's statement naming the teacher (object Agent, and in the relation's Bahasa Indonesia title), as the tool writes it.
    await postStatement({
      actor: { objectType: 'Agent', name: 'Siti Aisyah', account: { homePage: ETRAINING_HOME_PAGE, name: 'ptk-002' } },
      verb: { id: 'http://id.tincanapi.com/verb/mentored', display: { 'en-US': 'mentored', id: 'mendampingi' } },
      object: lmsActor,
      context: { contextActivities: { parent: [{ id: 'https://tln.example/lti/mentoring/relations/r-1', definition: { type: 'https://tln.example/xapi/activitytypes/mentoring-relation', name: { id: `Pendampingan sejawat: ${NAME}`, 'en-US': `Peer mentoring: ${NAME}` } } }] } },
    })
    const file = Buffer.from(FILE_TEXT)
    const { contentType, body } = withAttachment({ actor: { objectType: 'Agent', name: 'Sri W.', mbox: `mailto:${EMAIL}` }, verb: { id: 'http://activitystrea.ms/schema/1.0/submit' }, object: { id: 'https://tln.example/lti/tasks/default/task-rpph' } }, file)
    await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).set('Content-Type', contentType).send(body).expect(200)
    await t.http.put('/xapi/activities/state').query({ activityId: 'https://tln.example/lti/tasks/default/task-rpph', agent: JSON.stringify({ mbox: `mailto:${EMAIL}` }), stateId: 'draft' })
      .set(V103).set('Authorization', t.auth).set('Content-Type', 'application/json').send({ draft: `Catatan ${NAME}` }).expect(204)
    // A read that names the teacher: an access audit row.
    await t.http.get('/xapi/statements').query({ agent: JSON.stringify({ account: { homePage: ETRAINING_HOME_PAGE, name: ETRAINING_ID } }) }).set(V103).set('Authorization', t.auth).expect(200)

    // Another tenant holds a statement of someone with the same e-mail address: not theirs to erase.
    await knex('tenant').insert({ slug: 'lain', name: 'Lain' })
    otherTenantId = ((await knex('tenant').first('id').where({ slug: 'lain' })) as { id: string }).id
    await postStatement({ actor: { objectType: 'Agent', name: NAME, mbox: `mailto:${EMAIL}` }, verb: { id: 'http://adlnet.gov/expapi/verbs/completed' }, object: { id: 'https://lain.example/a' } }, await t.credential('lain'))
    await catchUp()
  }, 300_000)
  afterAll(async () => {
    await t?.db.close()
  })

  /** Rows of any table whose text (bytea as hex too) contains `term`, outside the tenant `allowedTenant`. */
  const rowsContaining = async (term: string, allowedTenant?: string): Promise<string[]> => {
    const tables = ((await knex.raw(`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`)).rows as Array<{ table_name: string }>).map((r) => r.table_name)
    const hex = Buffer.from(term).toString('hex')
    const found: string[] = []
    for (const table of tables) {
      const hasTenant = ((await knex.raw(`select 1 from information_schema.columns where table_schema = current_schema() and table_name = ? and column_name = 'tenant_id'`, [table])).rows as unknown[]).length > 0
      const rows = (await knex.raw(
        `select t::text as row from "${table}" t where (position(lower(?) in lower(t::text)) > 0 or position(? in lower(t::text)) > 0)${hasTenant && allowedTenant !== undefined ? ' and t.tenant_id <> ?' : ''}`,
        [term, hex, ...(hasTenant && allowedTenant !== undefined ? [allowedTenant] : [])],
      )).rows as Array<{ row: string }>
      for (const r of rows) found.push(`${table}: ${r.row.slice(0, 300)}`)
    }
    return found
  }
  const projections = async () => ({
    learners: await knex('competence_learner').select('learner_key', 'name', 'npsn', 'kecamatan_iri', 'first_at', 'last_at').where({ tenant_id: tenant.id }).orderBy('learner_key'),
    ratings: await knex('competence_rating').select('learner_key', 'code', 'level', 'rating', 'proficient', 'method', 'evidence').where({ tenant_id: tenant.id }).orderBy(['learner_key', 'code']),
    evidence: await knex('competence_evidence').select('statement_id', 'indicator', 'learner_key', 'score', 'voided').where({ tenant_id: tenant.id }).orderBy(['statement_id', 'indicator']),
    facts: await knex('learning_fact').select('statement_id', 'learner_key', 'kind', 'object_id', 'object_name', 'parent_id', 'related_key', 'voided').where({ tenant_id: tenant.id }).orderBy('statement_id'),
    months: await knex('learner_month').select('learner_key', 'month', 'statements').where({ tenant_id: tenant.id }).orderBy(['learner_key', 'month']),
    stages: await knex('learner_stage').select('learner_key', 'stage', 'object_id', 'facts').where({ tenant_id: tenant.id }).orderBy(['learner_key', 'stage', 'object_id']),
    placement: await knex('learner_placement').select('learner_key', 'school_id', 'kecamatan_id').where({ tenant_id: tenant.id }).orderBy('learner_key'),
  })
  const statementsOf = async (key: string) => (await knex.raw(
    `select s.statement::text as text from xapi_statement s join xapi_statement_index i on i.tenant_id = s.tenant_id and i.seq = s.seq where s.tenant_id = ? and i.kind = 1 and i.key = ?::uuid order by s.seq`,
    [tenant.id, indexKey(IndexKind.agent, key)],
  )).rows as Array<{ text: string }>

  it('finds the person from any of their identities, and every identity from the person (issue 7)', async () => {
    const byPerson = await subject({ personId })
    const byMail = await subject({ agent: JSON.stringify({ mbox: `mailto:${EMAIL}` }) })
    const byLms = await subject({ agent: JSON.stringify({ account: { homePage: LMS, name: SUB } }) })
    const byEtraining = await subject({ agent: JSON.stringify({ account: { homePage: ETRAINING_HOME_PAGE, name: ETRAINING_ID } }) })
    for (const s of [byMail, byLms, byEtraining]) expect(s.personIds).toEqual([personId])
    expect(byPerson.ifiKeys).toEqual(expect.arrayContaining([
      ifiKey({ mbox: `mailto:${EMAIL}` }), ifiKey({ account: { homePage: LMS, name: SUB } }), ifiKey({ account: { homePage: ETRAINING_HOME_PAGE, name: ETRAINING_ID } }), ifiKey({ account: { homePage: PUBLIC_URL, name: personId } }),
    ]))
    expect(byPerson.ltiUserIds).toHaveLength(1)
  })

  it('exports everything about the person as NDJSON, files included, never a password hash, and audits the export (issue 7)', async () => {
    const s = await subject({ personId })
    const lines: BundleLine[] = []
    const count = await exportPerson(knex, s, (line) => {
      lines.push(line)
    })
    expect(count).toBe(lines.length)
    const types = new Set(lines.map((l) => l.type))
    for (const type of ['subject', 'statement', 'attachment', 'state-document', 'person', 'local-account', 'lti-user', 'task-submission', 'task-grade', 'mentoring-relation', 'mentoring-session', 'meeting-attendance', 'observation', 'competence-learner', 'access-audit']) expect(types).toContain(type)
    const demoStatements = (await statementsOf(ifiKey({ account: { homePage: ETRAINING_HOME_PAGE, name: ETRAINING_ID } })!)).length
    expect(lines.filter((l) => l.type === 'statement').length).toBeGreaterThanOrEqual(demoStatements + 2)
    const submission = lines.find((l) => l.type === 'task-submission')!
    expect(Buffer.from(submission['content'] as string, 'base64').toString()).toBe(FILE_TEXT)
    expect(JSON.stringify(lines)).not.toContain('password_hash')

    const out: string[] = []
    await runExport(knex, s, { operator: 'op-test', selector: { personId }, output: { out: (text) => out.push(text), err: () => {} } })
    expect(out.length).toBe(lines.length)
    const audit = (await knex('access_audit').where({ tenant_id: tenant.id, resource: 'privacy-export' })) as Array<{ actor_kind: string; actor_id: string; records: number }>
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor_kind: 'operator', actor_id: 'op-test', records: lines.length })
  }, 60_000)

  it('a dry run counts what an erasure would change and changes nothing (issue 7)', async () => {
    const before = await rowsContaining(NAME, otherTenantId)
    expect(before.length).toBeGreaterThan(10) // the search finds the person before the erasure
    const report = await erasePerson(knex, await subject({ personId }), { publicUrl: PUBLIC_URL, operator: 'op-test', dryRun: true })
    expect(report.dryRun).toBe(true)
    expect(report.found).toBe(true)
    expect(report.counts.statementsRewritten).toBeGreaterThan(2)
    expect(report.counts.documentsDeleted).toBe(1)
    expect(report.counts.attachmentsDeleted).toBe(1)
    expect(await rowsContaining(NAME, otherTenantId)).toEqual(before)
    expect(Number(((await knex('privacy_erasure').count('* as n').first()) as { n: string }).n)).toBe(0)
  }, 60_000)

  describe('erasure', () => {
    let before: Awaited<ReturnType<typeof projections>>
    let otherTeacherStatements: Array<{ text: string }>
    let otherTenantRows: unknown[]
    let learnersBefore: number

    beforeAll(async () => {
      before = await projections()
      learnersBefore = before.learners.length
      otherTeacherStatements = await statementsOf(otherTeacherKey)
      otherTenantRows = await knex('xapi_statement').select('statement').where({ tenant_id: otherTenantId })
      // The engine's record of a statement it skipped keeps the database's message, which can quote a value of it.
      const own = (await knex('xapi_statement').first('id', 'txid', 'seq').where({ tenant_id: tenant.id }).whereRaw('statement::text like ?', [`%${NAME}%`])) as { id: string; txid: string; seq: string }
      await knex('competence_skipped_statement').insert({ tenant_id: tenant.id, statement_id: own.id, txid: own.txid, seq: own.seq, reason_code: '22P02', reason: `invalid input syntax: "${NAME}"` })
      const started = performance.now()
      const report = await erasePerson(knex, await subject({ agent: JSON.stringify({ account: { homePage: ETRAINING_HOME_PAGE, name: ETRAINING_ID } }) }), { publicUrl: PUBLIC_URL, operator: 'op-test', dryRun: false })
      console.log(`[privacy ${testEngine()}] erased one demo teacher in ${Math.round(performance.now() - started)} ms: ${JSON.stringify(report.counts)}`)
      expect(report.found).toBe(true)
      expect(report.counts.personsEmptied).toBe(1)
    }, 120_000)

    it('leaves no row of any table holding the name, e-mail address or LMS account of the person (issue 7)', async () => {
      for (const term of [NAME, EMAIL, SUB, 'Sri W.', '+62 812 0000 0003']) expect(await rowsContaining(term, otherTenantId), term).toEqual([])
      // The e-training account id stays only inside Activity IRIs the e-training app built (docs/privacy.md, "Limits").
      const left = await rowsContaining(ETRAINING_ID, otherTenantId)
      for (const row of left) expect(row.replaceAll(`/${ETRAINING_ID}/`, '/'), row).not.toContain(ETRAINING_ID)
    }, 120_000)

    it('writes one erasure record without personal data; a second run finds nothing, by agent or by person (issue 7)', async () => {
      const records = (await knex('privacy_erasure').select('*')) as Array<{ operator: string; person_id: string; counts: Record<string, number> }>
      expect(records).toHaveLength(1)
      expect(records[0]).toMatchObject({ operator: 'op-test', person_id: personId })
      for (const selector of [{ personId }, { agent: JSON.stringify({ mbox: `mailto:${EMAIL}` }) }, { agent: JSON.stringify({ account: { homePage: ETRAINING_HOME_PAGE, name: ETRAINING_ID } }) }]) {
        const again = await erasePerson(knex, await subject(selector), { publicUrl: PUBLIC_URL, operator: 'op-test', dryRun: false })
        expect(again.found, JSON.stringify(selector)).toBe(false)
      }
      expect(Number(((await knex('privacy_erasure').count('* as n').first()) as { n: string }).n)).toBe(1)
    }, 60_000)

    it('revokes the person\'s badges and empties them, keeping the status-list index revoked (Open Badges 3.0 revocation)', async () => {
      const badge = (await knex('open_badge').first('*').where({ status_index: 9_999 })) as { revoked_at: Date | null; jwt: string; learner_key: string; credential: { name: string } }
      expect(badge.revoked_at).not.toBeNull()
      expect(badge.jwt).toBe('')
      expect(badge.credential.name).toBe('Tingkat 1')
      expect(badge.learner_key.startsWith(`account:${JSON.stringify([erasedHomePage(PUBLIC_URL, 'default')]).slice(0, -1)},`)).toBe(true)
    })

    it('GET /xapi/statements?agent=<any old identity> finds nothing (xAPI 1.0.3 Communication 2.1.3)', async () => {
      // (These reads name the old identities, so they are audited like any read: a later erase run pseudonymises those rows too.)
      for (const agent of [{ mbox: `mailto:${EMAIL}` }, { account: { homePage: LMS, name: SUB } }, { account: { homePage: ETRAINING_HOME_PAGE, name: ETRAINING_ID } }]) {
        const res = await t.http.get('/xapi/statements').query({ agent: JSON.stringify(agent), related_agents: 'true' }).set(V103).set('Authorization', t.auth).expect(200)
        expect(res.body.statements, JSON.stringify(agent)).toEqual([])
      }
      const state = await t.http.get('/xapi/activities/state').query({ activityId: 'https://tln.example/lti/tasks/default/task-rpph', agent: JSON.stringify({ mbox: `mailto:${EMAIL}` }), stateId: 'draft' }).set(V103).set('Authorization', t.auth)
      expect(state.status).toBe(404)
    })

    it('keeps the statements under pseudonymous accounts without a name, findable by the pseudonym', async () => {
      const pseudonym = ((await knex('privacy_erasure').first('pseudonyms')) as { pseudonyms: string[] }).pseudonyms
      const homePage = erasedHomePage(PUBLIC_URL, 'default')
      type Agentish = { name?: string; account?: { homePage: string } }
      const found = await Promise.all(pseudonym.map(async (name) => (await t.http.get('/xapi/statements').query({ agent: JSON.stringify({ account: { homePage, name } }), limit: '1000' }).set(V103).set('Authorization', t.auth).expect(200)).body.statements as Array<{ actor: Agentish; object: Agentish }>))
      const all = found.flat()
      expect(all.length).toBeGreaterThan(2)
      const pseudonymous = all.flatMap((s) => [s.actor, s.object]).filter((a) => a.account?.homePage === homePage)
      expect(pseudonymous.length).toBe(all.length)
      for (const a of pseudonymous) expect(a.name).toBeUndefined()
    })

    it('keeps the statements findable by the pseudonym with their verb, and not by an old identity with it (xAPI 1.0.3 Communication 2.1.3)', async () => {
      const pseudonym = ((await knex('privacy_erasure').first('pseudonyms')) as { pseudonyms: string[] }).pseudonyms
      const homePage = erasedHomePage(PUBLIC_URL, 'default')
      const get = async (query: Record<string, string>) => (await t.http.get('/xapi/statements').query({ ...query, limit: '1000' }).set(V103).set('Authorization', t.auth).expect(200)).body.statements as Array<{ id: string; verb: { id: string } }>
      let checked = 0
      for (const name of pseudonym) {
        const agent = JSON.stringify({ account: { homePage, name } })
        const all = await get({ agent })
        for (const verb of new Set(all.map((s) => s.verb.id))) {
          const withVerb = (await get({ agent, verb })).map((s) => s.id)
          expect(withVerb).toEqual(expect.arrayContaining(all.filter((s) => s.verb.id === verb).map((s) => s.id)))
          for (const id of withVerb) expect(all.map((s) => s.id)).toContain(id)
          for (const old of [{ mbox: `mailto:${EMAIL}` }, { account: { homePage: ETRAINING_HOME_PAGE, name: ETRAINING_ID } }]) {
            expect(await get({ agent: JSON.stringify(old), verb }), verb).toEqual([])
          }
          checked++
        }
      }
      expect(checked).toBeGreaterThan(0)
    })

    it('leaves another teacher and another tenant untouched', async () => {
      expect(await statementsOf(otherTeacherKey)).toEqual(otherTeacherStatements)
      expect(await knex('xapi_statement').select('statement').where({ tenant_id: otherTenantId })).toEqual(otherTenantRows)
      const after = await projections()
      const of = (rows: Array<Record<string, unknown>>) => rows.filter((r) => r['learner_key'] === otherTeacherKey)
      expect(of(after.ratings)).toEqual(of(before.ratings))
      expect(of(after.facts)).toEqual(of(before.facts))
      // The colleagues' mentoring relations and sessions stay, with the tombstone in place of the person.
      expect(Number(((await knex('mentoring_relation').whereIn('mentor_person_id', [personId, mentorOfTargetId]).count('* as n').first()) as { n: string }).n)).toBe(2)
      expect(Number(((await knex('tln_meeting_attendance').where({ person_id: menteeId }).count('* as n').first()) as { n: string }).n)).toBe(1)
    })

    it('keeps counting the anonymous learner in the reports, exactly as a rebuild from the rewritten stream does', async () => {
      const after = await projections()
      expect(after.learners).toHaveLength(learnersBefore)
      expect(after.ratings).toHaveLength(before.ratings.length)
      expect(after.facts).toHaveLength(before.facts.length)
      expect(after.placement.filter((p) => p['school_id'] !== null)).toHaveLength(before.placement.filter((p) => p['school_id'] !== null).length)
      await requestRebuild(knex, tenant.id)
      await catchUp()
      expect(await projections()).toEqual(after)
    }, 180_000)

  })

  it('prunes access and export audit rows past the retention period, and nothing newer (issue 7)', async () => {
    const old = new Date(Date.now() - 400 * 86_400_000)
    await knex('access_audit').insert({ tenant_id: tenant.id, at: old, actor_kind: 'credential', actor_id: 'x', actor_label: 'x', resource: 'statements', agent_ifi: 'mbox:mailto:old@paud.example', query: '{}', records: 1 })
    await knex('export_audit').insert({ tenant_id: tenant.id, credential_key: 'k', started_at: old, finished_at: old, format: 'ndjson', filters: '{}', rows: 3, completed: true })
    const recent = Number(((await knex('access_audit').where('at', '>=', new Date(Date.now() - 365 * 86_400_000)).count('* as n').first()) as { n: string }).n)
    expect(await pruneAudit(knex, 365, { dryRun: true })).toEqual({ accessAudit: 1, exportAudit: 1 })
    expect(await pruneAudit(knex, 365)).toEqual({ accessAudit: 1, exportAudit: 1 })
    expect(await pruneAudit(knex, 365)).toEqual({ accessAudit: 0, exportAudit: 0 })
    expect(Number(((await knex('access_audit').count('* as n').first()) as { n: string }).n)).toBe(recent)
  })
})
