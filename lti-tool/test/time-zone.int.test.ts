import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { csrfOf } from './admin/admin-helpers.ts'
import { meetingTree, signInAs } from './meetings/meeting-helpers.ts'
import { startOrgServer, type Browser, type OrgTestServer } from './org-helpers.ts'
import { rubricFields } from './tasks/task-helpers.ts'

/**
 * One zone per deployment (`TLN_TIME_ZONE`): a TLN for a province on WIB reads and shows every form
 * and page time on WIB, not on Lombok's WITA. A due date typed as 23:59 is 23:59 WIB, stored as
 * 16:59 UTC, shown back as 23:59 WIB, and the form says which clock it reads.
 */
describe(`forms and pages on the deployment's zone (Asia/Jakarta, WIB) on ${testEngine()}`, () => {
  let s: OrgTestServer
  let tree: Awaited<ReturnType<typeof meetingTree>>
  let coordinator: Browser
  let facilitator: Browser

  beforeAll(async () => {
    s = await startOrgServer({ timeZone: 'Asia/Jakarta' })
    // The tool's clock a few days before the meeting and due date below, whatever day the test runs.
    s.advance(Date.parse('2026-11-25T03:00:00Z') - Date.now())
    tree = await meetingTree(s)
    coordinator = (await signInAs(s, tree.tenantId, { email: 'koordinator@example.org', name: 'Koordinator Praya', role: 'coordinator', nodeId: tree.praya.id })).browser
    facilitator = (await signInAs(s, tree.tenantId, { email: 'fasil@example.org', name: 'Dewi Fasilitator', role: 'facilitator', nodeId: tree.praya.id })).browser
  })
  afterAll(async () => { await s?.close() })

  describe('task due date', () => {
    const TASK = {
      type: 'BLOG', title_id: 'Artikel praktik baik', title_en: 'Good-practice article', description_id: 'Tulis artikel.', description_en: '', pass: '70',
      ...rubricFields([{ title: 'Isi praktik baik', indicator: 'PRO.C.3', weight: '1' }]),
    }
    let taskId: string

    it('names the zone the due field reads, in both languages', async () => {
      const form = await coordinator.request('/lti/tasks/admin/new')
      expect(form.status).toBe(200)
      expect(form.text).toContain('Batas waktu (WIB, boleh kosong)')
      expect(form.text).toContain('Due (WIB, optional)')
      expect(form.text).not.toContain('WITA')
    })

    it('stores 2026-12-01T23:59 typed on WIB as 2026-12-01T16:59:00Z, and shows it back as 2026-12-01 23:59 WIB', async () => {
      const form = await coordinator.request('/lti/tasks/admin/new')
      const res = await coordinator.request('/lti/tasks/admin', { form: { csrf: csrfOf(form.text), ...TASK, due: '2026-12-01T23:59', node: tree.praya.id } })
      expect(res.status).toBe(303)
      const row = await s.db.knex('performance_task').where({ title_id: TASK.title_id }).first()
      taskId = row.id
      expect(new Date(row.due_at).toISOString()).toBe('2026-12-01T16:59:00.000Z')
      const list = await coordinator.request('/lti/tasks/admin')
      expect(list.text).toContain('<time datetime="2026-12-01T16:59:00.000Z">2026-12-01 23:59 WIB</time>')
      // The editor comes back filled in on the same clock: saving it unchanged keeps the instant.
      const editor = await coordinator.request(`/lti/tasks/admin/${taskId}`)
      expect(editor.text).toMatch(/name="due" value="2026-12-01T23:59"/)
      expect(editor.text).toContain('Due (WIB, optional)')
    })

    it('rule: a due date that does not exist is refused with the zone named, and nothing is stored', async () => {
      const form = await coordinator.request('/lti/tasks/admin/new')
      const res = await coordinator.request('/lti/tasks/admin', { form: { csrf: csrfOf(form.text), ...TASK, title_id: 'Tugas lain', due: '2026-02-31T10:00', node: tree.praya.id } })
      expect(res.status).toBe(400)
      expect(res.text).toContain('Due date: an existing date and time (WIB), or leave it empty.')
      expect(await s.db.knex('performance_task').where({ title_id: 'Tugas lain' }).first()).toBeUndefined()
    })
  })

  describe('meeting time', () => {
    it('names the zone the start time reads, in both languages', async () => {
      const page = await facilitator.request(`/lti/meetings/groups/${tree.praya.id}`)
      expect(page.status).toBe(200)
      expect(page.text).toContain('Jam mulai (WIB)')
      expect(page.text).toContain('Start time (WIB)')
      expect(page.text).not.toContain('WITA')
    })

    it('stores 2026-12-01 23:59 typed on WIB as 2026-12-01T16:59:00Z, and shows it back as 2026-12-01 23:59 WIB', async () => {
      const page = await facilitator.request(`/lti/meetings/groups/${tree.praya.id}`)
      const res = await facilitator.request(`/lti/meetings/groups/${tree.praya.id}`, { form: { csrf: csrfOf(page.text), kind: 'routine', title: 'Pertemuan rutin', date: '2026-12-01', time: '23:59', place: 'TK Cahaya' } })
      expect(res.status).toBe(303)
      const id = res.headers.get('location')!.split('/').pop()!
      const row = await s.db.knex('tln_meeting').where({ id }).first()
      expect(new Date(row.starts_at).toISOString()).toBe('2026-12-01T16:59:00.000Z')
      const shown = '<time datetime="2026-12-01T16:59:00.000Z">2026-12-01 23:59 WIB</time>'
      expect((await facilitator.request(`/lti/meetings/groups/${tree.praya.id}`)).text).toContain(shown)
      const meeting = await facilitator.request(`/lti/meetings/${id}`)
      expect(meeting.text).toContain(shown)
      // The check-in code opens an hour before the start, on the same clock.
      expect(meeting.text).toContain('2026-12-01 22:59 WIB')
    })
  })
})
