import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * What binds an OIDC login to the browser that started it (login CSRF; Security Framework 1.0
 * §5.1.1, RFC 6749 §10.12): the SHA-256 of the state cookie's value, and the rest of the login
 * initiation, so a launch refused as not bound can restart the login in a new window. Nullable:
 * states saved before this migration (five minutes' worth) simply cannot be bound by a cookie.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    'alter table lti_login_state add column cookie_hash text, add column login_hint text, add column lti_message_hint text, add column lti_deployment_id text',
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, ['alter table lti_login_state drop column cookie_hash, drop column login_hint, drop column lti_message_hint, drop column lti_deployment_id'])
}
