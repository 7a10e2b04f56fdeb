import type { Knex } from 'knex'

/**
 * JIT compilation off for the TLN database (`ALTER DATABASE … SET jit = off`, PostgreSQL 18,
 * 19.7.4 and 30.2). TLN's queries are short (a page of statements, a report from roll-ups), and
 * PostgreSQL decides to JIT-compile from the planner's cost estimate: three times a wrong estimate
 * made it compile a report query for 0.4 to 15 s that ran in milliseconds without
 * (docs/performance-notes.md, issue 7). Set on the database, not per connection, so it holds behind
 * PgBouncer and costs nothing per connection; a role without the right to alter the database gets a
 * notice and keeps the server's setting. Once migrated it is the operator's: `ALTER DATABASE … SET
 * jit = on` is never undone by TLN. PGlite has no JIT; the setting is harmless there.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`do $$
begin
  execute format('alter database %I set jit = off', current_database());
exception when insufficient_privilege then
  raise notice 'TLN: cannot turn JIT off for database %, keeping the server''s setting', current_database();
end $$`)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`do $$
begin
  execute format('alter database %I reset jit', current_database());
exception when insufficient_privilege then
  null;
end $$`)
}
