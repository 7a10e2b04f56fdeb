import type { Knex } from 'knex'

/**
 * Runs SQL statements one at a time: PGlite (like any extended-protocol client) takes a single
 * statement per query, so a migration lists its statements instead of one multi-statement string.
 */
export async function runEach(knex: Knex, statements: readonly string[]): Promise<void> {
  for (const sql of statements) await knex.raw(sql)
}
