import { describe, expect, it } from 'vitest'
import { hasNegativeZeroOffset, isTimestamp, toUtcTimestamp } from './timestamp.ts'

describe('isTimestamp under 1.0.3 (xAPI 1.0.3 Data 4.5: ISO 8601)', () => {
  it.each(['2013-05-18T05:32:34.804+00:00', '2015-11-18T12:17:00Z', '2015-11-18T12:17:00', '2015-11-18T12:17Z', '2015-11-18T12:17:00+0700', '2015-11-18T12:17:00-05', '20151118T121700Z', '2016-02-29T00:00:00Z', '2008-09-15 15:53:00.601+00:00'])(
    'accepts %s', (value) => expect(isTimestamp(value, '1.0.3')).toBe(true),
  )
  it.each(['01/011/2015', 'should fail', '2015-11-18', '2015-13-18T12:17:00Z', '2015-02-29T12:00:00Z', '2015-11-18T24:00:00Z', '2015-11-18T12:17:00+25:00', '2008-09-15T15:53:00.601-00:00', '2008-09-15T15:53:00.601-0000', '2008-09-15T15:53:00.601-00'])(
    'rejects %s', (value) => expect(isTimestamp(value, '1.0.3')).toBe(false),
  )
})

describe('isTimestamp under 2.0.0 (xAPI 2.0.0 Data 4.5: RFC 3339 with a time zone)', () => {
  it.each(['2013-05-18T05:32:34.804+00:00', '2008-09-15 15:53:00.601+00:00', '2015-11-18t12:17:00z', '2015-11-18T12:17:00.123456789+07:00'])(
    'accepts %s', (value) => expect(isTimestamp(value, '2.0.0')).toBe(true),
  )
  it.each(['2015-11-18T12:17:00', '2015-11-18T12:17Z', '2015-11-18T12:17:00+0700', '20151118T121700Z', '2008-09-15T15:53:00.601-00:00'])(
    'rejects %s', (value) => expect(isTimestamp(value, '2.0.0')).toBe(false),
  )
})

describe('hasNegativeZeroOffset (RFC 3339 4.3 unknown local offset)', () => {
  it('finds -00, -0000 and -00:00 but not +00:00', () => {
    expect(['-00', '-0000', '-00:00'].map((o) => hasNegativeZeroOffset(`2008-09-15T15:53:00${o}`))).toEqual([true, true, true])
    expect(hasNegativeZeroOffset('2008-09-15T15:53:00+00:00')).toBe(false)
  })
})

describe('toUtcTimestamp (xAPI Data 4.5.s1.b6: return timestamps in UTC)', () => {
  it('converts an offset to UTC and keeps the fractional digits', () => {
    expect(toUtcTimestamp('2008-09-15T01:53:00.601123+07:00', '2.0.0')).toBe('2008-09-14T18:53:00.601123Z')
  })
  it('crosses a year boundary with a negative offset', () => {
    expect(toUtcTimestamp('2015-12-31T23:30:00-01:00', '2.0.0')).toBe('2016-01-01T00:30:00Z')
  })
  it('reads a 1.0.3 timestamp without offset as UTC', () => {
    expect(toUtcTimestamp('2015-11-18T12:17', '1.0.3')).toBe('2015-11-18T12:17:00Z')
  })
  it('returns undefined for a non-timestamp', () => expect(toUtcTimestamp('yesterday', '2.0.0')).toBeUndefined())
})
