import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Meetings and evaluations of the TLN tool (`lti-tool/src/meetings/`, `lti-tool/src/observations/`,
 * issue 5). Every row carries its tenant; every query names it.
 *
 * - `tln_meeting`: a TLN group's meeting (the group is its kecamatan node): routine biweekly
 *   meeting or workshop day, title, start, place, and the 6-character check-in code (unique per
 *   tenant, valid around the start only: the window rule lives in the code, not here), and the
 *   xAPI Agent of the facilitator who scheduled it (the instructor of check-ins).
 * - `tln_meeting_attendance`: one row per meeting × person. An undo keeps the row (`voided`), a
 *   later mark bumps `revision`, so every `attended` statement id is new and every voided one stays voided.
 *   `instructor` (and `voided_by`) keep the xAPI Agent of who marked (undid) it, so a replay builds the same statement.
 * - `meeting_checkin_throttle`: failed code lookups per person and per client address in a
 *   fixed window, in the database so that every server process counts the same guesses.
 * - `observation_instrument`: an observation or interview instrument (indicators linked to
 *   competence indicator codes, a rating scale with labels), per tenant.
 * - `observation_record`: one filled-in instrument for a teacher; a correction is a new row that
 *   `supersedes` the old one (whose statement is then voided).
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table tln_meeting (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      kecamatan_id uuid not null references org_node (id),
      kind text not null check (kind in ('routine', 'workshop')),
      title text not null check (length(title) between 1 and 200),
      starts_at timestamptz not null,
      place text not null default '',
      code text not null check (code ~ '^[A-Z0-9]{6}$'),
      created_by_user_id uuid references lti_user (id) on delete set null,
      facilitator jsonb not null,
      created_at timestamptz not null default now(),
      unique (tenant_id, code)
    )`,
    'create index tln_meeting_group on tln_meeting (tenant_id, kecamatan_id, starts_at desc)',
    `create table tln_meeting_attendance (
      tenant_id uuid not null references tenant (id),
      meeting_id uuid not null references tln_meeting (id) on delete cascade,
      person_id uuid not null references person (id) on delete cascade,
      method text not null check (method in ('marked', 'code')),
      revision integer not null default 0 check (revision >= 0),
      voided boolean not null default false,
      marked_by_user_id uuid references lti_user (id) on delete set null,
      instructor jsonb not null,
      voided_by jsonb,
      statement_stored boolean not null default false,
      void_statement_stored boolean not null default false,
      updated_at timestamptz not null default now(),
      primary key (meeting_id, person_id)
    )`,
    `create table meeting_checkin_throttle (
      tenant_id uuid not null references tenant (id),
      subject text not null,
      window_start timestamptz not null,
      failures integer not null default 0,
      primary key (tenant_id, subject)
    )`,
    `create table observation_instrument (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      name text not null check (length(name) between 1 and 200),
      kind text not null check (kind in ('observation', 'interview')),
      scale jsonb not null,
      indicators jsonb not null,
      created_by_user_id uuid references lti_user (id) on delete set null,
      created_at timestamptz not null default now()
    )`,
    'create index observation_instrument_tenant on observation_instrument (tenant_id, created_at desc)',
    `create table observation_record (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      instrument_id uuid not null references observation_instrument (id),
      teacher_person_id uuid not null references person (id) on delete cascade,
      monitor_user_id uuid references lti_user (id) on delete set null,
      monitor jsonb not null,
      observed_on date not null,
      ratings jsonb not null,
      notes text not null default '',
      supersedes_id uuid references observation_record (id),
      superseded boolean not null default false,
      statement_stored boolean not null default false,
      void_statement_stored boolean not null default false,
      created_at timestamptz not null default now()
    )`,
    'create unique index observation_record_one_correction on observation_record (supersedes_id) where supersedes_id is not null',
    'create index observation_record_teacher on observation_record (tenant_id, teacher_person_id, observed_on desc)',
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [
    'drop table observation_record',
    'drop table observation_instrument',
    'drop table meeting_checkin_throttle',
    'drop table tln_meeting_attendance',
    'drop table tln_meeting',
  ])
}
