import type { Knex } from 'knex'
import { migrations } from './migrations/index.ts'

const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => migrations.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = migrations.find(([candidate]) => candidate === name)
    if (found === undefined) throw new TypeError(`unknown migration ${name}`)
    return found[1]
  },
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
