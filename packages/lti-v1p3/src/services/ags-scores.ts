import { ACTIVITY_PROGRESS, GRADING_PROGRESS, MEDIA_TYPE, SCOPE } from '../claims.ts'
import { authorizedRequest } from './authorized-request.ts'
import type { ServiceContext } from './service-context.ts'
import { lineItemSubUrl } from './service-url.ts'

export type ActivityProgress = (typeof ACTIVITY_PROGRESS)[number]
export type GradingProgress = (typeof GRADING_PROGRESS)[number]

/** A score publication (AGS 2.0 §3.4). */
export interface Score {
  /** The LTI user id (`sub` of the launch). */
  readonly userId: string
  readonly scoreGiven?: number
  /** Required with `scoreGiven` (AGS 2.0 §3.4.4; Moodle answers 400 without it). `scoreGiven` may exceed it (§3.4.4: extra credit). */
  readonly scoreMaximum?: number
  readonly activityProgress: ActivityProgress
  readonly gradingProgress: GradingProgress
  /** When the score was set; default now. Required by the spec (§3.4.9) and by Moodle; sent in ISO 8601 with milliseconds and `Z`. */
  readonly timestamp?: Date | string
  readonly comment?: string
}

/**
 * POST a score to `<line item URL path>/scores` (query kept) with content type
 * `application/vnd.ims.lis.v1.score+json` (AGS 2.0 §3.4). A 4xx (e.g. Moodle's 400 for a user who
 * cannot be graded) surfaces as a non-retryable `LtiServiceError`; 5xx and network failures are
 * retryable. A `scoreGiven` above `scoreMaximum` is sent as it is (§3.4.4: "The platform MUST
 * support scoreGiven higher than scoreMaximum"); the `timestamp` goes in ISO 8601 with sub-second
 * precision and the `Z` designator (§3.4.9).
 * @throws TypeError for an `activityProgress` or `gradingProgress` outside §3.4.7–3.4.8, a negative
 *   `scoreGiven`, a `scoreGiven` without `scoreMaximum`, or an invalid `timestamp`: before any request.
 */
export async function postScore(ctx: ServiceContext, lineItemUrl: string, score: Score): Promise<void> {
  // A caller's mistake, told before the platform is asked: an untyped caller (or a stored job) could pass any string.
  if (!ACTIVITY_PROGRESS.includes(score.activityProgress)) throw new TypeError(`activityProgress must be one of ${ACTIVITY_PROGRESS.join(', ')} (AGS 2.0 §3.4.7)`)
  if (!GRADING_PROGRESS.includes(score.gradingProgress)) throw new TypeError(`gradingProgress must be one of ${GRADING_PROGRESS.join(', ')} (AGS 2.0 §3.4.8)`)
  if (score.scoreGiven !== undefined) {
    if (!Number.isFinite(score.scoreGiven) || score.scoreGiven < 0) throw new TypeError('scoreGiven must be a number ≥ 0 (AGS 2.0 §3.4.4)')
    if (score.scoreMaximum === undefined || !(score.scoreMaximum > 0)) throw new TypeError('scoreMaximum (> 0) is required with scoreGiven (AGS 2.0 §3.4.4)')
  }
  const timestamp = new Date(score.timestamp ?? (ctx.now ?? Date.now)())
  if (Number.isNaN(timestamp.getTime())) throw new TypeError('timestamp must be a valid date')
  const url = lineItemSubUrl(lineItemUrl, 'scores')
  await authorizedRequest(ctx, [SCOPE.score], url, {
    method: 'POST',
    headers: { 'content-type': MEDIA_TYPE.score },
    body: JSON.stringify({
      userId: score.userId,
      ...(score.scoreGiven !== undefined && { scoreGiven: score.scoreGiven, scoreMaximum: score.scoreMaximum }),
      activityProgress: score.activityProgress,
      gradingProgress: score.gradingProgress,
      timestamp: timestamp.toISOString(),
      ...(score.comment !== undefined && { comment: score.comment }),
    }),
  })
}
