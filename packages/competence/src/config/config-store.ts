/**
 * A tenant's competence configurations in `competence_config`, one row per version; the highest
 * is active (issue 6: "Every rating records the rule version that produced it"). Storing a new
 * version makes the engine rebuild every projection from the start of the stream.
 */
import type { Knex } from '@tln/db'
import { DEFAULT_COMPETENCE_CONFIG } from './default-config.ts'
import type { CompetenceConfig, VersionedCompetenceConfig } from './types.ts'
import { validateCompetenceConfig } from './validate-config.ts'

type Db = Knex | Knex.Transaction

interface ConfigRow {
  version: number
  framework: CompetenceConfig['framework']
  rules: CompetenceConfig['rules']
  rating: CompetenceConfig['rating']
  program: CompetenceConfig['program']
}

/** PostgreSQL's unique_violation: another process stored the same version first. */
const UNIQUE_VIOLATION = '23505'

export class CompetenceConfigStore {
  constructor(private readonly knex: Knex) {}

  /** The active config (highest version), or the default (PAUD framework, no aligned rules, default vocabulary) with version 0 when none stored. */
  async active(tenantId: string, trx?: Knex): Promise<VersionedCompetenceConfig> {
    const db: Db = trx ?? this.knex
    const row = (await db('competence_config').select('version', 'framework', 'rules', 'rating', 'program')
      .where({ tenant_id: tenantId }).orderBy('version', 'desc').first()) as ConfigRow | undefined
    if (row === undefined) return { ...DEFAULT_COMPETENCE_CONFIG, version: 0 }
    return { version: row.version, framework: row.framework, rules: row.rules, rating: row.rating, program: row.program }
  }

  /** The active version number only (0 when none stored): what the engine checks before every page. */
  async activeVersion(tenantId: string, trx?: Knex): Promise<number> {
    const db: Db = trx ?? this.knex
    const row = (await db('competence_config').max('version as version').where({ tenant_id: tenantId }).first()) as { version: number | null } | undefined
    return row?.version ?? 0
  }

  /**
   * Validates (framework, rules, rating config, vocabulary: every issue with path + rule) and
   * stores version+1; the engine then rebuilds.
   * @throws CompetenceError `ERR_COMPETENCE_INVALID_CONFIG`; nothing is stored then.
   */
  async put(tenantId: string, config: CompetenceConfig, by: string): Promise<VersionedCompetenceConfig> {
    const valid = validateCompetenceConfig(config)
    const { framework, rules, rating, program } = valid
    for (let attempt = 1; ; attempt++) {
      try {
        const [row] = (await this.knex.raw(
          `insert into competence_config (tenant_id, version, framework, rules, rating, program, created_by)
           select ?, coalesce(max(version), 0) + 1, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?
             from competence_config where tenant_id = ?
           returning version`,
          [tenantId, JSON.stringify(framework), JSON.stringify(rules), JSON.stringify(rating), JSON.stringify(program), by, tenantId],
        )).rows as Array<{ version: number }>
        return { framework, rules, rating, program, version: row!.version }
      } catch (error) {
        // Two administrators saving at once: the loser takes the next version.
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION || attempt >= 3) throw error
      }
    }
  }
}

/** JSON with object keys sorted, so configurations compare by content (jsonb reorders keys). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** True when two configurations say the same (version aside): storing `b` over `a` would change nothing. */
export function sameCompetenceConfig(a: CompetenceConfig, b: CompetenceConfig): boolean {
  const strip = ({ framework, rules, rating, program }: CompetenceConfig) => ({ framework, rules, rating, program })
  return canonical(strip(a)) === canonical(strip(b))
}
