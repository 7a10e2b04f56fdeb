import { describe, expect, it } from 'vitest'
import { localDateText, localTimeHtml, localTimeText } from './local-time.ts'

describe('times on the pages', () => {
  it('are Lombok time (WITA, UTC+8) by default: 22:21 UTC is 06:21 the next day in Praya', () => {
    expect(localTimeText(new Date('2026-11-30T22:21:40Z'))).toBe('2026-12-01 06:21 WITA')
  })

  it('name Indonesia\'s other zones as Indonesians write them, and any other zone by Intl\'s short name', () => {
    const at = new Date('2026-11-30T22:21:00Z')
    expect(localTimeText(at, 'Asia/Jakarta')).toBe('2026-12-01 05:21 WIB')
    expect(localTimeText(at, 'Asia/Jayapura')).toBe('2026-12-01 07:21 WIT')
    expect(localTimeText(at, 'UTC')).toBe('2026-11-30 22:21 UTC')
  })

  it('give the day on the zone\'s clock: 23:30 UTC on 3 May is 4 May in Lombok', () => {
    expect(localDateText(new Date('2026-05-03T23:30:00Z'))).toBe('2026-05-04')
    expect(localDateText(new Date('2026-05-03T23:30:00Z'), 'UTC')).toBe('2026-05-03')
  })

  it('keep the exact instant for machines in <time datetime>', () => {
    expect(localTimeHtml(new Date('2026-06-30T00:00:00Z'))).toBe('<time datetime="2026-06-30T00:00:00.000Z">2026-06-30 08:00 WITA</time>')
  })
})
