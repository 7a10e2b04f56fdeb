import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * `lti_session_handoff` (issue 7): a single-use token that carries a session framed inside the
 * LMS (its cookie partitioned under the LMS's site, CHIPS) over to a first-party session in a
 * top-level window, for pages that are never framed (`/lti/admin/platforms`). Kept as SHA-256 like
 * the session ids and invitations; bound to the user, the tenant and one allowlisted path; lives
 * about a minute (`expires_at`) and never past the framed session (`session_expires_at`).
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table lti_session_handoff (
      token_hash text primary key,
      user_id uuid not null references lti_user (id) on delete cascade,
      tenant_id uuid not null references tenant (id),
      target_path text not null,
      launch jsonb not null,
      session_expires_at timestamptz not null,
      expires_at timestamptz not null,
      created_at timestamptz not null default now()
    )`,
    'create index lti_session_handoff_expiry on lti_session_handoff (expires_at)',
    'create index lti_session_handoff_user on lti_session_handoff (user_id)',
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, ['drop table lti_session_handoff'])
}
