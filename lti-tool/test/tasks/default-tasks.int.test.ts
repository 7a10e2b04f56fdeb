import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_TASKS } from '../../src/index.ts'
import { signIn } from '../admin/admin-helpers.ts'
import { meetingTree } from '../meetings/meeting-helpers.ts'
import { startOrgServer, type OrgTestServer } from '../org-helpers.ts'
import { addPlatform, ltiSession } from './task-helpers.ts'

/**
 * The tenant's default tasks are written by writes only: the tool's start (every tenant) and a
 * launch (a POST). The teacher's list, the task editor, its JSON and an item's page are GETs, which
 * RFC 9110 §9.2.1 defines as safe ("read-only"): they used to seed the defaults on first use.
 */
describe(`default tasks are seeded by writes, never by a GET, on ${testEngine()}`, () => {
  let s: OrgTestServer
  beforeAll(async () => { s = await startOrgServer() })
  afterAll(async () => { await s?.close() })

  const tasksOf = async (tenantId: string) => (await s.db.knex('performance_task').where({ tenant_id: tenantId }).orderBy('key').select('key', 'title_id', 'updated_at')) as Array<{ key: string; title_id: string; updated_at: Date }>

  it('the tool\'s start seeds the six default tasks into every tenant, before any request', async () => {
    const tenantId = await s.tool.org.tenantId('default')
    expect((await tasksOf(tenantId)).map((t) => t.key)).toEqual(DEFAULT_TASKS.map((t) => t.key).sort())
  })

  it('the teacher\'s list, the editor, its JSON and an item\'s page write nothing; the next start seeds a tenant made since, and the list shows the defaults as before', async () => {
    await s.db.knex('tenant').insert({ slug: 'baru', name: 'Kabupaten baru' })
    const tree = await meetingTree(s, 'baru')
    const platform = await addPlatform(s, 'https://lms.baru.example', 'baru')
    const teacher = await ltiSession(s, { tenantId: tree.tenantId, platform, sub: 't-baru', name: 'Guru Baru', role: 'teacher', school: tree.school })
    const admin = await signIn(s, { tenantId: tree.tenantId, email: 'admin@baru.example', role: 'admin' })
    const total = async () => Number((await s.db.knex('performance_task').count('* as n').first())!.n)
    const before = await total()

    expect((await teacher.request('/lti/tasks/mine')).status).toBe(200)
    expect((await admin.request('/lti/tasks/admin')).status).toBe(200)
    const api = await admin.request('/lti/tasks/admin/api/tasks')
    expect(api.status).toBe(200)
    expect(JSON.parse(api.text)).toEqual({ tasks: [] })
    expect((await teacher.request(`/lti/items/${DEFAULT_TASKS[0]!.key}`)).status).toBe(404)
    expect(await total()).toBe(before)
    expect(await tasksOf(tree.tenantId)).toEqual([])

    // What `createLtiTool` runs at start (a second start needs the first one's key secret; this is its seeding).
    await s.tool.tasks.store.ensureDefaultsEverywhere()
    const seeded = await tasksOf(tree.tenantId)
    expect(seeded.map((t) => t.key)).toEqual(DEFAULT_TASKS.map((t) => t.key).sort())
    const page = await teacher.request('/lti/tasks/mine')
    expect(page.status).toBe(200)
    for (const t of DEFAULT_TASKS) expect(page.text).toContain(t.title.id)
    expect(await tasksOf(tree.tenantId)).toEqual(seeded)
  })
})
