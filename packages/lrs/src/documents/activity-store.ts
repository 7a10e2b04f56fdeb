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
    const definitions = [...definitionsInStatements(statements)]
      .map(([id, definition]) => ({ key: activityKey(id), activity_id: id, definition }))
      .sort((a, b) => (a.key < b.key ? -1 : 1))
    if (definitions.length === 0) return
    // Most statements repeat a definition the LRS has already. Those rows are left out before the
    // INSERT (a plain read, no lock): `on conflict do update … where false` would still lock each
    // row until commit, and concurrent batches naming the same Activities then waited on each
    // other (issue 7: `Lock:transactionid` was the main wait of batch-100 ingest). The WHERE of
    // the upsert repeats the test against the latest row version, for a concurrent change.
    await tx.raw(
      `insert into xapi_activity as a (tenant_id, key, activity_id, definition, updated)
       select ?::uuid, d.key, d.activity_id, d.definition, now()
         from jsonb_to_recordset(?::jsonb) as d(key uuid, activity_id text, definition jsonb)
        where not exists (select 1 from xapi_activity s
                           where s.tenant_id = ?::uuid and s.key = d.key and s.definition = ${mergedDefinition('s.definition', 'd.definition')})
        order by d.key
       on conflict (tenant_id, key) do update
          set definition = ${mergedDefinition('a.definition', 'excluded.definition')}, updated = excluded.updated
        where a.definition is distinct from ${mergedDefinition('a.definition', 'excluded.definition')}`,
      [tenantId, JSON.stringify(definitions), tenantId],
    )
  }

  /**
   * A query to embed in another statement (the statement INSERT, so it costs no round trip of
   * its own) that returns a row when storing the definitions `statements` carry could change a
   * canonical definition, and none when the LRS holds each of them already: the usual case, since
   * statements repeat their Activities' definitions. With none, `upsertDefinitions` can be left
   * out (issue 7: it was a second round trip for every group of single-statement requests).
   * Each statement's definitions are tested on their own: one that adds nothing to the stored
   * definition, merged with others that add nothing, adds nothing, so "none" holds for any subset
   * of `statements` too (the new ones only). Undefined when they carry no definition.
   */
  changedDefinitionsSql(tenantId: string, statements: readonly Statement[]): { sql: string; bindings: unknown[] } | undefined {
    // The records as JSON text, each definition serialised once; a key is a UUID and needs no escaping.
    const distinct = new Set<string>()
    for (const statement of statements) {
      for (const [id, definition] of definitionsInStatements([statement])) distinct.add(`{"key":"${activityKey(id)}","definition":${JSON.stringify(definition)}}`)
    }
    if (distinct.size === 0) return undefined
    return {
      sql: `select 1 from jsonb_to_recordset(?::jsonb) as d(key uuid, definition jsonb)
             where not exists (select 1 from xapi_activity s
                                where s.tenant_id = ?::uuid and s.key = d.key and s.definition = ${mergedDefinition('s.definition', 'd.definition')})`,
      bindings: [`[${[...distinct].join(',')}]`, tenantId],
    }
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

/** `mergeDefinitions` in SQL: `incoming` replaces properties of `stored`, language maps merge per language. */
function mergedDefinition(stored: string, incoming: string): string {
  const languageMap = (name: string) =>
    `case when ${stored}->'${name}' is not null and ${incoming}->'${name}' is not null
          then jsonb_build_object('${name}', (${stored}->'${name}') || (${incoming}->'${name}'))
          else '{}'::jsonb end`
  return `(${stored} || ${incoming} || ${languageMap('name')} || ${languageMap('description')})`
}

/** A 128-bit key for an Activity id, so that IRIs of any length fit the primary key. */
function activityKey(activityId: string): string {
  const hex = createHash('sha256').update(`activity\u0000${activityId}`).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}
