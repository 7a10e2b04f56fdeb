import { describe, expect, it } from 'vitest'
import { dayIn, isTimeZone, monthIn, startOfDayIn } from './report-time-zone.ts'

describe('report time zone (issue 6: days and months of Lombok, WITA = UTC+8)', () => {
  it('puts 23:30 UTC on 31 January on 1 February in Asia/Makassar, and on 31 January in UTC', () => {
    expect(dayIn('2026-01-31T23:30:00Z', 'Asia/Makassar')).toBe('2026-02-01')
    expect(monthIn('2026-01-31T23:30:00Z', 'Asia/Makassar')).toBe('2026-02-01')
    expect(monthIn('2026-01-31T23:30:00Z', 'UTC')).toBe('2026-01-01')
    expect(dayIn('2026-01-31T15:59:59Z', 'Asia/Makassar')).toBe('2026-01-31')
  })

  it('starts a local day at local midnight, also across a daylight-saving change', () => {
    expect(startOfDayIn('2026-02-01', 'Asia/Makassar')).toBe('2026-01-31T16:00:00.000Z')
    expect(startOfDayIn('2026-02-01', 'UTC')).toBe('2026-02-01T00:00:00.000Z')
    expect(startOfDayIn('2026-03-29', 'Europe/Berlin')).toBe('2026-03-28T23:00:00.000Z')
    expect(startOfDayIn('2026-03-30', 'Europe/Berlin')).toBe('2026-03-29T22:00:00.000Z')
  })

  it('follows an offset change inside a day, on the quarter hour (Asia/Kathmandu, 1986: +05:30 → +05:45)', () => {
    expect(dayIn('1986-01-01T18:14:00Z', 'Asia/Kathmandu')).toBe('1986-01-01')
    expect(dayIn('1986-01-01T18:16:00Z', 'Asia/Kathmandu')).toBe('1986-01-02')
  })

  it('keeps local days within the years 1 to 9999 a PostgreSQL date and a YYYY key hold', () => {
    expect(dayIn('9999-12-31T23:59:59.999Z', 'Asia/Makassar')).toBe('9999-12-31')
    expect(monthIn('9999-12-31T23:59:59.999Z', 'Asia/Makassar')).toBe('9999-12-01')
    expect(dayIn('0001-01-01T00:00:00.000Z', 'America/New_York')).toBe('0001-01-01')
  })

  it('knows IANA zones and refuses anything else', () => {
    expect(isTimeZone('Asia/Makassar')).toBe(true)
    expect(isTimeZone('Asia/Jakarta')).toBe(true)
    expect(isTimeZone('UTC')).toBe(true)
    expect(isTimeZone('Lombok/Praya')).toBe(false)
    expect(isTimeZone('')).toBe(false)
    expect(isTimeZone(' Asia/Makassar')).toBe(false)
    expect(() => dayIn('2026-01-31T23:30:00Z', 'Lombok/Praya')).toThrow(TypeError)
  })
})
