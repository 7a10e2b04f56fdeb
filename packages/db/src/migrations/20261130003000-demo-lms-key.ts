import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * `demo_lms_key`: the RS256 key pair of the demo LMS that `tln serve --demo` plays
 * (`apps/server/src/demo-lms/`), one per issuer, generated once so that restarts keep the
 * registration's JWKS. The private half is sealed (AES-256-GCM) like the tool's own keys.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table demo_lms_key (
      issuer text primary key,
      kid text not null,
      public_jwk jsonb not null,
      private_jwk_sealed text not null,
      created_at timestamptz not null default now()
    )`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, ['drop table demo_lms_key'])
}
