/**
 * The platform's check of a score a tool POSTs (AGS 2.0 §3.4, media type
 * `application/vnd.ims.lis.v1.score+json`), for a platform TLN itself plays (the demo LMS). Pure.
 */

import { ACTIVITY_PROGRESS, GRADING_PROGRESS } from '../claims.ts'

/** A score that passed every check. */
export interface CheckedScore {
  readonly userId: string
  readonly scoreGiven?: number
  readonly scoreMaximum?: number
  readonly activityProgress: (typeof ACTIVITY_PROGRESS)[number]
  readonly gradingProgress: (typeof GRADING_PROGRESS)[number]
  /** Epoch milliseconds. */
  readonly timestamp: number
  readonly comment?: string
}

/** Which field broke which rule. */
export interface ScoreProblem {
  readonly field: string
  readonly rule: string
  readonly message: string
}

export type ScoreCheck = { readonly ok: true; readonly score: CheckedScore } | { readonly ok: false; readonly problem: ScoreProblem }

const problem = (field: string, rule: string, message: string): ScoreCheck => ({ ok: false, problem: { field, rule, message } })
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
/** ISO 8601 with a time zone (AGS 2.0 §3.4.3: "MUST be formatted as ISO 8601 with a sub-second precision"; sub-seconds tolerated when absent). */
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/

/**
 * Epoch milliseconds of an ISO 8601 date-time, or undefined when its fields name no instant: month
 * 13, 30 February, hour 25, offset +24:00 (`Date.parse` rolls some of these over to another day
 * instead of refusing them), or an instant in year 0000 UTC, which ISO 8601 calls 1 BC and PostgreSQL cannot take as written.
 */
function isoTimestamp(value: string): number | undefined {
  const m = ISO_TIMESTAMP.exec(value)
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 1 : 0)
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return undefined
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return undefined
  // The instant itself in years 0001–9999 UTC too: "0001-01-01T00:00:00+01:00" is in year 0000.
  const ms = Date.parse(value)
  return ms >= FIRST_INSTANT && ms <= LAST_INSTANT ? ms : undefined
}
const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00Z')
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z')

/** Checks a score body field by field, in the order of AGS 2.0 §3.4. */
export function checkScore(body: unknown): ScoreCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return problem('(body)', 'AGS 2.0 §3.4', 'the score must be a JSON object')
  const b = body as Record<string, unknown>
  if (typeof b.userId !== 'string' || b.userId === '') return problem('userId', 'AGS 2.0 §3.4.1', 'userId is required: the LTI user id (sub) of the learner')
  if (typeof b.activityProgress !== 'string' || !(ACTIVITY_PROGRESS as readonly string[]).includes(b.activityProgress)) {
    return problem('activityProgress', 'AGS 2.0 §3.4.5', `activityProgress must be one of ${ACTIVITY_PROGRESS.join(', ')}`)
  }
  if (typeof b.gradingProgress !== 'string' || !(GRADING_PROGRESS as readonly string[]).includes(b.gradingProgress)) {
    return problem('gradingProgress', 'AGS 2.0 §3.4.6', `gradingProgress must be one of ${GRADING_PROGRESS.join(', ')}`)
  }
  const timestamp = typeof b.timestamp === 'string' ? isoTimestamp(b.timestamp) : undefined
  if (timestamp === undefined) return problem('timestamp', 'AGS 2.0 §3.4.3', 'timestamp is required, an ISO 8601 date-time with a time zone, of a day that exists (year 0001 to 9999)')
  if (b.scoreGiven !== undefined) {
    if (!isNumber(b.scoreGiven) || b.scoreGiven < 0) return problem('scoreGiven', 'AGS 2.0 §3.4.4', 'scoreGiven must be a number ≥ 0')
    if (!isNumber(b.scoreMaximum) || b.scoreMaximum <= 0) return problem('scoreMaximum', 'AGS 2.0 §3.4.4', 'scoreMaximum is required with scoreGiven, a number > 0')
    // No upper bound: a scoreGiven above scoreMaximum is extra credit, which platforms accept (Moodle, Brightspace's "Can Exceed").
  } else if (b.scoreMaximum !== undefined && (!isNumber(b.scoreMaximum) || b.scoreMaximum <= 0)) {
    return problem('scoreMaximum', 'AGS 2.0 §3.4.4', 'scoreMaximum must be a number > 0')
  }
  if (b.comment !== undefined && typeof b.comment !== 'string') return problem('comment', 'AGS 2.0 §3.4.4', 'comment must be a string')
  return {
    ok: true,
    score: {
      userId: b.userId, activityProgress: b.activityProgress as CheckedScore['activityProgress'], gradingProgress: b.gradingProgress as CheckedScore['gradingProgress'], timestamp,
      ...(isNumber(b.scoreGiven) && { scoreGiven: b.scoreGiven }), ...(isNumber(b.scoreMaximum) && { scoreMaximum: b.scoreMaximum }),
      ...(typeof b.comment === 'string' && { comment: b.comment }),
    },
  }
}
