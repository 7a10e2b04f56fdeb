import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * A grade passback job keeps what the launch's AGS endpoint claim granted (`scope`, AGS 2.0 §3.1),
 * so the worker asks tokens only for those scopes and posts no score where `score` was not granted;
 * such a job ends `failed` with a stable code (`last_error_code`) that tells it from a platform's
 * refusal or a retryable failure out of attempts. `granted_scopes` is null for jobs queued before:
 * the worker then asks as it did (`lineitem` and `score`).
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    'alter table grade_passback add column granted_scopes text[]',
    'alter table grade_passback add column last_error_code text',
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [
    'alter table grade_passback drop column last_error_code',
    'alter table grade_passback drop column granted_scopes',
  ])
}
