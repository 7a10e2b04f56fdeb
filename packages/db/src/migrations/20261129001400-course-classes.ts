import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Course rosters become TLN classes (issue 4 "a course roster becomes a TLN class"; issue 5
 * "roster sync from LTI Names and Roles"). The roster itself is `course_roster`
 * (`20261129000700-lti-services`); this adds only what was missing:
 *
 * - `course_class`: one TLN class per LMS course (platform + context), made by the first roster
 *   sync of the course, titled after the course;
 * - `course_roster.person_id`: the person of the organisation tree a member is (matched by LTI
 *   issuer + sub, else by e-mail, else created without a school). `set null` when the person is
 *   erased: the roster row stays, unlinked.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table course_class (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      platform_id uuid not null references lti_platform (id) on delete cascade,
      context_id text not null,
      title text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (platform_id, context_id)
    )`,
    `create index course_class_tenant on course_class (tenant_id)`,
    `alter table course_roster add column person_id uuid references person (id) on delete set null`,
    `create index course_roster_person on course_roster (person_id)`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [
    'drop index course_roster_person',
    'alter table course_roster drop column person_id',
    'drop table course_class',
  ])
}
