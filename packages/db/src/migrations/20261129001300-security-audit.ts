import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Security and privacy records.
 *
 * `auth_throttle` counts failed HTTP Basic attempts per bucket (`address:<ip>` or `key:<api key>`)
 * in a fixed window that starts at the first failure. It lives in the database so that every
 * server process sees the same counts (the server is stateless). Successful requests only read
 * it; rows whose window has passed are deleted as new failures arrive.
 *
 * `access_audit` records every read that names a person (UU 27/2022: who looked at whose
 * records): who (a credential or a session person), what (the resource, the person's IFI key and
 * the query without paging tokens), when, how many records, from which address.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table auth_throttle (
      bucket text primary key,
      failures integer not null,
      window_start timestamptz not null
    )`,
    `create index auth_throttle_window on auth_throttle (window_start)`,
    `create table access_audit (
      id bigint generated always as identity primary key,
      tenant_id uuid not null references tenant (id),
      at timestamptz not null default now(),
      -- 'credential' (an LRS client) or 'session' (a person signed in to the tool)
      actor_kind text not null,
      actor_id text not null,
      actor_label text not null,
      resource text not null,
      -- the IFI key of the person read about (@tln/xapi ifiKey), e.g. mbox:mailto:a@b.example
      agent_ifi text not null,
      query jsonb not null,
      records integer not null,
      address text
    )`,
    `create index access_audit_by_agent on access_audit (tenant_id, agent_ifi, at)`,
    `create index access_audit_by_time on access_audit (at)`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, ['drop table access_audit', 'drop table auth_throttle'])
}
