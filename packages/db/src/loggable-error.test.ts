import { describe, expect, it } from 'vitest'
import { loggableError, redactedMessage } from './loggable-error.ts'

/** A database error as pg and PGlite give it, after knex wrote the query and its values in front of the message. */
function dbError(message: string, fields: Record<string, string>, query = `insert into learning_fact (learner_key, object_name) values ('account:["https://lms","guru-001"]', 'Siti Aminah')`): Error {
  const error = Object.assign(new Error(`${query} - ${message}`), fields)
  return error
}

describe('redactedMessage: a database message without the values it quotes (STYLE.md rule 10)', () => {
  it('cuts knex\'s query-with-values prefix and redacts the value PostgreSQL quotes', () => {
    const error = dbError('invalid input syntax for type uuid: "Siti Aminah"', { code: '22P02', routine: 'string_to_uuid' })
    expect(redactedMessage(error)).toBe('invalid input syntax for type uuid: "[redacted]"')
  })

  it('keeps the names the error itself gives (constraint, table, column, type) and redacts the rest', () => {
    expect(redactedMessage(dbError('duplicate key value violates unique constraint "learning_fact_pkey"', { code: '23505', constraint: 'learning_fact_pkey', table: 'learning_fact' })))
      .toBe('duplicate key value violates unique constraint "learning_fact_pkey"')
    expect(redactedMessage(dbError('null value in column "score" of relation "learning_fact" violates not-null constraint', { code: '23502', column: 'score', table: 'learning_fact' })))
      .toBe('null value in column "score" of relation "learning_fact" violates not-null constraint')
    expect(redactedMessage(dbError('value "guru-001@example.org" is out of range for type integer', { code: '22003' }))).toBe('value "[redacted]" is out of range for type integer')
  })

  it('never keeps part of a value that holds quotes or " - " itself', () => {
    // Quotes inside the value: from the first quote to the last.
    expect(redactedMessage(dbError('invalid input syntax for type json: "{"name":"Siti"}"', { code: '22P02' }))).toBe('invalid input syntax for type json: "[redacted]"')
    // " - " inside the value: the prefix cut lands in the value; what is before its closing quote goes too.
    expect(redactedMessage(dbError('invalid input syntax for type integer: "Siti - Aminah"', { code: '22P02' }))).toBe('[redacted]')
    // A quoted name of the error's own table inside a value does not split the value.
    expect(redactedMessage(dbError('invalid input syntax for type uuid: "x "learning_fact" Siti"', { code: '22P02', table: 'learning_fact' }))).not.toContain('Siti')
  })

  it('keeps the first line only and redacts JSON that a SyntaxError quotes', () => {
    let error: unknown
    try { JSON.parse('{"actor": {"name": "Siti Aminah"') } catch (e) { error = e }
    expect(redactedMessage(error)).not.toContain('Siti')
    expect(redactedMessage(new TypeError('Cannot read properties of undefined (reading \'mbox\')'))).toBe('Cannot read properties of undefined (reading \'mbox\')')
    expect(redactedMessage('first line\nsecond line')).toBe('first line')
  })
})

describe('loggableError: an error as a log line may hold it', () => {
  it('is idempotent: a loggable error made loggable again keeps its type, message, fields and stack (the engine logs one, the app serializer sees it)', () => {
    const once = loggableError(dbError('invalid input syntax for type uuid: "Siti Aminah"', { code: '22P02', routine: 'string_to_uuid' }))
    expect(loggableError(once)).toEqual(once)
  })
  it('keeps SQLSTATE, constraint, table, column, routine; drops detail, where and the query in the stack', () => {
    const error = dbError('duplicate key value violates unique constraint "learning_fact_pkey"', {
      code: '23505', severity: 'ERROR', constraint: 'learning_fact_pkey', table: 'learning_fact', schema: 'public', routine: '_bt_check_unique',
      detail: 'Key (tenant_id, statement_id)=(7, Siti Aminah) already exists.', where: 'PL/pgSQL function x() line 3 at SQL statement: Siti Aminah',
    })
    const logged = loggableError(error)
    expect(logged).toMatchObject({
      type: 'Error', code: '23505', severity: 'ERROR', constraint: 'learning_fact_pkey', table: 'learning_fact', schema: 'public', routine: '_bt_check_unique',
      message: 'duplicate key value violates unique constraint "learning_fact_pkey"',
    })
    expect(logged.stack).toMatch(/^Error: duplicate key value violates unique constraint "learning_fact_pkey"\n\s+at /)
    const text = JSON.stringify(logged)
    for (const personal of ['Siti', 'guru-001', 'insert into']) expect(text).not.toContain(personal)
  })

  it('names the class of other errors and keeps a Node.js error code', () => {
    expect(loggableError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toMatchObject({ type: 'Error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' })
    expect(loggableError(new TypeError('x is not a function'))).toMatchObject({ type: 'TypeError', message: 'x is not a function' })
    expect(loggableError('a string')).toEqual({ type: 'string', message: 'a string' })
  })
})
