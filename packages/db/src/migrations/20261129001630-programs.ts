import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Programs an administrator configures (`lti-tool/src/programs/`, issue 5: "Programs with tiers
 * … and modules, configurable by an administrator"): Program → Tier (Diklat Berjenjang Dasar /
 * Lanjut / Mahir) → Phase (In-Service 1 → On-the-Job Learning → In-Service 2) → Module, and the
 * participants planned per kecamatan. Every row carries its tenant; children reference their
 * parent by (id, tenant_id), so a row can never hang under another tenant's parent.
 *
 * - `program`: code unique per tenant; the xAPI activity IRI is fixed when the row is made
 *   (renaming never changes the id statements carry) and unique per tenant.
 * - `program_tier`: one per level and program; hours in JP (jam pelajaran); the completion rule
 *   (all modules completed, post-test at least a percentage, performance tasks accepted, share of
 *   meetings attended), each part optional.
 * - `program_phase`: kind in-service / on-the-job, order unique in its tier. The order constraint
 *   is deferred to commit so that a reorder inside one transaction may swap two positions.
 * - `program_module`: belongs to a phase; code unique in the tier (its IRI lives under the tier),
 *   order unique in the phase; `lms_activity_ids` the e-training/LMS activity ids that count as it.
 * - `program_quota`: participants planned per program and kecamatan (an `org_node`).
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table program (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      code text not null check (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
      name_id text not null check (length(name_id) between 1 and 200),
      name_en text not null check (length(name_en) between 1 and 200),
      activity_id text not null check (length(activity_id) between 1 and 2048),
      active boolean not null default true,
      updated_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (tenant_id, code),
      unique (tenant_id, activity_id),
      unique (id, tenant_id)
    )`,
    `create table program_tier (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null,
      program_id uuid not null,
      level text not null check (level in ('dasar', 'lanjut', 'mahir')),
      name_id text not null check (length(name_id) between 1 and 200),
      name_en text not null check (length(name_en) between 1 and 200),
      hours integer not null check (hours between 1 and 1000),
      requires_all_modules boolean not null default true,
      post_test_min_percent smallint check (post_test_min_percent between 0 and 100),
      requires_tasks_accepted boolean not null default true,
      min_attendance_percent smallint check (min_attendance_percent between 0 and 100),
      activity_id text not null check (length(activity_id) between 1 and 2048),
      foreign key (program_id, tenant_id) references program (id, tenant_id) on delete cascade,
      unique (program_id, level),
      unique (tenant_id, activity_id),
      unique (id, tenant_id)
    )`,
    `create table program_phase (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null,
      tier_id uuid not null,
      position smallint not null check (position between 1 and 50),
      code text not null check (code ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
      name_id text not null check (length(name_id) between 1 and 200),
      name_en text not null check (length(name_en) between 1 and 200),
      kind text not null check (kind in ('in-service', 'on-the-job')),
      hours integer not null check (hours between 0 and 1000),
      activity_id text not null check (length(activity_id) between 1 and 2048),
      foreign key (tier_id, tenant_id) references program_tier (id, tenant_id) on delete cascade,
      unique (tier_id, code),
      constraint program_phase_order unique (tier_id, position) deferrable initially deferred,
      unique (tenant_id, activity_id),
      unique (id, tier_id)
    )`,
    `create table program_module (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      tier_id uuid not null,
      phase_id uuid not null,
      position smallint not null check (position between 1 and 100),
      code text not null check (code ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
      name_id text not null check (length(name_id) between 1 and 200),
      name_en text not null check (length(name_en) between 1 and 200),
      hours integer not null check (hours between 0 and 1000),
      activity_id text not null check (length(activity_id) between 1 and 2048),
      lms_activity_ids jsonb not null default '[]' check (jsonb_typeof(lms_activity_ids) = 'array'),
      foreign key (phase_id, tier_id) references program_phase (id, tier_id) on delete cascade,
      unique (tier_id, code),
      constraint program_module_order unique (phase_id, position) deferrable initially deferred,
      unique (tenant_id, activity_id)
    )`,
    `create table program_quota (
      tenant_id uuid not null,
      program_id uuid not null,
      kecamatan_id uuid not null references org_node (id) on delete cascade,
      participants integer not null check (participants between 0 and 100000),
      foreign key (program_id, tenant_id) references program (id, tenant_id) on delete cascade,
      primary key (program_id, kecamatan_id)
    )`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, ['drop table program_quota', 'drop table program_module', 'drop table program_phase', 'drop table program_tier', 'drop table program'])
}
