/**
 * Statement comparison for immutability checks: when a statement id the LRS already holds is PUT or
 * POSTed again, the LRS "SHOULD verify the received Statement matches the existing one and SHOULD
 * return 409 Conflict if they do not match" (xAPI 1.0.3 Communication §2.1.1.s2.b3, §2.1.2.s2.b5),
 * by the "Statement Comparison Requirements" of xAPI 1.0.3 Data §2.3.1 (the same list in xAPI 2.0.0
 * Data §2.3.1): "Differences which could have been caused by exceptions to Statement immutability
 * MUST be ignored"; "Differences relating to a different serialisation of any properties not listed
 * as exceptions MUST not be ignored."
 */
import { normalizeMbox } from './ifi.ts'
import { toInstant } from './instant.ts'
import type {
  Activity, Actor, Agent, Attachment, Context, ContextActivities, LanguageMap, Result, Statement, StatementObject, SubStatement, XapiVersion,
} from './types.ts'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/**
 * Whether two statements with the same id match under xAPI 1.0.3 Data §2.3.1 (Statement
 * Immutability and the Statement Comparison Requirements). Ignored, each an exception the section
 * lists:
 *
 * - b1, "assignments of properties during LRS processing": `id`, `authority`, `stored`, `version`
 *   are not compared. `timestamp` is compared only when both statements carry one: the LRS assigns
 *   one when it is missing (Data §2.4.7), so a statement sent without a timestamp matches the stored
 *   copy that got one. (Ambiguity: a stored timestamp the LRS assigned cannot be told from one the
 *   client sent; callers that keep the statement as received should pass that.)
 * - b2, Activity Definitions: the `definition` of every Activity (object, SubStatement object,
 *   context activities) is "not considered part of the Statement itself".
 * - b3, Verbs: `verb.display` "is not considered part of the Statement itself" (also in
 *   SubStatements).
 * - b4, serialisation of timestamps: `timestamp` (and a SubStatement's) compare as instants.
 * - b5, un-ordered lists: Group `member` order (also of `context.team`, `context.instructor`,
 *   a Group object and 2.0 `contextGroups`).
 * - b6, Attachments: their raw data is not part of the Statement; the `attachments` metadata array
 *   is, and is compared (in order: Data §2.4 calls it an "Ordered array").
 * - b7, case-insensitive values: the mailto scheme and e-mail domain of `mbox` (the example the
 *   section gives), hex digits of `mbox_sha1sum` and attachment `sha2`, UUIDs (`context.registration`,
 *   StatementRef ids; RFC 4122 §3 "case insensitive on input"), language tags (RFC 5646 §2.1.1:
 *   `context.language`, attachment language-map keys).
 *
 * Not exceptions, so compared: `result.duration` as a string (Data §2.3.1.b8, named explicitly),
 * except under xAPI 2.0.0, whose Data 4.2.7 says that when Statements are compared "in regard to a
 * Duration, any precision beyond 0.01 second precision shall not be included in the comparison"
 * (the ADL 2.0 suite checks it with a signed statement); every other property by value; extensions deeply (key order never matters, array order does).
 * JSON object key order is never significant. An omitted `objectType` is read as its default
 * (`Agent` for actors, `Activity` for an object, Data §2.4.2.1, §2.4.4.1): the two spellings are
 * the same statement, not a different serialisation of one value.
 */
export function statementsEqual(a: Statement, b: Statement, version: XapiVersion = '1.0.3'): boolean {
  const timestamps = a.timestamp !== undefined && b.timestamp !== undefined
  return stableStringify(comparable(a, timestamps, version)) === stableStringify(comparable(b, timestamps, version))
}

/** The comparable part of a statement as plain JSON, every exception above already applied. */
function comparable(s: Statement, withTimestamp: boolean, version: XapiVersion): Json {
  return strip({
    actor: actor(s.actor),
    verb: { id: s.verb.id },
    object: object(s.object, version),
    result: result(s.result, version),
    context: s.context === undefined ? undefined : context(s.context),
    timestamp: withTimestamp && s.timestamp !== undefined ? instant(s.timestamp) : undefined,
    attachments: s.attachments?.map(attachment),
  })
}

function subStatement(s: SubStatement, version: XapiVersion): Json {
  return strip({
    objectType: 'SubStatement',
    actor: actor(s.actor),
    verb: { id: s.verb.id },
    object: object(s.object, version),
    result: result(s.result, version),
    context: s.context === undefined ? undefined : context(s.context),
    // Not LRS-assigned inside a SubStatement, so presence is compared too.
    timestamp: s.timestamp === undefined ? undefined : instant(s.timestamp),
    attachments: s.attachments?.map(attachment),
  })
}

function object(o: StatementObject, version: XapiVersion): Json {
  switch (o.objectType) {
    case 'SubStatement': return subStatement(o, version)
    case 'StatementRef': return { objectType: 'StatementRef', id: o.id.toLowerCase() }
    case 'Agent': case 'Group': return actor(o)
    // In the object position an omitted objectType means Activity (Data §2.4.4.1).
    default: return activity(o as Activity)
  }
}

/** The result, its duration's seconds cut to hundredths under 2.0.0 (see `statementsEqual`). */
function result(r: Result | undefined, version: XapiVersion): Json | undefined {
  if (r === undefined || r.duration === undefined || version !== '2.0.0') return r as Json | undefined
  return { ...(r as { [key: string]: Json }), duration: hundredths(r.duration) }
}

/**
 * `PT1.2367S` as `PT1.23S`: the fraction of a seconds component cut (not rounded) to two digits and
 * its trailing zeros dropped, so `PT1S`, `PT1.0S` and `PT1.001S` compare equal. Only the lowest
 * component may carry a fraction (ISO 8601:2004 4.4.3.2), and only seconds have hundredths.
 */
function hundredths(duration: string): string {
  return duration.replace(/(\d+)[.,](\d+)S$/u, (_, whole: string, fraction: string) => {
    const kept = fraction.slice(0, 2).replace(/0+$/u, '')
    return kept === '' ? `${whole}S` : `${whole}.${kept}S`
  })
}

function activity(a: Activity): Json {
  return { objectType: 'Activity', id: a.id }
}

function agent(a: Agent): Json {
  return strip({
    objectType: 'Agent',
    name: a.name,
    mbox: a.mbox === undefined ? undefined : normalizeMbox(a.mbox),
    mbox_sha1sum: a.mbox_sha1sum?.toLowerCase(),
    openid: a.openid,
    account: a.account === undefined ? undefined : { homePage: a.account.homePage, name: a.account.name },
  })
}

function actor(a: Actor): Json {
  if (a.objectType !== 'Group') return agent(a)
  const ifi = agent({ ...a, objectType: 'Agent' }) as { [key: string]: Json }
  const members = a.member?.map(agent).sort(byJson)
  return strip({ ...ifi, objectType: 'Group', member: members })
}

function contextActivities(ca: ContextActivities): Json {
  const list = (value: Activity[] | Activity | undefined): Json | undefined =>
    // 1.0.x allowed a single Activity where an array is expected; an LRS may have stored it as one.
    value === undefined ? undefined : (Array.isArray(value) ? value : [value]).map(activity)
  return strip({ parent: list(ca.parent), grouping: list(ca.grouping), category: list(ca.category), other: list(ca.other) })
}

function context(c: Context): Json {
  return strip({
    ...(c as { [key: string]: Json }),
    registration: c.registration?.toLowerCase(),
    language: c.language?.toLowerCase(),
    instructor: c.instructor === undefined ? undefined : actor(c.instructor),
    team: c.team === undefined ? undefined : actor(c.team),
    contextActivities: c.contextActivities === undefined ? undefined : contextActivities(c.contextActivities),
    contextAgents: c.contextAgents?.map((ca) => strip({ objectType: ca.objectType, agent: agent(ca.agent), relevantTypes: ca.relevantTypes })),
    contextGroups: c.contextGroups?.map((cg) => strip({ objectType: cg.objectType, group: actor(cg.group), relevantTypes: cg.relevantTypes })),
    statement: c.statement === undefined ? undefined : { objectType: 'StatementRef', id: c.statement.id.toLowerCase() },
  })
}

function attachment(a: Attachment): Json {
  return strip({ ...(a as unknown as { [key: string]: Json }), display: languageMap(a.display), description: a.description === undefined ? undefined : languageMap(a.description), sha2: a.sha2.toLowerCase() })
}

function languageMap(map: LanguageMap): Json {
  return Object.fromEntries(Object.entries(map).map(([tag, text]) => [tag.toLowerCase(), text]))
}

function instant(timestamp: string): string {
  // An unparseable timestamp cannot have passed validation; compare it as written.
  return toInstant(timestamp) ?? timestamp
}

/** Drops `undefined` members so an absent property and one never set compare equal. */
function strip(o: { [key: string]: Json | undefined }): { [key: string]: Json } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [key: string]: Json }
}

function byJson(a: Json, b: Json): number {
  const x = stableStringify(a), y = stableStringify(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** JSON with object keys sorted at every level, so key order never decides equality. */
function stableStringify(value: Json | undefined): string {
  if (value === undefined) return 'undefined'
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`).join(',')}}`
}
