import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Statements of the TLN tool are never lost, and mentoring evidence uploads resume (issue 5).
 *
 * - `tool_statement_outbox`: an xAPI statement the tool owes the LRS, written in the same
 *   transaction as the row it records (an attendance, an evaluation, a mentoring session, a
 *   submission, a grade…). The request delivers it at once and deletes the row; when the LRS
 *   failed, the tool's outbox deliverer retries it (`next_attempt_at`, backoff with jitter),
 *   leasing rows (`leased_until`, `FOR UPDATE SKIP LOCKED`) so two processes never work on the
 *   same one. `stored_flag` names the domain row's `*_statement_stored` column to set once every
 *   statement carrying the same flag is delivered (`lti-tool/src/xapi/statement-outbox.ts`).
 *   Ids are unique per tenant: the statement ids are derived from the rows, so adding twice is once.
 * - `mentoring_upload`: a resumable evidence upload of a mentoring session in progress, like
 *   `task_upload` (`received` bytes of `size`, content appended chunk by chunk), owned by the
 *   mentor's relation. An upload never completed is deleted by the tool's cleanup after a day.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table tool_statement_outbox (
      id bigserial primary key,
      tenant_id uuid not null references tenant (id),
      statement_id uuid not null,
      statement jsonb not null,
      stored_flag jsonb,
      created_at timestamptz not null default now(),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_error text,
      leased_until timestamptz,
      unique (tenant_id, statement_id)
    )`,
    'create index tool_statement_outbox_due on tool_statement_outbox (next_attempt_at, id)',
    `create table mentoring_upload (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      relation_id uuid not null references mentoring_relation (id) on delete cascade,
      file_name text not null,
      size integer not null check (size > 0),
      received integer not null default 0,
      content bytea not null default ''::bytea,
      expires_at timestamptz not null,
      created_at timestamptz not null default now(),
      check (received <= size)
    )`,
    'create index mentoring_upload_created on mentoring_upload (created_at)',
    'create index task_upload_created on task_upload (created_at)',
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [
    'drop index task_upload_created',
    'drop table mentoring_upload',
    'drop table tool_statement_outbox',
  ])
}
