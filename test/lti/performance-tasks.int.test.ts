import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { csrfToken, RUBRIC_LEVELS_EXTENSION, taskActivityId } from '@tln/lti-tool'
import { startPlatformSimulator, type NextLaunch, type PlatformSimulator } from './platform-simulator.ts'
import { expectSent } from './passback-helpers.ts'
import { CookieJar } from './cookie-jar.ts'
import { connectSimulator, formAction, formFields, startToolServer, type ToolServer } from './tool-server.ts'

/**
 * Performance tasks end to end (issue 5): a teacher launches the RPPH task from the simulated LMS,
 * uploads a PDF in 256 KB chunks (interrupted, resumed at the server's offset); wrong types and
 * oversize are refused with a clear message and nothing stored; another tenant's ids are 404; a
 * facilitator of the teacher's kecamatan (a stored grant: the LMS does not know TLN groups) grades
 * with the rubric, the score reaches the simulator's gradebook through the
 * passback worker, and the submit / scored / passed / commented statements are in the LRS;
 * return-for-revision then resubmit keeps both versions.
 */
let sim: PlatformSimulator
let tln: ToolServer
const KEY = new Uint8Array(32).fill(7)
const TASK_CUSTOM = { 'https://purl.imsglobal.org/spec/lti/claim/custom': { tln_item: 'task-rpph', tln_kind: 'task', tln_task_type: 'RPPH' } }
const NRPS = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'
const INSTRUCTOR = { 'https://purl.imsglobal.org/spec/lti/claim/roles': ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'] }

beforeAll(async () => {
  sim = await startPlatformSimulator()
  tln = await startToolServer({ keySecret: KEY })
  await connectSimulator(sim, tln)
})
afterAll(async () => {
  await tln?.close()
  await sim?.close()
})

const post = (url: string, fields: Record<string, string>) => fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' })

/** A launch as `user`; returns the page and the session cookie (sent by hand below, as a browser would). */
async function launch(user: { sub: string; name: string }, next: NextLaunch = {}) {
  sim.state.user = { ...user, email: `${user.sub}@example.org` }
  sim.state.next = { ...next, claims: { ...TASK_CUSTOM, ...next.claims }, omit: [NRPS, ...(next.omit ?? [])] }
  const browser = new CookieJar()
  const login = await browser.login(`${tln.url}/lti/login`, sim.initiation())
  const auth = await (await fetch(login.headers.get('location')!)).text()
  const response = await browser.post(formAction(auth), formFields(auth))
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('tln_session='))!
  return { html: await response.text(), cookie, session: cookie.slice('tln_session='.length) }
}

const TEACHER = { sub: 'user-17', name: 'Siti Rahayu' }
const FACILITATOR = { sub: 'user-19', name: 'Dewi Lestari' }

function client(cookie: string, session: string) {
  const csrf = csrfToken(KEY, session)
  const call = (method: string, path: string, body?: BodyInit, type?: string) =>
    fetch(`${tln.url}${path}`, { method, redirect: 'manual', headers: { cookie, 'x-tln-csrf': csrf, ...(type !== undefined && { 'content-type': type }) }, ...(body !== undefined && { body }) })
  return {
    csrf,
    call,
    json: async (method: string, path: string, body?: unknown) => {
      const r = await call(method, path, body === undefined ? undefined : JSON.stringify(body), 'application/json')
      return { status: r.status, body: (await r.json()) as Record<string, any> }
    },
    put: async (uploadId: string, offset: number, chunk: Uint8Array<ArrayBuffer>) => {
      const r = await call('PUT', `/lti/tasks/uploads/${uploadId}?offset=${offset}`, chunk, 'application/octet-stream')
      return { status: r.status, body: (await r.json()) as Record<string, any> }
    },
    form: (path: string, fields: Record<string, string> | URLSearchParams) =>
      call('POST', path, fields instanceof URLSearchParams ? fields : new URLSearchParams({ csrf, ...fields }), 'application/x-www-form-urlencoded'),
  }
}

/** A PDF-looking document of `size` bytes. */
function pdf(size: number, seed = 1): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) % 251
  bytes.set(new TextEncoder().encode('%PDF-1.7\n'), 0)
  return bytes
}
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82])
const assignmentOf = (html: string) => /data-assignment="([^"]+)"/.exec(html)?.[1] ?? /action="\/lti\/tasks\/([^/"]+)\/(?:file|url)"/.exec(html)![1]!
const statementsBy = async (verb: string) => (await tln.db.knex('xapi_statement').select('statement')).map((r) => (typeof r.statement === 'string' ? JSON.parse(r.statement) : r.statement)).filter((s) => s.verb.id === verb)

async function uploadWhole(c: ReturnType<typeof client>, assignment: string, bytes: Uint8Array<ArrayBuffer>, fileName = 'rpph.pdf') {
  const created = await c.json('POST', '/lti/tasks/uploads', { assignment, fileName, size: bytes.length })
  expect(created.status).toBe(201)
  let offset = 0
  while (offset < bytes.length) {
    const r = await c.put(created.body.id, offset, bytes.subarray(offset, offset + 256 * 1024))
    expect(r.status).toBe(200)
    offset = r.body.offset
  }
  return c.json('POST', `/lti/tasks/uploads/${created.body.id}/complete`, {})
}

describe('performance tasks: teacher submission', () => {
  let teacher: ReturnType<typeof client>
  let assignment: string

  it('shows the task page on the launch: status, the upload form with its progress bar, no inline script', async () => {
    const l = await launch(TEACHER)
    teacher = client(l.cookie, l.session)
    expect(l.html).toContain('<html lang="id">')
    expect(l.html).toContain('Rencana Pelaksanaan Pembelajaran Harian (RPPH)')
    expect(l.html).toContain('data-status="not_submitted"')
    expect(l.html).toContain('Belum dikumpulkan')
    expect(l.html).toContain('<progress id="tln-progress"')
    expect(l.html).toContain('<label for="tln-file">')
    expect(l.html).toContain('<script src="/lti/static/task-upload.js"></script>')
    expect(l.html).not.toMatch(/<script>/)
    expect(Buffer.byteLength(l.html)).toBeLessThan(100 * 1024)
    assignment = assignmentOf(l.html)
    // The item's own URL shows the same task page to the session.
    const again = await (await teacher.call('GET', '/lti/items/task-rpph')).text()
    expect(again).toContain(`data-assignment="${assignment}"`)
    const script = await fetch(`${tln.url}/lti/static/task-upload.js`)
    expect(script.headers.get('content-type')).toContain('javascript')
  })

  it('takes a PDF in 256 KB chunks, refuses a chunk at the wrong offset, and resumes at the server offset', async () => {
    const bytes = pdf(700 * 1024)
    const created = await teacher.json('POST', '/lti/tasks/uploads', { assignment, fileName: 'RPPH Senin.pdf', size: bytes.length })
    expect(created).toMatchObject({ status: 201, body: { offset: 0, chunkSize: 262144 } })
    const id = created.body.id as string
    expect((await teacher.put(id, 0, bytes.subarray(0, 262144))).body.offset).toBe(262144)
    // The connection drops mid-chunk: the client does not know whether the second chunk arrived. It sent it; it did.
    expect((await teacher.put(id, 262144, bytes.subarray(262144, 524288))).body.offset).toBe(524288)
    // Retrying the old chunk is refused with the server's offset; nothing is appended twice.
    const stale = await teacher.put(id, 262144, bytes.subarray(262144, 524288))
    expect(stale).toMatchObject({ status: 409, body: { code: 'ERR_TOOL_UPLOAD_OFFSET', offset: 524288 } })
    // Resume: ask the server where it stands.
    const status = await teacher.json('GET', `/lti/tasks/uploads/${id}`)
    expect(status.body).toMatchObject({ offset: 524288, size: bytes.length })
    expect((await teacher.put(id, 524288, bytes.subarray(524288))).body.offset).toBe(bytes.length)
    const done = await teacher.json('POST', `/lti/tasks/uploads/${id}/complete`, {})
    expect(done).toMatchObject({ status: 200, body: { version: 1, redirect: `/lti/tasks/${assignment}?submitted=1` } })
    const stored = await tln.db.knex('task_submission').where({ assignment_id: assignment }).first()
    expect(stored).toMatchObject({ version: 1, media_type: 'application/pdf', file_name: 'RPPH Senin.pdf', size: bytes.length })
    expect(Buffer.from(stored.content).equals(Buffer.from(bytes))).toBe(true)
    expect(await tln.db.knex('task_upload').where({ assignment_id: assignment })).toHaveLength(0)
    const page = await (await teacher.call('GET', done.body.redirect)).text()
    expect(page).toContain('data-status="submitted"')
    expect(page).toContain('Versi 1 terkirim')
  })

  it('records the submission as an xAPI submit statement on the task', async () => {
    const [s] = await statementsBy('http://activitystrea.ms/schema/1.0/submit')
    expect(s).toMatchObject({
      actor: { account: { homePage: sim.issuer, name: 'user-17' } },
      object: { id: taskActivityId(tln.url, 'default', 'task-rpph'), definition: { type: 'http://id.tincanapi.com/activitytype/school-assignment' } },
      authority: { account: { name: 'lti-tool.default' } },
    })
  })

  it('judges the type by content: an executable named .pdf is refused, a PNG named .pdf is stored as PNG', async () => {
    const other = await launch(TEACHER, { claims: { 'https://purl.imsglobal.org/spec/lti/claim/context': { id: 'course-2', title: 'Kelas B', type: [] } } })
    const c = client(other.cookie, other.session)
    const a = assignmentOf(other.html)
    const created = await c.json('POST', '/lti/tasks/uploads', { assignment: a, fileName: 'rpph.pdf', size: 64 })
    const refused = await c.put(created.body.id, 0, new TextEncoder().encode('MZ'.padEnd(64, '\0')))
    expect(refused).toMatchObject({ status: 415, body: { code: 'ERR_TOOL_UNSUPPORTED_FILE' } })
    expect(refused.body.message.id).toContain('Jenis berkas tidak diterima')
    expect(await tln.db.knex('task_upload').where({ assignment_id: a })).toHaveLength(0)
    expect(await tln.db.knex('task_submission').where({ assignment_id: a })).toHaveLength(0)
    const png = await uploadWhole(c, a, PNG, 'rpph.pdf')
    expect(png.status).toBe(200)
    // Stored, and downloaded, under a name that says PNG: the name the teacher's phone gave is not what the file is.
    expect(await tln.db.knex('task_submission').where({ assignment_id: a }).first()).toMatchObject({ media_type: 'image/png', file_name: 'rpph.png' })
  })

  it('refuses a file over 10 MB before any content is sent, with a clear message', async () => {
    const uploads = async () => Number((await tln.db.knex.raw('select count(*)::int as n from task_upload')).rows[0].n)
    const before = await uploads()
    const r = await teacher.json('POST', '/lti/tasks/uploads', { assignment, fileName: 'besar.pdf', size: 10 * 1024 * 1024 + 1 })
    expect(r).toMatchObject({ status: 413, body: { code: 'ERR_TOOL_FILE_TOO_LARGE' } })
    expect(r.body.message.id).toContain('10 MB')
    expect(await uploads()).toBe(before)
  })

  it('takes the plain multipart form when there is no script, with the same checks', async () => {
    const other = await launch(TEACHER, { claims: { ...TASK_CUSTOM, 'https://purl.imsglobal.org/spec/lti/claim/custom': { tln_item: 'task-media' } } })
    const c = client(other.cookie, other.session)
    const a = assignmentOf(other.html)
    const bad = new FormData()
    bad.set('csrf', c.csrf)
    bad.set('file', new Blob([pdf(2000)]), 'media.jpg')
    const refused = await c.call('POST', `/lti/tasks/${a}/file`, bad)
    expect(refused.status).toBe(415)
    expect(await refused.text()).toContain('media: foto saja')
    const good = new FormData()
    good.set('csrf', c.csrf)
    good.set('file', new Blob([PNG]), 'media.png')
    const ok = await c.call('POST', `/lti/tasks/${a}/file`, good)
    expect(ok.status).toBe(303)
    expect(await tln.db.knex('task_submission').where({ assignment_id: a })).toHaveLength(1)
  })

  it('refuses a form without the CSRF token', async () => {
    const r = await fetch(`${tln.url}/lti/tasks/uploads`, { method: 'POST', headers: { cookie: `tln_session=${'x'}`, 'content-type': 'application/json' }, body: '{}' })
    expect(r.status).toBe(401)
    const noToken = await teacher.call('POST', `/lti/tasks/${assignment}/url`, new URLSearchParams({ url: 'https://x.example' }), 'application/x-www-form-urlencoded')
    expect(noToken.status).toBe(403)
  })

  it('answers 404 for another tenant\'s submission, assignment and upload ids', async () => {
    const [tenant] = await tln.db.knex('tenant').insert({ slug: 'ntb-lain', name: 'Kabupaten lain' }).returning('id')
    // An LMS administrator of the other tenant: may grade anything of their own tenant, nothing of this one.
    const stranger = await tln.tool.users.upsert({ tenantId: tenant.id, issuer: 'https://other.example', sub: 'f-9', role: 'admin', name: 'Orang Lain' })
    const id = await tln.tool.sessions.create(stranger.id, { issuer: 'https://other.example', deploymentId: 'd', role: 'admin' }, 60_000)
    const c = client(`tln_session=${id}`, id)
    const submission = await tln.db.knex('task_submission').where({ assignment_id: assignment }).first()
    expect((await c.call('GET', `/lti/tasks/submissions/${submission.id}/file`)).status).toBe(404)
    expect((await c.call('GET', `/lti/grading/${assignment}`)).status).toBe(404)
    expect((await c.call('GET', `/lti/tasks/${assignment}`)).status).toBe(404)
    const queue = await (await c.call('GET', '/lti/grading')).text()
    expect(queue).toContain('tln-queue-empty')
    // A teacher of the same tenant cannot open a colleague's file or grade either.
    const budi = await launch({ sub: 'user-18', name: 'Budi' })
    const b = client(budi.cookie, budi.session)
    expect((await b.call('GET', `/lti/tasks/submissions/${submission.id}/file`)).status).toBe(404)
    expect((await b.call('GET', '/lti/grading')).status).toBe(403)
  })
})

describe('performance tasks: facilitator grading', () => {
  let facilitator: ReturnType<typeof client>
  let teacher: ReturnType<typeof client>
  let assignment: string

  beforeAll(async () => {
    // The teacher's school is in kecamatan Praya; the facilitator holds a grant on Praya.
    const org = tln.tool.org
    const tenantId = await org.tenantId('default')
    const province = await org.upsertNode(tenantId, { kind: 'province', code: '52', name: 'Nusa Tenggara Barat' })
    const district = await org.upsertNode(tenantId, { kind: 'district', code: '52.02', name: 'Kabupaten Lombok Tengah', parentId: province.id })
    const praya = await org.upsertNode(tenantId, { kind: 'kecamatan', code: '52.02.06', name: 'Praya', parentId: district.id })
    const school = await org.upsertNode(tenantId, { kind: 'school', code: '69900001', name: 'TK Cahaya Praya', schoolType: 'TK', parentId: praya.id })
    await org.upsertPerson(tenantId, { name: TEACHER.name, schoolId: school.id, externalId: 'lti:user-17', lti: { issuer: sim.issuer, sub: TEACHER.sub } })
    const dewi = await org.upsertPerson(tenantId, { name: FACILITATOR.name, externalId: 'lti:user-19', lti: { issuer: sim.issuer, sub: FACILITATOR.sub } })
    await org.grant(tenantId, dewi.id, 'facilitator', praya.id)
    const t = await launch(TEACHER)
    teacher = client(t.cookie, t.session)
    assignment = assignmentOf(t.html)
    const f = await launch(FACILITATOR, { claims: INSTRUCTOR })
    facilitator = client(f.cookie, f.session)
    // The facilitator's launch of the task shows the queue of the course.
    expect(f.html).toContain('Antrean penilaian')
    expect(f.html).toContain(`/lti/grading/${assignment}`)
  })

  const gradeForm = async () => {
    const page = await (await facilitator.call('GET', `/lti/grading/${assignment}`)).text()
    return { page, submission: /name="submission" value="([^"]+)"/.exec(page)?.[1] }
  }

  it('returns a submission for revision with feedback; the resubmission keeps both versions', async () => {
    const { page, submission } = await gradeForm()
    expect(page).toContain('<legend>Tujuan pembelajaran')
    expect(page).toContain('PED.C.2')
    expect(page).toContain('/file">RPPH Senin.pdf</a>')
    const file = await facilitator.call('GET', page.match(/href="(\/lti\/tasks\/submissions\/[^"]+\/file)"/)![1]!)
    expect(file.status).toBe(200)
    expect(file.headers.get('content-type')).toBe('application/pdf')
    expect(file.headers.get('content-security-policy')).toContain('sandbox')

    const empty = await facilitator.form(`/lti/grading/${assignment}`, { submission: submission!, decision: 'returned' })
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain('Tulis catatan')
    const returned = await facilitator.form(`/lti/grading/${assignment}`, { submission: submission!, decision: 'returned', feedback: 'Lengkapi rencana penilaian.' })
    expect(returned.status).toBe(303)

    const mine = await (await teacher.call('GET', `/lti/tasks/${assignment}`)).text()
    expect(mine).toContain('data-status="returned"')
    expect(mine).toContain('Lengkapi rencana penilaian.')
    expect((await uploadWhole(teacher, assignment, pdf(300 * 1024, 2))).body.version).toBe(2)
    expect(await tln.db.knex('task_submission').where({ assignment_id: assignment }).orderBy('version')).toMatchObject([{ version: 1 }, { version: 2 }])
    const [commented] = await statementsBy('http://adlnet.gov/expapi/verbs/commented')
    expect(commented).toMatchObject({ object: { objectType: 'StatementRef' }, result: { response: 'Lengkapi rencana penilaian.' }, actor: { account: { name: 'user-19' } } })
  })

  it('refuses an accept without a level on every criterion, naming the criteria', async () => {
    const { submission } = await gradeForm()
    const r = await facilitator.form(`/lti/grading/${assignment}`, { submission: submission!, decision: 'accepted', 'level.rpph-tujuan': '4' })
    expect(r.status).toBe(400)
    expect(await r.text()).toContain('rpph-kegiatan')
    expect(await tln.db.knex('task_grade').where({ decision: 'accepted' })).toHaveLength(0)
  })

  it('accepts with the rubric: weighted score, passback to the gradebook, scored / passed / commented statements', async () => {
    const { submission } = await gradeForm()
    // weights 2, 3, 2, 2: (2·4/4 + 3·3/4 + 2·4/4 + 2·3/4) / 9 = 7.75 / 9 = 0.8611
    const levels = { 'level.rpph-tujuan': '4', 'level.rpph-kegiatan': '3', 'level.rpph-media': '4', 'level.rpph-penilaian': '3' }
    const r = await facilitator.form(`/lti/grading/${assignment}`, { submission: submission!, decision: 'accepted', feedback: 'Bagus, tujuan jelas.', ...levels })
    expect(r.status).toBe(303)
    const grade = await tln.db.knex('task_grade').where({ decision: 'accepted' }).first()
    expect(grade).toMatchObject({ score_scaled: 0.8611, score_raw: 86.11, passed: true, statements_stored: true })
    expect(grade.passback_id).not.toBeNull()
    // The job keeps the scopes the launch's AGS claim granted (the simulator's), the only ones it asks for (AGS 2.0 §3.1).
    expect((await tln.tool.passbacks.find(grade.passback_id))!.target.grantedScopes).toEqual(['https://purl.imsglobal.org/spec/lti-ags/scope/lineitem', 'https://purl.imsglobal.org/spec/lti-ags/scope/score'])

    // Grading twice is a conflict: nothing changes.
    const again = await facilitator.form(`/lti/grading/${assignment}`, { submission: submission!, decision: 'accepted', ...levels })
    expect(again.status).toBe(409)

    await expectSent(tln.tool, grade.passback_id)
    const posted = sim.double.services.scores.find((s) => s.body.userId === 'user-17' && s.body.scoreGiven === 86.11)
    expect(posted?.body).toMatchObject({ scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded', comment: 'Bagus, tujuan jelas.' })
    const item = sim.double.services.lineItems.find((li) => li.id === posted!.lineItemId)
    expect(item).toMatchObject({ resourceId: 'task-rpph', resourceLinkId: 'rl-1' })

    const scored = (await statementsBy('http://adlnet.gov/expapi/verbs/scored'))
    expect(scored).toHaveLength(1)
    expect(scored[0]).toMatchObject({
      actor: { account: { name: 'user-17' } },
      object: { id: taskActivityId(tln.url, 'default', 'task-rpph') },
      result: { score: { scaled: 0.8611, raw: 86.11, min: 0, max: 100 }, extensions: { [RUBRIC_LEVELS_EXTENSION]: { 'rpph-tujuan': 4, 'rpph-kegiatan': 3, 'rpph-media': 4, 'rpph-penilaian': 3 } } },
      context: { instructor: { account: { name: 'user-19' } } },
    })
    expect((await tln.tool.passbacks.find(grade.passback_id))!.statementId).toBe(scored[0].id)
    expect(await statementsBy('http://adlnet.gov/expapi/verbs/passed')).toHaveLength(1)
    const comments = await statementsBy('http://adlnet.gov/expapi/verbs/commented')
    const latest = await tln.db.knex('task_submission').where({ assignment_id: assignment, version: 2 }).first()
    expect(comments.find((c) => c.result.response === 'Bagus, tujuan jelas.')).toMatchObject({ object: { objectType: 'StatementRef', id: latest.statement_id } })

    const mine = await (await teacher.call('GET', `/lti/tasks/${assignment}`)).text()
    expect(mine).toContain('data-status="accepted"')
    expect(mine).toContain('<strong id="tln-score">86.11</strong>')
    expect(mine).not.toContain('id="tln-upload"')
  })
})
