import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Data exchange: the ordered statement stream, the export audit log, and statement forwarding.
 *
 * `xapi_statement.txid` is the id of the transaction that stored the row. `seq` alone is not a
 * safe stream position: a transaction that drew a lower `seq` can commit after a higher one was
 * read. Readers take rows in `(txid, seq)` order and only below the oldest transaction still
 * running (`pg_snapshot_xmin`), so nothing can commit behind a position once it was read (see
 * packages/lrs/src/stream). Existing rows get the migrating transaction's id, which keeps them in
 * `seq` order. `pg_current_xact_id()` is the 64-bit, epoch-extended id: it never wraps.
 *
 * `export_audit` records every bulk export: who, when, with which filters, how many rows
 * (accountability for personal data, UU 27/2022).
 *
 * `forward_target` is a remote LRS that a tenant's statements are forwarded to, with its stream
 * cursor and the lease that lets one process forward to it at a time; `secret_sealed` is the
 * remote's Basic secret encrypted with the server's secret key (AES-256-GCM), never the secret.
 * `forward_dead_letter` keeps statements the remote refused (4xx), with its answer.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `alter table xapi_statement add column txid bigint not null default (pg_current_xact_id()::text::bigint)`,
    `create index xapi_statement_stream on xapi_statement (tenant_id, txid, seq)`,
    `create index xapi_statement_stream_all on xapi_statement (txid, seq)`,
    `create table export_audit (
      id bigint generated always as identity primary key,
      tenant_id uuid not null references tenant (id),
      credential_id uuid,
      credential_key text not null,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      format text not null,
      filters jsonb not null,
      rows bigint not null default 0,
      -- true when the whole answer was written; false when the client went away or it failed
      completed boolean not null default false
    )`,
    `create index export_audit_by_tenant on export_audit (tenant_id, started_at)`,
    `create table forward_target (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      name text not null,
      endpoint text not null,
      auth_key text not null,
      secret_sealed text not null,
      xapi_version text not null,
      verbs text[] not null default '{}',
      activity_prefix text,
      enabled boolean not null default true,
      cursor_txid bigint not null default 0,
      cursor_seq bigint not null default 0,
      lease_owner text,
      lease_until timestamptz,
      last_error text,
      last_success_at timestamptz,
      forwarded bigint not null default 0,
      created_at timestamptz not null default now(),
      unique (tenant_id, name)
    )`,
    `create table forward_dead_letter (
      id bigint generated always as identity primary key,
      target_id uuid not null references forward_target (id) on delete cascade,
      seq bigint not null,
      statement_id uuid not null,
      status integer not null,
      error text not null,
      created_at timestamptz not null default now(),
      retried_at timestamptz,
      unique (target_id, seq)
    )`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [
    'drop table forward_dead_letter',
    'drop table forward_target',
    'drop table export_audit',
    'drop index xapi_statement_stream_all',
    'drop index xapi_statement_stream',
    'alter table xapi_statement drop column txid',
  ])
}
