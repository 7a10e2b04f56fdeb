import type { Knex } from '@tln/db'
import { ProgramStore, type ProgramDocument } from '@tln/lti-tool'

/**
 * A program as an administrator stores it (`ProgramStore.putDocument`), for the picker tests: one
 * Dasar tier (48 JP) with the three phases of the first catalogue's links (`in-service-1`,
 * `on-the-job-learning`, `in-service-2`), each with the given module codes (4 JP each).
 */
export async function putProgram(knex: Knex, tenantId: string, input: { code: string; active: boolean; modules: Readonly<Record<'in-service-1' | 'on-the-job-learning' | 'in-service-2', readonly string[]>> }): Promise<void> {
  const phase = (code: keyof typeof input.modules, kind: 'in-service' | 'on-the-job', hours: number, name: string) => ({
    code, kind, hours, name: { id: name, en: name },
    modules: input.modules[code].map((m) => ({ code: m, name: { id: `Modul ${m}`, en: `Module ${m}` }, hours: 4, lmsActivityIds: [] })),
  })
  const doc: ProgramDocument = {
    format: 'tln-program/1', code: input.code, name: { id: `Program ${input.code}`, en: `Programme ${input.code}` }, active: input.active,
    tiers: [{
      level: 'dasar', name: { id: 'Diklat Berjenjang Tingkat Dasar', en: 'Tiered Training, Basic Level' }, hours: 48,
      completion: { allModules: true, postTestMinPercent: 70, tasksAccepted: true, minAttendancePercent: null },
      phases: [
        phase('in-service-1', 'in-service', 16, 'In-Service Learning 1'),
        phase('on-the-job-learning', 'on-the-job', 20, 'On-the-Job Learning'),
        phase('in-service-2', 'in-service', 12, 'In-Service Learning 2'),
      ],
    }],
    quotas: {},
  }
  await new ProgramStore(knex).putDocument(tenantId, doc, 'test')
}
