import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Statements and their lookup index.
 *
 * `seq` is the time-ordered primary key: it is the `stored` order, the paging cursor of `more`
 * links, and the position of the statement stream. The statement is kept as the JSON text it was
 * stored as, so `format=exact` answers are built without re-serialising.
 *
 * `xapi_statement_index` is a posting list per (tenant, kind, key): one row for every Agent,
 * Activity, verb and registration a statement mentions, keyed by a 128-bit hash of the value so
 * that long IRIs fit in a B-tree. `narrow` marks the usages that the plain `agent` / `activity`
 * filters match (actor or object); the `related_*` filters match every row. Rows are also
 * inherited from the statement a StatementRef targets, because filters must match statements
 * that reference a matching statement (xAPI 1.0.3 Communication 2.1.3, "Filter Conditions for
 * StatementRefs").
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table xapi_statement (
      seq bigint generated always as identity primary key,
      tenant_id uuid not null references tenant (id),
      id uuid not null,
      stored timestamptz not null,
      verb_id text not null,
      -- the target of a StatementRef object (voiding statements, comments on a statement)
      object_statement_id uuid,
      voiding boolean not null,
      voided boolean not null default false,
      -- the credential that stored it, for the statements/read/mine scope
      credential_id uuid,
      statement json not null,
      unique (tenant_id, id)
    )`,
    `create index xapi_statement_by_target on xapi_statement (tenant_id, object_statement_id)
      where object_statement_id is not null`,
    `create index xapi_statement_by_stored on xapi_statement (tenant_id, stored)`,
    `create table xapi_statement_index (
      tenant_id uuid not null,
      kind smallint not null,
      key uuid not null,
      seq bigint not null,
      narrow boolean not null,
      primary key (tenant_id, kind, key, seq)
    )`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, ['drop table xapi_statement_index', 'drop table xapi_statement'])
}
