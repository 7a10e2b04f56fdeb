import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Privacy (issue 7, UU 27/2022; `apps/server/src/privacy`, docs/privacy.md).
 *
 * `privacy_erasure` is the record that a person's data was erased (UU 27/2022 art. 31: the
 * controller records its processing; art. 43–44: erasure and destruction): who ran it, when, how
 * many rows of each kind it changed, and the pseudonymous accounts that replaced the person in
 * the statements. It holds no personal data: not the erased IFIs, names or e-mail addresses.
 * `person_id` is the id of the emptied `person` row (a tombstone), so a second run with
 * `--person` knows the person is erased already.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table privacy_erasure (
      id bigint generated always as identity primary key,
      tenant_id uuid not null references tenant (id),
      at timestamptz not null default now(),
      operator text not null,
      person_id uuid,
      pseudonyms text[] not null,
      counts jsonb not null
    )`,
    `create index privacy_erasure_by_tenant on privacy_erasure (tenant_id, at)`,
    `create index privacy_erasure_by_person on privacy_erasure (person_id) where person_id is not null`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, ['drop table privacy_erasure'])
}
