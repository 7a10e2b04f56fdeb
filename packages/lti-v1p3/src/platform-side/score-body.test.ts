import { describe, expect, it } from 'vitest'
import { checkScore } from './score-body.ts'

const valid = { userId: 'u-1', scoreGiven: 8, scoreMaximum: 10, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: '2026-11-30T06:00:00.123Z', comment: 'Bagus' }
const fieldOf = (changes: Record<string, unknown>) => {
  const r = checkScore({ ...valid, ...changes })
  return r.ok ? undefined : r.problem.field
}

describe('checkScore (AGS 2.0 §3.4, application/vnd.ims.lis.v1.score+json)', () => {
  it('takes a complete score', () => {
    expect(checkScore(valid)).toEqual({ ok: true, score: { ...valid, timestamp: Date.parse(valid.timestamp) } })
  })
  it('takes a score without scoreGiven (progress only)', () => {
    expect(fieldOf({ scoreGiven: undefined, scoreMaximum: undefined, gradingProgress: 'Pending' })).toBeUndefined()
  })
  it('requires userId (AGS 2.0 §3.4.1)', () => expect(fieldOf({ userId: '' })).toBe('userId'))
  it('requires activityProgress from the vocabulary (AGS 2.0 §3.4.5)', () => expect(fieldOf({ activityProgress: 'Finished' })).toBe('activityProgress'))
  it('requires gradingProgress from the vocabulary (AGS 2.0 §3.4.6)', () => expect(fieldOf({ gradingProgress: undefined })).toBe('gradingProgress'))
  it('requires an ISO 8601 timestamp with a time zone (AGS 2.0 §3.4.3)', () => {
    expect(fieldOf({ timestamp: '2026-11-30 06:00' })).toBe('timestamp')
    expect(fieldOf({ timestamp: '2026-11-30T06:00:00' })).toBe('timestamp')
  })
  it('refuses a timestamp whose fields name no instant: 30 February, month 13, hour 24, offset +24:00, year 0000 (AGS 2.0 §3.4.3; RFC 3339 §5.7)', () => {
    for (const timestamp of ['2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-04-31T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:00:00+24:00', '0000-01-01T00:00:00Z', '0001-01-01T00:00:00+01:00']) {
      expect(fieldOf({ timestamp }), timestamp).toBe('timestamp')
    }
    for (const timestamp of ['2024-02-29T23:59:59.999Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59-00:00', '2026-11-30T14:00:00+08:00']) expect(fieldOf({ timestamp }), timestamp).toBeUndefined()
  })
  it('requires scoreMaximum with scoreGiven, and scoreGiven ≥ 0; above scoreMaximum is extra credit (AGS 2.0 §3.4.4)', () => {
    expect(fieldOf({ scoreMaximum: undefined })).toBe('scoreMaximum')
    expect(fieldOf({ scoreMaximum: 0 })).toBe('scoreMaximum')
    expect(fieldOf({ scoreGiven: 11 })).toBeUndefined()
    expect(fieldOf({ scoreGiven: -1 })).toBe('scoreGiven')
    expect(fieldOf({ scoreGiven: '8' })).toBe('scoreGiven')
  })
  it('refuses a body that is not an object', () => {
    expect(checkScore([valid])).toMatchObject({ ok: false, problem: { field: '(body)' } })
  })
})
