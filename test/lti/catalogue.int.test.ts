import { createRemoteJWKSet, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Catalogue, DEFAULT_TASKS, pickerItems, type TaskService } from '@tln/lti-tool'
import { putProgram } from './catalogue-fixtures.ts'
import { startPlatformSimulator, type NextLaunch, type PlatformSimulator } from './platform-simulator.ts'
import { CookieJar } from './cookie-jar.ts'
import { connectSimulator, formAction, formFields, startToolServer, type ToolServer } from './tool-server.ts'

/**
 * The picker and the launches read the tenant's programs and tasks (issue 5, `catalogue.ts`): a
 * task a coordinator creates can be placed in an LMS course (Deep Linking 2.0 §4.5) and its link
 * launches a teacher into that task; an inactive program's modules and another tenant's tasks are
 * never offered; node-scoped tasks follow the instructor's grants.
 */
let sim: PlatformSimulator
let tln: ToolServer
let tenantId: string
let otherTenantId: string

const CONTENT_ITEMS = 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items'
const CUSTOM = 'https://purl.imsglobal.org/spec/lti/claim/custom'
const INSTRUCTOR = { 'https://purl.imsglobal.org/spec/lti/claim/roles': ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'] }
const NRPS = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'
const TEACHER = { sub: 'guru-1', name: 'Siti Rahayu', email: 'guru-1@example.org' }
const FACILITATOR = { sub: 'fasil-1', name: 'Dewi Lestari', email: 'fasil-1@example.org' }
const RUBRIC = DEFAULT_TASKS.find((t) => t.key === 'task-rpph')!.rubric

const newTask = (tasks: TaskService, tenant: string, title: string, nodeId?: string) => tasks.admin.create(tenant, {
  taskType: 'RPPH', title: { id: title, en: title }, description: { id: `Tugas ${title}.`, en: `Task ${title}.` },
  passThreshold: 0.75, rubric: RUBRIC, ...(nodeId !== undefined && { nodeId }),
}, title.toLowerCase().replaceAll(' ', '-'))

beforeAll(async () => {
  sim = await startPlatformSimulator()
  tln = await startToolServer()
  await connectSimulator(sim, tln)
  tenantId = (await tln.tool.platforms.record(sim.issuer, sim.clientId))!.tenantId
  await putProgram(tln.db.knex, tenantId, { code: 'tln-2026', active: true, modules: { 'in-service-1': ['konsep-dasar-paud'], 'on-the-job-learning': ['pembelajaran-bermain'], 'in-service-2': ['kemitraan-orang-tua'] } })
  await putProgram(tln.db.knex, tenantId, { code: 'lama-2025', active: false, modules: { 'in-service-1': ['modul-lama'], 'on-the-job-learning': [], 'in-service-2': [] } })
  const [other] = await tln.db.knex('tenant').insert({ slug: 'kabupaten-lain', name: 'Kabupaten lain' }).returning('id')
  otherTenantId = other.id
  await putProgram(tln.db.knex, otherTenantId, { code: 'tetangga-2026', active: true, modules: { 'in-service-1': ['modul-tetangga'], 'on-the-job-learning': [], 'in-service-2': [] } })
  await newTask(tln.tool.tasks, otherTenantId, 'Tugas Rahasia')
})
afterAll(async () => {
  await tln?.close()
  await sim?.close()
})

const post = (url: string, fields: Record<string, string> | URLSearchParams) =>
  fetch(url, { method: 'POST', body: fields instanceof URLSearchParams ? fields : new URLSearchParams(fields), redirect: 'manual' })

async function launch(user: typeof TEACHER, next: NextLaunch = {}) {
  sim.state.user = user
  sim.state.next = { ...next, omit: [NRPS, ...(next.omit ?? [])] }
  const browser = new CookieJar()
  const login = await browser.login(`${tln.url}/lti/login`, sim.initiation())
  const auth = await (await fetch(login.headers.get('location')!)).text()
  const response = await browser.post(formAction(auth), formFields(auth))
  return { response, html: await response.text() }
}

const openPicker = () => launch(FACILITATOR, { messageType: 'LtiDeepLinkingRequest', claims: INSTRUCTOR })

describe('the picker reads the tenant\'s programs and tasks (Deep Linking 2.0 §4.4)', () => {
  it('offers a task created through the task editor, and its deep-linked item launches a teacher into that task\'s assignment (Deep Linking 2.0 §3.3, AGS 2.0 resourceId)', async () => {
    const task = await newTask(tln.tool.tasks, tenantId, 'Observasi Bermain Peran')
    expect(task.key).toBe('task-observasi-bermain-peran')
    const { html } = await openPicker()
    expect(html).toContain(`value="${task.key}"`)
    expect(html).toContain('Observasi Bermain Peran')

    const answer = await (await post(`${tln.url}/lti/deep-linking`, { request: formFields(html).request!, item: task.key })).text()
    const { payload } = await jwtVerify(formFields(answer).JWT!, createRemoteJWKSet(new URL(`${tln.url}/lti/jwks`)), { algorithms: ['RS256'], issuer: sim.clientId, audience: sim.issuer })
    const [item] = payload[CONTENT_ITEMS] as Array<Record<string, any>>
    expect(item).toMatchObject({
      type: 'ltiResourceLink', url: `${tln.url}/lti/items/${task.key}`,
      custom: { tln_item: task.key, tln_kind: 'task', tln_task_type: 'RPPH' },
      lineItem: { scoreMaximum: 100, resourceId: task.key, tag: 'RPPH' },
    })

    // The LMS launches the placed link with the custom parameters it was given.
    const teacher = await launch(TEACHER, { claims: { [CUSTOM]: item!.custom, 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri': item!.url } })
    expect(teacher.response.status).toBe(200)
    expect(teacher.html).toContain('Observasi Bermain Peran')
    const assignment = /data-assignment="([^"]+)"/.exec(teacher.html)?.[1] ?? /action="\/lti\/tasks\/([^/"]+)\/(?:file|url)"/.exec(teacher.html)?.[1]
    expect(assignment).toBeDefined()
    const row = await tln.db.knex('task_assignment').where({ id: assignment }).first()
    expect(row).toMatchObject({ tenant_id: tenantId, task_id: task.id })
  })

  it('offers the modules of active programs grouped by program, tier and phase, and not an inactive program\'s', async () => {
    const { html } = await openPicker()
    expect(html).toContain('value="tln-2026.dasar.konsep-dasar-paud"')
    expect(html).toContain('<legend>Program tln-2026 — Diklat Berjenjang Tingkat Dasar — On-the-Job Learning')
    expect(html).not.toContain('modul-lama')
    expect(html).not.toContain('lama-2025')
    const refused = await post(`${tln.url}/lti/deep-linking`, { request: formFields(html).request!, item: 'lama-2025.dasar.modul-lama' })
    expect(refused.status).toBe(400)
    expect(refused.headers.get('x-tln-error')).toBe('ERR_TOOL_BAD_REQUEST')
  })

  it('never offers or launches another tenant\'s tasks or modules', async () => {
    const { html } = await openPicker()
    expect(html).not.toContain('task-tugas-rahasia')
    expect(html).not.toContain('modul-tetangga')
    const refused = await post(`${tln.url}/lti/deep-linking`, { request: formFields(html).request!, item: 'task-tugas-rahasia' })
    expect(refused.status).toBe(400)
    const teacher = await launch(TEACHER, { claims: { [CUSTOM]: { tln_item: 'task-tugas-rahasia', tln_kind: 'task' } } })
    expect(teacher.html).not.toContain('Tugas Rahasia')
    expect(teacher.html).toContain('Selamat datang')
    const module = await launch(TEACHER, { claims: { [CUSTOM]: { tln_item: 'tetangga-2026.dasar.modul-tetangga', tln_kind: 'module' } } })
    expect(module.html).not.toContain('modul-tetangga')
  })
})

describe('node-scoped tasks in the picker (catalogue.ts: tasks of the instructor\'s grants, plus tenant-wide)', () => {
  it('offers an instructor the tasks on the path of their grants (their kecamatan, the district above, a school below) and not another kecamatan\'s', async () => {
    const org = tln.tool.org
    const province = await org.upsertNode(tenantId, { kind: 'province', code: 'nt', name: 'NTB' })
    const district = await org.upsertNode(tenantId, { kind: 'district', code: 'lt', name: 'Lombok Tengah', parentId: province.id })
    const praya = await org.upsertNode(tenantId, { kind: 'kecamatan', code: 'praya', name: 'Praya', parentId: district.id })
    const jonggat = await org.upsertNode(tenantId, { kind: 'kecamatan', code: 'jonggat', name: 'Jonggat', parentId: district.id })
    const school = await org.upsertNode(tenantId, { kind: 'school', code: 'tk-1', name: 'TK Satu', parentId: praya.id, schoolType: 'TK' })
    const tasks = tln.tool.tasks
    const ofDistrict = await newTask(tasks, tenantId, 'Tugas Kabupaten', district.id)
    const ofPraya = await newTask(tasks, tenantId, 'Tugas Praya', praya.id)
    const ofSchool = await newTask(tasks, tenantId, 'Tugas Sekolah', school.id)
    const ofJonggat = await newTask(tasks, tenantId, 'Tugas Jonggat', jonggat.id)

    const user = await tln.tool.users.upsert({ tenantId, issuer: sim.issuer, sub: 'fasil-praya', role: 'facilitator', name: 'Fasilitator Praya' })
    const person = await org.upsertPerson(tenantId, { name: 'Fasilitator Praya', lti: { issuer: sim.issuer, sub: 'fasil-praya' } })
    await org.grant(tenantId, person.id, 'facilitator', praya.id)
    const catalogue = new Catalogue({ knex: tln.db.knex, org, tasks: tasks.store })
    const keys = async (u: typeof user) => pickerItems(await catalogue.forInstructor(u)).filter((i) => i.kind === 'task').map((i) => i.id)

    const forPraya = await keys(user)
    expect(forPraya).toEqual(expect.arrayContaining([ofDistrict.key, ofPraya.key, ofSchool.key, 'task-rpph']))
    expect(forPraya).not.toContain(ofJonggat.key)
    // An LMS instructor not placed in a TLN group: the tenant-wide tasks only.
    const stranger = await tln.tool.users.upsert({ tenantId, issuer: sim.issuer, sub: 'fasil-baru', role: 'facilitator' })
    const plain = await keys(stranger)
    expect(plain).toContain('task-rpph')
    for (const t of [ofDistrict, ofPraya, ofSchool, ofJonggat]) expect(plain).not.toContain(t.key)
    // An LMS administrator holds the tenant: every task.
    const admin = await tln.tool.users.upsert({ tenantId, issuer: sim.issuer, sub: 'admin-1', role: 'admin' })
    expect(await keys(admin)).toEqual(expect.arrayContaining([ofDistrict.key, ofPraya.key, ofSchool.key, ofJonggat.key]))
  })
})
