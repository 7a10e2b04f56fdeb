import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalAccount, Browser, smallTree } from '../org-helpers.ts'
import { HOME, keyOf, mentored, passed, REPORT_CONFIG, scored, statementId } from './report-data.ts'
import { startReportServer, type ReportServer } from './report-server.ts'
import { pdfPageCount, pdfStrings } from './pdf-text.ts'

const LMS = 'https://lms.example'
const PASSWORD = 'sandi-rahasia-123'
const enc = encodeURIComponent
const AMINAH = { account: 'aminah', name: 'Baiq Aminah', npsn: '99020601' }
const BAYU = { account: 'bayu', name: 'Lalu Bayu', npsn: '99020601' }
const CITRA = { account: 'citra', name: 'Siti Citra', npsn: '99020701' }
const DEWI = { account: 'dewi', name: 'Dewi Lain', npsn: '99020601' }

/**
 * The report routes on real data (issue 6, "Reports"): statements stored through the LRS, the
 * competence engine caught up, sessions opened as a launch or a local sign-in opens them.
 */
describe(`competence report routes on ${testEngine()}`, () => {
  let s: ReportServer
  let tree: Awaited<ReturnType<typeof smallTree>>
  let other: Awaited<ReturnType<typeof smallTree>>
  let jonggat: { id: string; name: string }
  let admin: Browser
  let teacherCookie: string
  let facilitatorCookie: string

  const get = async (path: string, cookie?: string) => {
    const res = await fetch(`${s.url}${path}`, { headers: cookie === undefined ? {} : { cookie }, redirect: 'manual' })
    const body = Buffer.from(await res.arrayBuffer())
    return { status: res.status, headers: res.headers, body, text: body.toString('utf8') }
  }

  beforeAll(async () => {
    s = await startReportServer()
    tree = await smallTree(s.tool)
    await s.db.knex('tenant').insert({ slug: 'other', name: 'Other province' })
    other = await smallTree(s.tool, 'other')
    const org = s.tool.org
    jonggat = await org.upsertNode(tree.tenantId, { kind: 'kecamatan', code: '52.02.07', name: 'Jonggat', parentId: tree.d1.id })
    const praya = await org.upsertNode(tree.tenantId, { kind: 'school', code: '99020601', name: 'TK Cahaya', schoolType: 'TK', parentId: tree.praya.id })
    const jSchool = await org.upsertNode(tree.tenantId, { kind: 'school', code: '99020701', name: 'KB Melati', schoolType: 'KB', parentId: jonggat.id })
    await org.upsertNode(other.tenantId, { kind: 'school', code: '99020601', name: 'TK Lain', schoolType: 'TK', parentId: other.praya.id })
    // Teachers: persons at their schools, their e-training identities in person_identity.
    for (const [t, school, lti] of [[AMINAH, praya.id, 'u-aminah'], [BAYU, praya.id, undefined], [CITRA, jSchool.id, undefined]] as const) {
      const person = await org.upsertPerson(tree.tenantId, { name: t.name, schoolId: school, externalId: t.account, ...(lti !== undefined && { lti: { issuer: LMS, sub: lti } }) })
      await s.db.knex('person_identity').insert({ tenant_id: tree.tenantId, ifi_key: keyOf(t.account), person_id: person.id })
    }
    const facilitator = await org.upsertPerson(tree.tenantId, { name: 'Fasilitator Praya', externalId: 'fas-1', lti: { issuer: LMS, sub: 'u-fas' } })
    await org.grant(tree.tenantId, facilitator.id, 'facilitator', tree.praya.id)

    for (const tenantId of [tree.tenantId, other.tenantId]) await s.configure(tenantId, REPORT_CONFIG)
    await s.store('default', [
      scored('a1', AMINAH, 0.8, '2026-02-10T10:00:00+08:00'),
      passed('a2', AMINAH, 0.9, '2026-03-05T10:00:00+08:00'),
      scored('b1', BAYU, 0.5, '2026-02-12T10:00:00+08:00'),
      scored('c1', CITRA, 1, '2026-03-01T10:00:00+08:00'),
      mentored('m1', AMINAH, BAYU, '2026-03-06T10:00:00+08:00'),
    ])
    await s.store('other', [scored('d1', DEWI, 0.7, '2026-02-10T10:00:00+08:00')])
    await s.catchUp()

    await createLocalAccount(s.tool.accounts, { tenantId: tree.tenantId, email: 'dinas@example.org', name: 'Dinas Lombok Tengah', role: 'district-admin', nodeId: tree.d1.id }, PASSWORD)
    admin = new Browser(s.url)
    expect((await admin.login('dinas@example.org', PASSWORD)).status).toBe(303)
    teacherCookie = await s.ltiSession(tree.tenantId, { issuer: LMS, sub: 'u-aminah', role: 'teacher', name: 'Baiq Aminah' })
    facilitatorCookie = await s.ltiSession(tree.tenantId, { issuer: LMS, sub: 'u-fas', role: 'facilitator', name: 'Fasilitator Praya' })
  })
  afterAll(async () => { await s?.close() })

  describe('access (issue 6: district admins their district, facilitators their kecamatan, teachers their own profile)', () => {
    it('sends each viewer from /reports to their report', async () => {
      expect((await admin.request('/reports')).headers.get('location')).toBe('/reports/district')
      expect((await get('/reports', facilitatorCookie)).headers.get('location')).toBe(`/reports/kecamatan/${tree.praya.id}`)
      expect((await get('/reports', teacherCookie)).headers.get('location')).toBe(`/reports/teacher/${enc(keyOf('aminah'))}`)
    })

    it('shows a district admin the district dashboard with every kecamatan of the district and none of another', async () => {
      const res = await admin.request('/reports/district')
      expect(res.status).toBe(200)
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
      expect(res.text).toContain('Praya')
      expect(res.text).toContain('Jonggat')
      expect(res.text).not.toContain('Selong')
      expect(res.text).toContain('data-state="current"')
    })

    it('lets a district admin open a teacher and the evidence of a number', async () => {
      const teacher = await admin.request(`/reports/teacher/${enc(keyOf('citra'))}`)
      expect(teacher.status).toBe(200)
      expect(teacher.text).toContain('Siti Citra')
      const evidence = await admin.request(`/reports/teacher/${enc(keyOf('citra'))}/evidence/PED.C.2`)
      expect(evidence.status).toBe(200)
      expect(evidence.text).toContain(statementId('c1'))
      expect(evidence.text).toContain('>scored<')
    })

    it('lets a facilitator see their kecamatan and its teachers, and refuses another kecamatan with 403', async () => {
      const own = await get(`/reports/kecamatan/${tree.praya.id}`, facilitatorCookie)
      expect(own.status).toBe(200)
      expect(own.text).toContain('Baiq Aminah')
      expect(own.text).toContain('Lalu Bayu')
      expect(own.text).not.toContain('Siti Citra')
      expect((await get(`/reports/teacher/${enc(keyOf('bayu'))}`, facilitatorCookie)).status).toBe(200)
      const outside = await get(`/reports/kecamatan/${jonggat.id}`, facilitatorCookie)
      expect(outside.status).toBe(403)
      expect(outside.headers.get('x-tln-error')).toBe('ERR_TOOL_FORBIDDEN')
      expect(outside.text).toContain('Anda tidak berhak melihat laporan ini')
      expect((await get(`/reports/teacher/${enc(keyOf('citra'))}`, facilitatorCookie)).status).toBe(403)
      expect((await get('/reports/district', facilitatorCookie)).status).toBe(403)
    })

    it('shows a teacher their own profile and evidence, and refuses another teacher with 403', async () => {
      const own = await get(`/reports/teacher/${enc(keyOf('aminah'))}`, teacherCookie)
      expect(own.status).toBe(200)
      expect(own.text).toContain('Baiq Aminah')
      expect((await get(`/reports/teacher/${enc(keyOf('aminah'))}/evidence/PED.A.1`, teacherCookie)).status).toBe(200)
      for (const path of [`/reports/teacher/${enc(keyOf('bayu'))}`, `/reports/teacher/${enc(keyOf('bayu'))}/evidence/PED.C.2`, `/api/reports/teacher/${enc(keyOf('bayu'))}`, `/reports/kecamatan/${tree.praya.id}`, '/reports/district']) {
        const res = await get(path, teacherCookie)
        expect(res.status, path).toBe(403)
      }
    })

    it('lists a teacher\'s own badges on her profile, only hers and only her tenant\'s', async () => {
      const badge = (id: string, tenantId: string, key: string, index: number) => ({
        id, tenant_id: tenantId, learner_key: key, achievement: 'https://tln.example/tiers/dasar', statement_id: crypto.randomUUID(),
        status_index: index, credential: JSON.stringify({ name: 'Diklat Berjenjang Tingkat Dasar' }), jwt: 'x.y.z', issued_at: '2026-05-23T07:00:00Z',
      })
      const mine = crypto.randomUUID()
      const bayus = crypto.randomUUID()
      await s.db.knex('open_badge').insert([badge(mine, tree.tenantId, keyOf('aminah'), 1), badge(bayus, tree.tenantId, keyOf('bayu'), 2), badge(crypto.randomUUID(), other.tenantId, keyOf('aminah'), 1)])
      try {
        const own = await get(`/reports/teacher/${enc(keyOf('aminah'))}`, teacherCookie)
        const listed = [...own.text.matchAll(/data-badge="([^"]+)"/g)].map((m) => m[1])
        expect(listed).toEqual([mine])
        expect(own.text).toContain(`href="${s.url}/badges/${mine}.jwt" download`)
        expect(own.text).toContain('2026-05-23 15:00 WITA')
        expect((await get(`/reports/teacher/${enc(keyOf('bayu'))}`, facilitatorCookie)).text).toContain(`data-badge="${bayus}"`)
      } finally {
        await s.db.knex('open_badge').del()
      }
    })

    it('offers "My profile" only to a teacher, so no link of the report menu answers 404 (facilitator, district admin)', async () => {
      const navLinks = (html: string) => [...(/<nav[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '').matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'))
      const facilitatorPage = await get(`/reports/kecamatan/${tree.praya.id}`, facilitatorCookie)
      const adminPage = await admin.request('/reports/district')
      for (const [who, html, open] of [['facilitator', facilitatorPage.text, (p: string) => get(p, facilitatorCookie)], ['district admin', adminPage.text, (p: string) => admin.request(p)]] as const) {
        expect(html, who).not.toContain('Profil saya')
        for (const href of navLinks(html)) expect((await open(href)).status, `${who} ${href}`).toBeLessThan(400)
      }
      const teacherPage = await get(`/reports/teacher/${enc(keyOf('aminah'))}`, teacherCookie)
      expect(navLinks(teacherPage.text)).toContain(`/reports/teacher/${enc(keyOf('aminah'))}`)
    })

    it('names each kecamatan in the report menu of a facilitator of several, reading the names in one query per page', async () => {
      const navOf = (html: string) => /<nav[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? ''
      const org = s.tool.org
      const both = await org.upsertPerson(tree.tenantId, { name: 'Fasilitator Dua', externalId: 'fas-2', lti: { issuer: LMS, sub: 'u-fas-2' } })
      for (const k of [tree.praya, jonggat]) await org.grant(tree.tenantId, both.id, 'facilitator', k.id)
      const cookie = await s.ltiSession(tree.tenantId, { issuer: LMS, sub: 'u-fas-2', role: 'facilitator', name: 'Fasilitator Dua' })
      // Count the queries that read node names (org_node by a list of ids) while a page is made.
      let nameQueries = 0
      const count = (q: { sql: string }) => { if (/from "org_node"/u.test(q.sql) && /"id" in \(/u.test(q.sql)) nameQueries += 1 }
      s.db.knex.on('query', count)
      let page: Awaited<ReturnType<typeof get>>
      try {
        page = await get(`/reports/kecamatan/${jonggat.id}`, cookie)
      } finally {
        s.db.knex.off('query', count)
      }
      expect(page.status).toBe(200)
      const nav = navOf(page.text)
      expect(nav).toContain(`<a href="/reports/kecamatan/${tree.praya.id}">Kecamatan Praya</a>`)
      expect(nav).toContain(`<a href="/reports/kecamatan/${jonggat.id}">Kecamatan Jonggat</a>`)
      expect(nav).not.toContain('Kecamatan saya')
      expect(nameQueries).toBe(1)
      // /reports lets them choose, by name; a facilitator of one kecamatan sees its name the same way.
      const choices = await get('/reports', cookie)
      expect(choices.status).toBe(200)
      for (const k of [tree.praya, jonggat]) expect(choices.text).toContain(`<a href="/reports/kecamatan/${k.id}">${k.name}</a></li>`)
      expect(navOf((await get(`/reports/kecamatan/${tree.praya.id}`, facilitatorCookie)).text)).toContain(`<a href="/reports/kecamatan/${tree.praya.id}">Kecamatan Praya</a>`)
    })

    it('answers 404 for another tenant\'s kecamatan or teacher and an unknown one', async () => {
      for (const path of [`/reports/kecamatan/${other.praya.id}`, `/reports/kecamatan/${tree.d1.id}`, `/reports/kecamatan/not-a-uuid`, `/reports/teacher/${enc(keyOf('dewi'))}`, `/reports/teacher/${enc('mbox:mailto:nobody@example.org')}`]) {
        const res = await admin.request(path)
        expect(res.status, path).toBe(404)
        expect(res.headers.get('x-tln-error')).toBe('ERR_TOOL_NOT_FOUND')
      }
      expect((await admin.request(`/api/reports/kecamatan/${other.praya.id}`)).status).toBe(404)
    })

    it('shows a statement behind a number only through its own teacher', async () => {
      const own = await get(`/reports/teacher/${enc(keyOf('aminah'))}/statements/${statementId('a1')}`, teacherCookie)
      expect(own.status).toBe(200)
      expect(own.text).toContain('https://tln.example/xapi/activities/task/rpph')
      // Bayu's statement through Aminah's profile: not hers.
      expect((await get(`/reports/teacher/${enc(keyOf('aminah'))}/statements/${statementId('b1')}`, teacherCookie)).status).toBe(404)
    })

    it('answers 404, not 500, for a statement id that is not a UUID (xAPI 1.0.3 Data 2.4.1)', async () => {
      for (const id of ['not-a-uuid', "1'%20OR%20'1'='1", '__proto__', '-1']) {
        const res = await get(`/reports/teacher/${enc(keyOf('aminah'))}/statements/${id}`, teacherCookie)
        expect(res.status, id).toBe(404)
        expect(res.headers.get('x-tln-error'), id).toBe('ERR_TOOL_NOT_FOUND')
      }
    })

    it('answers 401 without a session, as a page and as JSON', async () => {
      const page = await get('/reports/district')
      expect(page.status).toBe(401)
      expect(page.text).toContain('href="/login"')
      const api = await get('/api/reports/district')
      expect(api.status).toBe(401)
      expect(JSON.parse(api.text)).toMatchObject({ error: { code: 'ERR_TOOL_NOT_SIGNED_IN' } })
    })
  })

  describe('mentoring network (issue 6: "mentoring network graph (who mentored whom, depth)")', () => {
    it('shows reach and depth on the dashboard, with the report time zone, and links the full network page', async () => {
      const res = await admin.request('/reports/district')
      expect(res.text).toContain('id="tln-mentoring-reach"')
      expect(res.text).toContain('href="/reports/mentoring-network"')
      expect(res.text).toContain('Asia/Makassar')
      const api = JSON.parse((await admin.request('/api/reports/district')).text) as { mentoring: unknown; engine: { timeZone: string } }
      expect(api.engine.timeZone).toBe('Asia/Makassar')
      expect(api.mentoring).toEqual({
        mentors: 1, mentees: 1, sessions: 1, maxDepth: 1,
        kecamatan: [
          { kecamatanId: jonggat.id, kecamatanName: 'Jonggat', mentors: 0, mentees: 0, sessions: 0, maxDepth: 0 },
          { kecamatanId: tree.praya.id, kecamatanName: 'Praya', mentors: 1, mentees: 1, sessions: 1, maxDepth: 1 },
        ],
      })
    })

    it('draws who mentored whom on its own page and API, for the district\'s viewers only', async () => {
      const page = await admin.request('/reports/mentoring-network')
      expect(page.status).toBe(200)
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
      expect(page.text).toContain('<svg')
      expect(page.text).toContain(`href="/reports/teacher/${enc(keyOf('aminah'))}"`)
      expect(page.text).toContain('Lalu Bayu')
      const api = JSON.parse((await admin.request('/api/reports/mentoring-network')).text) as { network: unknown }
      expect(api.network).toEqual({
        nodes: [
          { key: keyOf('aminah'), name: 'Baiq Aminah', kecamatanId: tree.praya.id, participant: true },
          { key: keyOf('bayu'), name: 'Lalu Bayu', kecamatanId: tree.praya.id, participant: true },
        ].sort((a, b) => a.key.localeCompare(b.key)),
        edges: [{ mentor: keyOf('aminah'), mentee: keyOf('bayu'), sessions: 1 }],
        reach: 1, maxDepth: 1,
      })
      const csv = await admin.request('/reports/mentoring-network?format=csv')
      expect(csv.text).toBe('Pendamping / Mentor,Didampingi / Mentee,Sesi / Sessions\r\nBaiq Aminah,Lalu Bayu,1\r\n')
      for (const [path, cookie] of [['/reports/mentoring-network', facilitatorCookie], ['/api/reports/mentoring-network', teacherCookie]] as const) {
        expect((await get(path, cookie)).status, path).toBe(403)
      }
      expect((await get('/api/reports/mentoring-network')).status).toBe(401)
    })

    it('keeps the network to the period asked for (400 for a bad one)', async () => {
      const february = JSON.parse((await admin.request('/api/reports/mentoring-network?from=2026-02-01&to=2026-02-28')).text) as { network: { edges: unknown[] } }
      expect(february.network.edges).toEqual([])
      expect((await admin.request('/reports/mentoring-network?from=2026-02-30')).status).toBe(400)
    })
  })

  describe('filters (400 naming the field and the rule)', () => {
    it.each([
      ['from=2026-02-30', 'from', 'day'],
      ['from=2026-03-01&to=2026-02-01', 'to', 'from-not-after-to'],
      ['program=not%20an%20iri', 'program', 'absolute-iri'],
      ['kecamatan=12', 'kecamatan', 'uuid'],
      ['format=xlsx', 'format', 'one-of'],
      ['format=csv&table=nope', 'table', 'one-of'],
    ])('refuses %s', async (query, field, rule) => {
      const api = await admin.request(`/api/reports/district?${query}`)
      if (field !== 'format' && field !== 'table') {
        expect(api.status).toBe(400)
        expect(JSON.parse(api.text)).toMatchObject({ error: { code: 'ERR_TOOL_BAD_REQUEST', field, rule } })
      }
      const page = await admin.request(`/reports/district?${query}`)
      expect(page.status).toBe(400)
      expect(page.text).toContain(`<code id="tln-error-field">${field}</code>`)
      expect(page.text).toContain(`<code id="tln-error-rule">${rule}</code>`)
    })

    it('refuses a kecamatan filter outside the viewer\'s district or tenant', async () => {
      for (const id of [tree.k2.id, other.praya.id]) {
        const res = await admin.request(`/api/reports/district?kecamatan=${id}`)
        expect(res.status).toBe(400)
        expect(JSON.parse(res.text)).toMatchObject({ error: { field: 'kecamatan', rule: 'known-kecamatan' } })
      }
    })

    it('narrows the district to the period and kecamatan asked for', async () => {
      const march = JSON.parse((await admin.request('/api/reports/district?from=2026-03-01&to=2026-03-31')).text) as { trend: Array<{ month: string }>; filter: object }
      expect(march.trend.map((m) => m.month)).toEqual(['2026-03'])
      expect(march.filter).toEqual({ from: '2026-03-01', to: '2026-03-31' })
      const praya = JSON.parse((await admin.request(`/api/reports/district?kecamatan=${tree.praya.id}`)).text) as { heatmap: Array<{ kecamatanName: string }> }
      expect(praya.heatmap.map((h) => h.kecamatanName)).toEqual(['Praya'])
    })
  })

  describe('paging the kecamatan page (issue 7: only the HTML page pages; 400 naming page and the rule)', () => {
    it.each([
      ['page=abc', 'positive-integer'],
      ['page=0', 'positive-integer'],
      ['page=1&page=2', 'single-value'],
      // Praya's two teachers fit on page 1.
      ['page=2', 'within-pages'],
      ['from=2026-01-01&page=2', 'within-pages'],
    ])('refuses %s', async (query, rule) => {
      const res = await admin.request(`/reports/kecamatan/${tree.praya.id}?${query}`)
      expect(res.status).toBe(400)
      expect(res.headers.get('x-tln-error')).toBe('ERR_TOOL_BAD_REQUEST')
      expect(res.text).toContain('<code id="tln-error-field">page</code>')
      expect(res.text).toContain(`<code id="tln-error-rule">${rule}</code>`)
    })

    it('shows page 1 of a small kecamatan without page links', async () => {
      for (const query of ['', '?page=1', '?page=']) {
        const res = await admin.request(`/reports/kecamatan/${tree.praya.id}${query}`)
        expect(res.status, query).toBe(200)
        expect(res.text).toContain('Lalu Bayu')
        expect(res.text).not.toContain('tln-pager')
      }
    })

    it('keeps the CSV and the JSON whole: page means nothing there', async () => {
      const csv = await admin.request(`/reports/kecamatan/${tree.praya.id}?format=csv&table=teachers&page=2`)
      expect(csv.status).toBe(200)
      expect(csv.text).toContain('Baiq Aminah')
      expect(csv.text).toContain('Lalu Bayu')
      const api = await admin.request(`/api/reports/kecamatan/${tree.praya.id}?page=2`)
      expect(api.status).toBe(200)
      expect((JSON.parse(api.text) as { teachers: unknown[] }).teachers).toHaveLength(2)
    })
  })

  describe('JSON API (the contract objects)', () => {
    it('answers the district report object', async () => {
      const res = await admin.request('/api/reports/district')
      expect(res.status).toBe(200)
      const body = JSON.parse(res.text) as { engine: { state: string }; heatmap: Array<{ kecamatanName: string; teachers: number }> }
      expect(body.engine.state).toBe('current')
      expect(Object.fromEntries(body.heatmap.map((h) => [h.kecamatanName, h.teachers]))).toMatchObject({ Praya: 2, Jonggat: 1 })
    })

    it('answers the kecamatan report with a count per rating cell, and the statements behind a cell on demand in the report\'s scope', async () => {
      const res = await get(`/api/reports/kecamatan/${tree.praya.id}`, facilitatorCookie)
      expect(res.status).toBe(200)
      const body = JSON.parse(res.text) as { teachers: Array<{ learnerKey: string; cells: Array<{ code: string; rating: number; evidenceCount: number }> }> }
      // Evidence ids are not in the report (issue 7: it grew with every statement, ~3 MB at 835 teachers).
      for (const id of ['a1', 'a2', 'b1'].map(statementId)) expect(res.text).not.toContain(id)
      const aminah = body.teachers.find((t) => t.learnerKey === keyOf('aminah'))!
      expect(aminah.cells.map((c) => c.code)).toEqual(['PED.A.1', 'PED.C.2'])
      for (const teacher of body.teachers) {
        for (const cell of teacher.cells) {
          const drill = await get(`/api/reports/teacher/${enc(teacher.learnerKey)}/evidence/${cell.code}`, facilitatorCookie)
          expect(drill.status).toBe(200)
          expect(JSON.parse(drill.text), `${teacher.learnerKey} ${cell.code}`).toHaveLength(cell.evidenceCount)
        }
      }
      // The same facilitator may not drill into another kecamatan's teacher.
      expect((await get(`/api/reports/teacher/${enc(keyOf('citra'))}/evidence/PED.C.2`, facilitatorCookie)).status).toBe(403)
    })

    it('answers a teacher\'s evidence items', async () => {
      const res = await get(`/api/reports/teacher/${enc(keyOf('aminah'))}/evidence/PED.C.2`, teacherCookie)
      expect(JSON.parse(res.text)).toEqual([expect.objectContaining({ statementId: statementId('a1'), indicator: 'PED.C.2', rule: 'tln-task-scored@1.0.0' })])
    })
  })

  describe('exports', () => {
    it('writes the evidence CSV exactly (RFC 4180, UTF-8 BOM, formula-safe)', async () => {
      const res = await get(`/reports/teacher/${enc(keyOf('aminah'))}/evidence/PED.C.2?format=csv`, teacherCookie)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present')
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="tln-evidence-PED-C-2-evidence-\d{4}-\d{2}-\d{2}\.csv"$/u)
      expect([...res.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
      expect(res.text.slice(1)).toBe([
        'Pernyataan / Statement,Indikator / Indicator,Kata kerja / Verb,Objek / Object,Skor / Score,Bobot / Weight,Aturan / Rule,Sumber / Source,Waktu / Time',
        `${statementId('a1')},PED.C.2,http://adlnet.gov/expapi/verbs/scored,RPPH,0.8,1,tln-task-scored@1.0.0,facilitator-rubric,2026-02-10T02:00:00.000Z`,
        '',
      ].join('\r\n'))
    })

    it('writes the district trend CSV exactly', async () => {
      const res = await admin.request('/reports/district?format=csv&table=trend')
      expect(res.status).toBe(200)
      // fetch's text() drops the BOM (WHATWG Encoding "UTF-8 decode"); the evidence test checks its bytes.
      expect(res.text).toBe('Bulan / Month,Guru aktif / Active teachers,Pernyataan / Statements\r\n2026-02,2,2\r\n2026-03,2,3\r\n')
    })

    it('prints the district, kecamatan and teacher reports as PDF with numbered pages', async () => {
      const adminCookie = `tln_session=${admin.cookie('tln_session')!}`
      for (const [path, cookie] of [['/reports/district', adminCookie], [`/reports/kecamatan/${tree.praya.id}`, facilitatorCookie], [`/reports/teacher/${enc(keyOf('aminah'))}`, teacherCookie]] as const) {
        const res = await get(`${path}?format=pdf`, cookie)
        expect(res.status, path).toBe(200)
        expect(res.headers.get('content-type')).toBe('application/pdf')
        expect(res.body.subarray(0, 5).toString('latin1')).toBe('%PDF-')
        const pages = pdfPageCount(res.body)
        expect(pages).toBeGreaterThanOrEqual(1)
        expect(pdfStrings(res.body).join('\n')).toContain(`Halaman ${pages} dari ${pages}`)
      }
    })
  })

  describe('HEAD of an export (RFC 9110 §9.3.2: the GET\'s header fields, no content)', () => {
    it('answers a PDF export\'s headers without drawing it, and no Content-Length it could not know', async () => {
      const res = await fetch(`${s.url}/reports/teacher/${enc(keyOf('aminah'))}?format=pdf`, { method: 'HEAD', headers: { cookie: teacherCookie } })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/pdf')
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="tln-teacher-\d{4}-\d{2}-\d{2}\.pdf"$/u)
      expect(res.headers.get('cache-control')).toBe('no-store')
      // §8.6: a Content-Length on HEAD must be the GET's length; 0 would be a lie.
      expect(res.headers.get('content-length')).toBeNull()
    })

    it('answers a CSV export\'s headers, and still 400 naming `table` for an unknown table', async () => {
      const ok = await fetch(`${s.url}/reports/teacher/${enc(keyOf('aminah'))}/evidence/PED.C.2?format=csv`, { method: 'HEAD', headers: { cookie: teacherCookie } })
      expect(ok.status).toBe(200)
      expect(ok.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present')
      expect(ok.headers.get('content-length')).toBeNull()
      const bad = await fetch(`${s.url}/reports/teacher/${enc(keyOf('aminah'))}/evidence/PED.C.2?format=csv&table=nope`, { method: 'HEAD', headers: { cookie: teacherCookie } })
      expect(bad.status).toBe(400)
    })
  })

  it('keeps the homePage of the statements the learners came from (sanity of the data set)', () => {
    expect(keyOf('aminah')).toBe(`account:${JSON.stringify([HOME, 'aminah'])}`)
  })
})
