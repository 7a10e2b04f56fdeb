import { createHash } from 'node:crypto'
import type { Knex } from '@tln/db'
import type { ActivityDefinition, Statement } from '@tln/xapi'
import { definitionsInStatements } from './activity-definitions.ts'

/**
 * The canonical Activity definitions (`xapi_activity`): what the Activities resource answers
 * (xAPI 1.0.3 Communication 2.5) and what `format=canonical` may use (2.1.3). Every method takes
 * the knex (or transaction) and the tenant.
 */
export class ActivityStore {
  /**
   * Folds the definitions carried by `statements` into the canonical ones, inside the statement
   * transaction `tx`, so a definition changes only if its statements are stored. Call it only
   * for credentials that may define (`mayDefine`): without the `define` scope the LRS "SHOULD
   * NOT update its canonical representation" (Communication 4.2). The stored definition is merged
   * in SQL (`mergeDefinitions` rule), so concurrent batches do not lose each other's languages.
   */
  async upsertDefinitions(tx: Knex, tenantId: string, statements: readonly Statement[]): Promise<void> {
    // Sorted by key so that concurrent batches lock the same rows in the same order (no deadlock).
    const definitions = [...definitionsInStatements(statements)].sort(([a], [b]) => (activityKey(a) < activityKey(b) ? -1 : 1))
    if (definitions.length === 0) return
    const languageMap = (name: string) =>
      `case when xapi_activity.definition->'${name}' is not null and excluded.definition->'${name}' is not null
            then jsonb_build_object('${name}', (xapi_activity.definition->'${name}') || (excluded.definition->'${name}'))
            else '{}'::jsonb end`
    const merged = `xapi_activity.definition || excluded.definition || ${languageMap('name')} || ${languageMap('description')}`
    await tx('xapi_activity')
      .insert(definitions.map(([id, definition]) => ({ tenant_id: tenantId, key: activityKey(id), activity_id: id, definition: JSON.stringify(definition), updated: tx.fn.now() })))
      .onConflict(['tenant_id', 'key'])
      .merge({
        definition: tx.raw(merged),
        updated: tx.raw('excluded.updated'),
      })
      // Most statements repeat a definition the LRS has already: then nothing is rewritten
      // (no new row version, no WAL), which keeps ingest of definition-carrying statements cheap.
      .where(tx.raw(`xapi_activity.definition is distinct from (${merged})`))
  }

  /** The canonical definitions of the given Activity ids that the LRS knows. */
  async find(db: Knex, tenantId: string, activityIds: readonly string[]): Promise<Map<string, ActivityDefinition>> {
    if (activityIds.length === 0) return new Map()
    const rows = (await db('xapi_activity')
      .select('activity_id', db.raw('definition::text as definition'))
      .where('tenant_id', tenantId)
      .whereIn('key', activityIds.map(activityKey))) as Array<{ activity_id: string; definition: string }>
    return new Map(rows.map((row) => [row.activity_id, JSON.parse(row.definition) as ActivityDefinition]))
  }
}

/** A 128-bit key for an Activity id, so that IRIs of any length fit the primary key. */
function activityKey(activityId: string): string {
  const hex = createHash('sha256').update(`activity\u0000${activityId}`).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}
