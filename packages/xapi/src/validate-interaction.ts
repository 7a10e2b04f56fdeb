/**
 * Interaction Activities (xAPI 1.0.3 Data 2.4.4.1, "Interaction Activities" s6-s16): the
 * `interactionType` enum, `correctResponsesPattern`, and the interaction component lists allowed
 * for each type, with ids distinct within a list.
 */
import { childPath, type IssueList } from './issue-list.ts'
import {
  asObject, closeObject, forEachElement, isSet, readLanguageMap, readString, type JsonObject,
} from './validate-values.ts'

const SECTION = '2.4.4.1'

/** Component lists each interactionType supports (2.4.4.1.s15 table 2). */
const LISTS_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  'true-false': [],
  choice: ['choices'],
  'fill-in': [],
  'long-fill-in': [],
  matching: ['source', 'target'],
  performance: ['steps'],
  sequencing: ['choices'],
  likert: ['scale'],
  numeric: [],
  other: [],
}

export const INTERACTION_KEYS = ['interactionType', 'correctResponsesPattern', 'choices', 'scale', 'source', 'target', 'steps'] as const
const COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'] as const

/** Validates the interaction properties of an Activity Definition at `path`. */
export function validateInteraction(definition: JsonObject, path: string, list: IssueList): void {
  const used = INTERACTION_KEYS.filter((key) => isSet(definition, key))
  if (used.length === 0) return
  const type = readString(definition, 'interactionType', path, list, { section: SECTION })
  if (!isSet(definition, 'interactionType')) {
    // "Interaction Activities MUST have a valid interactionType" (2.4.4.1.s13.b1).
    list.add(childPath(path, 'interactionType'), 'required', 'is required when interaction properties are used', SECTION)
  } else if (type !== undefined && !Object.hasOwn(LISTS_BY_TYPE, type)) {
    list.add(childPath(path, 'interactionType'), 'interaction-type', `must be one of ${Object.keys(LISTS_BY_TYPE).join(', ')} (case-sensitive)`, SECTION)
  }
  forEachElement(definition, 'correctResponsesPattern', path, list, { section: SECTION }, (pattern, patternPath) => {
    if (typeof pattern !== 'string') list.add(patternPath, 'type', 'must be a string', SECTION)
  })
  const allowed = type === undefined ? undefined : LISTS_BY_TYPE[type]
  for (const listKey of COMPONENT_LISTS) {
    if (!isSet(definition, listKey)) continue
    if (allowed !== undefined && !allowed.includes(listKey)) {
      list.add(childPath(path, listKey), 'interaction-component-list', `is not supported for interactionType "${type}"`, SECTION)
    }
    validateComponents(definition, listKey, path, list)
  }
}

/** An array of `{ id, description? }` whose ids are distinct (2.4.4.1.s16.b1). */
function validateComponents(definition: JsonObject, listKey: string, path: string, list: IssueList): void {
  const seen = new Set<string>()
  forEachElement(definition, listKey, path, list, { section: SECTION }, (element, elementPath) => {
    const component = asObject(element, elementPath, list, SECTION)
    if (component === undefined) return
    closeObject(component, ['id', 'description'], elementPath, list)
    const id = readString(component, 'id', elementPath, list, { required: true, section: SECTION })
    readLanguageMap(component, 'description', elementPath, list, { section: SECTION })
    if (id === undefined) return
    if (seen.has(id)) list.add(childPath(elementPath, 'id'), 'interaction-component-id-unique', `must be distinct within ${listKey}`, SECTION)
    seen.add(id)
  })
}
