import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * `learner_activity`: per learner and task or meeting, what the kecamatan report reads of the
 * learner's `task-submitted`, `task-scored` and `attended` facts (issue 7: "stable p95" in the
 * soak; docs/performance-notes.md, "Kecamatan report at district scale"). Read instead of every
 * fact, the report costs O(teachers × tasks and meetings), not O(statements): a teacher's
 * repeated program cycles add no rows.
 *
 * One row per (learner, kind, object) with at least one non-voided fact: `name` the greatest
 * `object_name`, `first_at` the earliest `at`, `first_success_at` the earliest `at` of a fact
 * with `success` (a passing task score). Statement-level triggers on `learning_fact` keep it in the
 * writing transaction, like `learner_stage` (20261129001060): an insert widens the rows (earliest
 * and greatest only move one way); an update (voiding, erasure re-keying or redacting names) or a
 * delete (a rebuild) recomputes the touched learners' rows from their facts, because an earliest
 * time cannot be "subtracted". Existing facts are rolled up here, so no rebuild is needed.
 */
const KINDS = `('task-submitted', 'task-scored', 'attended')`

/** The roll-up rows of the facts in `source` (a transition table or `learning_fact`), grouped. */
function rows(source: string, where: string): string {
  return `select f.tenant_id, f.learner_key, f.kind, f.object_id, max(f.object_name), min(f.at), min(f.at) filter (where f.success)
      from ${source} f ${where} and not f.voided and f.kind in ${KINDS}
     group by f.tenant_id, f.learner_key, f.kind, f.object_id`
}

const INSERT = `insert into learner_activity (tenant_id, learner_key, kind, object_id, name, first_at, first_success_at)`

/** Recomputes the rows of the learners an update or delete touched (`touched`: their keys, from the transition tables). */
function recompute(name: string, touched: string): string {
  return `create function ${name}() returns trigger language plpgsql as $$
    begin
      delete from learner_activity a using (${touched}) t where a.tenant_id = t.tenant_id and a.learner_key = t.learner_key;
      ${INSERT}
      ${rows('learning_fact', `join (${touched}) t on t.tenant_id = f.tenant_id and t.learner_key = f.learner_key where true`)};
      return null;
    end
  $$`
}

/** Distinct learners of a transition table's task and meeting facts. */
const TOUCHED = (table: string) => `select distinct tenant_id, learner_key from ${table} where kind in ${KINDS}`

export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table learner_activity (
      tenant_id uuid not null references tenant (id),
      learner_key text not null,
      kind text not null check (kind in ${KINDS}),
      object_id text not null,
      name text,
      first_at timestamptz not null,
      first_success_at timestamptz,
      primary key (tenant_id, learner_key, kind, object_id)
    )`,
    `${INSERT} ${rows('learning_fact', 'where true')}`,
    `create function learning_fact_activity_insert() returns trigger language plpgsql as $$
      begin
        ${INSERT}
        ${rows('new_facts', 'where true')}
        on conflict (tenant_id, learner_key, kind, object_id) do update set
          name = greatest(learner_activity.name, excluded.name),
          first_at = least(learner_activity.first_at, excluded.first_at),
          first_success_at = least(learner_activity.first_success_at, excluded.first_success_at)
        -- A later cycle's facts change nothing: no new row version, so no dead rows to vacuum.
        where (greatest(learner_activity.name, excluded.name), least(learner_activity.first_at, excluded.first_at),
               least(learner_activity.first_success_at, excluded.first_success_at))
              is distinct from (learner_activity.name, learner_activity.first_at, learner_activity.first_success_at);
        return null;
      end
    $$`,
    recompute('learning_fact_activity_update', `${TOUCHED('old_facts')} union ${TOUCHED('new_facts')}`),
    recompute('learning_fact_activity_delete', TOUCHED('old_facts')),
    `create trigger learning_fact_activity_insert after insert on learning_fact
       referencing new table as new_facts for each statement execute function learning_fact_activity_insert()`,
    `create trigger learning_fact_activity_update after update on learning_fact
       referencing old table as old_facts new table as new_facts for each statement execute function learning_fact_activity_update()`,
    `create trigger learning_fact_activity_delete after delete on learning_fact
       referencing old table as old_facts for each statement execute function learning_fact_activity_delete()`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [
    'drop trigger learning_fact_activity_delete on learning_fact',
    'drop trigger learning_fact_activity_update on learning_fact',
    'drop trigger learning_fact_activity_insert on learning_fact',
    'drop function learning_fact_activity_delete()',
    'drop function learning_fact_activity_update()',
    'drop function learning_fact_activity_insert()',
    'drop table learner_activity',
  ])
}
