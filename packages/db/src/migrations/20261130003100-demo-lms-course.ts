import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * The course of the demo LMS that `tln serve --demo` plays (`apps/server/src/demo-lms/`), kept in
 * the database so that it survives restarts and two processes agree:
 * - `demo_lms_activity`: the course's resource links (seeded, and added by the Deep Linking return);
 * - `demo_lms_line_item`: its gradebook columns (AGS 2.0 §3.2), made for an activity that asks for one or by a tool's POST;
 * - `demo_lms_score`: the latest score per line item and user (AGS 2.0 §3.4: a later score replaces the result);
 * - `demo_lms_assertion_jti`: client assertion ids already used at the token endpoint (RFC 7523 §3: not reused);
 * - `demo_lms_access_token`: the access tokens it issued (a hash only), with their scopes.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table demo_lms_activity (
      issuer text not null,
      resource_link_id text not null,
      title text not null,
      url text not null,
      custom jsonb not null default '{}',
      position serial,
      created_at timestamptz not null default now(),
      primary key (issuer, resource_link_id)
    )`,
    `create table demo_lms_line_item (
      id serial primary key,
      issuer text not null,
      label text not null,
      score_maximum double precision not null check (score_maximum > 0),
      resource_link_id text,
      resource_id text,
      tag text,
      created_at timestamptz not null default now()
    )`,
    `create unique index demo_lms_line_item_of_link on demo_lms_line_item (issuer, resource_link_id) where resource_link_id is not null`,
    `create table demo_lms_score (
      line_item_id integer not null references demo_lms_line_item (id) on delete cascade,
      user_id text not null,
      score_given double precision,
      score_maximum double precision,
      activity_progress text not null,
      grading_progress text not null,
      comment text,
      timestamp timestamptz not null,
      received_at timestamptz not null default now(),
      primary key (line_item_id, user_id)
    )`,
    `create table demo_lms_assertion_jti (
      issuer text not null,
      jti text not null,
      expires_at timestamptz not null,
      primary key (issuer, jti)
    )`,
    `create table demo_lms_access_token (
      token_hash text primary key,
      issuer text not null,
      scopes text[] not null,
      expires_at timestamptz not null
    )`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, ['drop table demo_lms_access_token', 'drop table demo_lms_assertion_jti', 'drop table demo_lms_score', 'drop table demo_lms_line_item', 'drop table demo_lms_activity'])
}
