import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Tasks and rubrics edited by facilitators, coordinators and admins (`lti-tool/src/tasks/`, issue 5).
 *
 * - `performance_task.node_id`: the org node (kecamatan, district, school) whose teachers the task
 *   is for; null = the whole tenant (the default tasks). Who may edit it: a `tasks:grade` grant
 *   covering that node.
 * - `performance_task.accepted_types` / `max_bytes`: the file types (sniffed media types, a subset
 *   of what the task type takes) and the size limit of one submission; null = the type's default
 *   (and 10 MB, which is also the ceiling).
 * - `performance_task.rubric_version`: the version of `rubric`. A version that graded a submission
 *   is never changed in place: editing it copies it to `task_rubric_version` and makes version+1.
 * - `task_grade.rubric_version`: the rubric version the grade used (existing grades: 1).
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `alter table performance_task
      add column node_id uuid references org_node (id),
      add column accepted_types jsonb,
      add column max_bytes integer check (max_bytes between 1 and 10485760),
      add column rubric_version integer not null default 1 check (rubric_version >= 1),
      add column updated_at timestamptz not null default now()`,
    `create index performance_task_node on performance_task (tenant_id, node_id)`,
    `create table task_rubric_version (
      tenant_id uuid not null references tenant (id),
      task_id uuid not null references performance_task (id) on delete cascade,
      version integer not null,
      rubric jsonb not null,
      superseded_at timestamptz not null default now(),
      primary key (task_id, version)
    )`,
    `alter table task_grade add column rubric_version integer not null default 1`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [
    'alter table task_grade drop column rubric_version',
    'drop table task_rubric_version',
    'drop index performance_task_node',
    `alter table performance_task drop column node_id, drop column accepted_types, drop column max_bytes,
      drop column rubric_version, drop column updated_at`,
  ])
}
