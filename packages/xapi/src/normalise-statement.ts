/**
 * The normalised copy of a statement that passed validation. Apart from the changes below, the
 * copy holds exactly what the client sent (Data 2.2.s2.b5: "The LRS MUST NOT return a different
 * serialization of any properties except those listed as exceptions").
 *
 * - `context.contextActivities` values become arrays (Data 2.4.6.2.s4.b3: "The LRS MUST return
 *   every value in the contextActivities Object as an array").
 * - Statement `id` is lowercased: ids are assigned or accepted by the LRS (an immutability
 *   exception, Data 2.3.1.b1) and UUIDs compare case-insensitively, so one stored form keeps
 *   conflict checks and lookups exact. Other UUIDs (StatementRef, registration) are left as sent.
 * - Under 2.0.0, `timestamp` and `stored` are rewritten in UTC with their precision kept
 *   (timestamp serialisation is an immutability exception, Data 2.3.1.b4; 4.5.s1.b6).
 */
import { toUtcTimestamp } from './timestamp.ts'
import type { XapiVersion } from './types.ts'

type Json = Record<string, unknown>

/**
 * Returns a normalised deep copy of a statement that has already passed validation; with
 * `inPlace`, the statement itself, normalised (for JSON the caller parsed and hands over).
 */
export function normaliseStatement(statement: Json, version: XapiVersion, inPlace = false): Json {
  // A JSON round trip copies own "__proto__" keys (possible inside extensions) as plain data.
  const copy = inPlace ? statement : (JSON.parse(JSON.stringify(statement)) as Json)
  if (typeof copy.id === 'string') copy.id = copy.id.toLowerCase()
  normaliseBody(copy, version)
  if (typeof copy.stored === 'string' && version === '2.0.0') copy.stored = toUtcTimestamp(copy.stored, version) ?? copy.stored
  const object = copy.object as Json
  if (object.objectType === 'SubStatement') normaliseBody(object, version)
  return copy
}

function normaliseBody(body: Json, version: XapiVersion): void {
  if (typeof body.timestamp === 'string' && version === '2.0.0') {
    body.timestamp = toUtcTimestamp(body.timestamp, version) ?? body.timestamp
  }
  const context = body.context as Json | undefined
  const activities = context?.contextActivities as Json | undefined
  if (activities === undefined) return
  for (const [type, value] of Object.entries(activities)) {
    if (!Array.isArray(value)) activities[type] = [value]
  }
}
