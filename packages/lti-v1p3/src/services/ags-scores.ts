import { MEDIA_TYPE, SCOPE } from '../claims.ts'
import { authorizedRequest } from './authorized-request.ts'
import type { ServiceContext } from './service-context.ts'
import { lineItemSubUrl } from './service-url.ts'

export type ActivityProgress = 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed'
export type GradingProgress = 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady'

/** A score publication (AGS 2.0 §3.4). */
export interface Score {
  /** The LTI user id (`sub` of the launch). */
  readonly userId: string
  readonly scoreGiven?: number
  /** Required with `scoreGiven` (AGS 2.0 §3.4.2; Moodle answers 400 without it). */
  readonly scoreMaximum?: number
  readonly activityProgress: ActivityProgress
  readonly gradingProgress: GradingProgress
  /** When the score was set; default now. Required by the spec (§3.4.1) and by Moodle. */
  readonly timestamp?: Date | string
  readonly comment?: string
}

/**
 * POST a score to `<line item URL path>/scores` (query kept) with content type
 * `application/vnd.ims.lis.v1.score+json` (AGS 2.0 §3.4). A 4xx (e.g. Moodle's 400 for a user who
 * cannot be graded) surfaces as a non-retryable `LtiServiceError`; 5xx and network failures are
 * retryable.
 */
export async function postScore(ctx: ServiceContext, lineItemUrl: string, score: Score): Promise<void> {
  if (score.scoreGiven !== undefined) {
    if (!Number.isFinite(score.scoreGiven) || score.scoreGiven < 0) throw new TypeError('scoreGiven must be a number ≥ 0')
    if (score.scoreMaximum === undefined || !(score.scoreMaximum > 0)) throw new TypeError('scoreMaximum (> 0) is required with scoreGiven (AGS 2.0 §3.4.2)')
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
