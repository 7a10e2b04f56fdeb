import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * `lti_platform_jwks`: the last good key set fetched from each platform JWKS URL, so that a server
 * process started (or a second one serving) while a platform's JWKS endpoint is down can still
 * verify launches within the stale-if-error bound (`createPlatformJwks` `lastGood`). Public keys
 * only; one row per URL, overwritten by each successful fetch.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table lti_platform_jwks (
      jwks_uri text primary key,
      jwks jsonb not null,
      fetched_at timestamptz not null
    )`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, ['drop table lti_platform_jwks'])
}
