import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * `competence_skipped_statement`: the statements the competence engine passed without projecting
 * them, per tenant (the database refused the statement's projection on its own, or it could not be
 * read). Each is stored in the LRS and acknowledged, so the district reports leave it out: the row
 * keeps that visible (`tln competence status`, `tln competence skipped`) and retryable
 * (`tln competence retry-skipped`, or any rebuild). Written in the transaction that moves the
 * partition's cursor past the statement, and deleted in the one that projects it.
 *
 * - `txid`, `seq`: the statement's stream position (the rebuild and the retry read it again there);
 * - `reason_code` (SQLSTATE, or `unreadable`) and `reason` (the error's first line, bounded): why;
 * - `config_version`: the projection version (the partition's config version) it was refused under;
 * - `first_seen`, `last_seen`, `attempts`: how long and how often it has been refused.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table competence_skipped_statement (
      tenant_id uuid not null references tenant (id),
      statement_id uuid not null,
      txid bigint not null,
      seq bigint not null,
      reason_code text not null check (length(reason_code) <= 32),
      reason text not null check (length(reason) <= 500),
      config_version integer,
      first_seen timestamptz not null default now(),
      last_seen timestamptz not null default now(),
      attempts integer not null default 1 check (attempts >= 1),
      primary key (tenant_id, statement_id)
    )`,
    'create index competence_skipped_statement_position on competence_skipped_statement (tenant_id, txid, seq)',
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, ['drop table competence_skipped_statement'])
}
