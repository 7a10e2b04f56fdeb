import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * LTI 1.3 tool storage (`lti-tool`): everything the launch flow remembers lives here, so two
 * server processes on one PostgreSQL behave as one (ARCHITECTURE.md, "The server is stateless").
 *
 * - `lti_platform`: a registration (issuer, client_id) owned by a tenant, with the endpoints the
 *   platform published; `status` is `active`, or `pending` after a dynamic registration until an
 *   operator (or the platform's own activation) confirms it.
 * - `lti_deployment`: the deployment ids of a registration (LTI Core 1.3 §3.1.3).
 * - `lti_login_state`: OIDC `state` → nonce and registration, single use (deleted on consume),
 *   short-lived. Keyed by a SHA-256 of the state, so a database read does not hand out live states.
 * - `lti_nonce`: id_token nonces seen, unique; rows past `expires_at` are purged.
 * - `lti_tool_key`: the tool's RS256 keys, the private half sealed (AES-256-GCM) with the key from
 *   `TLN_SECRET_KEY`; `retired_at` null marks the current key.
 * - `lti_access_token`: platform access tokens cached per (issuer, client_id, scopes), sealed.
 * - `lti_user`: people who arrived by launch, one per (issuer, sub), with a TLN role.
 * - `lti_session`: browser sessions; the cookie carries a random 256-bit id, the row its SHA-256.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table lti_platform (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      issuer text not null,
      client_id text not null,
      authorization_endpoint text not null,
      token_endpoint text not null,
      jwks_uri text not null,
      authorization_server text,
      status text not null default 'active' check (status in ('active', 'pending')),
      registered_by text not null default 'cli',
      created_at timestamptz not null default now(),
      unique (issuer, client_id)
    )`,
    `create table lti_deployment (
      platform_id uuid not null references lti_platform (id) on delete cascade,
      deployment_id text not null,
      created_at timestamptz not null default now(),
      primary key (platform_id, deployment_id)
    )`,
    `create table lti_login_state (
      state_hash text primary key,
      nonce text not null,
      issuer text not null,
      client_id text not null,
      target_link_uri text not null,
      expires_at timestamptz not null,
      -- set when the platform offered platform storage (lti_storage_target) at login
      storage_target text,
      -- SHA-256 of the one-time token of the platform-storage check page
      check_token_hash text
    )`,
    `create index lti_login_state_expiry on lti_login_state (expires_at)`,
    `create table lti_nonce (
      nonce text primary key,
      expires_at timestamptz not null
    )`,
    `create index lti_nonce_expiry on lti_nonce (expires_at)`,
    `create table lti_tool_key (
      kid text primary key,
      public_jwk jsonb not null,
      sealed_private_key text not null,
      created_at timestamptz not null,
      retired_at timestamptz
    )`,
    `create unique index lti_tool_key_one_current on lti_tool_key ((true)) where retired_at is null`,
    `create table lti_access_token (
      cache_key text primary key,
      sealed_token text not null,
      expires_at timestamptz not null
    )`,
    `create table lti_user (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      issuer text not null,
      sub text not null,
      name text,
      email text,
      role text not null check (role in ('teacher', 'facilitator', 'admin', 'guest')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (issuer, sub)
    )`,
    `create table lti_session (
      id_hash text primary key,
      user_id uuid not null references lti_user (id) on delete cascade,
      expires_at timestamptz not null,
      data jsonb not null,
      created_at timestamptz not null default now()
    )`,
    `create index lti_session_expiry on lti_session (expires_at)`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [
    'drop table lti_session',
    'drop table lti_user',
    'drop table lti_access_token',
    'drop table lti_tool_key',
    'drop table lti_nonce',
    'drop table lti_login_state',
    'drop table lti_deployment',
    'drop table lti_platform',
  ])
}
