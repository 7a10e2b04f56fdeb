import { ROLE } from '@tln/lti-v1p3'
import { FACILITATORS, KECAMATAN, SCHOOLS, TEACHERS } from '../seed/lombok-tengah.ts'

/** The LIS role the demo LMS sends for a person (LTI Core 1.3 §A.2.3): a teacher takes the course, a facilitator teaches it. */
export function lisRole(person: Pick<DemoLmsPerson, 'role'>): string {
  return person.role === 'teacher' ? ROLE.learner : ROLE.instructor
}

/** One demo person with an account on the demo LMS: `sub` is the LMS account, `externalId` the demo person it is linked to. */
export interface DemoLmsPerson {
  readonly sub: string
  readonly externalId: string
  readonly name: string
  readonly role: 'teacher' | 'facilitator'
  /** Where they work, for the page: the school of a teacher, the kecamatan a facilitator accompanies. */
  readonly where: string
}

/** The course every demo person is enrolled in, and the task (catalogue item) each person's own button launches. */
export const DEMO_COURSE = { id: 'dbtd-2026', label: 'DBTD', title: 'Diklat Berjenjang Tingkat Dasar' } as const
export const DEMO_TASK = { item: 'task-rpph' } as const

/** Three teachers at three schools (two kecamatan) and the facilitator who accompanies their kecamatan. The demo organisation has no coordinator. */
const TEACHER_IDS = ['ptk-001', 'ptk-004', 'ptk-006'] as const
const FACILITATOR_ID = 'fas-02'

/** The demo LMS's accounts, in page order: teachers first, then the facilitator. */
export function demoLmsPeople(): readonly DemoLmsPerson[] {
  const teachers = TEACHER_IDS.map((id) => {
    const t = TEACHERS.find((p) => p.id === id)!
    return { sub: `demo-${t.id}`, externalId: t.id, name: t.name, role: 'teacher' as const, where: SCHOOLS.find((s) => s.npsn === t.npsn)!.name }
  })
  const f = FACILITATORS.find((p) => p.id === FACILITATOR_ID)!
  return [...teachers, { sub: `demo-${f.id}`, externalId: f.id, name: f.name, role: 'facilitator', where: `Kecamatan ${f.kecamatan.map((slug) => KECAMATAN.find((k) => k.slug === slug)!.name).join(', ')}` }]
}
