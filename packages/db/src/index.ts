/**
 * @tln/db: the database factory (embedded PGlite by default, PostgreSQL through `DATABASE_URL`),
 * the migrations, and test helpers.
 */
export { createDb, PGLITE_SHARED_BUFFERS_MB, type Db, type DbConfig, type DbEngine } from './create-db.ts'
export { migrateToLatest, rollbackMigrations } from './migrate.ts'
export { DbError, type DbErrorCode } from './errors.ts'
export { isDatabaseUnavailable, unavailableMessage } from './unavailable.ts'
export { DEFAULT_STATEMENT_TIMEOUT_MS, isStatementTimeout, withoutStatementTimeout } from './statement-timeout.ts'
export { databaseErrorIn, isDatabaseError, loggableError, redactedMessage, REDACTED_VALUE, type LoggableError } from './loggable-error.ts'
export { isUnstorableText, UNSTORABLE_TEXT_MESSAGE } from './unstorable-text.ts'
export { isProcessAlive } from './new-data-dir.ts'
export { PollLoop } from './poll-loop.ts'
export { advisoryLockKey } from './advisory-lock.ts'
export type { Knex } from 'knex'
export {
  DbMaintenance, chooseTables, MAINTENANCE_INTERVAL_MS, MAINTENANCE_LOCK_KEY, MAINTENANCE_MODES, PGLITE_VACUUM_MAX_BYTES,
  type MaintenanceAction, type MaintenanceLogger, type MaintenanceMode, type MaintenanceOptions, type RoundResult,
} from './maintenance.ts'
