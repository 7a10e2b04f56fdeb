import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PlatformRecord } from '../../src/index.ts'
import { csrfOf, signIn, type SessionBrowser } from '../admin/admin-helpers.ts'
import { meetingTree, signInAs } from '../meetings/meeting-helpers.ts'
import { startOrgServer, type Browser, type OrgTestServer } from '../org-helpers.ts'
import { addPlatform, ltiSession, rubricFields } from './task-helpers.ts'

/**
 * Issue 5, the task editor and the grading scope. Editor: a facilitator, coordinator or admin with
 * a `tasks:grade` grant creates and edits tasks of their nodes (type, titles, instructions, due
 * date, accepted types and size limit, rubric criteria × levels, each criterion on an indicator of
 * the active competence framework); bad input answers 400 naming each field and stores nothing;
 * CSRF; another group's or tenant's task id is 404; a rubric that graded submissions gets a new
 * version (old grades keep theirs). Scope: with two kecamatan (Praya, Selong), a facilitator sees
 * and grades only the submissions of teachers at schools of their own kecamatan; another group's
 * submission by id is 404 (as an unknown id: nothing learned about other groups' teachers).
 */
/**
 * A teacher opens a task from their list: the task's page (a GET, which writes nothing) redirects
 * to their assignment once there is one; else its start button (a POST) makes it.
 * @returns the assignment id
 */
async function startTask(teacher: SessionBrowser, taskId: string): Promise<string> {
  const open = await teacher.request(`/lti/tasks/mine/${taskId}`)
  const started = open.status === 303 ? open : await teacher.request(`/lti/tasks/mine/${taskId}`, { form: { csrf: csrfOf(open.text) } })
  expect(started.status).toBe(303)
  return started.headers.get('location')!.split('/').pop()!
}

describe(`task editor and grading scope on ${testEngine()}`, () => {
  let s: OrgTestServer
  let tree: Awaited<ReturnType<typeof meetingTree>>
  let platform: PlatformRecord
  let coordinator: Browser
  let selongFacilitator: Browser
  let admin: Browser
  let teacherPraya: SessionBrowser
  let teacherSelong: SessionBrowser
  let prayaTask: string

  const TASK = {
    type: 'BLOG', title_id: 'Artikel praktik baik Praya', title_en: 'Praya good-practice article',
    description_id: 'Tulis artikel tentang kegiatan bermain di lembaga Anda.', description_en: '', due: '2026-12-20T17:00', pass: '70',
  }
  const THREE = rubricFields([
    { title: 'Isi praktik baik', indicator: 'PRO.C.3', weight: '3' },
    { title: 'Bahasa dan struktur', indicator: 'PRO.C.3', weight: '2' },
    { title: 'Terbit di blog sekolah', indicator: 'PRO.C.2', weight: '1' },
  ])
  const count = async (table: string) => Number((await s.db.knex(table).count('* as n').first())!.n)

  beforeAll(async () => {
    s = await startOrgServer()
    tree = await meetingTree(s)
    platform = await addPlatform(s)
    coordinator = (await signInAs(s, tree.tenantId, { email: 'koordinator@example.org', name: 'Koordinator Praya', role: 'coordinator', nodeId: tree.praya.id })).browser
    selongFacilitator = (await signInAs(s, tree.tenantId, { email: 'fasil.selong@example.org', name: 'Fasilitator Selong', role: 'facilitator', nodeId: tree.k2.id })).browser
    admin = await signIn(s, { tenantId: tree.tenantId, email: 'admin@example.org', role: 'admin' })
    teacherPraya = await ltiSession(s, { tenantId: tree.tenantId, platform, sub: 't-praya', name: 'Siti Praya', role: 'teacher', school: tree.school })
    teacherSelong = await ltiSession(s, { tenantId: tree.tenantId, platform, sub: 't-selong', name: 'Yuni Selong', role: 'teacher', school: tree.selong })
  })
  afterAll(async () => { await s?.close() })

  async function create(browser: Browser, fields: Record<string, string>) {
    const form = await browser.request('/lti/tasks/admin/new')
    expect(form.status).toBe(200)
    return browser.request('/lti/tasks/admin', { form: { csrf: csrfOf(form.text), ...fields } })
  }

  describe('editor', () => {
    it('creates a task with a three-criterion rubric for the coordinator\'s kecamatan', async () => {
      const res = await create(coordinator, { ...TASK, node: tree.praya.id, ...THREE })
      expect(res.status).toBe(303)
      const row = await s.db.knex('performance_task').where({ title_id: TASK.title_id }).first()
      prayaTask = row.id
      expect(row).toMatchObject({ key: 'task-artikel-praktik-baik-praya', task_type: 'BLOG', node_id: tree.praya.id, pass_threshold: 0.7, rubric_version: 1, description_en: '' })
      expect(new Date(row.due_at).toISOString()).toBe('2026-12-20T09:00:00.000Z')
      const rubric = typeof row.rubric === 'string' ? JSON.parse(row.rubric) : row.rubric
      expect(rubric.criteria.map((c: { code: string; indicator: string; weight: number; levels: unknown[] }) => [c.code, c.indicator, c.weight, c.levels.length]))
        .toEqual([['isi-praktik-baik', 'PRO.C.3', 3, 4], ['bahasa-dan-struktur', 'PRO.C.3', 2, 4], ['terbit-di-blog-sekolah', 'PRO.C.2', 1, 4]])
      const list = await coordinator.request('/lti/tasks/admin?saved=1')
      expect(list.text).toContain('Artikel praktik baik Praya')
      // The coordinator edits their group's tasks; the tenant's default tasks are an admin's, listed read-only as tasks from above.
      const editable = /<ul class="queue" id="tln-tasks">([\s\S]*?)<\/ul>/.exec(list.text)?.[1] ?? ''
      const fromAbove = /<ul class="queue" id="tln-inherited-tasks">([\s\S]*?)<\/ul>/.exec(list.text)?.[1] ?? ''
      expect(editable).not.toContain('Program Tahunan (PROTA)')
      expect(fromAbove).toContain('Program Tahunan (PROTA)')
      expect((await admin.request('/lti/tasks/admin')).text).toContain('Program Tahunan (PROTA)')
    })

    it('rule: bad input names each field and rule, and stores nothing', async () => {
      const before = await count('performance_task')
      const bad = rubricFields([
        { title: 'Isi', indicator: 'PED.Z.9', weight: '2' },
        { title: 'Bahasa', indicator: 'PRO.C.3', weight: '0' },
        { code: 'Kode Salah!', title: 'Terbit', indicator: 'PRO.C.2', weight: '1' },
      ])
      const res = await create(coordinator, { ...TASK, title_id: '', due: '2026-02-31T10:00', pass: '150', node: tree.k2.id, ...bad, 'l2.points': '1' })
      expect(res.status).toBe(400)
      const fields = [...res.text.matchAll(/data-field="([^"]+)"/g)].map((m) => m[1]).sort()
      expect(fields).toEqual(['c0.indicator', 'c1.weight', 'c2.code', 'due', 'l2.points', 'node', 'pass', 'title_id'])
      expect(res.text).toContain('PED.Z.9 bukan indikator kerangka kompetensi yang berlaku')
      expect(res.text).toContain('aria-invalid="true"')
      // The form comes back filled in.
      expect(res.text).toContain('name="c0.title_id" value="Isi"')
      expect(await count('performance_task')).toBe(before)
    })

    it('rule: a rubric needs criteria and at least two levels', async () => {
      const res = await create(coordinator, { ...TASK, node: tree.praya.id, 'l0.points': '1', 'l0.label_id': 'Cukup' })
      expect(res.status).toBe(400)
      expect([...res.text.matchAll(/data-field="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual(['criteria', 'levels'])
    })

    it('rule: a form without the session\'s CSRF token is refused (403) and stores nothing', async () => {
      const before = await count('performance_task')
      const res = await coordinator.request('/lti/tasks/admin', { form: { csrf: 'forged', ...TASK, node: tree.praya.id, ...THREE } })
      expect(res.status).toBe(403)
      expect(await count('performance_task')).toBe(before)
    })

    it('rule: another kecamatan\'s and another tenant\'s task ids are 404; a teacher has no editor (403)', async () => {
      expect((await selongFacilitator.request(`/lti/tasks/admin/${prayaTask}`)).status).toBe(404)
      const api = await selongFacilitator.request(`/lti/tasks/admin/api/tasks/${prayaTask}`)
      expect(api.status).toBe(404)
      expect(JSON.parse(api.text)).toMatchObject({ code: 'ERR_TOOL_NOT_FOUND' })
      const form = await selongFacilitator.request('/lti/tasks/admin/new')
      const post = await selongFacilitator.request(`/lti/tasks/admin/${prayaTask}`, { form: { csrf: csrfOf(form.text), ...TASK, title_id: 'Diubah', node: tree.k2.id, ...THREE } })
      expect(post.status).toBe(404)
      expect((await s.db.knex('performance_task').where({ id: prayaTask }).first()).title_id).toBe(TASK.title_id)
      await s.db.knex('tenant').insert({ slug: 'lain', name: 'Kabupaten lain' })
      const otherTree = await meetingTree(s, 'lain')
      const otherAdmin = await signIn(s, { tenantId: otherTree.tenantId, email: 'admin@lain.example', role: 'admin' })
      expect((await otherAdmin.request(`/lti/tasks/admin/${prayaTask}`)).status).toBe(404)
      expect((await otherAdmin.request('/lti/tasks/admin/api/tasks')).text).not.toContain(prayaTask)
      expect((await teacherPraya.request('/lti/tasks/admin')).status).toBe(403)
    })

    it('lists the tenant\'s own tasks to a kecamatan\'s editor as tasks from above, without an edit link; an admin edits them', async () => {
      const res = await create(admin, { ...TASK, title_id: 'Tugas seluruh kabupaten', node: '', ...THREE })
      expect(res.status).toBe(303)
      const tenantTask = (await s.db.knex('performance_task').where({ title_id: 'Tugas seluruh kabupaten' }).first()).id as string
      const list = await selongFacilitator.request('/lti/tasks/admin')
      const inherited = /<ul class="queue" id="tln-inherited-tasks">([\s\S]*?)<\/ul>/.exec(list.text)?.[1] ?? ''
      expect(inherited).toContain(`data-task="${tenantTask}"`)
      expect(list.text).not.toContain(`href="/lti/tasks/admin/${tenantTask}"`)
      expect((await selongFacilitator.request(`/lti/tasks/admin/${tenantTask}`)).status).toBe(404)
      // Another kecamatan's task is neither the editor's nor from above.
      expect(list.text).not.toContain(`data-task="${prayaTask}"`)
      const adminList = await admin.request('/lti/tasks/admin')
      expect(adminList.text).toContain(`href="/lti/tasks/admin/${tenantTask}"`)
      expect(adminList.text).not.toContain('id="tln-inherited-tasks"')
    })

    it('serves the tasks as JSON within the editor\'s scope', async () => {
      const mine = JSON.parse((await coordinator.request('/lti/tasks/admin/api/tasks')).text)
      expect(mine.tasks.map((t: { id: string }) => t.id)).toEqual([prayaTask])
      const one = JSON.parse((await coordinator.request(`/lti/tasks/admin/api/tasks/${prayaTask}`)).text)
      expect(one).toMatchObject({ task: { key: 'task-artikel-praktik-baik-praya', taskType: 'BLOG', node: { id: tree.praya.id, name: 'Praya' }, rubricVersion: 1, dueAt: '2026-12-20T09:00:00.000Z' }, rubricVersions: [{ version: 1, current: true, grades: 0 }] })
      expect((await selongFacilitator.request('/lti/tasks/admin/api/tasks')).text).toBe('{"tasks":[]}')
    })

    it('shows the task to the teachers of the kecamatan only', async () => {
      expect((await teacherPraya.request('/lti/tasks/mine')).text).toContain('Artikel praktik baik Praya')
      expect((await teacherSelong.request('/lti/tasks/mine')).text).not.toContain('Artikel praktik baik Praya')
      expect((await teacherSelong.request(`/lti/tasks/mine/${prayaTask}`)).status).toBe(404)
      expect(await s.db.knex('task_assignment').where({ task_id: prayaTask })).toHaveLength(0)
    })

    it('rule: opening a task from the list (GET) writes nothing; its start button (POST with the form token) makes the assignment, once (RFC 9110 §9.2.1)', async () => {
      const assignments = () => s.db.knex('task_assignment').where({ task_id: prayaTask })
      const page = await teacherPraya.request(`/lti/tasks/mine/${prayaTask}`)
      expect(page.status).toBe(200)
      expect(page.text).toContain('Artikel praktik baik Praya')
      expect(page.text).toContain('id="tln-start-task"')
      expect(await assignments()).toHaveLength(0)
      expect((await teacherPraya.request(`/lti/tasks/mine/${prayaTask}`, { form: { csrf: 'forged' } })).status).toBe(403)
      expect(await assignments()).toHaveLength(0)
      const id = await startTask(teacherPraya, prayaTask)
      expect(await assignments()).toHaveLength(1)
      // Started: the GET now leads to the assignment, and a second start makes no second one.
      const again = await teacherPraya.request(`/lti/tasks/mine/${prayaTask}`)
      expect(again.status).toBe(303)
      expect(again.headers.get('location')).toBe(`/lti/tasks/${id}`)
      expect((await teacherPraya.request(`/lti/tasks/mine/${prayaTask}`, { form: { csrf: csrfOf(page.text) } })).headers.get('location')).toBe(`/lti/tasks/${id}`)
      expect(await assignments()).toHaveLength(1)
    })
  })

  describe('rubric versions', () => {
    let assignment: string

    async function submitUrl(teacher: SessionBrowser, taskId: string, url: string): Promise<string> {
      const id = await startTask(teacher, taskId)
      const page = await teacher.request(`/lti/tasks/${id}`)
      expect((await teacher.request(`/lti/tasks/${id}/url`, { form: { csrf: csrfOf(page.text), url } })).status).toBe(303)
      return id
    }
    const save = async (fields: Record<string, string>) => {
      const form = await coordinator.request(`/lti/tasks/admin/${prayaTask}`)
      return coordinator.request(`/lti/tasks/admin/${prayaTask}`, { form: { csrf: csrfOf(form.text), ...TASK, node: tree.praya.id, ...fields } })
    }
    const task = async () => s.db.knex('performance_task').where({ id: prayaTask }).first()

    it('rule: a rubric that graded nothing is changed in place', async () => {
      assignment = await submitUrl(teacherPraya, prayaTask, 'https://tk-cahaya.example/artikel-1')
      const res = await save({ ...THREE, 'c2.weight': '2' })
      expect(res.status).toBe(303)
      expect(await task()).toMatchObject({ rubric_version: 1 })
      expect(await s.db.knex('task_rubric_version').where({ task_id: prayaTask })).toHaveLength(0)
    })

    it('rule: a rubric that graded a submission is not changed in place: a new version, and the old grade keeps its own', async () => {
      const page = await coordinator.request(`/lti/grading/${assignment}`)
      expect(page.status).toBe(200)
      const graded = await coordinator.request(`/lti/grading/${assignment}`, { form: {
        csrf: csrfOf(page.text), submission: /name="submission" value="([^"]+)"/.exec(page.text)![1]!, decision: 'accepted',
        'level.isi-praktik-baik': '4', 'level.bahasa-dan-struktur': '3', 'level.terbit-di-blog-sekolah': '4',
      } })
      expect(graded.status).toBe(303)
      const grade = await s.db.knex('task_grade').first()
      expect(grade).toMatchObject({ rubric_version: 1 })
      // A fourth criterion: the graded version 1 is kept; version 2 is current.
      const res = await save({ ...THREE, 'c2.weight': '2', 'c3.title_id': 'Foto kegiatan', 'c3.indicator': 'PED.C.3', 'c3.weight': '1' })
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe('/lti/tasks/admin?saved=version')
      expect(await task()).toMatchObject({ rubric_version: 2 })
      const [old] = await s.db.knex('task_rubric_version').where({ task_id: prayaTask })
      const oldRubric = typeof old.rubric === 'string' ? JSON.parse(old.rubric) : old.rubric
      expect(old.version).toBe(1)
      expect(oldRubric.criteria).toHaveLength(3)
      expect(oldRubric.criteria[2].weight).toBe(2)
      expect(await s.db.knex('task_grade').first()).toMatchObject({ id: grade.id, rubric_version: 1, score_raw: grade.score_raw })
      const json = JSON.parse((await coordinator.request(`/lti/tasks/admin/api/tasks/${prayaTask}`)).text)
      expect(json.rubricVersions.map((v: { version: number; grades: number; rubric: { criteria: unknown[] } }) => [v.version, v.grades, v.rubric.criteria.length])).toEqual([[2, 0, 4], [1, 1, 3]])
      // Version 2 graded nothing yet: changed in place.
      expect((await save({ ...THREE, 'c2.weight': '5' })).status).toBe(303)
      expect(await task()).toMatchObject({ rubric_version: 2 })
      expect(await s.db.knex('task_rubric_version').where({ task_id: prayaTask })).toHaveLength(1)
    })

    it('rule: the type is fixed once teachers have submitted', async () => {
      const res = await save({ ...THREE, type: 'RPPH', types: 'application/pdf', max_mb: '2' })
      expect(res.status).toBe(400)
      expect([...res.text.matchAll(/data-field="([^"]+)"/g)].map((m) => m[1])).toEqual(['type'])
      expect((await task()).task_type).toBe('BLOG')
    })
  })

  describe('accepted types and size limit', () => {
    it('rule: an upload over the task\'s limit, or of a type it does not take, is refused before it is stored', async () => {
      const res = await create(admin, { ...TASK, type: 'RPPH', title_id: 'RPPH hanya PDF', types: 'application/pdf', max_mb: '1', node: '', ...THREE })
      expect(res.status).toBe(303)
      const taskRow = await s.db.knex('performance_task').where({ title_id: 'RPPH hanya PDF' }).first()
      expect(taskRow).toMatchObject({ node_id: null, max_bytes: 1024 * 1024 })
      const id = await startTask(teacherSelong, taskRow.id)
      const page = await teacherSelong.request(`/lti/tasks/${id}`)
      expect(page.text).toContain('accept=".pdf,application/pdf"')
      expect(page.text).toContain('data-max="1048576"')
      const csrf = csrfOf(page.text)
      const call = (method: string, path: string, body: BodyInit, type: string) => fetch(`${s.url}${path}`, { method, body, headers: { cookie: `tln_session=${teacherSelong.session}`, 'x-tln-csrf': csrf, 'content-type': type } })
      const big = await call('POST', '/lti/tasks/uploads', JSON.stringify({ assignment: id, fileName: 'rpph.pdf', size: 1024 * 1024 + 1 }), 'application/json')
      expect(big.status).toBe(413)
      expect(((await big.json()) as { message: { id: string } }).message.id).toContain('1 MB')
      const created = await call('POST', '/lti/tasks/uploads', JSON.stringify({ assignment: id, fileName: 'rpph.pdf', size: 16 }), 'application/json')
      const upload = ((await created.json()) as { id: string }).id
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82])
      expect((await call('PUT', `/lti/tasks/uploads/${upload}?offset=0`, png, 'application/octet-stream')).status).toBe(415)
      expect(await s.db.knex('task_upload').where({ assignment_id: id })).toHaveLength(0)
      expect(await s.db.knex('task_submission').where({ assignment_id: id })).toHaveLength(0)
    })
  })

  describe('grading scope (two kecamatan)', () => {
    let praya: string
    let selong: string

    beforeAll(async () => {
      // Both teachers submit the tenant-wide default blog task.
      const blog = (await s.db.knex('performance_task').where({ tenant_id: tree.tenantId, key: 'task-blog' }).first()).id
      const submit = async (teacher: SessionBrowser, url: string) => {
        const id = await startTask(teacher, blog)
        const page = await teacher.request(`/lti/tasks/${id}`)
        expect((await teacher.request(`/lti/tasks/${id}/url`, { form: { csrf: csrfOf(page.text), url } })).status).toBe(303)
        return id
      }
      praya = await submit(teacherPraya, 'https://tk-cahaya.example/blog')
      selong = await submit(teacherSelong, 'https://kb-melati.example/blog')
    })

    const queued = (html: string) => [...html.matchAll(/href="\/lti\/grading\/([^"]+)"/g)].map((m) => m[1])

    it('rule: a facilitator\'s queue holds the submissions of teachers at schools of their kecamatan only', async () => {
      expect(queued((await coordinator.request('/lti/grading')).text)).toEqual([praya])
      expect(queued((await selongFacilitator.request('/lti/grading')).text)).toEqual([selong])
      expect(queued((await admin.request('/lti/grading')).text).sort()).toEqual([praya, selong].sort())
    })

    it('rule: opening or grading another kecamatan\'s submission by id is 404, and changes nothing', async () => {
      expect((await selongFacilitator.request(`/lti/grading/${praya}`)).status).toBe(404)
      const own = await selongFacilitator.request(`/lti/grading/${selong}`)
      const graded = await selongFacilitator.request(`/lti/grading/${praya}`, { form: { csrf: csrfOf(own.text), submission: 'x', decision: 'returned', feedback: 'Bukan kelompok saya' } })
      expect(graded.status).toBe(404)
      expect(await s.db.knex('task_assignment').where({ id: praya }).first()).toMatchObject({ status: 'submitted' })
      expect(await s.db.knex('task_grade').where({ feedback: 'Bukan kelompok saya' })).toHaveLength(0)
    })

    it('rule: an LMS instructor placed in no TLN group has no queue (403), and their launch says why', async () => {
      const unplaced = await ltiSession(s, { tenantId: tree.tenantId, platform, sub: 'f-nowhere', name: 'Instruktur', role: 'facilitator' })
      expect((await unplaced.request('/lti/grading')).status).toBe(403)
      expect((await unplaced.request(`/lti/grading/${praya}`)).status).toBe(403)
      expect((await unplaced.request('/lti/items/task-blog')).text).toContain('tln-queue-unplaced')
    })

    it('rule: an LMS instructor placed in no TLN group grades the submissions of the course they launched from, and no other', async () => {
      // LTI Core §5.3.7 (context) and §A.2.3 (Instructor): the LMS vouches for the instructor of its course.
      const blog = (await s.db.knex('performance_task').where({ tenant_id: tree.tenantId, key: 'task-blog' }).first()).id
      const inCourse = await ltiSession(s, { tenantId: tree.tenantId, platform, sub: 't-course-7', name: 'Rina', role: 'teacher', school: tree.selong, contextId: 'course-7' })
      const id = await startTask(inCourse, blog)
      const page = await inCourse.request(`/lti/tasks/${id}`)
      expect((await inCourse.request(`/lti/tasks/${id}/url`, { form: { csrf: csrfOf(page.text), url: 'https://rina.example/blog' } })).status).toBe(303)
      const instructor = await ltiSession(s, { tenantId: tree.tenantId, platform, sub: 'f-course-7', name: 'Instruktur Kelas', role: 'facilitator', contextId: 'course-7' })
      expect(queued((await instructor.request('/lti/grading')).text)).toEqual([id])
      expect((await instructor.request(`/lti/grading/${id}`)).status).toBe(200)
      expect((await instructor.request(`/lti/grading/${praya}`)).status).toBe(404)
      expect((await instructor.request('/lti/tasks/admin')).status).toBe(403)
    })

    it('rule: an LMS instructor with a facilitator grant on Praya grades Praya\'s teachers, within the course of the launch', async () => {
      const dewi = await ltiSession(s, { tenantId: tree.tenantId, platform, sub: 'f-praya', name: 'Dewi', role: 'facilitator', grant: { role: 'facilitator', node: tree.praya } })
      expect(queued((await dewi.request('/lti/grading')).text)).toEqual([praya])
      const page = await dewi.request(`/lti/grading/${praya}`)
      const res = await dewi.request(`/lti/grading/${praya}`, { form: { csrf: csrfOf(page.text), submission: /name="submission" value="([^"]+)"/.exec(page.text)![1]!, decision: 'returned', feedback: 'Tambahkan foto kegiatan.' } })
      expect(res.status).toBe(303)
      expect(await s.db.knex('task_assignment').where({ id: praya }).first()).toMatchObject({ status: 'returned' })
      const inOtherCourse = await ltiSession(s, { tenantId: tree.tenantId, platform, sub: 'f-praya', name: 'Dewi', role: 'facilitator', contextId: 'course-9' })
      // Launched from another course, the same facilitator's queue is that course's: Praya's submission (no course) is not in it.
      expect(queued((await inOtherCourse.request('/lti/grading')).text)).toEqual([])
      expect((await inOtherCourse.request(`/lti/grading/${praya}`)).status).toBe(404)
    })
  })
})
