/** The Context Object (xAPI 1.0.3 Data 2.4.6; 2.0.0 adds contextAgents and contextGroups). */
import { childPath, indexPath, type IssueList } from './issue-list.ts'
import { isLanguageTag } from './lang-tag.ts'
import { isUuid } from './uuid.ts'
import { validateActivity } from './validate-activity.ts'
import { validateActor } from './validate-actor.ts'
import { validateContextAgents } from './validate-context-agents.ts'
import { validateStatementRef } from './validate-statement-ref.ts'
import { closeObject, isSet, readExtensions, readFormatted, readObject, readString, type JsonObject } from './validate-values.ts'

const SECTION = '2.4.6'
const KEYS_1_0 = ['registration', 'instructor', 'team', 'contextActivities', 'revision', 'platform', 'language', 'statement', 'extensions']
const KEYS_2_0 = [...KEYS_1_0, 'contextAgents', 'contextGroups']
const CONTEXT_TYPES = ['parent', 'grouping', 'category', 'other']

/** Validates `parent.context` when present; `objectIsActivity` says whether the statement's object is an Activity. */
export function validateContext(parent: JsonObject, path: string, list: IssueList, objectIsActivity: boolean): void {
  const context = readObject(parent, 'context', path, list, { section: SECTION })
  if (context === undefined) return
  const at = childPath(path, 'context')
  closeObject(context, list.version === '2.0.0' ? KEYS_2_0 : KEYS_1_0, at, list)
  readFormatted(context, 'registration', at, list, { section: SECTION, rule: 'uuid', what: 'a UUID', test: isUuid })
  if (isSet(context, 'instructor') && context.instructor !== null) validateActor(context.instructor, childPath(at, 'instructor'), list, 'instructor')
  if (isSet(context, 'team') && context.team !== null) validateActor(context.team, childPath(at, 'team'), list, 'team')
  validateContextActivities(context, at, list)
  for (const key of ['revision', 'platform']) {
    readString(context, key, at, list, { section: SECTION })
    // "The revision/platform property MUST only be used if the Statement's Object is an Activity" (2.4.6.s4.b1, b2).
    if (isSet(context, key) && !objectIsActivity) {
      list.add(childPath(at, key), 'activity-object-only', "may only be used when the statement's object is an Activity", SECTION)
    }
  }
  readFormatted(context, 'language', at, list, { section: SECTION, rule: 'language-tag', what: 'an RFC 5646 language tag', test: isLanguageTag })
  if (isSet(context, 'statement') && context.statement !== null) validateStatementRef(context.statement, childPath(at, 'statement'), list)
  readExtensions(context, 'extensions', at, list)
  if (list.version === '2.0.0') validateContextAgents(context, at, list)
}

/**
 * "Every key in the contextActivities Object MUST be one of parent, grouping, category, or other"
 * and "Every value ... MUST be either a single Activity Object or an array of Activity Objects" (2.4.6.2.s4).
 */
function validateContextActivities(context: JsonObject, path: string, list: IssueList): void {
  const activities = readObject(context, 'contextActivities', path, list, { section: '2.4.6.2' })
  if (activities === undefined) return
  const at = childPath(path, 'contextActivities')
  closeObject(activities, CONTEXT_TYPES, at, list)
  for (const type of CONTEXT_TYPES) {
    const value = activities[type]
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) value.forEach((activity, index) => validateActivity(activity, indexPath(childPath(at, type), index), list))
    else validateActivity(value, childPath(at, type), list)
  }
}
