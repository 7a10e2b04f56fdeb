/**
 * What a Statement and a SubStatement share (xAPI 1.0.3 Data 2.4, 2.4.4.3: "A SubStatement MUST be
 * validated as a Statement in addition to other SubStatement requirements"): actor, verb, object,
 * result, context, timestamp and attachments, and the object dispatch on objectType.
 */
import { childPath, type IssueList } from './issue-list.ts'
import { hasNegativeZeroOffset, isTimestamp, toUtcTimestamp } from './timestamp.ts'
import { validateActivity } from './validate-activity.ts'
import { validateActor } from './validate-actor.ts'
import { validateAttachments } from './validate-attachment.ts'
import { validateContext } from './validate-context.ts'
import { validateResult } from './validate-result.ts'
import { validateStatementRef } from './validate-statement-ref.ts'
import { validateVerb } from './validate-verb.ts'
import { asObject, closeObject, readString, requireKey, type JsonObject } from './validate-values.ts'

export const BODY_KEYS = ['actor', 'verb', 'object', 'result', 'context', 'timestamp', 'attachments'] as const
/** The verb reserved for voiding (Data 2.3.2): its object must be a StatementRef. */
export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided'
const SUBSTATEMENT_FORBIDDEN = ['id', 'stored', 'version', 'authority'] as const

/** Validates the shared properties of `statement` (a Statement or a SubStatement) at `path`. */
export function validateBody(statement: JsonObject, path: string, list: IssueList, nested: boolean): void {
  // "A Statement MUST use actor, verb, and object" (2.2.s2.b3).
  if (requireKey(statement, 'actor', path, list, '2.2.s2.b3') && statement.actor !== null) {
    validateActor(statement.actor, childPath(path, 'actor'), list, 'actor')
  }
  validateVerb(statement, path, list)
  let objectIsActivity = false
  if (requireKey(statement, 'object', path, list, '2.2.s2.b3') && statement.object !== null) {
    objectIsActivity = validateObject(statement.object, childPath(path, 'object'), list, nested)
  }
  if (!nested) validateVoiding(statement, path, list)
  validateResult(statement, path, list)
  validateContext(statement, path, list, objectIsActivity)
  validateTimestamp(statement, 'timestamp', path, list, '2.4.7')
  validateAttachments(statement, path, list)
}

/**
 * "When issuing a Statement that voids another, the Object of that voiding Statement MUST have the
 * objectType property set to StatementRef" (2.3.2.s2.b1): the reserved verb on any other object is
 * rejected (ADL suite XAPI-00017). A SubStatement voids nothing, so only the outer verb counts.
 */
function validateVoiding(statement: JsonObject, path: string, list: IssueList): void {
  const verb = statement.verb as JsonObject | null | undefined
  const object = statement.object as JsonObject | null | undefined
  if (typeof verb !== 'object' || verb === null || verb.id !== VOIDED_VERB) return
  if (typeof object !== 'object' || object === null || Array.isArray(object) || object.objectType === 'StatementRef') return
  list.add(childPath(childPath(path, 'object'), 'objectType'), 'voiding-object', `must be StatementRef when the verb is ${VOIDED_VERB}`, '2.3.2')
}

/** Validates a Timestamp-typed property (Data 4.5); `-00:00` style offsets get their own rule. */
export function validateTimestamp(obj: JsonObject, key: string, path: string, list: IssueList, section: string): void {
  const value = readString(obj, key, path, list, { section })
  if (value === undefined) return
  if (isTimestamp(value, list.version)) {
    // Year 0000 is ISO 8601 and RFC 3339, but PostgreSQL's timestamptz reads no year 0000: such a
    // statement was stored, then stopped the competence engine for its whole tenant (it retried the
    // INSERT for ever). Only years 0000 and 0001 (an offset may carry 0001 back into 0000) are looked at.
    if (/^000[01]/.test(value) && toUtcTimestamp(value, list.version)?.startsWith('0000-') === true) {
      list.add(childPath(path, key), 'timestamp-range', 'must be in year 0001 or later (UTC): TLN cannot store an instant of year 0000', '4.5')
    }
    return
  }
  if (hasNegativeZeroOffset(value)) {
    list.add(childPath(path, key), 'timestamp-offset', 'must not use a negative zero offset (-00, -0000, -00:00)', '4.5')
  } else {
    const format = list.version === '2.0.0' ? 'an RFC 3339 timestamp with a time zone offset' : 'an ISO 8601 timestamp'
    list.add(childPath(path, key), 'timestamp', `must be ${format}`, '4.5')
  }
}

/**
 * Dispatches on objectType (2.4.4.s2: "If not specified, the objectType is assumed to be Activity").
 * Returns true if the object is an Activity (context revision/platform depend on it).
 */
function validateObject(value: unknown, path: string, list: IssueList, nested: boolean): boolean {
  const object = asObject(value, path, list, '2.4.4')
  if (object === undefined) return false
  const objectType = object.objectType
  switch (objectType) {
    case undefined:
    case null:
    case 'Activity':
      validateActivity(object, path, list)
      return true
    case 'Agent':
    case 'Group':
      // Statements that specify an Agent or Group as an Object MUST specify an objectType (2.4.4.2.s1.b1).
      validateActor(object, path, list, 'object')
      return false
    case 'StatementRef':
      validateStatementRef(object, path, list)
      return false
    case 'SubStatement':
      if (nested) {
        // "A SubStatement MUST NOT contain a SubStatement of its own, i.e., cannot be nested" (2.4.4.3.s8.b4).
        list.add(path, 'substatement-nested', 'must not be a SubStatement inside a SubStatement', '2.4.4.3')
      } else {
        validateSubStatement(object, path, list)
      }
      return false
    default:
      list.add(childPath(path, 'objectType'), 'object-type', 'must be one of Activity, Agent, Group, StatementRef, SubStatement (case-sensitive)', '2.4.4')
      return false
  }
}

function validateSubStatement(sub: JsonObject, path: string, list: IssueList): void {
  for (const key of SUBSTATEMENT_FORBIDDEN) {
    // "A SubStatement MUST NOT have the id, stored, version or authority properties" (2.4.4.3.s8.b3).
    if (Object.hasOwn(sub, key)) list.add(childPath(path, key), 'substatement-forbidden-property', 'must not be used in a SubStatement', '2.4.4.3')
  }
  const rest = Object.fromEntries(Object.entries(sub).filter(([key]) => !(SUBSTATEMENT_FORBIDDEN as readonly string[]).includes(key)))
  closeObject(rest, ['objectType', ...BODY_KEYS], path, list)
  validateBody(sub, path, list, true)
}
