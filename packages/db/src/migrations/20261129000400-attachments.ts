import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Attachment content (xAPI 1.0.3 Data 2.4.11, Communication 1.5.2), deduplicated per tenant by
 * its `sha2`: the same file attached to many statements is stored once. Statements reference
 * content through the `sha2` of the Attachment Objects in their JSON; there is no link table,
 * because a statement is immutable and its JSON already says which content it needs.
 *
 * `sha2` is the lowercase hex digest as the statement declares it (SHA-224, -256, -384 or -512,
 * told apart by length); the LRS checked it against the bytes before storing them.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `create table xapi_attachment (
      tenant_id uuid not null references tenant (id),
      sha2 text not null check (sha2 ~ '^[0-9a-f]+$'),
      content bytea not null,
      stored timestamptz not null default now(),
      primary key (tenant_id, sha2)
    )`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, ['drop table xapi_attachment'])
}
