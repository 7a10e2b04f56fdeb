import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Open Badges 3.0 credentials for completed tiers (`packages/competence/src/badges`, issue 6,
 * "Credentials for achievement").
 *
 * - `badge_issuer_key`: each tenant's RS256 signing keys (OB 3.0 "JSON Web Token Proof Format":
 *   RS256 is the algorithm every verifier supports). The private half is sealed with AES-256-GCM
 *   under a key derived from `TLN_SECRET_KEY` (the same approach as `lti_tool_key`), the `kid`
 *   bound as additional data; `retired_at` null marks the current key, at most one per tenant.
 *   Retired keys stay so that badges they signed still verify.
 * - `badge_issuer`: one row per tenant that issues badges: the next index in the tenant's
 *   revocation status list (W3C Bitstring Status List). Issuing locks this row, so two server
 *   processes hand out distinct indexes.
 * - `open_badge`: one issued OpenBadgeCredential: the learner (xAPI IFI key), the achievement (tier
 *   activity id), the `tier-completed` statement it rests on, the credential and its VC-JWT, and
 *   revocation (when that statement is voided). At most one unrevoked badge per learner and tier.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table badge_issuer_key (
      tenant_id uuid not null references tenant (id),
      kid text not null,
      alg text not null,
      public_jwk jsonb not null,
      sealed_private_key text not null,
      created_at timestamptz not null default now(),
      retired_at timestamptz,
      primary key (tenant_id, kid)
    )`,
    `create unique index badge_issuer_key_current on badge_issuer_key (tenant_id) where retired_at is null`,
    `create table badge_issuer (
      tenant_id uuid primary key references tenant (id),
      next_status_index integer not null default 0 check (next_status_index >= 0),
      created_at timestamptz not null default now()
    )`,
    `create table open_badge (
      id uuid primary key,
      tenant_id uuid not null references tenant (id),
      learner_key text not null,
      achievement text not null,
      statement_id uuid not null,
      status_index integer not null check (status_index >= 0),
      credential jsonb not null,
      jwt text not null,
      issued_at timestamptz not null,
      revoked_at timestamptz,
      revocation_reason text,
      unique (tenant_id, status_index),
      unique (tenant_id, statement_id),
      check ((revoked_at is null) = (revocation_reason is null))
    )`,
    `create unique index open_badge_current on open_badge (tenant_id, learner_key, achievement) where revoked_at is null`,
    `create index open_badge_learner on open_badge (tenant_id, learner_key)`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, ['drop table open_badge', 'drop table badge_issuer', 'drop table badge_issuer_key'])
}
