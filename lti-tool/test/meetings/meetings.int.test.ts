import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ifiKey, type Agent } from '@tln/xapi'
import { attendedStatementId, CHECK_IN_LIMITS } from '../../src/index.ts'
import { Browser, startOrgServer, type OrgTestServer } from '../org-helpers.ts'
import { csrfOf, meetingTree, signInAs, statementsOf } from './meeting-helpers.ts'

/** `YYYY-MM-DD` and `HH:MM` in Lombok time (WITA, UTC+8) of an instant. */
function wita(at: number): { date: string; time: string } {
  const iso = new Date(at + 8 * 3_600_000).toISOString()
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) }
}

/**
 * Meetings and attendance (issue 5, "Meetings and evaluations"): scheduling per TLN group,
 * attendance marked by the facilitator or checked in with a short code, undo by a voiding
 * statement (xAPI 1.0.3 Data 2.3.2), and access on every route. On PGlite and PostgreSQL.
 */
describe(`meetings and attendance on ${testEngine()}`, () => {
  let s: OrgTestServer
  let tree: Awaited<ReturnType<typeof meetingTree>>
  let other: Awaited<ReturnType<typeof meetingTree>>
  let facilitator: Browser
  let teacher: { browser: Browser; personId: string }
  let teacher2: { browser: Browser; personId: string }
  let selongTeacher: { browser: Browser; personId: string }
  let selongFacilitator: Browser
  let meetingId: string

  /** Schedule a meeting through the form; returns its id. */
  async function schedule(b: Browser, groupId: string, startsAt: number, title = 'Pertemuan rutin TLN Praya'): Promise<string> {
    const page = await b.request(`/lti/meetings/groups/${groupId}`)
    expect(page.status).toBe(200)
    const res = await b.request(`/lti/meetings/groups/${groupId}`, { form: { csrf: csrfOf(page.text), kind: 'routine', title, ...wita(startsAt), place: 'TK Cahaya' } })
    expect(res.status).toBe(303)
    return res.headers.get('location')!.split('/').pop()!
  }
  async function checkIn(b: Browser, code: string) {
    const page = await b.request('/lti/meetings/check-in')
    return b.request('/lti/meetings/check-in', { form: { csrf: csrfOf(page.text), code } })
  }
  const codeOf = async (id: string) => ((await s.db.knex('tln_meeting').where({ id }).first('code')) as { code: string }).code
  const attendanceRows = async () => s.db.knex('tln_meeting_attendance').select('person_id', 'revision', 'voided', 'statement_stored').orderBy('person_id')

  beforeAll(async () => {
    s = await startOrgServer()
    tree = await meetingTree(s)
    await s.db.knex('tenant').insert({ slug: 'other', name: 'Other province' })
    other = await meetingTree(s, 'other')
    facilitator = (await signInAs(s, tree.tenantId, { email: 'fasil@example.org', name: 'Dewi Fasilitator', role: 'facilitator', nodeId: tree.praya.id })).browser
    selongFacilitator = (await signInAs(s, tree.tenantId, { email: 'fasil2@example.org', name: 'Fasilitator Selong', role: 'facilitator', nodeId: tree.k2.id })).browser
    teacher = await signInAs(s, tree.tenantId, { email: 'siti@example.org', name: 'Siti Aminah', role: 'teacher', nodeId: tree.school.id, schoolId: tree.school.id })
    teacher2 = await signInAs(s, tree.tenantId, { email: 'rina@example.org', name: 'Rina', role: 'teacher', nodeId: tree.school.id, schoolId: tree.school.id })
    selongTeacher = await signInAs(s, tree.tenantId, { email: 'ani@example.org', name: 'Ani Selong', role: 'teacher', nodeId: tree.selong.id, schoolId: tree.selong.id })
    meetingId = await schedule(facilitator, tree.praya.id, Date.now() + 30 * 60_000)
  })
  afterAll(async () => { await s?.close() })

  it('lets a facilitator schedule a meeting for their TLN group and shows its code during the window', async () => {
    const list = await facilitator.request(`/lti/meetings/groups/${tree.praya.id}`)
    expect(list.text).toContain('Pertemuan rutin TLN Praya')
    const page = await facilitator.request(`/lti/meetings/${meetingId}`)
    expect(page.status).toBe(200)
    expect(page.text).toContain(`<strong id="tln-code">${await codeOf(meetingId)}</strong>`)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
  })

  it('answers a bad meeting form with 400 and a message per field, and stores nothing', async () => {
    const before = await s.db.knex('tln_meeting').count<{ count: number }[]>('* as count')
    const page = await facilitator.request(`/lti/meetings/groups/${tree.praya.id}`)
    const res = await facilitator.request(`/lti/meetings/groups/${tree.praya.id}`, { form: { csrf: csrfOf(page.text), kind: 'routine', title: '', date: '2026-02-30', time: '09:00', place: '' } })
    expect(res.status).toBe(400)
    expect(res.text).toContain('id="title-error"')
    expect(res.text).toContain('id="date-error"')
    expect(await s.db.knex('tln_meeting').count<{ count: number }[]>('* as count')).toEqual(before)
  })

  it('answers another kecamatan\'s meeting or group, and another tenant\'s ids, with 404', async () => {
    expect((await selongFacilitator.request(`/lti/meetings/${meetingId}`)).status).toBe(404)
    expect((await selongFacilitator.request(`/lti/meetings/groups/${tree.praya.id}`)).status).toBe(404)
    expect((await facilitator.request(`/lti/meetings/groups/${other.praya.id}`)).status).toBe(404)
    expect((await facilitator.request(`/lti/meetings/groups/${tree.school.id}`)).status).toBe(404)
    expect((await facilitator.request('/lti/meetings/not-a-uuid')).status).toBe(404)
    expect((await new Browser(s.url).request(`/lti/meetings/${meetingId}`)).status).toBe(401)
  })

  it('refuses a teacher marking attendance (404) and a form without the session token (403); nothing changes', async () => {
    const page = await teacher.browser.request('/lti/meetings/check-in')
    const res = await teacher.browser.request(`/lti/meetings/${meetingId}/attendance`, { form: { csrf: csrfOf(page.text), person: teacher2.personId } })
    expect(res.status).toBe(404)
    const forged = await facilitator.request(`/lti/meetings/${meetingId}/attendance`, { form: { csrf: 'x', person: teacher2.personId } })
    expect(forged.status).toBe(403)
    expect(forged.headers.get('x-tln-error')).toBe('ERR_TOOL_CSRF')
    expect(await attendanceRows()).toEqual([])
  })

  it('refuses marking someone who is no teacher of the group (400) and stores nothing', async () => {
    const page = await facilitator.request(`/lti/meetings/${meetingId}`)
    const res = await facilitator.request(`/lti/meetings/${meetingId}/attendance`, { form: { csrf: csrfOf(page.text), person: selongTeacher.personId } })
    expect(res.status).toBe(400)
    expect(res.text).toContain('Hanya guru kelompok TLN ini')
    expect(await attendanceRows()).toEqual([])
  })

  it('records a marked attendance once, as an attended statement in the demo shape', async () => {
    for (let i = 0; i < 2; i++) {
      const page = await facilitator.request(`/lti/meetings/${meetingId}`)
      const res = await facilitator.request(`/lti/meetings/${meetingId}/attendance`, { form: { csrf: csrfOf(page.text), person: teacher2.personId } })
      expect(res.status).toBe(303)
    }
    const attended = (await statementsOf(s, tree.tenantId)).filter((r) => r.verb_id === 'http://adlnet.gov/expapi/verbs/attended')
    expect(attended.map((r) => r.id)).toEqual([attendedStatementId(meetingId, teacher2.personId, 0)])
    const st = attended[0]!.statement
    expect(st.actor.account).toEqual({ homePage: s.url, name: teacher2.personId })
    expect(st.object).toMatchObject({ id: `${s.url}/lti/meetings/${meetingId}`, definition: { type: 'http://adlnet.gov/expapi/activities/meeting' } })
    expect(st.context.instructor.name).toBe('Dewi Fasilitator')
    expect(st.context.team).toMatchObject({ objectType: 'Group', name: 'TLN Praya' })
    expect(st.context.extensions['https://tln.example/xapi/extensions/npsn']).toBe('69900001')
    const identity = await s.db.knex('person_identity').where({ tenant_id: tree.tenantId, person_id: teacher2.personId }).select('ifi_key')
    // The person's e-mail identity is there too (OrgStore links it when the person is saved).
    expect(identity).toContainEqual({ ifi_key: ifiKey(st.actor as Agent) })
  })

  it('checks a teacher in with the code (any case, spaces), and a second check-in changes nothing', async () => {
    const code = await codeOf(meetingId)
    const first = await checkIn(teacher.browser, ` ${code.slice(0, 3).toLowerCase()} ${code.slice(3)}`)
    expect(first.status).toBe(200)
    expect(first.headers.get('x-tln-check-in')).toBe('done')
    const again = await checkIn(teacher.browser, code)
    expect(again.headers.get('x-tln-check-in')).toBe('already')
    expect(again.text).toContain('sudah tercatat')
    const ids = (await statementsOf(s, tree.tenantId)).filter((r) => r.id === attendedStatementId(meetingId, teacher.personId, 0))
    expect(ids).toHaveLength(1)
    expect(ids[0]!.statement.context.instructor.name).toBe('Dewi Fasilitator')
    const page = await facilitator.request(`/lti/meetings/${meetingId}`)
    expect(page.text).toContain('<span id="tln-attended-count">2</span>')
  })

  it('answers a wrong code, and a teacher of another group with a valid code, with the same clear message', async () => {
    const wrong = await checkIn(teacher2.browser, 'AAAAAA')
    expect(wrong.status).toBe(400)
    expect(wrong.text).toContain('Kode salah')
    const elsewhere = await checkIn(selongTeacher.browser, await codeOf(meetingId))
    expect(elsewhere.status).toBe(400)
    expect(elsewhere.headers.get('x-tln-check-in')).toBe('wrong-code')
    expect((await attendanceRows()).map((r) => r.person_id)).not.toContain(selongTeacher.personId)
  })

  it('refuses a code before its window opens and after it closes, with a message saying which', async () => {
    const later = await schedule(facilitator, tree.praya.id, Date.now() + 2 * 86_400_000, 'Lokakarya')
    const notYet = await checkIn(teacher.browser, await codeOf(later))
    expect(notYet.status).toBe(400)
    expect(notYet.text).toContain('belum berlaku')
    const past = await schedule(facilitator, tree.praya.id, Date.now() - 2 * 86_400_000, 'Pertemuan lalu')
    const closed = await checkIn(teacher.browser, await codeOf(past))
    expect(closed.text).toContain('sudah tidak berlaku')
    expect((await s.db.knex('tln_meeting_attendance').whereIn('meeting_id', [later, past])).length).toBe(0)
    const pastPage = await facilitator.request(`/lti/meetings/${past}`)
    expect(pastPage.text).toContain('tandai kehadiran di bawah')
  })

  it(`limits wrong codes to ${CHECK_IN_LIMITS.person} per person in 15 minutes, counted in the database (429, even for the right code)`, async () => {
    const code = await codeOf(meetingId)
    const guesser = teacher2.browser
    s.advance(CHECK_IN_LIMITS.windowMs + 1) // a fresh window: earlier tests' wrong codes are forgotten
    for (let i = 0; i < CHECK_IN_LIMITS.person; i++) expect((await checkIn(guesser, 'CCCCCC')).status).toBe(400)
    const limited = await checkIn(guesser, code)
    expect(limited.status).toBe(429)
    expect(limited.text).toContain('Tunggu 15 menit')
    expect((await checkIn(teacher.browser, code)).status).toBe(200)
    s.advance(CHECK_IN_LIMITS.windowMs + 1)
    expect((await checkIn(guesser, 'CCCCCC')).status).toBe(400)
  })

  it('uses the LMS identity (issuer, sub) as the actor of a teacher who arrived by LTI launch', async () => {
    const issuer = 'https://moodle.example.org'
    const user = await s.tool.users.upsert({ tenantId: tree.tenantId, issuer, sub: 'u-17', name: 'Budi', role: 'teacher' })
    await s.tool.org.upsertPerson(tree.tenantId, { name: 'Budi Santoso', schoolId: tree.school.id, externalId: 'budi', lti: { issuer, sub: 'u-17' } })
    const cookie = `tln_session=${await s.tool.sessions.create(user.id, { issuer, deploymentId: 'd-1', role: 'teacher' }, 3_600_000)}`
    const form = await fetch(`${s.url}/lti/meetings/check-in`, { headers: { cookie } })
    const res = await fetch(`${s.url}/lti/meetings/check-in`, {
      method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual',
      body: new URLSearchParams({ csrf: csrfOf(await form.text()), code: await codeOf(meetingId) }).toString(),
    })
    expect(res.headers.get('x-tln-check-in')).toBe('done')
    const mine = (await statementsOf(s, tree.tenantId)).filter((r) => r.statement.actor.account?.name === 'u-17')
    expect(mine.map((r) => r.statement.actor)).toEqual([{ objectType: 'Agent', name: 'Budi Santoso', account: { homePage: issuer, name: 'u-17' } }])
  })

  it('undoes an attendance with a voiding statement; a later mark is a new statement', async () => {
    const undo = async () => {
      const page = await facilitator.request(`/lti/meetings/${meetingId}`)
      return facilitator.request(`/lti/meetings/${meetingId}/attendance/${teacher.personId}/undo`, { form: { csrf: csrfOf(page.text) } })
    }
    const count = async () => Number(/<span id="tln-attended-count">(\d+)<\/span>/u.exec((await facilitator.request(`/lti/meetings/${meetingId}`)).text)![1])
    const before = await count()
    expect((await undo()).status).toBe(303)
    expect((await undo()).status).toBe(303)
    const all = await statementsOf(s, tree.tenantId)
    const target = attendedStatementId(meetingId, teacher.personId, 0)
    expect(all.find((r) => r.id === target)!.voided).toBe(true)
    const voids = all.filter((r) => r.verb_id === 'http://adlnet.gov/expapi/verbs/voided')
    expect(voids.map((r) => r.statement.object)).toEqual([{ objectType: 'StatementRef', id: target }])
    expect(await count()).toBe(before - 1)
    const again = await checkIn(teacher.browser, await codeOf(meetingId))
    expect(again.headers.get('x-tln-check-in')).toBe('done')
    const after = await statementsOf(s, tree.tenantId)
    expect(after.find((r) => r.id === attendedStatementId(meetingId, teacher.personId, 1))?.voided).toBe(false)
    expect(await attendanceRows()).toContainEqual({ person_id: teacher.personId, revision: 1, voided: false, statement_stored: true })
  })
})
