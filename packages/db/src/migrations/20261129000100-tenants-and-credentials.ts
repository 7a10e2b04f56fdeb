import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/** Tenants (organisations owning data) and the LRS's HTTP Basic credentials. */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table tenant (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique,
      name text not null,
      created_at timestamptz not null default now()
    )`,
    `insert into tenant (slug, name) values ('default', 'Default')`,
    `create table lrs_credential (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenant (id),
      api_key text not null unique,
      -- "scrypt:N:r:p:salt:hash", never the secret itself
      secret_hash text not null,
      scopes text[] not null,
      label text not null,
      created_at timestamptz not null default now(),
      revoked_at timestamptz
    )`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, ['drop table lrs_credential', 'drop table tenant'])
}
