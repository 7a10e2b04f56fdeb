import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * The district dashboard's mentoring reach and the report time zone (issue 6 "Competence
 * reports"; issue 7: district dashboard < 200 ms at 10,000 teachers / 1,000,000 statements).
 *
 * - `mentoring_edge`: per mentor → mentee, the non-voided `mentored` facts (sessions), kept by
 *   statement-level triggers on `learning_fact` like `learner_stage` (20261129001060): inserting a
 *   fact not voided adds, voiding or deleting one subtracts, a row at 0 is deleted. The dashboard
 *   reads its mentors, mentees and chain depth from these rows instead of every mentoring fact.
 * - `competence_engine.time_zone`: the IANA zone `learner_month` was bucketed in. Reports take
 *   their day and month boundaries from it, so they always agree with the buckets; the engine
 *   rebuilds a tenant whose zone differs from the server's `TLN_REPORT_TIME_ZONE`. Partitions
 *   built before this migration were bucketed in UTC.
 * - `learner_placement` found a learner's school by NPSN with a subquery per learner (two
 *   sequential scans of `org_node` per learner: most of the dashboard's heatmap at 10,000
 *   teachers). The same view with a join on `org_node (tenant_id, kind, code)`, which is unique,
 *   gives the same rows.
 */
const EDGE_DELTA = (table: string, sign: 1 | -1) =>
  `select tenant_id, learner_key, related_key, ${sign} as sign from ${table} where not voided and kind = 'mentored' and related_key is not null`

function edgeFunction(name: string, delta: string, removed: boolean): string {
  const dropEmpty = removed
    ? `delete from mentoring_edge m using (select distinct tenant_id, learner_key from old_facts where kind = 'mentored') o
        where m.tenant_id = o.tenant_id and m.mentor_key = o.learner_key and m.sessions <= 0;`
    : ''
  return `create function ${name}() returns trigger language plpgsql as $$
    begin
      insert into mentoring_edge (tenant_id, mentor_key, mentee_key, sessions)
      select tenant_id, learner_key, related_key, sum(sign)::int from (${delta}) d
       group by tenant_id, learner_key, related_key having sum(sign) <> 0
      on conflict (tenant_id, mentor_key, mentee_key) do update set sessions = mentoring_edge.sessions + excluded.sessions;
      ${dropEmpty}
      return null;
    end
  $$`
}

const PLACEMENT_COLUMNS = `select l.tenant_id, l.learner_key, coalesce(p.name, l.name, l.learner_key) as name, p.id as person_id,
             s.id as school_id, s.name as school_name, s.code as npsn,
             k.id as kecamatan_id, k.name as kecamatan_name, k.code as kecamatan_code,
             d.id as district_id, d.name as district_name, s.path as school_path
        from competence_learner l
        left join person_identity pi on pi.tenant_id = l.tenant_id and pi.ifi_key = l.learner_key
        left join person p on p.id = pi.person_id`

export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table mentoring_edge (
      tenant_id uuid not null references tenant (id),
      mentor_key text not null,
      mentee_key text not null,
      sessions integer not null,
      primary key (tenant_id, mentor_key, mentee_key)
    )`,
    `insert into mentoring_edge (tenant_id, mentor_key, mentee_key, sessions)
     select tenant_id, learner_key, related_key, count(*)::int from learning_fact
      where not voided and kind = 'mentored' and related_key is not null group by 1, 2, 3`,
    edgeFunction('learning_fact_mentoring_insert', EDGE_DELTA('new_facts', 1), false),
    edgeFunction('learning_fact_mentoring_update', `${EDGE_DELTA('new_facts', 1)} union all ${EDGE_DELTA('old_facts', -1)}`, true),
    edgeFunction('learning_fact_mentoring_delete', EDGE_DELTA('old_facts', -1), true),
    `create trigger learning_fact_mentoring_insert after insert on learning_fact
       referencing new table as new_facts for each statement execute function learning_fact_mentoring_insert()`,
    `create trigger learning_fact_mentoring_update after update on learning_fact
       referencing old table as old_facts new table as new_facts for each statement execute function learning_fact_mentoring_update()`,
    `create trigger learning_fact_mentoring_delete after delete on learning_fact
       referencing old table as old_facts for each statement execute function learning_fact_mentoring_delete()`,
    `alter table competence_engine add column time_zone text not null default 'UTC'`,
    `create or replace view learner_placement as
      ${PLACEMENT_COLUMNS}
        left join org_node npsn_school on npsn_school.tenant_id = l.tenant_id and npsn_school.kind = 'school' and npsn_school.code = l.npsn
        left join org_node s on s.id = coalesce(p.school_id, npsn_school.id)
        left join org_node k on k.id = s.parent_id
        left join org_node d on d.id = k.parent_id`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create or replace view learner_placement as
      ${PLACEMENT_COLUMNS}
        left join org_node s on s.id = coalesce(
          p.school_id,
          (select n.id from org_node n where n.tenant_id = l.tenant_id and n.kind = 'school' and n.code = l.npsn))
        left join org_node k on k.id = s.parent_id
        left join org_node d on d.id = k.parent_id`,
    'alter table competence_engine drop column time_zone',
    'drop trigger learning_fact_mentoring_delete on learning_fact',
    'drop trigger learning_fact_mentoring_update on learning_fact',
    'drop trigger learning_fact_mentoring_insert on learning_fact',
    'drop function learning_fact_mentoring_delete()',
    'drop function learning_fact_mentoring_update()',
    'drop function learning_fact_mentoring_insert()',
    'drop table mentoring_edge',
  ])
}
