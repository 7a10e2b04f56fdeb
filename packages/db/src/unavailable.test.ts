import { describe, expect, it } from 'vitest'
import { isDatabaseUnavailable } from './unavailable.ts'

describe('isDatabaseUnavailable: which failures mean "retry shortly" (503), not a bug (500)', () => {
  it('a refused or reset socket', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true)
    expect(isDatabaseUnavailable(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true)
  })
  it('PostgreSQL shutting down or refusing connections (SQLSTATE 57P01, 57P03, 53300, class 08)', () => {
    for (const code of ['57P01', '57P03', '53300', '08006']) expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code }))).toBe(true)
  })
  it('pg losing a connection in the middle of a query (no code)', () => {
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true)
  })
  it('the same through knex, which puts the SQL in front of the message', () => {
    expect(isDatabaseUnavailable(new Error('BEGIN; - Connection terminated unexpectedly'))).toBe(true)
    expect(isDatabaseUnavailable(new Error('ROLLBACK - Client has encountered a connection error and is not queryable'))).toBe(true)
  })
  it('pg giving up opening a connection after connectionTimeoutMillis (its plain "timeout expired"; seen under overload as a 500)', () => {
    expect(isDatabaseUnavailable(new Error('timeout expired'))).toBe(true)
    expect(isDatabaseUnavailable(new Error('the request timeout expired while parsing'))).toBe(false)
  })
  it('knex timing out while waiting for a pooled connection', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('Knex: Timeout acquiring a connection.'), { name: 'KnexTimeoutError' }))).toBe(true)
  })
  it('a statement PostgreSQL cancelled after statement_timeout (57014): rolled back, may be sent again', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }))).toBe(true)
  })
  it('not a constraint violation, a syntax error or a plain bug', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false)
    expect(isDatabaseUnavailable(Object.assign(new Error('syntax'), { code: '42601' }))).toBe(false)
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false)
    expect(isDatabaseUnavailable(undefined)).toBe(false)
  })
})
