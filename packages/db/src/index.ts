/**
 * @tln/db: the database factory (embedded PGlite by default, PostgreSQL through `DATABASE_URL`),
 * the migrations, and test helpers.
 */
export { createDb, PGLITE_SHARED_BUFFERS_MB, type Db, type DbConfig, type DbEngine } from './create-db.ts'
export { migrateToLatest, rollbackMigrations } from './migrate.ts'
export { DbError, type DbErrorCode } from './errors.ts'
export { isDatabaseUnavailable } from './unavailable.ts'
export type { Knex } from 'knex'
