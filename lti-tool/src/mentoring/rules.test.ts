import { describe, expect, it } from 'vitest'
import { checkMentee, checkNote, checkSession, isAfterWindow, isCalendarDate, todayWita, windowEnd } from './rules.ts'

const ctx = { today: '2026-03-20', relationStart: '2026-03-01' }
const ok = { date: '2026-03-10', duration: '45', topic: 'RPPH', topicText: '', notes: 'Menyusun RPPH tema air' }
const rules = (r: ReturnType<typeof checkSession> | ReturnType<typeof checkMentee>) => (r.ok ? [] : r.problems.map((p) => `${p.field}:${p.rule}`))

describe('session rules (issue 5, peer mentoring: date, duration, topic)', () => {
  it('takes a well-formed session on a lesson-plan task', () => {
    expect(checkSession(ok, ctx)).toEqual({ ok: true, value: { date: '2026-03-10', durationMinutes: 45, topicTask: 'RPPH', topicText: '', notes: 'Menyusun RPPH tema air' } })
  })
  it('refuses a date in the future (after today in Lombok)', () => {
    expect(rules(checkSession({ ...ok, date: '2026-03-21' }, ctx))).toEqual(['date:date-in-future'])
  })
  it('takes today', () => {
    expect(checkSession({ ...ok, date: '2026-03-20' }, ctx).ok).toBe(true)
  })
  it('refuses a date before the relation started', () => {
    expect(rules(checkSession({ ...ok, date: '2026-02-28' }, ctx))).toEqual(['date:date-before-relation'])
  })
  it('refuses a date that is not a calendar day', () => {
    expect(rules(checkSession({ ...ok, date: '2026-02-30' }, ctx))).toEqual(['date:date-format'])
    expect(rules(checkSession({ ...ok, date: '' }, ctx))).toEqual(['date:date-format'])
  })
  it('refuses a duration under 5 or over 480 minutes, and takes both bounds', () => {
    expect(rules(checkSession({ ...ok, duration: '4' }, ctx))).toEqual(['duration:duration-range'])
    expect(rules(checkSession({ ...ok, duration: '481' }, ctx))).toEqual(['duration:duration-range'])
    expect(checkSession({ ...ok, duration: '5' }, ctx).ok).toBe(true)
    expect(checkSession({ ...ok, duration: '480' }, ctx).ok).toBe(true)
  })
  it('refuses a duration that is not whole minutes', () => {
    expect(rules(checkSession({ ...ok, duration: '45.5' }, ctx))).toEqual(['duration:duration-format'])
    expect(rules(checkSession({ ...ok, duration: 'satu jam' }, ctx))).toEqual(['duration:duration-format'])
  })
  it('takes a free-text topic with "other", and needs the text then', () => {
    expect(checkSession({ ...ok, topic: 'OTHER', topicText: 'Media bahan bekas' }, ctx)).toMatchObject({ ok: true, value: { topicText: 'Media bahan bekas' } })
    expect(rules(checkSession({ ...ok, topic: 'OTHER', topicText: ' ' }, ctx))).toEqual(['topicText:topic-required'])
  })
  it('refuses a topic outside the list', () => {
    expect(rules(checkSession({ ...ok, topic: 'MEDIA' }, ctx))).toEqual(['topic:topic-unknown'])
  })
  it('reports every bad field at once', () => {
    expect(rules(checkSession({ date: '2030-01-01', duration: '0', topic: '', notes: 'x'.repeat(2001) }, ctx))).toEqual(['date:date-in-future', 'duration:duration-range', 'topicText:topic-required', 'notes:notes-too-long'])
  })
})

describe('the challenge window (default 15 days, stored on the relation)', () => {
  it('ends on day 15 counting the start as day 1', () => {
    expect(windowEnd('2026-03-01', 15)).toBe('2026-03-15')
  })
  it('flags a session after the window, not one on its last day', () => {
    expect(isAfterWindow('2026-03-15', '2026-03-01', 15)).toBe(false)
    expect(isAfterWindow('2026-03-16', '2026-03-01', 15)).toBe(true)
  })
  it('judges "today" on WITA (UTC+8): 17:00 UTC is already the next day in Lombok', () => {
    expect(todayWita(Date.parse('2026-03-20T17:00:00Z'))).toBe('2026-03-21')
    expect(todayWita(Date.parse('2026-03-20T15:59:00Z'))).toBe('2026-03-20')
  })
  it('knows calendar days', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true)
    expect(isCalendarDate('2026-02-29')).toBe(false)
    expect(isCalendarDate('26-2-1')).toBe(false)
  })
})

describe('mentee rules', () => {
  it('takes a colleague picked from the list, starting today by default', () => {
    expect(checkMentee({ mentee: 'a1' }, { today: '2026-03-20' })).toEqual({ ok: true, value: { kind: 'existing', personId: 'a1', start: '2026-03-20' } })
  })
  it('takes a new colleague by name with optional phone and e-mail', () => {
    expect(checkMentee({ mentee: 'new', name: ' Baiq Nurul ', phone: '+62 812-3456-789', email: 'baiq@example.org', start: '2026-03-02' }, { today: '2026-03-20' }))
      .toEqual({ ok: true, value: { kind: 'new', name: 'Baiq Nurul', phone: '+62 812-3456-789', email: 'baiq@example.org', start: '2026-03-02' } })
  })
  it('needs a name for a new colleague and checks phone and e-mail', () => {
    expect(rules(checkMentee({ mentee: 'new', name: '', phone: 'abc', email: 'no-at' }, { today: '2026-03-20' }))).toEqual(['name:name-required', 'phone:phone-format', 'email:email-format'])
  })
  it('refuses a start in the future', () => {
    expect(rules(checkMentee({ mentee: 'a1', start: '2026-03-21' }, { today: '2026-03-20' }))).toEqual(['start:date-in-future'])
  })
})

describe('notes of the mentee and the verifier', () => {
  it('needs a note to dispute or reject, not to confirm or verify', () => {
    expect(checkNote('', 'note', true)).toMatchObject({ ok: false, problems: [{ field: 'note', rule: 'note-required' }] })
    expect(checkNote(undefined, 'note', false)).toEqual({ ok: true, value: '' })
  })
})
