/**
 * Agents and Groups wherever they appear (xAPI 1.0.3 Data 2.4.2): actor, object, member,
 * instructor, team, authority, 2.0 context agents/groups, and the `agent` query parameter.
 */
import { isMailtoIri } from './iri.ts'
import { isSha1Hex } from './hex-digest.ts'
import { childPath, IssueList } from './issue-list.ts'
import type { Agent, Group, XapiVersion } from './types.ts'
import {
  asObject, closeObject, forEachElement, isSet, readFormatted, readIri, readIrl, readObject, readString,
  type JsonObject,
} from './validate-values.ts'

/** Where an Agent or Group appears; each place restricts which of the two it may be. */
export type ActorRole =
  | 'actor' | 'object' | 'instructor' | 'member' | 'team' | 'authority' | 'context-agent' | 'context-group' | 'parameter'

const IFI_KEYS = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const
const AGENT_KEYS = ['objectType', 'name', ...IFI_KEYS]
const GROUP_KEYS = [...AGENT_KEYS, 'member']

/**
 * Validates the `agent` query parameter (already JSON-parsed) of the Statement, State, Agents and
 * Agent Profile resources: an Agent or an identified Group with exactly one inverse functional
 * identifier. "The LRS MUST validate parameter values to the same standards required for values
 * of the same types in Statements" (xAPI 1.0.3 Data 2.2.s4.b4). Returns a deep copy; throws
 * `XapiError('ERR_XAPI_INVALID_PARAMETER')` with issue paths under `agent`.
 */
export function validateAgentParameter(input: unknown, options: { version: XapiVersion }): Agent | Group {
  const list = new IssueList(options.version)
  validateActor(input, 'agent', list, 'parameter')
  list.throwIfAny('ERR_XAPI_INVALID_PARAMETER')
  return JSON.parse(JSON.stringify(input)) as Agent | Group
}

/** Validates an Agent or Group at `path` in the given role, recording every issue. */
export function validateActor(value: unknown, path: string, list: IssueList, role: ActorRole): void {
  const obj = asObject(value, path, list, '2.4.2')
  if (obj === undefined) return
  const objectType = obj.objectType
  if (objectType !== undefined && objectType !== null && objectType !== 'Agent' && objectType !== 'Group') {
    list.add(childPath(path, 'objectType'), 'object-type', 'must be "Agent" or "Group" (case-sensitive)', '2.4.2')
    return
  }
  const isGroup = objectType === 'Group'
  if (isGroup && (role === 'member' || role === 'context-agent')) {
    // "An Anonymous Group MUST NOT contain Group Objects in the member identifiers" (2.4.2.2.s4.b2, s5.b2).
    list.add(path, 'must-be-agent', 'must be an Agent, not a Group', role === 'member' ? '2.4.2.2' : '2.4.6')
    return
  }
  if (!isGroup && (role === 'team' || role === 'context-group')) {
    // A Group MUST state objectType "Group" (2.4.2.2 table: objectType Required).
    list.add(path, 'must-be-group', 'must be a Group with objectType "Group"', '2.4.6')
    return
  }
  closeObject(obj, isGroup ? GROUP_KEYS : AGENT_KEYS, path, list)
  readString(obj, 'name', path, list, { section: isGroup ? '2.4.2.2' : '2.4.2.1' })
  const ifis = validateIfis(obj, path, list)
  if (isGroup) validateGroup(obj, path, list, role, ifis)
  else if (ifis !== 1) {
    // "An Agent MUST be identified by one (1) of the four types of IFI" and "MUST NOT include more than one" (2.4.2.1.s2).
    list.add(path, 'exactly-one-ifi', `must have exactly one inverse functional identifier, found ${ifis}`, '2.4.2.1')
  }
}

function validateGroup(obj: JsonObject, path: string, list: IssueList, role: ActorRole, ifis: number): void {
  if (ifis > 1) {
    // "An Identified Group MUST include exactly one (1) Inverse Functional Identifier" (2.4.2.2.s5.b1).
    list.add(path, 'exactly-one-ifi', `must have at most one inverse functional identifier, found ${ifis}`, '2.4.2.2')
  }
  if (role === 'parameter' && ifis === 0) {
    list.add(path, 'exactly-one-ifi', 'must be an Agent or an identified Group (exactly one inverse functional identifier)', '2.4.2.2')
  }
  if (role === 'authority' && ifis > 0) {
    // "Authority MUST be an Agent, except in 3-legged OAuth, where it MUST be a Group with two Agents" (2.4.9.s3.b1).
    list.add(path, 'authority-group', 'must be an Agent or an anonymous Group of exactly two Agents', '2.4.9')
  }
  const members = isSet(obj, 'member') ? obj.member : undefined
  if (ifis === 0 && (members === undefined || (Array.isArray(members) && members.length === 0))) {
    // "An Anonymous Group MUST include a member property listing constituent Agents" (2.4.2.2.s4.b1).
    list.add(childPath(path, 'member'), 'anonymous-group-member', 'must list the Agents of an anonymous Group', '2.4.2.2')
  }
  if (role === 'authority' && ifis === 0 && Array.isArray(members) && members.length !== 2) {
    list.add(childPath(path, 'member'), 'authority-group', `must hold exactly two Agents in an OAuth authority Group, found ${members.length}`, '2.4.9')
  }
  forEachElement(obj, 'member', path, list, { section: '2.4.2.2' }, (member, memberPath) => {
    validateActor(member, memberPath, list, 'member')
  })
}

/** Validates each IFI present and returns how many are present (2.4.2.3). */
function validateIfis(obj: JsonObject, path: string, list: IssueList): number {
  const section = '2.4.2.3'
  readFormatted(obj, 'mbox', path, list, { section, rule: 'mailto-iri', what: 'a mailto IRI ("mailto:email address")', test: isMailtoIri })
  readFormatted(obj, 'mbox_sha1sum', path, list, { section, rule: 'sha1-hex', what: 'a hex-encoded SHA-1 hash (40 hex digits)', test: isSha1Hex })
  readIri(obj, 'openid', path, list, { section })
  const account = readObject(obj, 'account', path, list, { section: '2.4.2.4' })
  if (account !== undefined) {
    const accountPath = childPath(path, 'account')
    closeObject(account, ['homePage', 'name'], accountPath, list)
    readIrl(account, 'homePage', accountPath, list, { required: true, section: '2.4.2.4' })
    readString(account, 'name', accountPath, list, { required: true, section: '2.4.2.4' })
  }
  return IFI_KEYS.filter((key) => isSet(obj, key)).length
}
