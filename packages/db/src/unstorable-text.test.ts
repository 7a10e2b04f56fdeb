import { describe, expect, it } from 'vitest'
import { isUnstorableText } from './unstorable-text.ts'

describe('isUnstorableText', () => {
  it('is true for the SQLSTATEs of a NUL in text (22021) and in jsonb (22P05), as PostgreSQL and PGlite raise them', () => {
    expect(isUnstorableText(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' }))).toBe(true)
    expect(isUnstorableText(Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' }))).toBe(true)
  })
  it('is false for other database errors and for non-errors', () => {
    expect(isUnstorableText(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false)
    expect(isUnstorableText(new Error('invalid byte sequence'))).toBe(false)
    expect(isUnstorableText(undefined)).toBe(false)
    expect(isUnstorableText('22021')).toBe(false)
  })
})
