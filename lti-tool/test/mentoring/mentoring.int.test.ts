import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ifiKey, type Agent } from '@tln/xapi'
import { mentoringStatementId, todayWita, windowEnd } from '../../src/index.ts'
import { startOrgServer, type OrgTestServer } from '../org-helpers.ts'
import { ISSUER, schools, signIn, statements, type Signed } from './mentoring-helpers.ts'

/**
 * Peer mentoring end to end on the tool's routes (issue 5, "Peer mentoring"; DOMAIN.md "xAPI
 * statements the tool emits": mentoring session → mentored): relations, sessions and their rules,
 * evidence judged by content, the mentee's confirmation (link or own list), verification by a
 * facilitator of the kecamatan or the school head, chains, tenancy and scope (404), and the
 * statements in the LRS. Every refusal is checked to change nothing.
 */
const MENTORED = 'http://id.tincanapi.com/verb/mentored'
const DAY = 86_400_000
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82])

describe(`peer mentoring on ${testEngine()}`, () => {
  let s: OrgTestServer
  let t: Awaited<ReturnType<typeof schools>>
  let mentor: Signed, rina: Signed, ani: Signed, budi: Signed, dewi: Signed, eko: Signed, head: Signed, stranger: Signed
  let otherPersonId: string
  let relationId: string
  let today: string
  const count = async (table: string) => Number(((await s.db.knex(table).count('* as n')) as Array<{ n: string | number }>)[0]!.n)
  const linkOf = (html: string) => /id="tln-link" readonly value="([^"]+)"/.exec(html)![1]!.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
  const sessionIdOf = (location: string | null) => /\/sessions\/([^/]+)\/share/.exec(location ?? '')![1]!

  beforeAll(async () => {
    s = await startOrgServer()
    t = await schools(s)
    today = todayWita(Date.now())
    mentor = await signIn(s, t.tenantId, { sub: 'user-17', name: 'Siti Rahayu', role: 'teacher', schoolId: t.a.id })
    rina = await signIn(s, t.tenantId, { sub: 'user-18', name: 'Rina Wati', role: 'teacher', schoolId: t.a.id })
    ani = await signIn(s, t.tenantId, { sub: 'user-20', name: 'Ani Suryani', role: 'teacher', schoolId: t.a.id })
    budi = await signIn(s, t.tenantId, { sub: 'user-21', name: 'Budi Santoso', role: 'teacher', schoolId: t.b.id })
    dewi = await signIn(s, t.tenantId, { sub: 'user-19', name: 'Dewi Lestari', role: 'facilitator', grants: [{ role: 'facilitator', nodeId: t.praya.id }] })
    eko = await signIn(s, t.tenantId, { sub: 'user-23', name: 'Eko Prasetyo', role: 'facilitator', grants: [{ role: 'facilitator', nodeId: t.k2.id }] })
    head = await signIn(s, t.tenantId, { sub: 'user-22', name: 'Hj. Fatimah', role: 'teacher', schoolId: t.a.id, grants: [{ role: 'coordinator', nodeId: t.a.id }] })
    await s.db.knex('tenant').insert({ slug: 'other', name: 'Other province' })
    const o = await schools(s, 'other')
    stranger = await signIn(s, o.tenantId, { sub: 'user-99', name: 'Siti (lain)', role: 'teacher', schoolId: o.a.id })
    otherPersonId = (await s.tool.org.upsertPerson(o.tenantId, { name: 'Guru Lain', schoolId: o.a.id })).id
  })
  afterAll(async () => { await s?.close() })

  describe('relations', () => {
    it('records a colleague of the mentor\'s own school picked from the list, with a window of 15 days stored on the relation', async () => {
      const page = await mentor.get('/lti/mentoring')
      expect(page.status).toBe(200)
      expect(page.text).toContain('<html lang="id">')
      expect(page.text).toContain(`<option value="${rina.personId}">Rina Wati</option>`)
      expect(page.text).not.toContain('Budi Santoso')
      expect(page.text).not.toMatch(/<script>/)
      const res = await mentor.post('/lti/mentoring/relations', { mentee: rina.personId })
      expect(res.status).toBe(303)
      relationId = /relations\/([^/]+)$/.exec(res.headers.get('location')!)![1]!
      const row = await s.db.knex('mentoring_relation').where({ id: relationId }).first()
      expect(row).toMatchObject({ mentor_person_id: mentor.personId, mentee_person_id: rina.personId, school_id: t.a.id, window_days: 15 })
      const relation = await mentor.get(`/lti/mentoring/relations/${relationId}`)
      expect(relation.text).toContain(windowEnd(today, 15))
    })

    it('writes person_identity for the mentor and the mentee (the reports name them by IFI key)', async () => {
      const rows = (await s.db.knex('person_identity').where({ tenant_id: t.tenantId }).select('ifi_key', 'person_id')) as Array<{ ifi_key: string; person_id: string }>
      expect(rows).toEqual(expect.arrayContaining([
        { ifi_key: ifiKey({ account: { homePage: ISSUER, name: 'user-17' } } as Agent), person_id: mentor.personId },
        { ifi_key: ifiKey({ account: { homePage: ISSUER, name: 'user-18' } } as Agent), person_id: rina.personId },
      ]))
    })

    it('records a new colleague by name who never launched TLN: a person at the school, with the TLN account as identity', async () => {
      const res = await mentor.post('/lti/mentoring/relations', { mentee: 'new', name: 'Baiq Nurul', phone: '+62 812 3456 7890' })
      expect(res.status).toBe(303)
      const person = await s.db.knex('person').where({ tenant_id: t.tenantId, name: 'Baiq Nurul' }).first()
      expect(person).toMatchObject({ school_id: t.a.id, phone: '+62 812 3456 7890', lti_sub: null })
      expect(await s.db.knex('person_identity').where({ person_id: person.id }).first()).toMatchObject({ ifi_key: `account:${JSON.stringify([s.url, person.id])}` })
    })

    it('uses the tenant\'s configured window for new relations and keeps the old ones as they were', async () => {
      await s.tool.mentoring.setWindowDays(t.tenantId, 10)
      const res = await mentor.post('/lti/mentoring/relations', { mentee: ani.personId })
      const id = /relations\/([^/]+)$/.exec(res.headers.get('location')!)![1]!
      expect((await s.db.knex('mentoring_relation').where({ id }).first()).window_days).toBe(10)
      expect((await s.db.knex('mentoring_relation').where({ id: relationId }).first()).window_days).toBe(15)
      await s.tool.mentoring.setWindowDays(t.tenantId, 15)
    })

    it('lets a tenant admin set the window on the settings form (1..365 days; 400 otherwise, 403 for a teacher)', async () => {
      const admin = await signIn(s, t.tenantId, { sub: 'admin-1', name: 'Admin', role: 'admin' })
      const bad = await admin.post('/lti/mentoring/settings', { windowDays: '0' })
      expect(bad.status).toBe(400)
      expect(bad.text).toContain('data-rule="window-range"')
      expect(await s.tool.mentoring.windowDays(t.tenantId)).toBe(15)
      expect((await mentor.post('/lti/mentoring/settings', { windowDays: '20' })).status).toBe(403)
      expect((await admin.post('/lti/mentoring/settings', { windowDays: '20' })).status).toBe(303)
      expect(await s.tool.mentoring.windowDays(t.tenantId)).toBe(20)
      await s.tool.mentoring.setWindowDays(t.tenantId, 15)
    })

    it('refuses a colleague of another school (400, field mentee, rule mentee-other-school) and changes nothing', async () => {
      const before = await count('mentoring_relation')
      const res = await mentor.post('/lti/mentoring/relations', { mentee: budi.personId })
      expect(res.status).toBe(400)
      expect(res.text).toContain('data-rule="mentee-other-school"')
      expect(res.text).toContain('aria-invalid="true" aria-describedby="err-mentee"')
      expect(await count('mentoring_relation')).toBe(before)
    })

    it('answers another tenant\'s person with 404 and changes nothing', async () => {
      const before = await count('mentoring_relation')
      const res = await mentor.post('/lti/mentoring/relations', { mentee: otherPersonId })
      expect(res.status).toBe(404)
      expect(res.headers.get('x-tln-error')).toBe('ERR_TOOL_NOT_FOUND')
      expect(await count('mentoring_relation')).toBe(before)
    })

    it('refuses a new colleague without a name, a bad phone and a future start, all at once (400), and creates no person', async () => {
      const people = await count('person')
      const res = await mentor.post('/lti/mentoring/relations', { mentee: 'new', name: '', phone: 'abc', start: '2999-01-01' })
      expect(res.status).toBe(400)
      for (const rule of ['name-required', 'phone-format', 'date-in-future']) expect(res.text).toContain(`data-rule="${rule}"`)
      expect(await count('person')).toBe(people)
    })

    it('refuses a form without the session\'s CSRF token (403) and changes nothing', async () => {
      const before = await count('mentoring_relation')
      const res = await mentor.post('/lti/mentoring/relations', { mentee: 'new', name: 'Tanpa Token' }, { csrf: null })
      expect(res.status).toBe(403)
      expect(res.headers.get('x-tln-error')).toBe('ERR_TOOL_CSRF')
      expect(await count('mentoring_relation')).toBe(before)
    })

    it('needs a teacher linked to a school (a facilitator gets 403) and a session (401)', async () => {
      expect((await dewi.post('/lti/mentoring/relations', { mentee: rina.personId })).status).toBe(403)
      expect((await fetch(`${s.url}/lti/mentoring`, { redirect: 'manual' })).status).toBe(401)
    })
  })

  describe('sessions', () => {
    let sessionId: string

    it('logs a session with a photo: 303 to the share page, waiting for confirmation, the mentored statement in the LRS', async () => {
      const res = await mentor.multipart(`/lti/mentoring/relations/${relationId}/sessions`, { date: today, duration: '60', topic: 'RPPH', notes: 'Menyusun RPPH tema air' }, { name: 'sesi.jpg', type: 'image/jpeg', bytes: PNG })
      expect(res.status).toBe(303)
      sessionId = sessionIdOf(res.headers.get('location'))
      const row = await s.db.knex('mentoring_session').where({ id: sessionId }).first()
      expect(row).toMatchObject({ status: 'waiting', duration_minutes: 60, topic_task: 'RPPH', evidence_type: 'image/png', evidence_size: PNG.length, after_window: false, statement_stored: true })
      const [st] = (await statements(s, MENTORED)).filter((x) => x.id === mentoringStatementId('mentored', sessionId))
      expect(st).toMatchObject({
        actor: { account: { homePage: ISSUER, name: 'user-17' } },
        object: { objectType: 'Agent', account: { homePage: ISSUER, name: 'user-18' } },
        result: { completion: true, duration: 'PT60M' },
        context: {
          contextActivities: { parent: [{ id: `${s.url}/lti/mentoring/relations/${relationId}` }], other: [{ id: `${s.url}/lti/tasks/default/task-rpph` }] },
          extensions: { 'https://tln.example/xapi/extensions/npsn': '99020601', 'https://tln.example/xapi/extensions/kecamatan': 'https://tln.example/id/lombok-tengah/kecamatan/praya' },
        },
      })
      expect(st!.authority).toBeDefined()
    })

    it('shows the session with its status on the teacher\'s page, and the evidence to the mentor only (and verifiers in scope)', async () => {
      const page = await mentor.get('/lti/mentoring')
      expect(page.text).toContain(`data-session="${sessionId}"`)
      expect(page.text).toContain('data-status="waiting"')
      const file = await mentor.get(`/lti/mentoring/sessions/${sessionId}/evidence`)
      expect(file.status).toBe(200)
      expect(file.headers.get('content-type')).toBe('image/png')
      expect((await dewi.get(`/lti/mentoring/sessions/${sessionId}/evidence`)).status).toBe(200)
      expect((await eko.get(`/lti/mentoring/sessions/${sessionId}/evidence`)).status).toBe(404)
      expect((await budi.get(`/lti/mentoring/sessions/${sessionId}/evidence`)).status).toBe(404)
    })

    it('refuses a date in the future and a duration out of range with per-field errors (400) and stores nothing', async () => {
      const before = await count('mentoring_session')
      const res = await mentor.multipart(`/lti/mentoring/relations/${relationId}/sessions`, { date: todayWita(Date.now() + 2 * DAY), duration: '481', topic: 'RPPH' })
      expect(res.status).toBe(400)
      expect(res.text).toContain('id="err-date" data-rule="date-in-future"')
      expect(res.text).toContain('id="err-duration" data-rule="duration-range"')
      expect((await mentor.multipart(`/lti/mentoring/relations/${relationId}/sessions`, { date: today, duration: '4', topic: 'RPPH' })).status).toBe(400)
      expect(await count('mentoring_session')).toBe(before)
    })

    it('refuses a date before the relation started (400) and stores nothing', async () => {
      const before = await count('mentoring_session')
      const res = await mentor.multipart(`/lti/mentoring/relations/${relationId}/sessions`, { date: todayWita(Date.now() - 3 * DAY), duration: '30', topic: 'PROTA' })
      expect(res.status).toBe(400)
      expect(res.text).toContain('data-rule="date-before-relation"')
      expect(await count('mentoring_session')).toBe(before)
    })

    it('refuses evidence that is no photo or PDF by its content (415), whatever its name, and stores nothing', async () => {
      const before = await count('mentoring_session')
      const res = await mentor.multipart(`/lti/mentoring/relations/${relationId}/sessions`, { date: today, duration: '30', topic: 'PROTA' }, { name: 'foto.jpg', type: 'image/jpeg', bytes: new TextEncoder().encode('MZ not an image') })
      expect(res.status).toBe(415)
      expect(res.text).toContain('data-rule="file-type"')
      expect(await count('mentoring_session')).toBe(before)
    })

    it('accepts a session after the challenge window and flags it "after the challenge"', async () => {
      const start = todayWita(Date.now() - 20 * DAY)
      const rel = await mentor.post('/lti/mentoring/relations', { mentee: 'new', name: 'Lalu Ahmad', start })
      const id = /relations\/([^/]+)$/.exec(rel.headers.get('location')!)![1]!
      const res = await mentor.multipart(`/lti/mentoring/relations/${id}/sessions`, { date: today, duration: '30', topic: 'OTHER', topicText: 'Media bahan bekas' })
      expect(res.status).toBe(303)
      const sid = sessionIdOf(res.headers.get('location'))
      expect((await s.db.knex('mentoring_session').where({ id: sid }).first()).after_window).toBe(true)
      expect((await mentor.get(`/lti/mentoring/relations/${id}`)).text).toContain('data-flag="after-window"')
      const [st] = (await statements(s, MENTORED)).filter((x) => x.id === mentoringStatementId('mentored', sid))
      expect(st!.context.extensions['https://tln.example/xapi/extensions/after-challenge-window']).toBe(true)
      expect(st!.context.contextActivities.other).toBeUndefined()
    })

    it('does not let a teacher log sessions for another mentor\'s relation, or see it (404), and stores nothing', async () => {
      const before = await count('mentoring_session')
      expect((await ani.multipart(`/lti/mentoring/relations/${relationId}/sessions`, { date: today, duration: '30', topic: 'RPPM' })).status).toBe(404)
      expect((await ani.get(`/lti/mentoring/relations/${relationId}`)).status).toBe(404)
      expect((await ani.get(`/lti/mentoring/sessions/${sessionId}/share`)).status).toBe(404)
      expect(await count('mentoring_session')).toBe(before)
    })

    it('answers another tenant\'s session with its relation id with 404 and stores nothing', async () => {
      const before = await count('mentoring_session')
      expect((await stranger.multipart(`/lti/mentoring/relations/${relationId}/sessions`, { date: today, duration: '30', topic: 'RPPM' })).status).toBe(404)
      expect((await stranger.get(`/lti/mentoring/sessions/${sessionId}/evidence`)).status).toBe(404)
      expect(await count('mentoring_session')).toBe(before)
    })
  })

  describe('confirmation and verification', () => {
    let viaLink: string
    let viaList: string
    let disputed: string

    const log = async (topic: string) => sessionIdOf((await mentor.multipart(`/lti/mentoring/relations/${relationId}/sessions`, { date: today, duration: '45', topic })).headers.get('location'))

    it('the mentee confirms through the shared link without an account; the link works once', async () => {
      viaLink = await log('PROMES')
      const share = await mentor.get(`/lti/mentoring/sessions/${viaLink}/share?logged=1`)
      expect(share.text).toContain('id="tln-whatsapp"')
      const link = linkOf(share.text)
      expect(link.startsWith(`${s.url}/lti/mentoring/confirm/`)).toBe(true)
      // The mentor can open the share page again and gets the same link.
      expect(linkOf((await mentor.get(`/lti/mentoring/sessions/${viaLink}/share`)).text)).toBe(link)
      const page = await fetch(link)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('Siti Rahayu')
      const done = await fetch(link, { method: 'POST', body: new URLSearchParams({ decision: 'confirm' }) })
      expect(done.status).toBe(200)
      expect((await s.db.knex('mentoring_session').where({ id: viaLink }).first()).status).toBe('confirmed')
      const again = await fetch(link, { method: 'POST', body: new URLSearchParams({ decision: 'dispute', note: 'x' }) })
      expect(again.status).toBe(404)
      expect((await s.db.knex('mentoring_session').where({ id: viaLink }).first()).status).toBe('confirmed')
    })

    it('records the mentee\'s confirm as a StatementRef to the mentored statement', async () => {
      const [st] = (await statements(s, 'http://activitystrea.ms/schema/1.0/confirm')).filter((x) => x.id === mentoringStatementId('answer', viaLink))
      expect(st).toMatchObject({ actor: { account: { homePage: ISSUER, name: 'user-18' } }, object: { objectType: 'StatementRef', id: mentoringStatementId('mentored', viaLink) } })
      expect(st!.context.contextActivities.parent[0].id).toBe(`${s.url}/lti/mentoring/relations/${relationId}`)
    })

    it('a dispute needs a note (400, nothing changes), then records deny with it', async () => {
      disputed = await log('RPPM')
      const link = linkOf((await mentor.get(`/lti/mentoring/sessions/${disputed}/share`)).text)
      const bad = await fetch(link, { method: 'POST', body: new URLSearchParams({ decision: 'dispute' }) })
      expect(bad.status).toBe(400)
      expect(await bad.text()).toContain('data-rule="note-required"')
      expect((await s.db.knex('mentoring_session').where({ id: disputed }).first()).status).toBe('waiting')
      expect((await fetch(link, { method: 'POST', body: new URLSearchParams({ decision: 'dispute', note: 'Sesi hanya 20 menit' }) })).status).toBe(200)
      expect((await s.db.knex('mentoring_session').where({ id: disputed }).first())).toMatchObject({ status: 'disputed', mentee_note: 'Sesi hanya 20 menit' })
      expect((await statements(s, 'http://activitystrea.ms/schema/1.0/deny')).map((x) => x.result?.response)).toContain('Sesi hanya 20 menit')
    })

    it('a mentee with a TLN session confirms in their own list; another teacher cannot (404)', async () => {
      viaList = await log('PROTA')
      const list = await rina.get('/lti/mentoring')
      expect(list.text).toContain(`action="/lti/mentoring/sessions/${viaList}/answer"`)
      expect((await ani.post(`/lti/mentoring/sessions/${viaList}/answer`, { decision: 'confirm' })).status).toBe(404)
      expect((await rina.post(`/lti/mentoring/sessions/${viaList}/answer`, { decision: 'confirm' })).status).toBe(303)
      expect((await s.db.knex('mentoring_session').where({ id: viaList }).first()).status).toBe('confirmed')
      expect((await rina.post(`/lti/mentoring/sessions/${viaList}/answer`, { decision: 'confirm' })).status).toBe(409)
    })

    it('shows a facilitator who is no teacher at a school the verification queue, not a teacher\'s form and a warning', async () => {
      const page = await dewi.get('/lti/mentoring')
      expect(page.status).toBe(200)
      expect(page.text).toContain('id="tln-verify-link"')
      expect(page.text).toContain('Sebagai fasilitator')
      expect(page.text).not.toContain('belum terhubung dengan data guru')
      expect(page.text).not.toContain('Rekan yang saya dampingi')
    })

    it('a facilitator of the kecamatan sees the queue and verifies; approve is recorded by the facilitator', async () => {
      const queue = await dewi.get('/lti/mentoring/verify')
      expect(queue.status).toBe(200)
      expect(queue.text).toContain(`data-session="${viaLink}"`)
      expect((await dewi.post(`/lti/mentoring/sessions/${viaLink}/verify`, { decision: 'verify' })).status).toBe(303)
      expect((await s.db.knex('mentoring_session').where({ id: viaLink }).first())).toMatchObject({ status: 'verified', verifier_user_id: dewi.userId, verify_statement_stored: true })
      const [st] = (await statements(s, 'http://activitystrea.ms/schema/1.0/approve')).filter((x) => x.id === mentoringStatementId('verification', viaLink))
      expect(st).toMatchObject({ actor: { account: { homePage: ISSUER, name: 'user-19' } }, object: { objectType: 'StatementRef', id: mentoringStatementId('mentored', viaLink) } })
      expect((await mentor.get('/lti/mentoring')).text).toContain('data-status="verified"')
    })

    it('verifying a session verified already is a conflict (409) and records nothing new', async () => {
      const before = (await statements(s)).length
      expect((await dewi.post(`/lti/mentoring/sessions/${viaLink}/verify`, { decision: 'reject', note: 'x' })).status).toBe(409)
      expect((await s.db.knex('mentoring_session').where({ id: viaLink }).first()).status).toBe('verified')
      expect((await statements(s)).length).toBe(before)
    })

    it('a facilitator outside the kecamatan cannot see or verify the session (404) and nothing changes', async () => {
      expect((await eko.get('/lti/mentoring/verify')).text).not.toContain(`data-session="${viaList}"`)
      expect((await eko.post(`/lti/mentoring/sessions/${viaList}/verify`, { decision: 'verify' })).status).toBe(404)
      expect((await budi.post(`/lti/mentoring/sessions/${viaList}/verify`, { decision: 'verify' })).status).toBe(404)
      expect((await stranger.post(`/lti/mentoring/sessions/${viaList}/verify`, { decision: 'verify' })).status).toBe(404)
      expect((await s.db.knex('mentoring_session').where({ id: viaList }).first()).status).toBe('confirmed')
    })

    it('the school head (coordinator of the school) rejects with a note; a rejection without a note is 400', async () => {
      expect((await head.get('/lti/mentoring/verify')).text).toContain(`data-session="${disputed}"`)
      const bad = await head.post(`/lti/mentoring/sessions/${disputed}/verify`, { decision: 'reject', note: '' })
      expect(bad.status).toBe(400)
      expect(bad.text).toContain('data-rule="note-required"')
      expect((await s.db.knex('mentoring_session').where({ id: disputed }).first()).status).toBe('disputed')
      expect((await head.post(`/lti/mentoring/sessions/${disputed}/verify`, { decision: 'reject', note: 'Rekan menyanggah' })).status).toBe(303)
      expect((await s.db.knex('mentoring_session').where({ id: disputed }).first())).toMatchObject({ status: 'rejected', verification_note: 'Rekan menyanggah' })
      expect((await statements(s, 'http://activitystrea.ms/schema/1.0/reject')).some((x) => x.result?.response === 'Rekan menyanggah')).toBe(true)
    })

    it('an expired link is refused (404) and the session stays waiting', async () => {
      const id = await log('RPPH')
      const link = linkOf((await mentor.get(`/lti/mentoring/sessions/${id}/share`)).text)
      s.advance(8 * DAY)
      try {
        expect((await fetch(link)).status).toBe(404)
        expect((await fetch(link, { method: 'POST', body: new URLSearchParams({ decision: 'confirm' }) })).status).toBe(404)
        expect((await s.db.knex('mentoring_session').where({ id }).first()).status).toBe('waiting')
        // The mentor (signed in again: the old session expired too) gets a new link, which works.
        const again = await s.tool.sessions.create(mentor.userId, { issuer: ISSUER, deploymentId: 'd1', role: 'teacher' }, 3_600_000)
        const share = await fetch(`${s.url}/lti/mentoring/sessions/${id}/share`, { headers: { cookie: `tln_session=${again}` } })
        const fresh = linkOf(await share.text())
        expect(fresh).not.toBe(link)
        expect((await fetch(fresh, { method: 'POST', body: new URLSearchParams({ decision: 'confirm' }) })).status).toBe(200)
      } finally {
        s.advance(-8 * DAY)
      }
    })
  })

  describe('chains', () => {
    it('keeps the chain when a mentee becomes a mentor, and shows its depth', async () => {
      expect((await rina.post('/lti/mentoring/relations', { mentee: 'new', name: 'Nurhayati' })).status).toBe(303)
      const chain = await mentor.get('/lti/mentoring/chain')
      expect(chain.status).toBe(200)
      expect(chain.text).toContain('id="tln-chain-depth">2<')
      expect(chain.text).toMatch(/Rina Wati[^<]*<small>[\s\S]*Nurhayati/)
      const own = await rina.get('/lti/mentoring/chain')
      expect(own.text).toContain('id="tln-chain-depth">1<')
      expect(own.text).toContain('Siti Rahayu')
    })

    it('shows another teacher\'s chain to a facilitator of their kecamatan only (404 otherwise)', async () => {
      expect((await dewi.get(`/lti/mentoring/chain/${mentor.personId}`)).status).toBe(200)
      expect((await eko.get(`/lti/mentoring/chain/${mentor.personId}`)).status).toBe(404)
      expect((await budi.get(`/lti/mentoring/chain/${mentor.personId}`)).status).toBe(404)
      expect((await stranger.get(`/lti/mentoring/chain/${mentor.personId}`)).status).toBe(404)
    })
  })
})
