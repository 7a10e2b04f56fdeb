import { nameUuid } from '@tln/xapi'
import type { Statement } from '@tln/xapi'
import { launchRegistration, ltiActivityIds, REGISTRATION_NAMESPACE } from '../xapi/launch-statement.ts'
import type { RubricScore } from './score.ts'
import type { Text } from './types.ts'
import { profileCategory, TLN_EXTENSIONS } from '../xapi/tln-profile.ts'

export const VERB = {
  submit: 'http://activitystrea.ms/schema/1.0/submit',
  scored: 'http://adlnet.gov/expapi/verbs/scored',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  commented: 'http://adlnet.gov/expapi/verbs/commented',
} as const
export const SCHOOL_ASSIGNMENT = 'http://id.tincanapi.com/activitytype/school-assignment'
/** `{ "<criterion code>": <points> }` (the key `@tln/competence` rubric rules read). */
export const RUBRIC_LEVELS_EXTENSION = TLN_EXTENSIONS.rubricLevels
export const SUBMISSION_VERSION_EXTENSION = TLN_EXTENSIONS.submissionVersion

/** Who and where: the teacher's platform account, the course, the task. */
export interface TaskStatementSubject {
  readonly publicUrl: string
  readonly tenant: string
  readonly platformId: string
  readonly issuer: string
  readonly teacher: { readonly sub: string; readonly name?: string }
  readonly contextId?: string
  readonly task: { readonly key: string; readonly title: Text }
}

/** Statement ids derived from the row they record, so recording again stores nothing new. */
export const taskStatementId = (kind: 'submit' | 'scored' | 'outcome' | 'commented', rowId: string) =>
  nameUuid(REGISTRATION_NAMESPACE, JSON.stringify(['task', kind, rowId]))

/** The task as an xAPI Activity, per tenant (tenants have their own rubrics). */
export function taskActivityId(publicUrl: string, tenant: string, key: string): string {
  return `${publicUrl}/lti/tasks/${encodeURIComponent(tenant)}/${encodeURIComponent(key)}`
}

function frame(s: TaskStatementSubject) {
  const ids = ltiActivityIds(s.publicUrl, s.platformId)
  return {
    actor: { objectType: 'Agent', ...(s.teacher.name !== undefined && { name: s.teacher.name }), account: { homePage: s.issuer, name: s.teacher.sub } },
    object: {
      objectType: 'Activity', id: taskActivityId(s.publicUrl, s.tenant, s.task.key),
      definition: { type: SCHOOL_ASSIGNMENT, name: { id: s.task.title.id, en: s.task.title.en } },
    },
    context: {
      registration: launchRegistration(s.platformId, s.contextId, s.teacher.sub),
      platform: 'LTI 1.3',
      contextActivities: {
        ...(s.contextId !== undefined && { grouping: [{ objectType: 'Activity', id: ids.context(s.contextId), definition: { type: 'http://adlnet.gov/expapi/activities/course' } }] }),
        category: profileCategory(),
      },
    },
  }
}

/** A teacher submitted a version (DOMAIN.md: task submitted → `submit`, object the task). Pure. */
export function submitStatement(s: TaskStatementSubject, input: { submissionId: string; version: number; timestamp: Date }): Statement {
  const f = frame(s)
  return {
    id: taskStatementId('submit', input.submissionId), ...f,
    verb: { id: VERB.submit, display: { 'en-US': 'submitted', id: 'mengumpulkan' } },
    result: { completion: true, extensions: { [SUBMISSION_VERSION_EXTENSION]: input.version } },
    timestamp: input.timestamp.toISOString(),
  } as Statement
}

/**
 * A facilitator's grade (DOMAIN.md: `scored` + `passed`/`failed` on the task, instructor = the
 * facilitator, rubric levels in a result extension; `commented` = StatementRef to the submission
 * with the feedback as `result.response`). `score` is absent when the work was returned for
 * revision: then only the comment is made. Pure.
 */
export function gradeStatements(s: TaskStatementSubject, input: {
  gradeId: string; submitStatementId: string; facilitator: { issuer: string; sub: string; name?: string }
  score?: RubricScore; levels: Readonly<Record<string, number>>; feedback: string; timestamp: Date
}): Statement[] {
  const f = frame(s)
  const context = { ...f.context, instructor: { objectType: 'Agent', ...(input.facilitator.name !== undefined && { name: input.facilitator.name }), account: { homePage: input.facilitator.issuer, name: input.facilitator.sub } } }
  const timestamp = input.timestamp.toISOString()
  const statements: Statement[] = []
  if (input.score !== undefined) {
    const score = { scaled: input.score.scaled, raw: input.score.raw, min: 0, max: 100 }
    statements.push({
      id: taskStatementId('scored', input.gradeId), actor: f.actor, object: f.object, context, timestamp,
      verb: { id: VERB.scored, display: { 'en-US': 'scored', id: 'dinilai' } },
      result: { score, completion: true, extensions: { [RUBRIC_LEVELS_EXTENSION]: { ...input.levels } } },
    } as Statement)
    statements.push({
      id: taskStatementId('outcome', input.gradeId), actor: f.actor, object: f.object, context, timestamp,
      verb: input.score.passed ? { id: VERB.passed, display: { 'en-US': 'passed', id: 'lulus' } } : { id: VERB.failed, display: { 'en-US': 'failed', id: 'belum lulus' } },
      result: { score, success: input.score.passed, completion: true },
    } as Statement)
  }
  if (input.feedback !== '') {
    const grouping = s.contextId === undefined ? undefined : [{ objectType: 'Activity', id: ltiActivityIds(s.publicUrl, s.platformId).context(s.contextId), definition: { type: 'http://adlnet.gov/expapi/activities/course' } }]
    statements.push({
      id: taskStatementId('commented', input.gradeId),
      actor: context.instructor, timestamp,
      verb: { id: VERB.commented, display: { 'en-US': 'commented', id: 'mengomentari' } },
      object: { objectType: 'StatementRef', id: input.submitStatementId },
      result: { response: input.feedback },
      // xAPI 1.0.3 Data 2.4.6: `platform` only with an Activity object, so not here.
      context: { registration: f.context.registration, contextActivities: { parent: [f.object], ...(grouping !== undefined && { grouping }), category: profileCategory() } },
    } as Statement)
  }
  return statements
}
