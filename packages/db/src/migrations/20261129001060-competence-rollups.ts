import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Roll-ups of `learning_fact` for the district dashboard (issue 6, "Projection tables per teacher
 * × indicator, rolled up per school, kecamatan (TLN group), district and month"; issue 7: district
 * dashboard < 200 ms at 10,000 teachers / 1,000,000 statements). Statement-level triggers on
 * `learning_fact` keep them in step with the facts in the writing transaction (the engine's page
 * transaction): a fact inserted not voided adds, voiding one subtracts, deleting one (a rebuild)
 * subtracts, so every writer of facts keeps the invariant "a roll-up counts exactly the non-voided
 * facts" and the unfiltered dashboard reads O(teachers) small rows instead of every fact.
 * Triggers over transition tables, not per-row ones: one set-based upsert per statement (page).
 *
 * - `learner_stage`: per learner and funnel stage, how many non-voided facts put the learner
 *   there: `fact` (any fact: enrolled), `phase-completed` (per phase `object_id`), `post-test`
 *   (an assessment with success), `tier-completed`, `task-passed` (a task score with success).
 *   `object_id` is '' except for phases. Rows whose count falls to 0 are deleted.
 * - `activity_attendance`: per attended activity (meeting), its non-voided attendances and how
 *   many of them name a facilitator (`related_key`).
 *
 * Existing facts are rolled up here, so a database migrated with projections already built needs
 * no rebuild.
 */
/** Rows of a transition table as signed deltas (only non-voided facts count). */
function signed(table: string, sign: 1 | -1): string {
  return `select tenant_id, learner_key, kind, object_id, success, related_key, ${sign} as sign from ${table} where not voided`
}

/** The trigger function body: applies `delta` (signed fact rows) to both roll-ups. */
function rollupFunction(name: string, delta: string, removed: boolean): string {
  const dropEmpty = removed
    ? `delete from learner_stage s using (select distinct tenant_id, learner_key from old_facts) o
        where s.tenant_id = o.tenant_id and s.learner_key = o.learner_key and s.facts <= 0;
      delete from activity_attendance a using (select distinct tenant_id, object_id from old_facts where kind = 'attended') o
        where a.tenant_id = o.tenant_id and a.object_id = o.object_id and a.attendances <= 0;`
    : ''
  return `create function ${name}() returns trigger language plpgsql as $$
    begin
      with delta as (${delta}),
      stage_rows as (
        select tenant_id, learner_key, 'fact'::text as stage, ''::text as object_id, sign from delta
        union all
        select tenant_id, learner_key,
               case when kind = 'assessment' then 'post-test' when kind = 'task-scored' then 'task-passed' else kind end,
               case when kind = 'phase-completed' then object_id else '' end, sign
          from delta
         where kind in ('phase-completed', 'tier-completed') or (kind in ('assessment', 'task-scored') and success)),
      stages as (
        insert into learner_stage (tenant_id, learner_key, stage, object_id, facts)
        select tenant_id, learner_key, stage, object_id, sum(sign)::int from stage_rows
         group by tenant_id, learner_key, stage, object_id having sum(sign) <> 0
        on conflict (tenant_id, learner_key, stage, object_id) do update set facts = learner_stage.facts + excluded.facts)
      insert into activity_attendance (tenant_id, object_id, attendances, with_facilitator)
      select tenant_id, object_id, sum(sign)::int, coalesce(sum(sign) filter (where related_key is not null), 0)::int from delta
       where kind = 'attended' group by tenant_id, object_id having sum(sign) <> 0
      on conflict (tenant_id, object_id) do update set attendances = activity_attendance.attendances + excluded.attendances,
        with_facilitator = activity_attendance.with_facilitator + excluded.with_facilitator;
      ${dropEmpty}
      return null;
    end
  $$`
}

export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table learner_stage (
      tenant_id uuid not null references tenant (id),
      learner_key text not null,
      stage text not null check (stage in ('fact', 'phase-completed', 'post-test', 'tier-completed', 'task-passed')),
      object_id text not null default '',
      facts integer not null,
      primary key (tenant_id, learner_key, stage, object_id)
    )`,
    `create index learner_stage_stage on learner_stage (tenant_id, stage, object_id) include (learner_key, facts)`,
    `create table activity_attendance (
      tenant_id uuid not null references tenant (id),
      object_id text not null,
      attendances integer not null,
      with_facilitator integer not null,
      primary key (tenant_id, object_id)
    )`,
    `insert into learner_stage (tenant_id, learner_key, stage, object_id, facts)
     select tenant_id, learner_key, stage, object_id, count(*)::int from (
       select tenant_id, learner_key, 'fact' as stage, '' as object_id from learning_fact where not voided
       union all
       select tenant_id, learner_key,
              case when kind = 'assessment' then 'post-test' when kind = 'task-scored' then 'task-passed' else kind end,
              case when kind = 'phase-completed' then object_id else '' end
         from learning_fact
        where not voided and (kind in ('phase-completed', 'tier-completed') or (kind in ('assessment', 'task-scored') and success))) s
     group by tenant_id, learner_key, stage, object_id`,
    `insert into activity_attendance (tenant_id, object_id, attendances, with_facilitator)
     select tenant_id, object_id, count(*)::int, count(related_key)::int
       from learning_fact where not voided and kind = 'attended' group by tenant_id, object_id`,
    rollupFunction('learning_fact_rollup_insert', signed('new_facts', 1), false),
    rollupFunction('learning_fact_rollup_update', `${signed('new_facts', 1)} union all ${signed('old_facts', -1)}`, true),
    rollupFunction('learning_fact_rollup_delete', signed('old_facts', -1), true),
    `create trigger learning_fact_rollup_insert after insert on learning_fact
       referencing new table as new_facts for each statement execute function learning_fact_rollup_insert()`,
    `create trigger learning_fact_rollup_update after update on learning_fact
       referencing old table as old_facts new table as new_facts for each statement execute function learning_fact_rollup_update()`,
    `create trigger learning_fact_rollup_delete after delete on learning_fact
       referencing old table as old_facts for each statement execute function learning_fact_rollup_delete()`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [
    'drop trigger learning_fact_rollup_delete on learning_fact',
    'drop trigger learning_fact_rollup_update on learning_fact',
    'drop trigger learning_fact_rollup_insert on learning_fact',
    'drop function learning_fact_rollup_delete()',
    'drop function learning_fact_rollup_update()',
    'drop function learning_fact_rollup_insert()',
    'drop table activity_attendance',
    'drop table learner_stage',
  ])
}
