import type { Knex } from 'knex'
import { migrations } from './migrations/index.ts'
import { withoutStatementTimeout } from './statement-timeout.ts'

const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => migrations.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = migrations.find(([candidate]) => candidate === name)
    if (found === undefined) throw new TypeError(`unknown migration ${name}`)
    return withoutStatementTimeoutIn(found[1])
  },
}

interface Migration {
  up(knex: Knex): Promise<void>
  down(knex: Knex): Promise<void>
}

/**
 * A migration rewrites or indexes whole tables: on a large store that takes longer than a
 * request's statement timeout (statement-timeout.ts), and a server that can never finish
 * migrating never starts. knex runs each migration in its own transaction, so `SET LOCAL` lifts
 * the timeout for that migration alone.
 */
export function withoutStatementTimeoutIn(migration: Migration): Migration {
  return {
    up: async (trx) => {
      await withoutStatementTimeout(trx as Knex.Transaction)
      await migration.up(trx)
    },
    down: async (trx) => {
      await withoutStatementTimeout(trx as Knex.Transaction)
      await migration.down(trx)
    },
  }
}

/**
 * Brings the schema up to date. Safe to run on every start and from several processes at once:
 * knex takes a lock row in `knex_migrations_lock` around the run.
 * @returns the names of the migrations that ran now.
 */
export async function migrateToLatest(knex: Knex): Promise<string[]> {
  const [, ran] = (await knex.migrate.latest({ migrationSource })) as [number, string[]]
  return ran
}

/** Undoes the last batch of migrations (for operators repairing a bad deploy). */
export async function rollbackMigrations(knex: Knex): Promise<string[]> {
  const [, ran] = (await knex.migrate.rollback({ migrationSource })) as [number, string[]]
  return ran
}
