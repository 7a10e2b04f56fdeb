import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Security and privacy records.
 *
 * `auth_throttle` holds per-bucket counters in a fixed window that starts at a bucket's first
 * event (`failures`, `window_start`), shared by every server process (the server is stateless).
 * Two kinds of bucket use it (`@tln/lrs` `src/credentials/auth-throttle.ts`):
 * - failed HTTP Basic attempts, `address:<ip>` and `key:<api key>` (`AuthThrottle`): a client past
 *   its limit gets 429; successful requests only read these rows;
 * - requests to an open route that costs the server on every call, per client address,
 *   `<route name>:address:<ip>` (`AddressRateLimit`; the LTI tool's Dynamic Registration start,
 *   `lti-register`): every request counts, not only failures.
 * Each counter deletes the ended windows of its own kind of bucket in the statement that counts.
 * (The comment was brought up to date after the migration shipped; the schema is unchanged.)
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
