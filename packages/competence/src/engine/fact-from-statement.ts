/**
 * Statement → learning fact, pure: what the activity reports read (tier and phase milestones,
 * modules, post-tests, tasks, meetings, mentoring), classified once by the engine so that reports
 * query typed rows instead of statement JSON (issue 6, "Reports"; DOMAIN.md, "xAPI statements the
 * tool emits"). The program's activity types come from the tenant's `ProgramVocabulary` (data).
 */
import { ifiKey, toInstant, type Activity, type Actor, type LanguageMap, type Statement } from '@tln/xapi'
import type { FactKind, ProgramVocabulary } from '../config/types.ts'
import { durationSeconds } from './duration-seconds.ts'

/** Verbs the classification reads (ADL vocabulary, Activity Streams `submit`, TinCan `mentored`). */
export const FACT_VERBS = {
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  scored: 'http://adlnet.gov/expapi/verbs/scored',
  submit: 'http://activitystrea.ms/schema/1.0/submit',
  attended: 'http://adlnet.gov/expapi/verbs/attended',
  mentored: 'http://id.tincanapi.com/verb/mentored',
  launched: 'http://adlnet.gov/expapi/verbs/launched',
} as const

/** One classified statement (`learning_fact`). Times are canonical UTC instants. */
export interface Fact {
  readonly statementId: string
  /** IFI key of the actor. */
  readonly learner: string
  readonly kind: FactKind
  readonly verb: string
  /** The object Activity's id, or the IFI key of an Agent/Group object (the mentee). */
  readonly objectId: string
  /** `definition.type` of an Activity object; `Agent`/`Group` for an actor object. */
  readonly objectType?: string
  readonly objectName?: string
  /** The grouping/parent activity whose type is the program type (or the object itself). */
  readonly programId?: string
  /** The grouping/parent activity whose type is the tier type (or the object itself). */
  readonly tierId?: string
  /** The first `contextActivities.parent` (for mentoring: the mentoring relation). */
  readonly parentId?: string
  /** Mentored: the mentee's IFI key; attended: the instructor's. */
  readonly relatedKey?: string
  /** `timestamp`. */
  readonly at: string
  /** `stored` (the `timestamp` when the statement has none). */
  readonly stored: string
  /** Scaled 0..1: `score.scaled`, else raw within min..max. */
  readonly score?: number
  readonly success?: boolean
  readonly completion?: boolean
  readonly durationSeconds?: number
}

function objectActivity(statement: Statement): Activity | undefined {
  const object = statement.object
  // xAPI 1.0.3 Data 2.4.4.1: an object without objectType is an Activity.
  return object.objectType === undefined || object.objectType === 'Activity' ? (object as Activity) : undefined
}

/** The display name: Indonesian first (`id-ID`, then `id`), then `en-US`, then any. */
export function preferredName(name: LanguageMap | undefined): string | undefined {
  if (name === undefined) return undefined
  return name['id-ID'] ?? name['id'] ?? name['en-US'] ?? Object.values(name)[0]
}

function scaledScore(statement: Statement): number | undefined {
  const score = statement.result?.score
  if (score?.scaled !== undefined) return score.scaled
  if (score?.raw !== undefined && score.min !== undefined && score.max !== undefined && score.max > score.min) return (score.raw - score.min) / (score.max - score.min)
  return undefined
}

function kindOf(statement: Statement, type: string | undefined, v: ProgramVocabulary): FactKind | undefined {
  const verb = statement.verb.id
  const isType = (t: string): boolean => type === t
  if (verb === FACT_VERBS.mentored) return statement.object.objectType === 'Agent' || statement.object.objectType === 'Group' ? 'mentored' : undefined
  if (verb === FACT_VERBS.launched) return 'launched'
  if (type === undefined) return undefined
  if (verb === FACT_VERBS.completed) {
    if (isType(v.tierType)) return 'tier-completed'
    if (isType(v.phaseType)) return 'phase-completed'
    if (v.moduleTypes.includes(type)) return 'module-completed'
    if (v.assessmentTypes.includes(type) && scaledScore(statement) !== undefined) return 'assessment'
    return undefined
  }
  if ((verb === FACT_VERBS.passed || verb === FACT_VERBS.failed) && v.assessmentTypes.includes(type)) return 'assessment'
  if (verb === FACT_VERBS.submit && isType(v.taskType)) return 'task-submitted'
  if (verb === FACT_VERBS.scored && isType(v.taskType)) return 'task-scored'
  if (verb === FACT_VERBS.attended && isType(v.meetingType)) return 'attended'
  return undefined
}

/** The object itself or a grouping/parent activity of `type`. */
function activityOfType(statement: Statement, object: Activity | undefined, type: string): string | undefined {
  if (object?.definition?.type === type) return object.id
  const ctx = statement.context?.contextActivities
  return [...(ctx?.grouping ?? []), ...(ctx?.parent ?? [])].find((a) => a.definition?.type === type)?.id
}

function relatedKeyOf(statement: Statement, kind: FactKind): string | undefined {
  if (kind === 'mentored') return ifiKey(statement.object as Actor)
  if (kind === 'attended' && statement.context?.instructor !== undefined) return ifiKey(statement.context.instructor)
  return undefined
}

/**
 * The learning fact a statement is, per `FactKind`, or undefined for a statement of no kind (it
 * still counts in `learner_month` and may still be evidence), a voiding statement, or an actor
 * without an inverse functional identifier (an anonymous Group).
 */
export function factFromStatement(statement: Statement, vocabulary: ProgramVocabulary): Fact | undefined {
  if (statement.id === undefined) return undefined
  const learner = ifiKey(statement.actor)
  const at = toInstant(statement.timestamp ?? statement.stored ?? '')
  if (learner === undefined || at === undefined) return undefined
  const activity = objectActivity(statement)
  const kind = kindOf(statement, activity?.definition?.type, vocabulary)
  if (kind === undefined) return undefined
  const actorObject = activity === undefined ? (statement.object as Actor) : undefined
  const objectId = activity?.id ?? (actorObject !== undefined ? ifiKey(actorObject) : undefined)
  if (objectId === undefined) return undefined
  const objectType = activity !== undefined ? activity.definition?.type : statement.object.objectType
  const objectName = preferredName(activity?.definition?.name) ?? actorObject?.name
  const programId = activityOfType(statement, activity, vocabulary.programType)
  const tierId = activityOfType(statement, activity, vocabulary.tierType)
  const parentId = statement.context?.contextActivities?.parent?.[0]?.id
  const relatedKey = relatedKeyOf(statement, kind)
  const score = scaledScore(statement)
  const result = statement.result
  const duration = durationSeconds(result?.duration)
  return {
    statementId: statement.id, learner, kind, verb: statement.verb.id, objectId, at,
    stored: toInstant(statement.stored ?? '') ?? at,
    ...(objectType !== undefined && { objectType }), ...(objectName !== undefined && { objectName }),
    ...(programId !== undefined && { programId }), ...(tierId !== undefined && { tierId }),
    ...(parentId !== undefined && { parentId }), ...(relatedKey !== undefined && { relatedKey }),
    ...(score !== undefined && { score }), ...(result?.success !== undefined && { success: result.success }),
    ...(result?.completion !== undefined && { completion: result.completion }), ...(duration !== undefined && { durationSeconds: duration }),
  }
}
