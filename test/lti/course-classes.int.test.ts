import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CourseClasses, ltiIfiKey, type PlatformRecord } from '@tln/lti-tool'
import { smallTree, startOrgServer, type OrgTestServer } from '../../lti-tool/test/org-helpers.ts'
import { launchSession, signIn, type SessionBrowser } from '../../lti-tool/test/admin/admin-helpers.ts'
import { INSTRUCTOR, simLaunch } from './lti-pages-helpers.ts'
import { startPlatformSimulator, type PlatformSimulator } from './platform-simulator.ts'

/**
 * A course roster becomes a TLN class (issue 4, NRPS 2.0; issue 5 "roster sync from LTI Names and
 * Roles"): the Instructor's launch syncs the roster, the course becomes a class, members are linked
 * to persons — by LTI (issuer, sub), else by e-mail, else a new person without a school — with
 * `person_identity` rows for the reports, roles recorded; the class page is for its instructors.
 */
describe(`course roster → TLN class on ${testEngine()}`, () => {
  let sim: PlatformSimulator
  let s: OrgTestServer
  let tree: Awaited<ReturnType<typeof smallTree>>
  let platform: PlatformRecord
  let started = 0
  const catchUpClock = () => { s.advance(Date.now() - started); started = Date.now() }
  const persons: Record<string, string> = {}
  let instructor: SessionBrowser
  let classId: string

  beforeAll(async () => {
    sim = await startPlatformSimulator()
    // Taken before the server starts: its frozen clock is then never behind the simulator's.
    started = Date.now()
    s = await startOrgServer()
    sim.setTool({ loginUrl: `${s.url}/lti/login`, redirectUri: `${s.url}/lti/launch`, jwksUri: `${s.url}/lti/jwks` })
    platform = await s.tool.platforms.add({ platform: sim.platform, deploymentIds: [sim.deploymentId], status: 'active', registeredBy: 'cli' })
    tree = await smallTree(s.tool)
    const school = await s.tool.org.upsertNode(tree.tenantId, { kind: 'school', code: '99020601', name: 'TK Cahaya Praya', schoolType: 'TK', parentId: tree.praya.id })
    // Imported from the school list before anyone launched: matched by e-mail.
    persons.siti = (await s.tool.org.upsertPerson(tree.tenantId, { name: 'Siti Rahayu (CSV)', email: 'SITI@example.org', schoolId: school.id, externalId: 'ptk-17' })).id
    // Linked to this LMS account already: matched by (issuer, sub).
    persons.budi = (await s.tool.org.upsertPerson(tree.tenantId, { name: 'Budi Santoso', schoolId: school.id, externalId: 'ptk-18', lti: { issuer: sim.issuer, sub: 'user-18' } })).id
    // Same e-mail as Agus, but another LMS account: never taken over.
    persons.agusElsewhere = (await s.tool.org.upsertPerson(tree.tenantId, { name: 'Agus (other LMS)', email: 'agus@example.org', externalId: 'x-1', lti: { issuer: 'https://other-lms.example.org', sub: 'u-5' } })).id
    sim.double.services.pageSize = 2
    sim.double.services.members = [
      { user_id: 'user-17', roles: ['Learner'], name: 'Siti Rahayu', email: 'siti@example.org' },
      { user_id: 'user-18', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'], name: 'Budi' },
      { user_id: 'user-19', roles: ['Instructor'], name: 'Dewi Lestari', email: 'dewi@example.org' },
      { user_id: 'user-20', roles: ['Learner'], name: 'Agus', email: 'agus@example.org' },
      { user_id: 'user-22', roles: ['Learner'], name: 'Yuni', status: 'Inactive' },
    ]
  }, 60_000)
  afterAll(async () => {
    await s?.close()
    await sim?.close()
  })

  const roster = async () => (await s.db.knex('course_roster as r').join('lti_user as u', 'u.id', 'r.user_id')
    .where({ 'r.platform_id': platform.id, 'r.context_id': 'course-1' }).select('u.sub', 'r.person_id', 'r.tln_role', 'r.status').orderBy('u.sub')) as Array<{ sub: string; person_id: string | null; tln_role: string; status: string }>

  it('makes the course a class on the Instructor\'s launch (NRPS 2.0 §3.6.1), titled after the course', async () => {
    catchUpClock()
    instructor = await simLaunch(sim, s.url, { sub: 'user-19', name: 'Dewi Lestari', email: 'dewi@example.org' }, { claims: INSTRUCTOR })
    await s.tool.roster.idle()
    const cls = await new CourseClasses(s.db.knex).ofCourse(platform.id, 'course-1')
    expect(cls).toMatchObject({ tenantId: tree.tenantId, contextId: 'course-1', title: 'Pelatihan PAUD', issuer: sim.issuer })
    classId = cls!.id
  })

  it('links every member to a person: by (issuer, sub), else by e-mail, else a new person without a school', async () => {
    const rows = await roster()
    expect(rows.every((r) => r.person_id !== null)).toBe(true)
    const personOf = (sub: string) => rows.find((r) => r.sub === sub)!.person_id!
    expect(personOf('user-18')).toBe(persons.budi)
    expect(personOf('user-17')).toBe(persons.siti)
    expect(await s.tool.org.person(tree.tenantId, persons.siti!)).toMatchObject({ name: 'Siti Rahayu (CSV)', lti: { issuer: sim.issuer, sub: 'user-17' } })
    expect(personOf('user-20')).not.toBe(persons.agusElsewhere)
    const dewi = await s.tool.org.person(tree.tenantId, personOf('user-19'))
    expect(dewi).toMatchObject({ name: 'Dewi Lestari', email: 'dewi@example.org', lti: { issuer: sim.issuer, sub: 'user-19' } })
    expect(dewi!.schoolId).toBeUndefined()
  })

  it('records the roles (Learner → teacher, Instructor → facilitator) and inactive members', async () => {
    expect((await roster()).map((r) => [r.sub, r.tln_role, r.status])).toEqual([
      ['user-17', 'teacher', 'active'], ['user-18', 'teacher', 'active'], ['user-19', 'facilitator', 'active'],
      ['user-20', 'teacher', 'active'], ['user-22', 'teacher', 'inactive'],
    ])
  })

  it('writes person_identity for each linked member, the xAPI account of the launch (so the reports find them)', async () => {
    const rows = await roster()
    const identities = (await s.db.knex('person_identity').where({ tenant_id: tree.tenantId }).select('ifi_key', 'person_id')) as Array<{ ifi_key: string; person_id: string }>
    for (const r of rows) expect(identities).toContainEqual({ ifi_key: ltiIfiKey(sim.issuer, r.sub), person_id: r.person_id })
    expect(ltiIfiKey(sim.issuer, 'user-17')).toBe(`account:${JSON.stringify([sim.issuer, 'user-17'])}`)
  })

  it('creates no second person or class on the next sync', async () => {
    const people = await s.db.knex('person').count<{ count: string }[]>('* as count')
    await s.tool.roster.sync(platform, sim.double.services.membershipsUrl)
    expect(await s.db.knex('person').count<{ count: string }[]>('* as count')).toEqual(people)
    expect(Number((await s.db.knex('course_class').count<{ count: string }[]>('* as count'))[0]!.count)).toBe(1)
  })

  describe('the class page', () => {
    it('lists the members for the course\'s instructor: names, roles, schools, inactive last', async () => {
      const list = await instructor.request('/lti/classes')
      expect(list.status).toBe(200)
      expect(list.text).toContain(`/lti/classes/${classId}`)
      const res = await instructor.request(`/lti/classes/${classId}`)
      expect(res.status).toBe(200)
      expect(res.text).toContain('Pelatihan PAUD')
      const names = [...res.text.matchAll(/<tr class="member-(\w+)" data-role="(\w+)"><td>([^<]+)<\/td>/g)].map((m) => [m[3], m[2], m[1]])
      expect(names).toEqual([
        ['Dewi Lestari', 'facilitator', 'active'], ['Agus', 'teacher', 'active'], ['Budi Santoso', 'teacher', 'active'],
        ['Siti Rahayu (CSV)', 'teacher', 'active'], ['Yuni', 'teacher', 'inactive'],
      ])
      expect(res.text).toContain('TK Cahaya Praya')
      expect(res.text).not.toMatch(/<script/i)
    })
    it('refuses a learner of the course (403) and answers 401 without a session', async () => {
      catchUpClock()
      const learner = await simLaunch(sim, s.url, { sub: 'user-17', name: 'Siti Rahayu' })
      const res = await learner.request(`/lti/classes/${classId}`)
      expect(res.status).toBe(403)
      expect(res.headers.get('x-tln-error')).toBe('ERR_TOOL_FORBIDDEN')
      expect((await fetch(`${s.url}/lti/classes/${classId}`)).status).toBe(401)
    })
    it('shows a tenant admin every class; answers another tenant\'s admin and a malformed id with 404', async () => {
      const admin = await signIn(s, { tenantId: tree.tenantId, email: 'admin@example.org', role: 'admin' })
      expect((await admin.request(`/lti/classes/${classId}`)).status).toBe(200)
      expect((await admin.request('/lti/classes')).text).toContain(`/lti/classes/${classId}`)
      expect((await admin.request('/lti/classes/nope')).status).toBe(404)
      await s.db.knex('tenant').insert({ slug: 'other', name: 'Other province' })
      const otherTenantId = await s.tool.org.tenantId('other')
      const stranger = await launchSession(s, { tenantId: otherTenantId, issuer: 'https://other-lms.example.org', sub: 'adm', name: 'Other admin', role: 'admin' })
      expect((await stranger.request(`/lti/classes/${classId}`)).status).toBe(404)
      expect((await stranger.request('/lti/classes')).text).not.toContain(classId)
    })
  })
})
