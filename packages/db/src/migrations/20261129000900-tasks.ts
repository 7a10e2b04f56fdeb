import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Performance tasks of the TLN tool (`lti-tool/src/tasks/`, issue 5): tasks with rubrics, the
 * teachers' submissions (every one a new version, content kept in the database), chunked uploads
 * in progress, and the facilitators' grades. Every row carries its tenant; every query names it.
 *
 * - `performance_task`: a task of a tenant (`key` = the catalogue item id, stable: it travels to
 *   the LMS), its type, titles (id/en), due date, pass threshold and rubric (criteria × levels,
 *   weights, indicator codes) as validated JSON.
 * - `task_assignment`: a teacher's copy of a task in one LMS course (platform + context), made at
 *   the launch, with the AGS target the launch granted and the status shown to the teacher.
 * - `task_upload`: a resumable upload in progress: `received` bytes of `size`, content appended
 *   chunk by chunk (`content || chunk` only where `received` = the chunk's offset).
 * - `task_submission`: one version of a submission (a file with its sniffed media type, or a URL).
 * - `task_grade`: a facilitator's decision on a version: rubric levels, score, feedback, the
 *   passback job and whether the statements reached the LRS.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table performance_task (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      key text not null,
      task_type text not null check (task_type in ('PROTA', 'PROMES', 'RPPM', 'RPPH', 'MEDIA', 'BLOG', 'ARTICLE')),
      title_id text not null,
      title_en text not null,
      description_id text not null default '',
      description_en text not null default '',
      due_at timestamptz,
      pass_threshold double precision not null default 0.75 check (pass_threshold > 0 and pass_threshold <= 1),
      rubric jsonb not null,
      created_at timestamptz not null default now(),
      unique (tenant_id, key)
    )`,
    `create table task_assignment (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      task_id uuid not null references performance_task (id),
      user_id uuid not null references lti_user (id) on delete cascade,
      platform_id uuid not null references lti_platform (id) on delete cascade,
      context_key text not null default '',
      context_title text,
      resource_link_id text,
      passback_target jsonb,
      status text not null default 'not_submitted' check (status in ('not_submitted', 'submitted', 'returned', 'accepted')),
      score_scaled double precision,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (task_id, user_id, platform_id, context_key)
    )`,
    `create index task_assignment_queue on task_assignment (tenant_id, status, updated_at)`,
    `create table task_upload (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      assignment_id uuid not null references task_assignment (id) on delete cascade,
      file_name text not null,
      size integer not null check (size > 0),
      received integer not null default 0,
      content bytea not null default ''::bytea,
      expires_at timestamptz not null,
      created_at timestamptz not null default now(),
      check (received <= size)
    )`,
    `create table task_submission (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      assignment_id uuid not null references task_assignment (id) on delete cascade,
      version integer not null,
      kind text not null check (kind in ('file', 'url')),
      url text,
      file_name text,
      media_type text,
      size integer,
      sha256 text,
      content bytea,
      statement_id uuid not null,
      statement_stored boolean not null default false,
      created_at timestamptz not null default now(),
      unique (assignment_id, version),
      check ((kind = 'url' and url is not null) or (kind = 'file' and content is not null and media_type is not null))
    )`,
    `create table task_grade (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      submission_id uuid not null references task_submission (id) on delete cascade,
      grader_user_id uuid not null references lti_user (id),
      decision text not null check (decision in ('accepted', 'returned')),
      levels jsonb not null,
      score_scaled double precision,
      score_raw double precision,
      passed boolean,
      feedback text not null default '',
      passback_id bigint,
      statements_stored boolean not null default false,
      created_at timestamptz not null default now(),
      unique (submission_id)
    )`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [
    'drop table task_grade',
    'drop table task_submission',
    'drop table task_upload',
    'drop table task_assignment',
    'drop table performance_task',
  ])
}
