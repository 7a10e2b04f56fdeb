import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProgramStore } from '../../src/index.ts'
import { Browser, smallTree, startOrgServer, type OrgTestServer } from '../org-helpers.ts'
import { csrfOf, launchSession, signIn } from '../admin/admin-helpers.ts'

const BASE = '/lti/admin/programs'
const TIER = { level: 'dasar', nameId: 'Diklat Berjenjang Tingkat Dasar', nameEn: 'Tiered Training, Basic', hours: '48', allModules: 'on', postTestMinPercent: '70', tasksAccepted: 'on', minAttendancePercent: '' }

/** The text of a field's error on a page (`<form>-<field>-error`), or undefined. */
function fieldError(html: string, id: string): string | undefined {
  const m = new RegExp(`id="${id.replace(/\./gu, '\\.')}-error">([^<]*)`, 'u').exec(html)
  return m?.[1]
}

/**
 * The program pages and their JSON (issue 5: "Programs with tiers … and modules, configurable by
 * an administrator"): who may use them, every form's per-field errors with nothing changed, CSRF
 * (OWASP synchroniser token), tenancy (another tenant's ids: 404), quotas in the admin's scope.
 */
describe(`/lti/admin/programs on ${testEngine()}`, () => {
  let s: OrgTestServer
  let tree: Awaited<ReturnType<typeof smallTree>>
  let admin: Browser
  let dinas: Browser
  let theirProgram: string
  const programRows = async () => (await s.db.knex('program').where({ tenant_id: tree.tenantId }).select('code', 'name_id').orderBy('code')) as unknown[]

  async function post(b: { request: Browser['request'] }, page: string, action: string, form: Record<string, string>) {
    const html = (await b.request(page)).text
    return b.request(action, { form: { csrf: csrfOf(html), ...form } })
  }

  beforeAll(async () => {
    s = await startOrgServer()
    tree = await smallTree(s.tool)
    await s.db.knex('tenant').insert({ slug: 'other', name: 'Other province' })
    const other = await s.tool.org.tenantId('other')
    theirProgram = (await new ProgramStore(s.db.knex).createProgram(other, { code: 'theirs', name: { id: 'Milik lain', en: 'Theirs' }, active: true }, 'test')).id
    admin = await signIn(s, { tenantId: tree.tenantId, email: 'admin@example.org', role: 'admin' })
    dinas = await signIn(s, { tenantId: tree.tenantId, email: 'dinas@example.org', role: 'district-admin', nodeId: tree.d1.id })
  })
  afterAll(async () => { await s?.close() })

  describe('access', () => {
    it('answers 401 without a session', async () => {
      const res = await fetch(`${s.url}${BASE}`)
      expect(res.status).toBe(401)
      expect(res.headers.get('x-tln-error')).toBe('ERR_TOOL_NOT_SIGNED_IN')
    })

    it('lets a tenant admin and a district admin (program:manage on a district) in', async () => {
      expect((await admin.request(BASE)).status).toBe(200)
      expect((await dinas.request(BASE)).status).toBe(200)
    })

    it('refuses a facilitator, and a district admin whose grant is on a kecamatan only, with 403', async () => {
      const facilitator = await launchSession(s, { tenantId: tree.tenantId, issuer: 'https://lms.example.org', sub: 'f-1', name: 'Dewi', role: 'facilitator', grant: { role: 'facilitator', node: tree.praya } })
      expect((await facilitator.request(BASE)).status).toBe(403)
      const narrow = await signIn(s, { tenantId: tree.tenantId, email: 'kec@example.org', role: 'district-admin', nodeId: tree.praya.id })
      const res = await narrow.request(BASE)
      expect(res.status).toBe(403)
      expect(res.headers.get('x-tln-error')).toBe('ERR_TOOL_FORBIDDEN')
    })

    it('refuses a form without the session\'s CSRF token with 403 and stores nothing', async () => {
      const res = await admin.request(BASE, { form: { code: 'no-token', nameId: 'x', nameEn: 'x' } })
      expect(res.status).toBe(403)
      expect(res.headers.get('x-tln-error')).toBe('ERR_TOOL_CSRF')
      expect(await programRows()).toEqual([])
    })

    it('another tenant\'s program id is 404 on every page and form', async () => {
      expect((await admin.request(`${BASE}/${theirProgram}`)).status).toBe(404)
      expect((await admin.request(`${BASE}/${theirProgram}/export.json`)).status).toBe(404)
      expect((await post(admin, BASE, `${BASE}/${theirProgram}`, { code: 'stolen', nameId: 'x', nameEn: 'x', active: 'on' })).status).toBe(404)
      expect((await post(admin, BASE, `${BASE}/${theirProgram}/tiers`, TIER)).status).toBe(404)
      expect((await s.db.knex('program').where({ id: theirProgram }).first('code')) as unknown).toEqual({ code: 'theirs' })
    })
  })

  describe('forms', () => {
    let programId: string
    let tierId: string

    it('a new program with bad fields: 400, each rule under its field, the values kept, nothing stored', async () => {
      const res = await post(admin, BASE, BASE, { code: 'Diklat 2026', nameId: '', nameEn: 'Tiered training 2026' })
      expect(res.status).toBe(400)
      expect(res.headers.get('x-tln-error')).toBe('ERR_TOOL_BAD_REQUEST')
      expect(fieldError(res.text, 'program-code')).toContain('huruf kecil')
      expect(fieldError(res.text, 'program-nameId')).toContain('Bahasa Indonesia')
      expect(fieldError(res.text, 'program-nameEn')).toBeUndefined()
      expect(res.text).toContain('value="Tiered training 2026"')
      expect(await programRows()).toEqual([])
    })

    it('a valid program is created (303 to its page) and listed', async () => {
      const res = await post(admin, BASE, BASE, { code: 'diklat-2026', nameId: 'Diklat Berjenjang 2026', nameEn: 'Tiered training 2026', active: 'on' })
      expect(res.status).toBe(303)
      programId = res.headers.get('location')!.split('?')[0]!.split('/').pop()!
      expect((await admin.request(BASE)).text).toContain('data-program="diklat-2026"')
    })

    it('a taken code answers 409 under the code field', async () => {
      const res = await post(admin, BASE, BASE, { code: 'diklat-2026', nameId: 'Lagi', nameEn: 'Again' })
      expect(res.status).toBe(409)
      expect(fieldError(res.text, 'program-code')).toContain('sudah dipakai')
    })

    it('a tier with hours 0 and a post-test over 100%: 400 under those fields; then a valid tier', async () => {
      const page = `${BASE}/${programId}`
      const bad = await post(admin, page, `${page}/tiers`, { ...TIER, hours: '0', postTestMinPercent: '120' })
      expect(bad.status).toBe(400)
      expect(fieldError(bad.text, 'tier-hours')).toContain('1 sampai 1000')
      expect(fieldError(bad.text, 'tier-postTestMinPercent')).toContain('0 sampai 100')
      expect(Number(((await s.db.knex('program_tier').where({ program_id: programId }).count('* as n').first()) as { n: string }).n)).toBe(0)
      const ok = await post(admin, page, `${page}/tiers`, TIER)
      expect(ok.status).toBe(303)
      tierId = ok.headers.get('location')!.split('?')[0]!.split('/').pop()!
    })

    it('phases: over the tier\'s hours is 400, a taken order is 409; modules: over the phase\'s hours is 400', async () => {
      const page = `${BASE}/${programId}/tiers/${tierId}`
      expect((await post(admin, page, `${page}/phases`, { position: '1', code: 'in-service-1', nameId: 'In-Service 1', nameEn: 'In-Service 1', kind: 'in-service', hours: '16' })).status).toBe(303)
      const over = await post(admin, page, `${page}/phases`, { position: '2', code: 'on-the-job', nameId: 'OJL', nameEn: 'OJL', kind: 'on-the-job', hours: '40' })
      expect(over.status).toBe(400)
      expect(fieldError(over.text, 'phase-hours')).toContain('paling banyak 32 JP')
      const clash = await post(admin, page, `${page}/phases`, { position: '1', code: 'on-the-job', nameId: 'OJL', nameEn: 'OJL', kind: 'on-the-job', hours: '24' })
      expect(clash.status).toBe(409)
      expect(fieldError(clash.text, 'phase-position')).toContain('sudah dipakai')
      const phaseId = ((await s.db.knex('program_phase').where({ tier_id: tierId }).first('id')) as { id: string }).id
      const module = { phase: phaseId, position: '1', code: 'konsep-dasar', nameId: 'Konsep Dasar PAUD', nameEn: 'Foundations', hours: '17', lmsActivityIds: 'https://elearning.example/mod/7' }
      const tooLong = await post(admin, page, `${page}/modules`, module)
      expect(tooLong.status).toBe(400)
      expect(fieldError(tooLong.text, 'module-hours')).toContain('16 JP')
      expect(await s.db.knex('program_module').select('id')).toEqual([])
      expect((await post(admin, page, `${page}/modules`, { ...module, hours: '6' })).status).toBe(303)
      const shown = (await admin.request(page)).text
      expect(shown).toContain('data-phase="in-service-1"')
      expect(shown).toContain('data-module="konsep-dasar"')
    })

    it('a module naming another tier\'s phase is refused under the phase field', async () => {
      const page = `${BASE}/${programId}/tiers/${tierId}`
      const res = await post(admin, page, `${page}/modules`, { phase: '00000000-0000-4000-8000-000000000000', position: '2', code: 'x', nameId: 'x', nameEn: 'x', hours: '1', lmsActivityIds: '' })
      expect(res.status).toBe(400)
      expect(fieldError(res.text, 'module-phase')).toContain('Pilih fase')
    })

    it('saving phases published them: the notice names the new competence configuration version', async () => {
      const page = `${BASE}/${programId}/tiers/${tierId}`
      const res = await post(admin, page, `${page}/phases`, { position: '2', code: 'on-the-job', nameId: 'On-the-Job Learning', nameEn: 'On-the-Job Learning', kind: 'on-the-job', hours: '24' })
      expect(res.headers.get('location')).toMatch(/done=saved&version=\d+$/u)
      const shown = await admin.request(res.headers.get('location')!)
      expect(shown.text).toContain('konfigurasi kompetensi versi')
    })
  })

  describe('quotas', () => {
    let programId: string
    beforeAll(async () => {
      programId = ((await s.db.knex('program').where({ tenant_id: tree.tenantId, code: 'diklat-2026' }).first('id')) as { id: string }).id
    })

    it('a district admin plans the kecamatan of their district only: another district\'s field is 404, nothing changes', async () => {
      const page = `${BASE}/${programId}`
      const html = (await dinas.request(page)).text
      expect(html).toContain(`name="quota.${tree.praya.id}"`)
      expect(html).not.toContain(`name="quota.${tree.k2.id}"`)
      const res = await post(dinas, page, `${page}/quotas`, { [`quota.${tree.praya.id}`]: '5', [`quota.${tree.k2.id}`]: '7' })
      expect(res.status).toBe(404)
      expect(await s.db.knex('program_quota').select('participants')).toEqual([])
    })

    it('a quota that is not a whole number is 400 under its field; a valid one is stored', async () => {
      const page = `${BASE}/${programId}`
      const bad = await post(dinas, page, `${page}/quotas`, { [`quota.${tree.praya.id}`]: 'lima' })
      expect(bad.status).toBe(400)
      expect(fieldError(bad.text, `quota-quota.${tree.praya.id}`)).toContain('bilangan bulat')
      expect((await post(dinas, page, `${page}/quotas`, { [`quota.${tree.praya.id}`]: '5' })).status).toBe(303)
      expect(await s.db.knex('program_quota').select('kecamatan_id', 'participants')).toEqual([{ kecamatan_id: tree.praya.id, participants: 5 }])
    })
  })

  describe('export, import and the JSON API', () => {
    it('exports a tln-program/1 document; importing it back answers 303 and changes nothing', async () => {
      const id = ((await s.db.knex('program').where({ tenant_id: tree.tenantId, code: 'diklat-2026' }).first('id')) as { id: string }).id
      const exported = await admin.request(`${BASE}/${id}/export.json`)
      expect(exported.status).toBe(200)
      expect(exported.headers.get('content-type')).toMatch(/^application\/json/u)
      const doc = JSON.parse(exported.text) as { format: string; tiers: Array<{ phases: unknown[] }> }
      expect(doc.format).toBe('tln-program/1')
      expect(doc.tiers[0]!.phases).toHaveLength(2)
      const res = await post(admin, BASE, `${BASE}/import`, { document: exported.text })
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe(`${BASE}/${id}?done=imported`)
    })

    it('a district admin\'s import may not set or remove another district\'s quota (rule scope, 400, nothing stored); unchanged ones pass', async () => {
      const id = ((await s.db.knex('program').where({ tenant_id: tree.tenantId, code: 'diklat-2026' }).first('id')) as { id: string }).id
      const doc = JSON.parse((await admin.request(`${BASE}/${id}/export.json`)).text) as { quotas: Record<string, number> }
      const before = await s.db.knex('program_quota').select('kecamatan_id', 'participants').orderBy('kecamatan_id')
      const foreign = await post(dinas, BASE, `${BASE}/import`, { document: JSON.stringify({ ...doc, quotas: { ...doc.quotas, [tree.k2.code]: 9 } }) })
      expect(foreign.status).toBe(400)
      expect(foreign.text).toContain(`quotas.${tree.k2.code}`)
      expect(await s.db.knex('program_quota').select('kecamatan_id', 'participants').orderBy('kecamatan_id')).toEqual(before)
      expect((await post(dinas, BASE, `${BASE}/import`, { document: JSON.stringify(doc) })).status).toBe(303)
    })

    it('an import that is not JSON, or breaks a rule, is 400 with the path of each problem; nothing stored', async () => {
      const notJson = await post(admin, BASE, `${BASE}/import`, { document: '{ nope' })
      expect(notJson.status).toBe(400)
      expect(fieldError(notJson.text, 'import-document')).toContain('JSON')
      const bad = await post(admin, BASE, `${BASE}/import`, { document: JSON.stringify({ format: 'tln-program/1', code: 'new-one', name: { id: 'x', en: 'x' }, active: true, tiers: [{ level: 'expert' }], quotas: {} }) })
      expect(bad.status).toBe(400)
      expect(bad.text).toContain('<code>tiers[0].level</code>')
      expect((await programRows()).some((r) => (r as { code: string }).code === 'new-one')).toBe(false)
    })

    it('GET /lti/api/programs lists the tenant\'s programs with tiers, phases and modules; a report reader may read it', async () => {
      const res = await admin.request('/lti/api/programs')
      expect(res.status).toBe(200)
      const body = JSON.parse(res.text) as { programs: Array<{ code: string; tierList: Array<{ phases: Array<{ modules: unknown[] }> }> }> }
      expect(body.programs.map((p) => p.code)).toEqual(['diklat-2026'])
      expect(body.programs[0]!.tierList[0]!.phases[0]!.modules).toHaveLength(1)
      const facilitator = await launchSession(s, { tenantId: tree.tenantId, issuer: 'https://lms.example.org', sub: 'f-2', name: 'Rina', role: 'facilitator', grant: { role: 'facilitator', node: tree.praya } })
      expect((await facilitator.request('/lti/api/programs')).status).toBe(200)
    })

    it('the JSON API answers JSON errors: 404 for another tenant\'s id, 403 for a teacher', async () => {
      const res = await admin.request(`/lti/api/programs/${theirProgram}`)
      expect(res.status).toBe(404)
      expect(JSON.parse(res.text)).toMatchObject({ error: 'ERR_TOOL_NOT_FOUND' })
      const school = await s.tool.org.upsertNode(tree.tenantId, { kind: 'school', code: '99020699', name: 'TK Uji', schoolType: 'TK', parentId: tree.praya.id })
      const teacher = await launchSession(s, { tenantId: tree.tenantId, issuer: 'https://lms.example.org', sub: 't-1', name: 'Guru', role: 'teacher', grant: { role: 'teacher', node: school } })
      expect((await teacher.request('/lti/api/programs')).status).toBe(403)
    })
  })
})
