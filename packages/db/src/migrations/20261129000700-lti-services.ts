import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * LTI Advantage services of the TLN tool (`lti-tool`): Deep Linking requests waiting for the
 * picker, the grade passback queue (AGS 2.0), and course rosters (NRPS 2.0). Like the launch
 * tables, everything lives here so that several server processes behave as one.
 *
 * - `lti_deep_linking_request`: an `LtiDeepLinkingRequest` whose picker is open. The picker form
 *   carries a random 256-bit token (no cookie needed inside the LMS iframe); the row keeps its
 *   SHA-256, the verified deep-linking settings, and is deleted when the answer is sent.
 * - `grade_passback`: one score to publish, written inside the caller's transaction and posted by
 *   a background worker. A worker claims a due row with `SELECT … FOR UPDATE SKIP LOCKED` and a
 *   lease (`locked_until`), so two processes never post the same job at once and a job of a
 *   crashed worker is picked up again when the lease runs out. The target is a line item URL, or
 *   a line items container plus resource link id / tag / resource id to find or create one.
 *   `status`: `pending` (due at `next_attempt_at`), `sent`, `failed` (refused by the platform,
 *   or out of attempts) with `last_error`, the platform's status and the start of its answer.
 * - `course_roster`: the members of an LMS course (context) per NRPS, `inactive` once the
 *   platform stops listing them or marks them inactive.
 * - `course_roster_sync`: the last roster sync of each course: when, how it ended, and why not.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table lti_deep_linking_request (
      token_hash text primary key,
      platform_id uuid not null references lti_platform (id) on delete cascade,
      user_id uuid not null references lti_user (id) on delete cascade,
      deployment_id text not null,
      settings jsonb not null,
      expires_at timestamptz not null,
      created_at timestamptz not null default now()
    )`,
    `create index lti_deep_linking_request_expiry on lti_deep_linking_request (expires_at)`,
    `create table grade_passback (
      id bigint generated always as identity primary key,
      tenant_id uuid not null references tenant (id),
      platform_id uuid not null references lti_platform (id) on delete cascade,
      line_item_url text,
      line_items_url text,
      resource_link_id text,
      tag text,
      resource_id text,
      label text,
      context_id text,
      user_sub text not null,
      score_given double precision,
      score_maximum double precision,
      activity_progress text not null,
      grading_progress text not null,
      score_timestamp timestamptz not null,
      comment text,
      instructor_sub text,
      instructor_name text,
      status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      locked_until timestamptz,
      resolved_line_item_url text,
      last_error text,
      last_error_status integer,
      last_error_body text,
      statement_id uuid,
      sent_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (line_item_url is not null or (line_items_url is not null and (resource_link_id is not null or tag is not null or resource_id is not null))),
      check (score_given is null or score_maximum > 0)
    )`,
    `create index grade_passback_due on grade_passback (next_attempt_at, id) where status = 'pending'`,
    `create index grade_passback_by_tenant on grade_passback (tenant_id, status, id)`,
    `create table course_roster (
      platform_id uuid not null references lti_platform (id) on delete cascade,
      context_id text not null,
      user_id uuid not null references lti_user (id) on delete cascade,
      tenant_id uuid not null references tenant (id),
      roles text[] not null default '{}',
      tln_role text not null,
      status text not null check (status in ('active', 'inactive')),
      last_seen_at timestamptz not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (platform_id, context_id, user_id)
    )`,
    `create table course_roster_sync (
      platform_id uuid not null references lti_platform (id) on delete cascade,
      context_id text not null,
      memberships_url text not null,
      context_title text,
      status text not null check (status in ('running', 'ok', 'failed')),
      started_at timestamptz not null,
      finished_at timestamptz,
      members integer,
      deactivated integer,
      error text,
      primary key (platform_id, context_id)
    )`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [
    'drop table course_roster_sync',
    'drop table course_roster',
    'drop table grade_passback',
    'drop table lti_deep_linking_request',
  ])
}
