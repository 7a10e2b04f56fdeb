import { describe, expect, it } from 'vitest'
import { toInstant } from './instant.ts'

describe('toInstant', () => {
  it('gives one string for every serialisation of one instant (xAPI 1.0.3 Data 2.3.1.b4)', () => {
    const forms = ['2024-03-01T07:00:00+07:00', '2024-03-01T00:00:00Z', '2024-03-01T00:00:00.000Z', '2024-02-29T20:00:00-04:00', '2024-03-01T00:00:00.0000+00:00']
    for (const f of forms) expect(toInstant(f)).toBe('2024-03-01T00:00:00.000Z')
  })

  it('keeps sub-millisecond digits', () => {
    expect(toInstant('2024-03-01T00:00:00.123456Z')).toBe('2024-03-01T00:00:00.123456Z')
    expect(toInstant('2024-03-01T00:00:00.1Z')).toBe('2024-03-01T00:00:00.100Z')
  })

  it('follows the rules of the given version (xAPI 2.0.0 Data 4.5: RFC 3339)', () => {
    expect(toInstant('2024-03-01T00:00Z', '1.0.3')).toBe('2024-03-01T00:00:00.000Z')
    expect(toInstant('2024-03-01T00:00Z', '2.0.0')).toBeUndefined()
  })

  it('returns undefined for what is not a timestamp', () => {
    for (const v of ['', 'yesterday', '2024-02-30T00:00:00Z', '2024-03-01']) expect(toInstant(v)).toBeUndefined()
  })
})
