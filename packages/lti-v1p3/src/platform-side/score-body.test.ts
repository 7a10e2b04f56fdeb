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
  it('requires scoreMaximum with scoreGiven, and scoreGiven ≥ 0; above scoreMaximum is extra credit (AGS 2.0 §3.4.2)', () => {
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
