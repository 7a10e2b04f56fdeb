/**
 * The paper's program as an administrator would enter it (issue 5): Teacher Learning Network PAUD
 * Lombok Tengah 2026 with its tier Diklat Berjenjang Tingkat Dasar (48 JP, DOMAIN.md), the three
 * phases In-Service 1 → On-the-Job Learning → In-Service 2 with their modules, and the quotas of
 * the 12 kecamatan. Stored through the same store as the admin pages (`ProgramStore.putDocument`),
 * with the demo's activity IRIs (`demo-program.ts`), so the demo statements name its parts.
 * Hours per phase and module are MADE UP *(verify against BPPAUD material)*.
 */
import type { Knex } from '@tln/db'
import { ProgramStore, type ProgramDocument } from '@tln/lti-tool'
import { QUOTA_PER_KECAMATAN } from './demo-competence.ts'
import { MODULES, PHASES, POST_TEST, PROGRAM, TIER } from './demo-program.ts'
import { KECAMATAN } from './lombok-tengah.ts'

/** Jam pelajaran of the tier (DOMAIN.md: Dasar 48 JP *(verify)*). */
export const TIER_HOURS = 48
/** JP per phase, by slug *(verify)*: they add up to the tier's. */
const PHASE_HOURS: Readonly<Record<(typeof PHASES)[number]['slug'], number>> = { 'in-service-1': 16, 'on-the-job-learning': 20, 'in-service-2': 12 }
/** JP per module, in `MODULES` order *(verify)*: each phase's within the phase's. */
const MODULE_HOURS = [4, 6, 6, 10, 10, 8]

const text = (name: Record<string, string>) => ({ id: name['id-ID']!, en: name['en-US']! })
const lastSegment = (iri: string) => iri.slice(iri.lastIndexOf('/') + 1)

/** The demo program document: data only, the same on every run. */
export function demoProgramDocument(): ProgramDocument {
  return {
    format: 'tln-program/1',
    code: lastSegment(PROGRAM.id),
    name: text(PROGRAM.name),
    active: true,
    activityId: PROGRAM.id,
    tiers: [{
      level: 'dasar',
      name: text(TIER.name),
      hours: TIER_HOURS,
      completion: { allModules: true, postTestMinPercent: Math.round(POST_TEST.passScaled * 100), tasksAccepted: true, minAttendancePercent: null },
      activityId: TIER.id,
      phases: PHASES.map((phase) => ({
        code: phase.slug,
        name: text(phase.name),
        kind: phase.slug === 'on-the-job-learning' ? 'on-the-job' : 'in-service',
        hours: PHASE_HOURS[phase.slug],
        activityId: phase.id,
        modules: phase.modules.map((i) => ({ code: lastSegment(MODULES[i]!.id), name: text(MODULES[i]!.name), hours: MODULE_HOURS[i]!, lmsActivityIds: [], activityId: MODULES[i]!.id })),
      })),
    }],
    quotas: Object.fromEntries(KECAMATAN.map((k) => [k.code, QUOTA_PER_KECAMATAN])),
  }
}

/**
 * Stores the demo program for the tenant (after its kecamatan exist). Idempotent: a second run
 * finds every row as it is and writes nothing; it publishes a competence config version only if
 * the demo configuration's phases or quotas differ from the program's (they do not).
 */
export async function seedDemoProgram(knex: Knex, tenantId: string): Promise<{ programId: string; configVersion: number; published: boolean }> {
  const saved = await new ProgramStore(knex).putDocument(tenantId, demoProgramDocument(), 'tln seed demo')
  return { programId: saved.id, configVersion: saved.version, published: saved.published }
}
