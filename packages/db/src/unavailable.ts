import { isStatementTimeout } from './statement-timeout.ts'

/**
 * Errors that mean "the database cannot be reached right now" rather than "this request is
 * wrong" or "the code is wrong": the answer is 503 with Retry-After, and the client retries
 * (issue 7: "PostgreSQL restarted under load → requests fail fast with 503").
 *
 * - socket errors while connecting or talking to the server;
 * - PostgreSQL's own shutdown and connection-class SQLSTATEs (57P01 admin_shutdown, 57P02
 *   crash_shutdown, 57P03 cannot_connect_now, 53300 too_many_connections, class 08 connection
 *   exceptions);
 * - `pg` closing a connection that died in the middle of a query ("Connection terminated
 *   unexpectedly"), which carries no code;
 * - `pg` giving up opening a connection after `connectionTimeoutMillis` (`Error('timeout expired')`,
 *   no code: the server or this process too busy to finish the handshake in time);
 * - knex giving up waiting for a pooled connection (`KnexTimeoutError`);
 * - a statement the server cancelled after `statement_timeout` (57014, `isStatementTimeout`): its
 *   transaction was rolled back, so nothing was kept, and the same request may succeed when the
 *   database is less busy.
 */
const CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006'])
// knex prefixes the SQL (`BEGIN; - Connection terminated unexpectedly`), so match anywhere.
const MESSAGES = [/Connection terminated/, /Client has encountered a connection error/, /Client was closed and is not queryable/, /timeout exceeded when trying to connect/, /^timeout expired$/]

/**
 * What a 503 for such an error tells the client: the statement timeout named when it was one, so
 * the client knows a smaller request may pass. `kept` is what the request would have done
 * (`stored` for the LRS, `changed` elsewhere).
 */
export function unavailableMessage(error: unknown, kept: 'stored' | 'changed'): string {
  return isStatementTimeout(error)
    ? `the database took longer than its statement timeout and cancelled the request; nothing was ${kept}, retry later`
    : `the database is unavailable; nothing was ${kept}, retry shortly`
}

export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  if (isStatementTimeout(error)) return true
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown }
  if (typeof code === 'string' && CODES.has(code)) return true
  if (name === 'KnexTimeoutError') return true
  return typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message))
}
