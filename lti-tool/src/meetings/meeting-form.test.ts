import { describe, expect, it } from 'vitest'
import { checkMeetingForm, PAST_LIMIT_DAYS } from './meeting-form.ts'

const NOW = Date.parse('2026-03-10T02:00:00Z')
const good = { kind: 'routine', title: 'Pertemuan rutin TLN Praya', date: '2026-03-14', time: '09:00', place: 'TK Cahaya' }

/** The meeting form's rules (issue 5; the past-date rule is TLN's, see docs/guides/facilitator). */
describe('meeting form', () => {
  it('reads the date and time as Lombok time (WITA, UTC+8)', () => {
    const r = checkMeetingForm(good, NOW)
    expect(r.ok && r.value.startsAt.toISOString()).toBe('2026-03-14T01:00:00.000Z')
  })

  it(`allows a date in the past up to ${PAST_LIMIT_DAYS} days, to record attendance after the fact`, () => {
    expect(checkMeetingForm({ ...good, date: '2026-02-01' }, NOW).ok).toBe(true)
    const old = checkMeetingForm({ ...good, date: '2025-12-01' }, NOW)
    expect(old.ok).toBe(false)
    expect(!old.ok && old.errors.date?.en).toMatch(/at most 60 days ago/u)
  })

  it('names every bad field at once', () => {
    const r = checkMeetingForm({ kind: 'party', title: ' ', date: '2026-02-30', time: '25:00', place: 'x'.repeat(201) }, NOW)
    expect(r.ok).toBe(false)
    expect(!r.ok && Object.keys(r.errors).sort()).toEqual(['date', 'kind', 'place', 'time', 'title'])
  })

  it('refuses a date more than a year ahead', () => {
    expect(checkMeetingForm({ ...good, date: '2027-06-01' }, NOW).ok).toBe(false)
  })
})
