import { describe, expect, it } from 'vitest'
import { checkMeetingForm, PAST_LIMIT_DAYS } from './meeting-form.ts'

const NOW = Date.parse('2026-03-10T02:00:00Z')
const LOMBOK = { now: NOW, timeZone: 'Asia/Makassar', zoneName: 'WITA' }
const good = { kind: 'routine', title: 'Pertemuan rutin TLN Praya', date: '2026-03-14', time: '09:00', place: 'TK Cahaya' }

/** The meeting form's rules (issue 5; the past-date rule is TLN's, see docs/guides/facilitator). */
describe('meeting form', () => {
  it('reads the date and time on the deployment\'s clock: Lombok time (WITA, UTC+8) by default', () => {
    const r = checkMeetingForm(good, LOMBOK)
    expect(r.ok && r.value.startsAt.toISOString()).toBe('2026-03-14T01:00:00.000Z')
  })

  it('reads them on WIB or WIT when the deployment is there', () => {
    const wib = checkMeetingForm(good, { now: NOW, timeZone: 'Asia/Jakarta', zoneName: 'WIB' })
    expect(wib.ok && wib.value.startsAt.toISOString()).toBe('2026-03-14T02:00:00.000Z')
    const wit = checkMeetingForm(good, { now: NOW, timeZone: 'Asia/Jayapura', zoneName: 'WIT' })
    expect(wit.ok && wit.value.startsAt.toISOString()).toBe('2026-03-14T00:00:00.000Z')
  })

  it('rule: a time the clock skips (daylight saving) is refused at the time field, naming the zone', () => {
    const r = checkMeetingForm({ ...good, date: '2026-03-29', time: '02:30' }, { now: NOW, timeZone: 'Europe/Berlin', zoneName: 'GMT+1' })
    expect(r.ok).toBe(false)
    expect(!r.ok && Object.keys(r.errors)).toEqual(['time'])
    expect(!r.ok && r.errors.time?.en).toContain('GMT+1')
  })

  it(`allows a date in the past up to ${PAST_LIMIT_DAYS} days, to record attendance after the fact`, () => {
    expect(checkMeetingForm({ ...good, date: '2026-02-01' }, LOMBOK).ok).toBe(true)
    const old = checkMeetingForm({ ...good, date: '2025-12-01' }, LOMBOK)
    expect(old.ok).toBe(false)
    expect(!old.ok && old.errors.date?.en).toMatch(/at most 60 days ago/u)
  })

  it('names every bad field at once', () => {
    const r = checkMeetingForm({ kind: 'party', title: ' ', date: '2026-02-30', time: '25:00', place: 'x'.repeat(201) }, LOMBOK)
    expect(r.ok).toBe(false)
    expect(!r.ok && Object.keys(r.errors).sort()).toEqual(['date', 'kind', 'place', 'time', 'title'])
  })

  it('refuses a date more than a year ahead', () => {
    expect(checkMeetingForm({ ...good, date: '2027-06-01' }, LOMBOK).ok).toBe(false)
  })
})
