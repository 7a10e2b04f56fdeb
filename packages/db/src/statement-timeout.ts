import type { Knex } from 'knex'

/**
 * PostgreSQL's `statement_timeout` on every pooled connection: a statement still running after it
 * is cancelled by the server (SQLSTATE 57014), its transaction rolled back, its connection freed.
 * Without it a statement whose client has gone (a report request abandoned, an export cut off)
 * runs on and holds a connection of the pool for as long as it takes, and ten such requests
 * starve every other one. PGlite has no timer to cancel with and ignores the setting.
 *
 * Work that is long by nature (migrations, a maintenance round, a projection rebuild emptying a
 * tenant's tables) lifts it for its own transaction or connection with `withoutStatementTimeout`.
 */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 60_000

/** SQLSTATE `query_canceled`: `statement_timeout` ran out (or an operator's `pg_cancel_backend`). */
const QUERY_CANCELED = '57014'

/** True for a statement the server cancelled: nothing it did was kept, and it may be sent again. */
export function isStatementTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === QUERY_CANCELED
}

/**
 * Lifts the statement timeout until `trx` commits or rolls back (`SET LOCAL`): the pooled
 * connection goes back to the pool with its timeout intact.
 */
export async function withoutStatementTimeout(trx: Knex.Transaction): Promise<void> {
  await trx.raw('set local statement_timeout = 0')
}
