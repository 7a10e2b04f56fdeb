import { describe, expect, it } from 'vitest'
import { DEFAULT_TASKS } from './default-tasks.ts'
import { gradingQueuePage, teacherTaskPage } from './pages.ts'
import type { Assignment } from './task-store.ts'

const rpph = DEFAULT_TASKS.find((t) => t.key === 'task-rpph')!
const assignment: Assignment = {
  id: 'a1', tenantId: 't1', tenant: 'lombok-tengah', status: 'submitted',
  task: { ...rpph, id: 'task-1', tenantId: 't1', rubricVersion: 1, dueAt: new Date('2026-12-04T15:59:00Z') },
  teacher: { id: 'u1', sub: 'ptk-001', name: 'Baiq Nurhasanah' },
  platformId: 'p1', issuer: 'https://lms.example.org', contextTitle: 'Diklat Berjenjang Tingkat Dasar',
  updatedAt: new Date('2026-11-30T22:21:00Z'),
}

describe('task pages', () => {
  it('show when a submission came in on the deployment\'s clock (Lombok, WITA): 22:21 UTC is 06:21 the next morning', () => {
    expect(gradingQueuePage([assignment], { timeZone: 'Asia/Makassar' })).toContain('<time datetime="2026-11-30T22:21:00.000Z">2026-12-01 06:21 WITA</time>')
    expect(gradingQueuePage([assignment], { timeZone: 'Asia/Jakarta' })).toContain('<time datetime="2026-11-30T22:21:00.000Z">2026-12-01 05:21 WIB</time>')
  })

  it('show a due date on the clock the task form read it on (WITA in Lombok, WIT in Papua)', () => {
    expect(teacherTaskPage({ assignment, versions: [], csrf: 'c', timeZone: 'Asia/Makassar' })).toContain('2026-12-04 23:59 WITA')
    expect(teacherTaskPage({ assignment, versions: [], csrf: 'c', timeZone: 'Asia/Jayapura' })).toContain('2026-12-05 00:59 WIT')
  })
})
