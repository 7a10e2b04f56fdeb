/**
 * Connects the programs to the competence reports. The engine recognises phases and counts
 * participants against quotas through the tenant's competence configuration
 * (`ProgramVocabulary.phases`, `.quotas`, in `@tln/competence`); a program save republishes that
 * part, inside the save's transaction, so the tables and the configuration never disagree.
 *
 * Only a change the reports can see stores a new configuration version (which makes the engine
 * rebuild the tenant's projections from the start of the stream): renaming a module or moving its
 * hours stores none. Framework, rules, rating method and the vocabulary's activity types are kept
 * as they are.
 */
import { CompetenceConfigStore, sameCompetenceConfig, type CompetenceConfig, type ProgramVocabulary } from '@tln/competence'
import type { Knex } from '@tln/db'
import type { Published } from './types.ts'

type Db = Knex | Knex.Transaction

const LEVEL_ORDER = `case t.level when 'dasar' then 1 when 'lanjut' then 2 else 3 end`

/**
 * The phases (in order: active programs by code, tiers by level, phases by position) and the
 * quotas (by kecamatan code, summed over active programs) of a tenant's programs. With more than
 * one tier published, a phase's name starts with its tier's, so the funnel stays readable.
 */
export async function programVocabulary(db: Db, tenantId: string): Promise<Pick<ProgramVocabulary, 'phases' | 'quotas'>> {
  const phases = (await db('program_phase as ph')
    .join('program_tier as t', 't.id', 'ph.tier_id')
    .join('program as p', 'p.id', 't.program_id')
    .where({ 'p.tenant_id': tenantId, 'p.active': true })
    .orderBy([{ column: 'p.code' }])
    .orderByRaw(LEVEL_ORDER)
    .orderBy('ph.position')
    .select('ph.activity_id', 'ph.name_id', 'ph.name_en', 't.id as tier_id', 't.name_id as tier_name_id', 't.name_en as tier_name_en')) as Array<Record<string, string>>
  const tiers = new Set(phases.map((p) => p['tier_id']))
  const quotaRows = (await db('program_quota as q')
    .join('program as p', 'p.id', 'q.program_id')
    .join('org_node as k', 'k.id', 'q.kecamatan_id')
    .where({ 'p.tenant_id': tenantId, 'p.active': true })
    .groupBy('k.code').orderBy('k.code')
    .select('k.code').sum('q.participants as participants')) as Array<{ code: string; participants: number | string }>
  return {
    phases: phases.map((p) => ({
      id: p['activity_id']!,
      name: tiers.size > 1 ? { id: `${p['tier_name_id']} — ${p['name_id']}`, en: `${p['tier_name_en']} — ${p['name_en']}` } : { id: p['name_id']!, en: p['name_en']! },
    })),
    quotas: Object.fromEntries(quotaRows.map((q) => [q.code, Number(q.participants)])),
  }
}

/**
 * Stores the tenant's program vocabulary as a new competence config version when it differs from
 * the active one; call it inside the transaction that changed the programs.
 */
export async function publishProgramVocabulary(trx: Knex.Transaction, tenantId: string, by: string): Promise<Published> {
  // CompetenceConfigStore takes a Knex; a transaction is one (knex's Transaction extends Knex).
  const configs = new CompetenceConfigStore(trx)
  const active = await configs.active(tenantId, trx)
  const { phases, quotas } = await programVocabulary(trx, tenantId)
  const { phases: _oldPhases, quotas: _oldQuotas, ...kept } = active.program
  const program: ProgramVocabulary = {
    ...kept,
    ...(phases !== undefined && phases.length > 0 && { phases }),
    ...(quotas !== undefined && Object.keys(quotas).length > 0 && { quotas }),
  }
  const next: CompetenceConfig = { framework: active.framework, rules: active.rules, rating: active.rating, program }
  if (sameCompetenceConfig(active, next)) return { version: active.version, published: false }
  return { version: (await configs.put(tenantId, next, by)).version, published: true }
}
