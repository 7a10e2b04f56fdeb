/**
 * Query parameters of GET Statements (xAPI 1.0.3 Communication §2.1.3 "GET Statements" and §3.2
 * "Error Codes"; the same parameters in xAPI 2.0.0 Communication §2.1.3). The router passes what
 * Express parsed from the query string (or, for the alternate request syntax, the form); this turns
 * it into a typed query or one `ERR_XAPI_INVALID_PARAMETER` error listing every broken rule.
 */
import { XapiError, type XapiIssue } from './errors.ts'
import { MAX_ISSUES } from './issue-list.ts'
import type { StatementFormat } from './format.ts'
import { ifiKey } from './ifi.ts'
import { toInstant } from './instant.ts'
import { isIri } from './iri.ts'
import { isTimestamp } from './timestamp.ts'
import type { Agent, Group, XapiVersion } from './types.ts'
import { isUuid } from './uuid.ts'
import { unpairedSurrogateAt } from './unpaired-surrogate.ts'
import { validateAgentParameter } from './validate-actor.ts'

/** GET Statements by `statementId` or `voidedStatementId`: exactly one of the two is set. */
export type SingleStatementQuery = {
  kind: 'single'
  format: StatementFormat
  attachments: boolean
} & ({ statementId: string; voidedStatementId?: undefined } | { voidedStatementId: string; statementId?: undefined })

/** GET Statements with filters (Communication §2.1.3 table rows 3–14), defaults applied. */
export interface StatementListQuery {
  kind: 'query'
  agent?: Agent | Group
  verb?: string
  activity?: string
  registration?: string
  relatedActivities: boolean
  relatedAgents: boolean
  /** Exclusive lower bound on `stored`, as a canonical UTC instant (`toInstant`). */
  since?: string
  /** Inclusive upper bound on `stored`, as a canonical UTC instant (`toInstant`). */
  until?: string
  /** 1..maxLimit: `0` or absent asks for the server maximum (table row 11), larger values are clamped. */
  limit: number
  format: StatementFormat
  attachments: boolean
  ascending: boolean
}

export type StatementQuery = SingleStatementQuery | StatementListQuery

export interface StatementQueryOptions {
  /** The most statements one page may hold; what `limit=0` means. Default 500. */
  maxLimit?: number
  /**
   * Parameters the LRS itself recognises besides the spec's (Communication §3.2.s3.b7 note: "LRSs MAY
   * recognize and act on parameters not in this specification"), e.g. the store's paging cursor.
   * They are accepted and left for the caller; they do not count as filters.
   */
  extraParameters?: readonly string[]
}

export const DEFAULT_MAX_LIMIT = 500

const FILTERS = ['agent', 'verb', 'activity', 'registration', 'related_activities', 'related_agents', 'since', 'until', 'limit', 'ascending'] as const
const KNOWN = ['statementId', 'voidedStatementId', ...FILTERS, 'format', 'attachments'] as const
const FORMATS: readonly StatementFormat[] = ['ids', 'exact', 'canonical']

/**
 * Parses and validates the query parameters of GET Statements for request version `version`.
 *
 * Rules, each reported as an issue whose `path` is the parameter name:
 * - `unknown-parameter`: a parameter this LRS does not recognise, including one that matches a
 *   spec parameter "in all but case" (Communication §3.2.s3.b7, b8: "MUST reject with 400").
 * - `repeated-parameter`: a parameter given more than once (the spec defines each as one value);
 *   `type`: a value that is not a string (e.g. `agent[mbox]=…` parsed into an object).
 * - `exclusive-parameters`: `statementId` with `voidedStatementId` (§2.1.3.s2.b1);
 *   `single-statement-filter`: either of them with any parameter "besides attachments or format"
 *   (§2.1.3.s2.b2).
 * - `uuid`: `statementId`, `voidedStatementId`, `registration` (Data §2.2.s4.b4: parameters are
 *   validated "to the same standards required for values of the same types in Statements"); returned
 *   lowercased, since UUIDs are case-insensitive (RFC 4122 §3).
 * - `unpaired-surrogate` (RFC 8259 §8.2: an escape such as `\ud800` with no partner), `json`, then the rules of `validateAgentParameter`, then `identified-group`: `agent` is "Agent or
 *   Identified Group Object (JSON)", so an Anonymous Group is rejected.
 * - `iri`: `verb`, `activity`. `timestamp`: `since`, `until` under `version`'s rules, returned as
 *   canonical UTC instants.
 * - `non-negative-integer`: `limit` (digits only); `0` and absent mean `maxLimit`, larger is clamped.
 * - `boolean`: `related_activities`, `related_agents`, `attachments`, `ascending` are exactly `true`
 *   or `false` ("represented as true or false as in JSON", table note).
 * - `enum`: `format` is `ids`, `exact` or `canonical` (default `exact`).
 *
 * @throws XapiError `ERR_XAPI_INVALID_PARAMETER` with every issue found.
 */
export function parseStatementQuery(
  params: Record<string, unknown>,
  version: XapiVersion,
  options: StatementQueryOptions = {},
): StatementQuery {
  const maxLimit = options.maxLimit ?? DEFAULT_MAX_LIMIT
  if (!Number.isSafeInteger(maxLimit) || maxLimit < 1) throw new TypeError(`maxLimit must be a positive integer, got ${maxLimit}`)
  const extra = new Set(options.extraParameters ?? [])
  const issues: XapiIssue[] = []
  let unlisted = 0
  const issue = (path: string, rule: string, message: string): void => {
    // A form of a million unknown fields made a million issues: a 120 MB answer after 7 s.
    if (issues.length >= MAX_ISSUES) unlisted++
    else issues.push({ path, rule, message: `${message} (xAPI ${version} Communication 2.1.3)` })
  }

  // Shape: known names, one string value each.
  const values = new Map<string, string>()
  for (const [name, value] of Object.entries(params)) {
    if (extra.has(name)) continue
    if (!(KNOWN as readonly string[]).includes(name)) {
      const near = KNOWN.find((known) => known.toLowerCase() === name.toLowerCase())
      issue(name, 'unknown-parameter', near === undefined
        ? `unknown parameter ${JSON.stringify(name)}`
        : `unknown parameter ${JSON.stringify(name)}; parameter names are case-sensitive, did you mean ${JSON.stringify(near)}?`)
      continue
    }
    if (Array.isArray(value)) issue(name, 'repeated-parameter', `parameter ${name} must be given once, was given ${value.length} times`)
    else if (typeof value !== 'string') issue(name, 'type', `parameter ${name} must be a single string value`)
    else values.set(name, value)
  }
  const present = (name: string): boolean => Object.hasOwn(params, name)

  const uuid = (name: string): string | undefined => {
    const value = values.get(name)
    if (value === undefined) return undefined
    if (!isUuid(value)) { issue(name, 'uuid', `${name} must be a UUID, got ${JSON.stringify(value)}`); return undefined }
    return value.toLowerCase()
  }
  const bool = (name: string): boolean => {
    const value = values.get(name)
    if (value === undefined || value === 'false') return false
    if (value === 'true') return true
    issue(name, 'boolean', `${name} must be true or false, got ${JSON.stringify(value)}`)
    return false
  }
  const format = ((): StatementFormat => {
    const value = values.get('format')
    if (value === undefined) return 'exact'
    if ((FORMATS as readonly string[]).includes(value)) return value as StatementFormat
    issue('format', 'enum', `format must be one of ids, exact, canonical, got ${JSON.stringify(value)}`)
    return 'exact'
  })()
  const attachments = bool('attachments')

  // Single statement: statementId / voidedStatementId exclude each other and every filter.
  if (present('statementId') || present('voidedStatementId')) {
    if (present('statementId') && present('voidedStatementId')) {
      issue('voidedStatementId', 'exclusive-parameters', 'statementId and voidedStatementId cannot be used together')
    }
    for (const name of FILTERS) {
      if (present(name)) issue(name, 'single-statement-filter', `${name} cannot be used with statementId or voidedStatementId; only attachments and format can`)
    }
    const statementId = uuid('statementId')
    const voidedStatementId = uuid('voidedStatementId')
    if (issues.length > 0) throw invalid(issues, unlisted)
    return statementId !== undefined
      ? { kind: 'single', statementId, format, attachments }
      : { kind: 'single', voidedStatementId: voidedStatementId as string, format, attachments }
  }

  const query: StatementListQuery = {
    kind: 'query',
    relatedActivities: bool('related_activities'),
    relatedAgents: bool('related_agents'),
    limit: maxLimit,
    format,
    attachments,
    ascending: bool('ascending'),
  }
  const agent = parseAgent(values.get('agent'), version, issue, issues)
  if (agent !== undefined) query.agent = agent
  for (const name of ['verb', 'activity'] as const) {
    const value = values.get(name)
    if (value === undefined) continue
    if (isIri(value)) query[name] = value
    else issue(name, 'iri', `${name} must be an IRI, got ${JSON.stringify(value)}`)
  }
  const registration = uuid('registration')
  if (registration !== undefined) query.registration = registration
  for (const name of ['since', 'until'] as const) {
    const value = values.get(name)
    if (value === undefined) continue
    const instant = isTimestamp(value, version) ? toInstant(value, version) : undefined
    if (instant !== undefined) query[name] = instant
    else issue(name, 'timestamp', `${name} must be a timestamp (${version === '2.0.0' ? 'RFC 3339' : 'ISO 8601'}), got ${JSON.stringify(value)}`)
  }
  const limit = values.get('limit')
  if (limit !== undefined) {
    if (/^\d+$/.test(limit)) query.limit = Math.min(Number(limit), maxLimit) || maxLimit
    else issue('limit', 'non-negative-integer', `limit must be a non-negative integer, got ${JSON.stringify(limit)}`)
  }
  if (issues.length > 0) throw invalid(issues, unlisted)
  return query
}

/** `agent`: JSON text of an Agent or Identified Group (table row 3). */
function parseAgent(
  value: string | undefined,
  version: XapiVersion,
  issue: (path: string, rule: string, message: string) => void,
  issues: XapiIssue[],
): Agent | Group | undefined {
  if (value === undefined) return undefined
  if (unpairedSurrogateAt(value) >= 0) {
    issue('agent', 'unpaired-surrogate', 'agent must not hold an unpaired UTF-16 surrogate escape such as \\ud800: IFIs are Unicode text (RFC 8259 §8.2)')
    return undefined
  }
  let json: unknown
  try {
    json = JSON.parse(value)
  } catch (error) {
    issue('agent', 'json', `agent must be a JSON Agent or Identified Group object: ${(error as Error).message}`)
    return undefined
  }
  let agent: Agent | Group
  try {
    agent = validateAgentParameter(json, { version })
  } catch (error) {
    if (!(error instanceof XapiError)) throw error
    // The issue path names the parameter; the validator's message already names the place inside
    // the object (`agent.mbox ...`) and its Data section.
    if (error.issues.length === 0) issue('agent', 'agent', error.message)
    for (const inner of error.issues) issues.push({ path: 'agent', rule: inner.rule, message: inner.message })
    return undefined
  }
  if (ifiKey(agent) === undefined) {
    issue('agent', 'identified-group', 'agent must be an Agent or an Identified Group; an Anonymous Group has no identifier to filter by')
    return undefined
  }
  return agent
}

function invalid(issues: XapiIssue[], unlisted = 0): XapiError {
  const first = issues[0]?.message ?? 'invalid parameters'
  const count = issues.length - 1 + unlisted
  const more = count > 0 ? ` (and ${count} more${unlisted > 0 ? `; the first ${issues.length} are listed` : ''})` : ''
  return new XapiError('ERR_XAPI_INVALID_PARAMETER', `Invalid GET Statements parameters: ${first}${more}`, issues)
}
