/**
 * Activities and Activity Definitions (xAPI 1.0.3 Data 2.4.4.1), as a statement object and as
 * context activities.
 */
import { childPath, indexPath, type IssueList } from './issue-list.ts'
import { INTERACTION_KEYS, validateInteraction } from './validate-interaction.ts'
import {
  asObject, closeObject, readExtensions, readIri, readIrl, readLanguageMap, readObject,
} from './validate-values.ts'

const SECTION = '2.4.4.1'
const DEFINITION_KEYS = ['name', 'description', 'type', 'moreInfo', 'extensions', ...INTERACTION_KEYS]

/** Validates an Activity at `path`; `objectType`, when present, must be "Activity". */
export function validateActivity(value: unknown, path: string, list: IssueList): void {
  const activity = asObject(value, path, list, SECTION)
  if (activity === undefined) return
  closeObject(activity, ['objectType', 'id', 'definition'], path, list)
  if (activity.objectType !== undefined && activity.objectType !== null && activity.objectType !== 'Activity') {
    list.add(childPath(path, 'objectType'), 'object-type', 'must be "Activity" when present (case-sensitive)', SECTION)
  }
  readIri(activity, 'id', path, list, { required: true, section: SECTION })
  const definition = readObject(activity, 'definition', path, list, { section: SECTION })
  if (definition !== undefined) validateDefinition(definition, childPath(path, 'definition'), list)
}

function validateDefinition(definition: Record<string, unknown>, path: string, list: IssueList): void {
  closeObject(definition, DEFINITION_KEYS, path, list)
  readLanguageMap(definition, 'name', path, list, { section: SECTION })
  readLanguageMap(definition, 'description', path, list, { section: SECTION })
  readIri(definition, 'type', path, list, { section: SECTION })
  readIrl(definition, 'moreInfo', path, list, { section: SECTION })
  readExtensions(definition, 'extensions', path, list)
  validateInteraction(definition, path, list)
  refuseNul(definition, path, list)
}

/**
 * U+0000 anywhere in an Activity definition (a string or a key) is refused, naming its path. JSON
 * and xAPI allow it, but the LRS keeps each Activity's canonical definition (Communication 2.5,
 * "the LRS MAY ... update its canonical representation") in PostgreSQL jsonb, which cannot hold it
 * ("unsupported Unicode escape sequence"): storing the statement would fail half-way. The rest of
 * a statement may carry it; the statement itself is kept as the exact JSON text it came as.
 */
function refuseNul(value: unknown, path: string, list: IssueList): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) list.add(path, 'no-nul-in-definition', 'must not contain U+0000: TLN cannot store it in an Activity definition', SECTION)
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => refuseNul(item, indexPath(path, i), list))
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) list.add(childPath(path, key), 'no-nul-in-definition', 'must not contain U+0000 in its name: TLN cannot store it in an Activity definition', SECTION)
      else refuseNul(item, childPath(path, key), list)
    }
  }
}
