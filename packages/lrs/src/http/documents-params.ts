import { ifiKey, isTimestamp, isUuid, toInstant, unpairedSurrogateAt, validateActivityId, validateAgentParameter, type Agent, type Group, type XapiVersion } from '@tln/xapi'
import { LrsError } from '../errors.ts'

/** The parameters of one document request, validated (xAPI 1.0.3 Communication 2.3–2.7). */
export interface DocumentParams {
  activityId?: string
  agent?: Agent | Group
  /** `ifiKey(agent)`: equal agents give equal keys. */
  agentKey?: string
  /** Lowercased UUID. */
  registration?: string
  /** `stateId` or `profileId`. */
  documentId?: string
  /** Canonical UTC instant (`toInstant`), exclusive lower bound on `updated`. */
  since?: string
}

export interface ParamRules {
  /** Names that must be present. */
  required: readonly string[]
  /** Names that may be present. */
  optional: readonly string[]
  version: XapiVersion
  /** Whether `agent` may be an Identified Group (State) or must be an Agent (Agents, Agent Profile). */
  agentMayBeGroup?: boolean
}

/**
 * Reads and validates the parameters of a document request, one rule at a time, each failure a
 * 400 naming the parameter and the rule:
 * - "The LRS MUST reject with 400 Bad Request status any requests that use any parameters which
 *   the LRS does not recognize in their intended context" and those "matching parameters described
 *   in this specification in all but case" (Communication 3.2.s3.b7, b8);
 * - each parameter given once; required ones present;
 * - `activityId` an IRI, `agent` a JSON Agent ("The LRS MUST validate parameter values to the same
 *   standards required for values of the same types in Statements", Data 2.2.s4.b4),
 *   `registration` a UUID, `since` a timestamp of the request's version, `stateId`/`profileId`
 *   a non-empty string without U+0000 (PostgreSQL text cannot hold it), `agent` without unpaired
 *   surrogate escapes (RFC 8259 §8.2).
 */
export function parseDocumentParams(query: Record<string, string | string[]>, rules: ParamRules): DocumentParams {
  const allowed = [...rules.required, ...rules.optional]
  for (const name of Object.keys(query)) {
    if (allowed.includes(name)) continue
    const near = allowed.find((known) => known.toLowerCase() === name.toLowerCase())
    throw new LrsError(
      'ERR_LRS_BAD_REQUEST',
      near === undefined
        ? `unknown parameter ${JSON.stringify(name)} (allowed here: ${allowed.join(', ')}; xAPI ${rules.version} Communication 3.2)`
        : `unknown parameter ${JSON.stringify(name)}; parameter names are case-sensitive, did you mean ${JSON.stringify(near)}? (xAPI ${rules.version} Communication 3.2)`,
      name,
    )
  }
  const values = new Map<string, string>()
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) throw new LrsError('ERR_LRS_BAD_REQUEST', `parameter ${name} must be given once, was given ${value.length} times`, name)
    values.set(name, value)
  }
  for (const name of rules.required) {
    if (!values.has(name)) throw new LrsError('ERR_LRS_BAD_REQUEST', `parameter ${name} is required here (xAPI ${rules.version} Communication 2.3–2.7)`, name)
  }

  const params: DocumentParams = {}
  const activityId = values.get('activityId')
  if (activityId !== undefined) params.activityId = validateActivityId(activityId, { version: rules.version })
  const agent = values.get('agent')
  if (agent !== undefined) {
    params.agent = parseAgent(agent, rules)
    params.agentKey = ifiKey(params.agent)!
  }
  const registration = values.get('registration')
  if (registration !== undefined) {
    if (!isUuid(registration)) throw new LrsError('ERR_LRS_BAD_REQUEST', `registration must be a UUID, got ${JSON.stringify(registration)} (xAPI ${rules.version} Data 4.4)`, 'registration')
    params.registration = registration.toLowerCase()
  }
  for (const name of ['stateId', 'profileId'] as const) {
    const id = values.get(name)
    if (id === undefined) continue
    if (id === '') throw new LrsError('ERR_LRS_BAD_REQUEST', `${name} must not be empty`, name)
    // PostgreSQL cannot hold U+0000 in text: sent in an alternate request's form (the URL guard never
    // sees a form), it failed at the INSERT as a 500.
    if (id.includes('\u0000')) throw new LrsError('ERR_LRS_BAD_REQUEST', `${name} must not contain U+0000 (rule no-nul)`, name)
    params.documentId = id
  }
  const since = values.get('since')
  if (since !== undefined) {
    const instant = isTimestamp(since, rules.version) ? toInstant(since, rules.version) : undefined
    if (instant === undefined) {
      throw new LrsError('ERR_LRS_BAD_REQUEST', `since must be a timestamp (${rules.version === '2.0.0' ? 'RFC 3339' : 'ISO 8601'}), got ${JSON.stringify(since)} (xAPI ${rules.version} Communication 2.3.s4)`, 'since')
    }
    params.since = instant
  }
  return params
}

function parseAgent(text: string, rules: ParamRules): Agent | Group {
  if (unpairedSurrogateAt(text) >= 0) {
    throw new LrsError('ERR_LRS_BAD_REQUEST', 'agent must not hold an unpaired UTF-16 surrogate escape such as \\ud800: IFIs are Unicode text (RFC 8259 §8.2, rule unpaired-surrogate)', 'agent')
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new LrsError('ERR_LRS_BAD_REQUEST', `agent must be a JSON Agent object: ${(error as Error).message}`, 'agent')
  }
  const agent = validateAgentParameter(json, { version: rules.version })
  if (agent.objectType === 'Group' && rules.agentMayBeGroup !== true) {
    // "The agent parameter is an Agent Object and not a Group" (Communication 2.6 note; 2.4.s2: "nor is it a Group").
    throw new LrsError('ERR_LRS_BAD_REQUEST', 'agent must be an Agent, not a Group; to keep data for an Identified Group, send its identifier in an Agent object (xAPI 1.0.3 Communication 2.6)', 'agent.objectType')
  }
  return agent
}
