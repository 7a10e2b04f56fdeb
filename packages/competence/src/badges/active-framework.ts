import type { Knex } from '@tln/db'
import { toCasePackage } from '../case/to-case-package.ts'
import type { CaseItem, CasePackage } from '../case/types.ts'
import type { Framework } from '../framework/types.ts'
import { validateFramework } from '../framework/validate-framework.ts'
import type { EvidenceRule } from '../rules/types.ts'
import { PAUD_EDUCATOR_COMPETENCES } from '../seed/paud-competences.ts'

export interface ActiveFramework {
  readonly framework: Framework
  readonly rules: readonly EvidenceRule[]
  /** CASE `lastChangeDateTime`: the framework's own, else when its config version was saved. */
  readonly changed: string
}

/** Before any configuration is saved, the seed framework is the one in force (Permendikbud 137/2014). */
const SEED: ActiveFramework = { framework: PAUD_EDUCATOR_COMPETENCES, rules: [], changed: '2014-01-01T00:00:00Z' }

interface ConfigRow { tenant_id: string; framework: Framework | string; rules: EvidenceRule[] | string; created_at: Date | string }

function parse<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value
}

function toActive(row: ConfigRow): ActiveFramework {
  const framework = parse(row.framework)
  return { framework, rules: parse(row.rules), changed: framework.lastChangeDateTime ?? new Date(row.created_at).toISOString() }
}

/**
 * The framework each tenant has in force (`competence_config`, highest version), read-only: what
 * badges align to and what the CASE endpoints serve.
 */
export class ActiveFrameworks {
  constructor(private readonly knex: Knex) {}

  async of(tenantId: string): Promise<ActiveFramework> {
    const row = (await this.knex('competence_config').where({ tenant_id: tenantId }).orderBy('version', 'desc').first()) as ConfigRow | undefined
    return row === undefined ? SEED : toActive(row)
  }

  /** Every tenant's active framework, and the seed. */
  async all(): Promise<ActiveFramework[]> {
    const rows = (await this.knex.raw(
      `select distinct on (tenant_id) tenant_id, framework, rules, created_at from competence_config order by tenant_id, version desc`,
    )).rows as ConfigRow[]
    return [...rows.map(toActive), SEED]
  }

  /**
   * The CASE 1.0 CFPackage (`baseUri` e.g. `https://tln.example/ims/case/v1p0`) whose CFDocument or
   * one of whose CFItems has this identifier. Frameworks that no longer validate are skipped.
   */
  async casePackageHolding(identifier: string, baseUri: string): Promise<{ pkg: CasePackage; item?: CaseItem } | undefined> {
    for (const active of await this.all()) {
      let pkg: CasePackage
      try {
        pkg = toCasePackage(validateFramework(active.framework), { baseUri, lastChangeDateTime: active.changed })
      } catch {
        continue
      }
      if (pkg.CFDocument.identifier === identifier) return { pkg }
      const item = pkg.CFItems.find((i) => i.identifier === identifier)
      if (item !== undefined) return { pkg, item }
    }
    return undefined
  }
}
