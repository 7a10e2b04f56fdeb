import { nameUuid } from '@tln/xapi'
import type { Statement } from '@tln/xapi'
import type { Passback } from '../ags/passback-store.ts'
import { launchRegistration, ltiActivityIds, REGISTRATION_NAMESPACE } from './launch-statement.ts'
import { profileCategory } from './tln-profile.ts'

export const SCORED = 'http://adlnet.gov/expapi/verbs/scored'
/**
 * The object is the LTI resource link (or line item) the grade went to, typed as a link, not as a
 * task: the facilitator's rubric grade is already a `scored` statement on the task, and a second
 * one on the same type would count twice as competence evidence (TLN profile, grade-passed-back).
 */
const LTI_LINK = 'http://adlnet.gov/expapi/activities/link'

/**
 * The statement id of a passback job: a name-based UUID (RFC 9562 §5.5) of (platform, job), so
 * storing it again after a crash between the score and the bookkeeping is a duplicate the LRS
 * accepts (same id, same content: xAPI 1.0.3 Communication 2.1.2), never a second statement.
 */
export function scoredStatementId(platformId: string, jobId: number): string {
  return nameUuid(REGISTRATION_NAMESPACE, JSON.stringify(['grade_passback', platformId, jobId]))
}

/**
 * The xAPI statement of a grade that reached the LMS (DOMAIN.md "facilitator grade → scored"):
 * actor the learner's platform account, verb `scored`, object the resource link's activity (as
 * in the launched statement, or else the line item) typed as a link, `result.score` with scaled,
 * raw, min and max, the facilitator as `context.instructor` when known. Pure; `undefined` for a
 * progress-only score (no `scoreGiven`: nothing was scored). Extra credit (given > maximum) is
 * kept as raw with max raised to it and scaled capped at 1, since xAPI requires min ≤ raw ≤ max.
 */
export function scoreStatement(job: Passback, options: { publicUrl: string; lineItemUrl: string }): Statement | undefined {
  if (job.scoreGiven === undefined || job.scoreMaximum === undefined) return undefined
  const ids = ltiActivityIds(options.publicUrl, job.platformId)
  const resourceLinkId = 'lineItemsUrl' in job.target ? job.target.resourceLinkId : undefined
  const objectId = resourceLinkId !== undefined ? ids.resourceLink(resourceLinkId) : `${options.publicUrl}/lti/platforms/${job.platformId}/line-items/${encodeURIComponent(options.lineItemUrl)}`
  const label = 'lineItemsUrl' in job.target ? job.target.label : undefined
  const account = (sub: string) => ({ homePage: job.issuer, name: sub })
  return {
    id: scoredStatementId(job.platformId, job.id),
    actor: { objectType: 'Agent', account: account(job.userSub) },
    verb: { id: SCORED, display: { 'en-US': 'scored', id: 'dinilai' } },
    object: {
      objectType: 'Activity', id: objectId,
      definition: { type: LTI_LINK, ...(label !== undefined && label !== '' && { name: { und: label } }) },
    },
    result: {
      score: {
        scaled: Math.min(1, job.scoreGiven / job.scoreMaximum),
        raw: job.scoreGiven, min: 0, max: Math.max(job.scoreMaximum, job.scoreGiven),
      },
      completion: job.activityProgress === 'Completed' || job.activityProgress === 'Submitted',
      ...(job.comment !== undefined && { response: job.comment }),
    },
    context: {
      registration: launchRegistration(job.platformId, job.contextId, job.userSub),
      platform: 'LTI 1.3',
      ...(job.instructor !== undefined && { instructor: { objectType: 'Agent', ...(job.instructor.name !== undefined && { name: job.instructor.name }), account: account(job.instructor.sub) } }),
      contextActivities: {
        ...(job.contextId !== undefined && { grouping: [{ objectType: 'Activity', id: ids.context(job.contextId), definition: { type: 'http://adlnet.gov/expapi/activities/course' } }] }),
        category: profileCategory(),
      },
      extensions: {
        'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': { lineitem: options.lineItemUrl },
        'https://purl.imsglobal.org/spec/lti-ags/gradingProgress': job.gradingProgress,
      },
    },
    timestamp: job.timestamp.toISOString(),
  } as Statement
}
