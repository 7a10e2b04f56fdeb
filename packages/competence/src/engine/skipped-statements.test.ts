import { describe, expect, it } from 'vitest'
import { boundedReason, MAX_SKIP_REASON, skipReason } from './skipped-statements.ts'

describe('the reason kept for a skipped statement', () => {
  it('keeps the SQLSTATE and the database\'s own message, not the query and bound values knex puts before it (personal data)', () => {
    const error = Object.assign(new Error(`insert into learning_fact (…) select ? from jsonb_to_recordset('[{"learner_key":"mbox:mailto:siti@paud.example"}]') - value too long for type character varying(8)`), { code: '22001' })
    expect(skipReason(error)).toEqual({ code: '22001', reason: 'value too long for type character varying(8)' })
  })

  it('redacts the value the database\'s own message quotes (a statement\'s value, personal data), keeping the names the error gives', () => {
    const cast = Object.assign(new Error(`insert into learning_fact (…) values ('Siti Aminah') - invalid input syntax for type uuid: "Siti Aminah"`), { code: '22P02' })
    expect(skipReason(cast)).toEqual({ code: '22P02', reason: 'invalid input syntax for type uuid: "[redacted]"' })
    const check = Object.assign(new Error('insert … - new row for relation "learning_fact" violates check constraint "learning_fact_score_check"'), { code: '23514', table: 'learning_fact', constraint: 'learning_fact_score_check' })
    expect(skipReason(check).reason).toBe('new row for relation "learning_fact" violates check constraint "learning_fact_score_check"')
  })

  it('names an error without a SQLSTATE by its class, and a non-error by its text', () => {
    expect(skipReason(new TypeError('actor.mbox must be a string'))).toEqual({ code: 'TypeError', reason: 'actor.mbox must be a string' })
    expect(skipReason('odd')).toEqual({ code: 'Error', reason: 'odd' })
  })

  it('is one line without control characters, at most MAX_SKIP_REASON characters', () => {
    expect(boundedReason('first line\nsecond line')).toBe('first line')
    expect(boundedReason('a\tb\u0000c')).toBe('a b c')
    expect(boundedReason('')).toBe('no message')
    const long = boundedReason('x'.repeat(2000))
    expect(long).toHaveLength(MAX_SKIP_REASON)
    expect(long.endsWith('…')).toBe(true)
  })
})
