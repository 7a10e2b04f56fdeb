/**
 * xAPI 2.0.0 context agents and context groups (Data 2.4.6): arrays of
 * `{ objectType: "contextAgent", agent, relevantTypes? }` and `{ objectType: "contextGroup", group, relevantTypes? }`
 * where `relevantTypes`, if present, is a non-empty array of IRIs.
 */
import { isIri } from './iri.ts'
import { childPath, type IssueList } from './issue-list.ts'
import { validateActor } from './validate-actor.ts'
import { asObject, closeObject, forEachElement, readArray, requireKey, type JsonObject } from './validate-values.ts'

const SECTION = '2.4.6'

interface Kind {
  key: 'contextAgents' | 'contextGroups'
  objectType: 'contextAgent' | 'contextGroup'
  member: 'agent' | 'group'
}

const KINDS: readonly Kind[] = [
  { key: 'contextAgents', objectType: 'contextAgent', member: 'agent' },
  { key: 'contextGroups', objectType: 'contextGroup', member: 'group' },
]

/** Validates `context.contextAgents` and `context.contextGroups` when present. */
export function validateContextAgents(context: JsonObject, path: string, list: IssueList): void {
  for (const kind of KINDS) {
    forEachElement(context, kind.key, path, list, { section: SECTION }, (element, at) => {
      const entry = asObject(element, at, list, SECTION)
      if (entry === undefined) return
      closeObject(entry, ['objectType', kind.member, 'relevantTypes'], at, list)
      if (requireKey(entry, 'objectType', at, list, SECTION) && entry.objectType !== null && entry.objectType !== kind.objectType) {
        list.add(childPath(at, 'objectType'), 'object-type', `must be "${kind.objectType}"`, SECTION)
      }
      if (requireKey(entry, kind.member, at, list, SECTION)) {
        validateActor(entry[kind.member], childPath(at, kind.member), list, kind.member === 'agent' ? 'context-agent' : 'context-group')
      }
      validateRelevantTypes(entry, at, list)
    })
  }
}

function validateRelevantTypes(entry: JsonObject, path: string, list: IssueList): void {
  const types = readArray(entry, 'relevantTypes', path, list, { section: SECTION })
  if (types === undefined) return
  const at = childPath(path, 'relevantTypes')
  if (types.length === 0) list.add(at, 'relevant-types-empty', 'must hold at least one IRI when present', SECTION)
  types.forEach((type, index) => {
    if (!isIri(type)) list.add(`${at}[${index}]`, 'iri', 'must be an absolute IRI', SECTION)
  })
}
