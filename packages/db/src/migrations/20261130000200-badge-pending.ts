import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * The badge issuer's work list (`packages/competence/src/badges`, issue 6 "Credentials for
 * achievement"; docs/performance-notes.md, "Badge issuer at 10,000 completions"). Finding
 * "completions without a badge" by anti-joining every `tier-completed` fact with `open_badge` cost
 * a pass time in proportion to every completion ever made, and the revocation check read every
 * fact of the tenant (a sequential scan of `learning_fact`, 0.7–7 s at 1,000,000 facts), every few
 * seconds, in every server process.
 *
 * - `badge_pending`: one row per non-voided `tier-completed` fact not yet looked at by the
 *   issuer, filled by a statement-level trigger on `learning_fact` inserts (so a rebuild that
 *   inserts the facts again queues them again; the issuer drops those that already have their
 *   badge). The issuer deletes a row in the transaction that issues its badge or finds it needs
 *   none; `attempts` counts failures so that a completion that cannot be issued sinks behind
 *   the others instead of holding up the batch. A pass with nothing to do reads an empty index.
 * - `learning_fact_voided_completion`: the voided tier completions, few, so the revocation check
 *   starts from them instead of from every fact.
 *
 * Existing completions without a badge are queued here.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table badge_pending (
      tenant_id uuid not null references tenant (id),
      statement_id uuid not null,
      at timestamptz not null,
      attempts integer not null default 0 check (attempts >= 0),
      primary key (tenant_id, statement_id)
    )`,
    'create index badge_pending_next on badge_pending (tenant_id, attempts, at, statement_id)',
    `create function learning_fact_badge_pending() returns trigger language plpgsql as $$
      begin
        insert into badge_pending (tenant_id, statement_id, at)
        select tenant_id, statement_id, at from new_facts where kind = 'tier-completed' and not voided
        on conflict do nothing;
        return null;
      end
    $$`,
    `create trigger learning_fact_badge_pending after insert on learning_fact
       referencing new table as new_facts for each statement execute function learning_fact_badge_pending()`,
    `create index learning_fact_voided_completion on learning_fact (tenant_id, statement_id) where kind = 'tier-completed' and voided`,
    `insert into badge_pending (tenant_id, statement_id, at)
     select f.tenant_id, f.statement_id, f.at from learning_fact f
      where f.kind = 'tier-completed' and not f.voided
        and not exists (select 1 from open_badge b where b.tenant_id = f.tenant_id and b.statement_id = f.statement_id)`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [
    'drop index learning_fact_voided_completion',
    'drop trigger learning_fact_badge_pending on learning_fact',
    'drop function learning_fact_badge_pending()',
    'drop table badge_pending',
  ])
}
