import { createHash } from 'node:crypto'

/**
 * A PostgreSQL advisory lock key for `name`: 64 bits of SHA-256, so one feature's key does not meet
 * another's by accident. A decimal string, bound as `?::bigint` (knex binds strings as text, and a
 * JavaScript number cannot hold 64 bits).
 */
export function advisoryLockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString()
}
