import { describe, expect, it } from 'vitest'
import { sqlInstant } from './sql-instant.ts'

describe('sqlInstant (since/until as timestamptz takes them; xAPI 1.0.3 Communication 2.1.3, 2.3)', () => {
  it('keeps an instant of up to microsecond precision as it is', () => {
    expect(sqlInstant('2026-11-30T01:02:03.123Z')).toBe('2026-11-30T01:02:03.123Z')
    expect(sqlInstant('2026-11-30T01:02:03.123456Z')).toBe('2026-11-30T01:02:03.123456Z')
  })
  it('cuts a longer fraction to microseconds, which selects the same stored rows for > and <=', () => {
    expect(sqlInstant(`2020-01-01T00:00:00.${'9'.repeat(5000)}Z`)).toBe('2020-01-01T00:00:00.999999Z')
  })
  it('turns an instant in year 0000, before anything stored, into -infinity', () => {
    expect(sqlInstant('0000-01-01T00:00:00.000Z')).toBe('-infinity')
  })
})
