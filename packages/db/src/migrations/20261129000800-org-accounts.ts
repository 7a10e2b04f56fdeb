import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Organisation tree, people, scoped grants and local accounts (`lti-tool/src/org`, `src/accounts`;
 * issue 5, "Organisation and program data" and "Accounts and access").
 *
 * - `org_node`: province → district → kecamatan (the TLN group) → school (lembaga), per tenant.
 *   `code` is the Kemendagri code for regions and the NPSN for schools, unique per tenant and
 *   kind. `path` is the chain of ids from the root (`/id/id/…/`), so "a grant on a node covers
 *   its subtree" is one `like` (or a string prefix test in code).
 * - `person`: a teacher, facilitator, coordinator, admin…; a teacher's `school_id`; the link to an
 *   LTI user by (`lti_issuer`, `lti_sub`) when known; `external_id` keeps imports idempotent.
 * - `person_grant`: (role, node) rights; `node_id` null means the whole tenant (role `admin`).
 * - `local_account`: sign-in without an LMS (district admins, BPPAUD staff, monitors): scrypt hash
 *   (parameters inside the string), lockout counters. E-mail unique across tenants: `/login` has
 *   no tenant picker.
 * - `account_invitation`: single-use tokens (SHA-256 stored) with an expiry.
 * - `login_throttle`: failed logins per client address, for the small per-address delay.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table org_node (
      id uuid primary key,
      tenant_id uuid not null references tenant (id),
      parent_id uuid references org_node (id),
      kind text not null check (kind in ('province', 'district', 'kecamatan', 'school')),
      code text not null,
      name text not null,
      school_type text check (school_type in ('TK', 'KB', 'TPA', 'SPS', 'RA')),
      path text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (tenant_id, kind, code),
      check ((kind = 'school') = (school_type is not null)),
      check ((kind = 'province') = (parent_id is null))
    )`,
    `create index org_node_parent on org_node (parent_id)`,
    `create index org_node_path on org_node (tenant_id, path text_pattern_ops)`,
    `create table person (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      name text not null,
      email text,
      phone text,
      school_id uuid references org_node (id),
      external_id text,
      lti_issuer text,
      lti_sub text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (tenant_id, external_id),
      unique (tenant_id, lti_issuer, lti_sub),
      check ((lti_issuer is null) = (lti_sub is null))
    )`,
    `create index person_school on person (school_id)`,
    `create table person_grant (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      person_id uuid not null references person (id) on delete cascade,
      role text not null check (role in ('teacher', 'facilitator', 'coordinator', 'monitor', 'district-admin', 'bppaud', 'admin')),
      node_id uuid references org_node (id) on delete cascade,
      created_at timestamptz not null default now()
    )`,
    `create unique index person_grant_unique on person_grant (person_id, role, coalesce(node_id, '00000000-0000-0000-0000-000000000000'::uuid))`,
    `create table local_account (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      person_id uuid not null unique references person (id) on delete cascade,
      email text not null,
      password_hash text,
      failed_logins integer not null default 0,
      locked_until timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create unique index local_account_email on local_account (lower(email))`,
    `create table account_invitation (
      token_hash text primary key,
      account_id uuid not null references local_account (id) on delete cascade,
      expires_at timestamptz not null,
      created_at timestamptz not null default now()
    )`,
    `create index account_invitation_account on account_invitation (account_id)`,
    `create table login_throttle (
      address text primary key,
      failures integer not null,
      last_failure_at timestamptz not null
    )`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [
    'drop table login_throttle',
    'drop table account_invitation',
    'drop table local_account',
    'drop table person_grant',
    'drop table person',
    'drop table org_node',
  ])
}
