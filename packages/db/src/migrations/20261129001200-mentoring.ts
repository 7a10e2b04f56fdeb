import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Peer mentoring of the TLN tool (`lti-tool/src/mentoring/`, issue 5): the 15-day challenge, in
 * which a teacher mentors colleagues at their own school. Every row carries its tenant; every
 * query names it.
 *
 * - `mentoring_setting`: a tenant's challenge window in days (default 15 when no row).
 * - `mentoring_relation`: mentor → mentee (both `person` rows of one school), with the window the
 *   relation was made under (start + days, stored on the relation so a later change of the
 *   setting does not move it). A mentee who later mentors has relations of their own: the chain.
 * - `mentoring_session`: one session (date, minutes, topic, notes, optional evidence file sniffed
 *   by content), its status (waiting → confirmed / disputed by the mentee → verified / rejected
 *   by a facilitator or the school head) and whether each statement reached the LRS.
 * - `mentoring_confirmation`: the single-use link a mentor shares with the mentee: the token is an
 *   HMAC of `nonce` under the server secret (so the mentor can see the link again), kept as SHA-256.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table mentoring_setting (
      tenant_id uuid primary key references tenant (id),
      window_days integer not null check (window_days between 1 and 365),
      updated_at timestamptz not null default now()
    )`,
    `create table mentoring_relation (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      mentor_person_id uuid not null references person (id) on delete cascade,
      mentee_person_id uuid not null references person (id) on delete cascade,
      school_id uuid not null references org_node (id),
      window_start date not null,
      window_days integer not null check (window_days between 1 and 365),
      created_by_user_id uuid references lti_user (id) on delete set null,
      created_at timestamptz not null default now(),
      check (mentor_person_id <> mentee_person_id),
      unique (tenant_id, mentor_person_id, mentee_person_id)
    )`,
    'create index mentoring_relation_mentee on mentoring_relation (tenant_id, mentee_person_id)',
    `create table mentoring_session (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      relation_id uuid not null references mentoring_relation (id) on delete cascade,
      session_date date not null,
      duration_minutes integer not null check (duration_minutes between 5 and 480),
      topic_task text check (topic_task in ('PROTA', 'PROMES', 'RPPM', 'RPPH')),
      topic_text text not null default '',
      notes text not null default '',
      after_window boolean not null default false,
      evidence_name text,
      evidence_type text,
      evidence_size integer,
      evidence_sha256 text,
      evidence bytea,
      status text not null default 'waiting' check (status in ('waiting', 'confirmed', 'disputed', 'verified', 'rejected')),
      mentee_note text not null default '',
      confirmed_at timestamptz,
      verifier_user_id uuid references lti_user (id) on delete set null,
      verification_note text not null default '',
      verified_at timestamptz,
      created_by_user_id uuid references lti_user (id) on delete set null,
      statement_stored boolean not null default false,
      confirm_statement_stored boolean not null default false,
      verify_statement_stored boolean not null default false,
      created_at timestamptz not null default now(),
      check (topic_task is not null or topic_text <> ''),
      check ((evidence is null) = (evidence_type is null))
    )`,
    'create index mentoring_session_relation on mentoring_session (tenant_id, relation_id, session_date)',
    'create index mentoring_session_queue on mentoring_session (tenant_id, status, created_at)',
    `create table mentoring_confirmation (
      token_hash text primary key,
      tenant_id uuid not null references tenant (id),
      session_id uuid not null references mentoring_session (id) on delete cascade,
      nonce text not null,
      expires_at timestamptz not null,
      created_at timestamptz not null default now()
    )`,
    'create index mentoring_confirmation_session on mentoring_confirmation (session_id)',
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [
    'drop table mentoring_confirmation',
    'drop table mentoring_session',
    'drop table mentoring_relation',
    'drop table mentoring_setting',
  ])
}
