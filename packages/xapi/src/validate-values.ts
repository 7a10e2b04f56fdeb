/**
 * Readers for the typed values of an xAPI object: each checks JSON type and format, records an
 * issue on failure and returns the value (or undefined). Objects are closed: "The LRS MUST reject
 * Statements ... where a key or value is not allowed by this specification" (xAPI 1.0.3 Data
 * 2.2.s4.b1.b7) and "with any null values (except inside extensions)" (Data 2.2.s4.b1.b1).
 */
import { isIri, isIrl } from './iri.ts'
import { childPath, indexPath, type IssueList } from './issue-list.ts'
import { isLanguageTag } from './lang-tag.ts'

export type JsonObject = Record<string, unknown>

/** Section cited for JSON type, null and unknown-property issues. */
const FORMATTING = '2.2'

function kind(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return `a ${typeof value}`
}

/** True if `key` is set (present and not undefined; null counts as set and is reported by `closeObject`). */
export function isSet(obj: JsonObject, key: string): boolean {
  return Object.hasOwn(obj, key) && obj[key] !== undefined
}

/** The value as a plain object, or undefined after recording a `not-null` or `type` issue. */
export function asObject(value: unknown, path: string, list: IssueList, section: string): JsonObject | undefined {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as JsonObject
  if (value === null) list.add(path, 'not-null', 'must not be null', `${FORMATTING}.s4.b1.b1`)
  else list.add(path, 'type', `must be an object, not ${kind(value)}`, section)
  return undefined
}

/**
 * Rejects keys outside `allowed` (`unknown-property`) and null values of allowed keys (`not-null`).
 * Keys are case-sensitive (Data 2.2.s4.b1.b5).
 */
export function closeObject(obj: JsonObject, allowed: readonly string[], path: string, list: IssueList): void {
  for (const key of Object.keys(obj)) {
    // The path is built only for an issue: most objects have none, and this runs for every key.
    if (!allowed.includes(key)) list.add(childPath(path, key), 'unknown-property', 'is not a property allowed here by the specification', `${FORMATTING}.s4.b1.b7`)
    else if (obj[key] === null) list.add(childPath(path, key), 'not-null', 'must not be null', `${FORMATTING}.s4.b1.b1`)
  }
}

/** Records `required` if `key` is absent; true if it is present (null included, already reported). */
export function requireKey(obj: JsonObject, key: string, path: string, list: IssueList, section: string): boolean {
  if (Object.hasOwn(obj, key) && obj[key] !== undefined) return true
  list.add(childPath(path, key), 'required', 'is required', section)
  return false
}

/** Reads `obj[key]`; undefined when absent or null (null is reported by `closeObject`). */
function get(obj: JsonObject, key: string, required: boolean, path: string, list: IssueList, section: string): unknown {
  if (required && !requireKey(obj, key, path, list, section)) return undefined
  const value = obj[key]
  return value === null ? undefined : value
}

export interface FieldSpec {
  required?: boolean
  section: string
}

export function readString(obj: JsonObject, key: string, path: string, list: IssueList, spec: FieldSpec): string | undefined {
  const value = get(obj, key, spec.required ?? false, path, list, spec.section)
  if (value === undefined || typeof value === 'string') return value
  list.add(childPath(path, key), 'type', `must be a string, not ${kind(value)}`, spec.section)
  return undefined
}

/**
 * Reads a string that must match a format. `rule` names it (`iri`, `uuid`, ...) and `what` completes
 * "must be ..." (e.g. "an IRI"). The empty string never passes (Data 2.2.s4.b1.b4).
 */
export function readFormatted(
  obj: JsonObject, key: string, path: string, list: IssueList,
  spec: FieldSpec & { rule: string; what: string; test: (value: string) => boolean },
): string | undefined {
  return checkFormat(readString(obj, key, path, list, spec), key, path, list, spec.section, spec.rule, spec.what, spec.test)
}

// readIri and readIrl pass the format as arguments, not as `{ ...spec, rule, … }`: that object
// spread cost ~2.7 µs per call in V8 (against ~60 ns for the IRI test itself), 20–30 µs per
// statement of batch ingest (issue 7, docs/performance-notes.md).

export function readIri(obj: JsonObject, key: string, path: string, list: IssueList, spec: FieldSpec): string | undefined {
  return checkFormat(readString(obj, key, path, list, spec), key, path, list, spec.section, 'iri', 'an absolute IRI', isIri)
}

export function readIrl(obj: JsonObject, key: string, path: string, list: IssueList, spec: FieldSpec): string | undefined {
  return checkFormat(readString(obj, key, path, list, spec), key, path, list, spec.section, 'irl', 'an absolute IRL', isIrl)
}

/** The string read at `obj[key]` if it passes `test`; otherwise records the `rule` issue (undefined passes through). */
function checkFormat(
  value: string | undefined, key: string, path: string, list: IssueList,
  section: string, rule: string, what: string, test: (value: string) => boolean,
): string | undefined {
  if (value === undefined) return undefined
  if (test(value)) return value
  list.add(childPath(path, key), rule, `must be ${what}`, section)
  return undefined
}

export function readBoolean(obj: JsonObject, key: string, path: string, list: IssueList, spec: FieldSpec): boolean | undefined {
  const value = get(obj, key, spec.required ?? false, path, list, spec.section)
  if (value === undefined || typeof value === 'boolean') return value
  list.add(childPath(path, key), 'type', `must be a boolean, not ${kind(value)}`, `${FORMATTING}.s4.b1.b3`)
  return undefined
}

/** A finite JSON number; strings holding numbers are rejected (Data 2.2.s4.b1.b2). */
export function readNumber(obj: JsonObject, key: string, path: string, list: IssueList, spec: FieldSpec): number | undefined {
  const value = get(obj, key, spec.required ?? false, path, list, spec.section)
  if (value === undefined || (typeof value === 'number' && Number.isFinite(value))) return value
  // 1e400 parses to Infinity: a number, but not one a double holds (RFC 8259 §6).
  const why = typeof value === 'number' ? 'a finite number; this one is too large for a double (RFC 8259 §6)' : `a number, not ${kind(value)}`
  list.add(childPath(path, key), 'type', `must be ${why}`, `${FORMATTING}.s4.b1.b2`)
  return undefined
}

export function readObject(obj: JsonObject, key: string, path: string, list: IssueList, spec: FieldSpec): JsonObject | undefined {
  const value = get(obj, key, spec.required ?? false, path, list, spec.section)
  return value === undefined ? undefined : asObject(value, childPath(path, key), list, spec.section)
}

export function readArray(obj: JsonObject, key: string, path: string, list: IssueList, spec: FieldSpec): unknown[] | undefined {
  const value = get(obj, key, spec.required ?? false, path, list, spec.section)
  if (value === undefined || Array.isArray(value)) return value
  list.add(childPath(path, key), 'type', `must be an array, not ${kind(value)}`, spec.section)
  return undefined
}

/**
 * A language map (Data 4.2): an object whose keys are RFC 5646 tags and whose values are strings,
 * with at least one entry (the ADL conformance suite rejects `{}`).
 */
export function readLanguageMap(obj: JsonObject, key: string, path: string, list: IssueList, spec: FieldSpec): void {
  const map = readObject(obj, key, path, list, spec)
  if (map === undefined) return
  const entries = Object.entries(map)
  if (entries.length === 0) list.add(childPath(path, key), 'language-map-empty', 'must be a language map with at least one entry', '4.2')
  for (const [tag, text] of entries) {
    if (!isLanguageTag(tag)) list.add(childPath(childPath(path, key), tag), 'language-tag', 'must be keyed by an RFC 5646 language tag', '4.2')
    if (typeof text !== 'string') list.add(childPath(childPath(path, key), tag), 'type', `must be a string, not ${kind(text)}`, '4.2')
  }
}

/** Extensions (Data 4.1): keys MUST be IRIs; values are any JSON, never rejected (4.1.s3.b2). */
export function readExtensions(obj: JsonObject, key: string, path: string, list: IssueList): void {
  const map = readObject(obj, key, path, list, { section: '4.1' })
  if (map === undefined) return
  for (const name of Object.keys(map)) {
    if (!isIri(name)) list.add(childPath(childPath(path, key), name), 'iri', 'must be keyed by an absolute IRI', '4.1')
  }
}

/** Calls `each` with every element of the array at `obj[key]` and its path. */
export function forEachElement(
  obj: JsonObject, key: string, path: string, list: IssueList, spec: FieldSpec,
  each: (element: unknown, elementPath: string, index: number) => void,
): void {
  const items = readArray(obj, key, path, list, spec)
  items?.forEach((element, index) => each(element, indexPath(childPath(path, key), index), index))
}
