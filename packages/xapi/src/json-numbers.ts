/**
 * JSON numbers a double cannot hold. RFC 8259 §6 lets a parser limit range; `JSON.parse` turns
 * `1e400` (or a 400-digit integer) into Infinity, which `JSON.stringify` writes as `null`: a
 * statement extension sent as 1e400 was answered 200 and stored as null, a value the client never
 * sent. TLN refuses such a number instead of changing it.
 */
import { childPath, indexPath } from './issue-list.ts'

/**
 * Text that may hold an overflowing number: a number token (after the start, `:`, `,` or `[`) with
 * an exponent of three digits or more, or 309 digits in a row. Anchored on the token's start so that
 * hex in UUIDs and hashes ("…4e123…", inside strings) does not match: most statements carry some,
 * and every match costs a walk of the whole body.
 */
const MAY_OVERFLOW = /(?:^|[:,[])\s*-?\d+(?:\.\d+)?[eE]\+?\d{3}|\d{309}/

/**
 * The JSON path (`result.extensions["http://x"][2]`) of the first number in `value` that parsed to
 * ±Infinity, or undefined when there is none. `text` is the JSON `value` was parsed from: the walk
 * runs only when the text could hold such a number, so ordinary bodies cost one regex test.
 */
export function overflowingNumberPath(text: string, value: unknown): string | undefined {
  if (!MAY_OVERFLOW.test(text)) return undefined
  const steps = find(value)
  if (steps === undefined) return undefined
  if (steps.length === 0) return '$'
  let path = ''
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!
    path = typeof step === 'number' ? indexPath(path, step) : childPath(path, step)
  }
  return path
}

/** The steps to the first infinite number, innermost first (the path is built only when there is one). */
function find(value: unknown): Array<string | number> | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : []
  if (typeof value !== 'object' || value === null) return undefined
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = find(value[i])
      if (found !== undefined) return (found.push(i), found)
    }
    return undefined
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue
    const found = find((value as Record<string, unknown>)[key])
    if (found !== undefined) return (found.push(key), found)
  }
  return undefined
}
