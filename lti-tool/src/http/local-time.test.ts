import { describe, expect, it } from 'vitest'
import { LOMBOK_TIME_ZONE, localDateText, localDateTimeField, localTimeHtml, localTimeText, localZoneName, parseLocalDateTime } from './local-time.ts'

describe('times on the pages', () => {
  it('are on the zone given: Lombok time (WITA, UTC+8) puts 22:21 UTC at 06:21 the next day in Praya', () => {
    expect(localTimeText(new Date('2026-11-30T22:21:40Z'), LOMBOK_TIME_ZONE)).toBe('2026-12-01 06:21 WITA')
  })

  it('name Indonesia\'s other zones as Indonesians write them, and any other zone by Intl\'s short name', () => {
    const at = new Date('2026-11-30T22:21:00Z')
    expect(localTimeText(at, 'Asia/Jakarta')).toBe('2026-12-01 05:21 WIB')
    expect(localTimeText(at, 'Asia/Jayapura')).toBe('2026-12-01 07:21 WIT')
    expect(localTimeText(at, 'UTC')).toBe('2026-11-30 22:21 UTC')
  })

  it('give the day on the zone\'s clock: 23:30 UTC on 3 May is 4 May in Lombok', () => {
    expect(localDateText(new Date('2026-05-03T23:30:00Z'), 'Asia/Makassar')).toBe('2026-05-04')
    expect(localDateText(new Date('2026-05-03T23:30:00Z'), 'UTC')).toBe('2026-05-03')
  })

  it('keep the exact instant for machines in <time datetime>', () => {
    expect(localTimeHtml(new Date('2026-06-30T00:00:00Z'), 'Asia/Makassar')).toBe('<time datetime="2026-06-30T00:00:00.000Z">2026-06-30 08:00 WITA</time>')
  })

  it('name the zone for a form\'s label: WIB, WITA, WIT; a zone with daylight saving by the name in force', () => {
    const at = new Date('2026-07-01T00:00:00Z')
    expect(['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura', 'UTC'].map((z) => localZoneName(z, at))).toEqual(['WIB', 'WITA', 'WIT', 'UTC'])
    expect(localZoneName('Europe/Berlin', at)).toBe('GMT+2')
    expect(localZoneName('Europe/Berlin', new Date('2026-01-01T00:00:00Z'))).toBe('GMT+1')
  })
})

describe('a datetime-local field on the zone\'s clock', () => {
  // 23:59 on 1 December typed in each of Indonesia's zones, and in UTC.
  const cases: ReadonlyArray<[string, string]> = [
    ['Asia/Jakarta', '2026-12-01T16:59:00.000Z'],
    ['Asia/Makassar', '2026-12-01T15:59:00.000Z'],
    ['Asia/Jayapura', '2026-12-01T14:59:00.000Z'],
    ['UTC', '2026-12-01T23:59:00.000Z'],
  ]
  it.each(cases)('reads 2026-12-01T23:59 in %s as %s, and writes that instant back as the same field', (zone, instant) => {
    const at = parseLocalDateTime('2026-12-01T23:59', zone)
    expect(at?.toISOString()).toBe(instant)
    expect(localDateTimeField(new Date(instant), zone)).toBe('2026-12-01T23:59')
  })

  it('shows a stored instant as its field on another zone\'s clock (the day may change)', () => {
    expect(localDateTimeField(new Date('2026-12-01T16:59:00Z'), 'Asia/Jayapura')).toBe('2026-12-02T01:59')
  })

  it('rule: refuses what is not a date and time that exists (format, 2026-02-31, 24:00, 23:60)', () => {
    for (const value of ['', '2026-12-01', '2026-12-01 23:59', '2026-12-01T23:59:00', '2026-12-01T23:59Z', '2026-02-31T10:00', '2026-02-29T10:00', '2026-12-01T24:00', '2026-12-01T23:60', '2026-13-01T10:00']) {
      expect(parseLocalDateTime(value, 'Asia/Makassar'), value).toBeUndefined()
    }
    expect(parseLocalDateTime('2028-02-29T10:00', 'Asia/Makassar')?.toISOString()).toBe('2028-02-29T02:00:00.000Z')
  })

  it('rule: a zone with daylight saving reads each side of a change with the offset in force (Europe/Berlin)', () => {
    expect(parseLocalDateTime('2026-01-15T12:00', 'Europe/Berlin')?.toISOString()).toBe('2026-01-15T11:00:00.000Z')
    expect(parseLocalDateTime('2026-07-15T12:00', 'Europe/Berlin')?.toISOString()).toBe('2026-07-15T10:00:00.000Z')
    // Around the change itself: the last minute before it and the first after.
    expect(parseLocalDateTime('2026-03-29T01:59', 'Europe/Berlin')?.toISOString()).toBe('2026-03-29T00:59:00.000Z')
    expect(parseLocalDateTime('2026-03-29T03:00', 'Europe/Berlin')?.toISOString()).toBe('2026-03-29T01:00:00.000Z')
  })

  it('rule: a time skipped when the clock goes forward is refused, not moved (Europe/Berlin, 29 March 2026, 02:00–02:59)', () => {
    expect(parseLocalDateTime('2026-03-29T02:00', 'Europe/Berlin')).toBeUndefined()
    expect(parseLocalDateTime('2026-03-29T02:30', 'Europe/Berlin')).toBeUndefined()
    expect(parseLocalDateTime('2026-03-08T02:30', 'America/New_York')).toBeUndefined()
  })

  it('rule: a time the clock shows twice when it goes back is the first of the two (Europe/Berlin, 25 October 2026, 02:30)', () => {
    expect(parseLocalDateTime('2026-10-25T02:30', 'Europe/Berlin')?.toISOString()).toBe('2026-10-25T00:30:00.000Z')
    // Both instants show as that field; the second reads back as the first.
    expect(localDateTimeField(new Date('2026-10-25T00:30:00Z'), 'Europe/Berlin')).toBe('2026-10-25T02:30')
    expect(localDateTimeField(new Date('2026-10-25T01:30:00Z'), 'Europe/Berlin')).toBe('2026-10-25T02:30')
    expect(parseLocalDateTime('2026-10-25T03:00', 'Europe/Berlin')?.toISOString()).toBe('2026-10-25T02:00:00.000Z')
  })

  it('reads years before 100 as themselves, not as 19xx', () => {
    expect(parseLocalDateTime('0026-06-01T12:00', 'UTC')?.toISOString()).toBe('0026-06-01T12:00:00.000Z')
  })
})
