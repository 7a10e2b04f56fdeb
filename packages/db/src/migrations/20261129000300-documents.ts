import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Document resources (xAPI 1.0.3 Communication 2.2–2.7): State, Activity Profile and Agent
 * Profile documents, and the canonical Activity definitions served by the Activities resource.
 *
 * `xapi_document` holds one row per document. `key` is a 128-bit hash of everything that names
 * the document (resource kind, activity id, the agent's inverse functional identifier, the
 * registration or none, the document id), so a document is unique per tenant whatever the length
 * of its IRIs, and "no registration" is a value of its own rather than a NULL that a unique index
 * would let repeat. `scope_key` hashes the kind, activity and agent only: the multiple-document
 * GET and DELETE select by it. The content is kept as bytes with its content type, so any
 * document comes back byte-for-byte; `etag` is the SHA-1 hex of the bytes (Communication 3.1).
 *
 * `xapi_activity` holds the LRS's canonical definition of each Activity, merged from statements.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table xapi_document (
      tenant_id uuid not null references tenant (id),
      key uuid not null,
      scope_key uuid not null,
      -- 1 state, 2 activity profile, 3 agent profile
      kind smallint not null,
      activity_id text,
      -- the agent's inverse functional identifier as a comparable key (ifiKey)
      agent_key text,
      registration uuid,
      document_id text not null,
      content_type text not null,
      content bytea not null,
      etag text not null,
      updated timestamptz not null,
      primary key (tenant_id, key)
    )`,
    `create index xapi_document_by_scope on xapi_document (tenant_id, scope_key, updated)`,
    `create table xapi_activity (
      tenant_id uuid not null references tenant (id),
      key uuid not null,
      activity_id text not null,
      definition jsonb not null,
      updated timestamptz not null default now(),
      primary key (tenant_id, key)
    )`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, ['drop table xapi_activity', 'drop table xapi_document'])
}
