/**
 * JSON numbers a double cannot hold. RFC 8259 §6 lets a parser limit range; `JSON.parse` turns
 * `1e400` (or a 400-digit integer) into Infinity, which `JSON.stringify` writes as `null`: a
 * statement extension sent as 1e400 was answered 200 and stored as null, a value the client never
 * sent. TLN refuses such a number instead of changing it.
 */
import { childPath, indexPath } from './issue-list.ts'

/** Text that may hold an overflowing number: an exponent of three digits or more, or 309 digits in a row. */
const MAY_OVERFLOW = /[eE][+]?\d{3}|\d{309}/

/**
 * The JSON path (`result.extensions["http://x"][2]`) of the first number in `value` that parsed to
 * ±Infinity, or undefined when there is none. `text` is the JSON `value` was parsed from: the walk
 * runs only when the text could hold such a number, so ordinary bodies cost one regex test.
 */
export function overflowingNumberPath(text: string, value: unknown): string | undefined {
  return MAY_OVERFLOW.test(text) ? find(value, '') : undefined
}

function find(value: unknown, path: string): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path === '' ? '$' : path
  if (typeof value !== 'object' || value === null) return undefined
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = find(value[i], indexPath(path, i))
      if (found !== undefined) return found
    }
    return undefined
  }
  for (const [key, child] of Object.entries(value)) {
    const found = find(child, childPath(path, key))
    if (found !== undefined) return found
  }
  return undefined
}
