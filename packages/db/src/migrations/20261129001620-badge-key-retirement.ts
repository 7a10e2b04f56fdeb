import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Badge signing key rotation (`tln badges keys rotate`, issue 6): a retired key of
 * `badge_issuer_key` keeps its public half, so every credential it signed still verifies against
 * the issuer's JWKS, and loses its private half, so it can never sign again. The check makes the
 * database refuse a retired key that still holds a sealed private key.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    'alter table badge_issuer_key alter column sealed_private_key drop not null',
    'update badge_issuer_key set sealed_private_key = null where retired_at is not null',
    `alter table badge_issuer_key add constraint badge_issuer_key_retired_cannot_sign
       check (retired_at is null or sealed_private_key is null)`,
    'alter table badge_issuer_key add constraint badge_issuer_key_current_can_sign check (retired_at is not null or sealed_private_key is not null)',
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [
    'alter table badge_issuer_key drop constraint badge_issuer_key_current_can_sign',
    'alter table badge_issuer_key drop constraint badge_issuer_key_retired_cannot_sign',
    // A retired key without its private half cannot go back under the old not-null rule.
    "update badge_issuer_key set sealed_private_key = '' where sealed_private_key is null",
    'alter table badge_issuer_key alter column sealed_private_key set not null',
  ])
}
