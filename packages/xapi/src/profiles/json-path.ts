/**
 * The JSONPath subset xAPI Profiles 1.0 allows in Statement Template rules (xAPI Profiles 1.0,
 * Part Two "Statement Template Rules": "Filter and script expressions MUST NOT be used"; legal
 * values in an array or child expression are strings, non-negative integers, `*`, and unions of
 * these with a comma; several paths may be joined with `|`).
 *
 * Grammar: `$` followed by steps: `.name`, `.*`, `['name']` / `["name"]`, `[n]`, `[*]`, and
 * bracket unions such as `['a','b']` or `[0,1]`. Recursive descent (`..`) is not allowed.
 */

type Selector = { kind: 'name'; name: string } | { kind: 'index'; index: number } | { kind: 'wildcard' }
type Step = readonly Selector[]

/** A compiled path: evaluate it on a value to get the values it selects, in document order. */
export interface JsonPath {
  readonly source: string
  evaluate(value: unknown): unknown[]
}

export class JsonPathSyntaxError extends Error {
  constructor(readonly path: string, readonly position: number, reason: string) {
    super(`JSONPath ${JSON.stringify(path)} at ${position}: ${reason}`)
  }
}

/**
 * Compiles a location (one path, or several joined by `|`, as Profiles 1.0 locations may be).
 * @throws JsonPathSyntaxError for anything outside the allowed subset.
 */
export function compileJsonPath(source: string): JsonPath {
  const alternatives = splitTopLevel(source, '|').map((part) => parseOne(part.trim(), source))
  return {
    source,
    evaluate: (value) => alternatives.flatMap((steps) => evaluateSteps(steps, [value])),
  }
}

function evaluateSteps(steps: readonly Step[], start: unknown[]): unknown[] {
  let current = start
  for (const step of steps) current = current.flatMap((node) => step.flatMap((selector) => select(node, selector)))
  return current
}

function select(node: unknown, selector: Selector): unknown[] {
  if (node === null || typeof node !== 'object') return []
  if (selector.kind === 'wildcard') return Array.isArray(node) ? [...node] : Object.values(node)
  if (selector.kind === 'index') return Array.isArray(node) && selector.index < node.length ? [node[selector.index]] : []
  if (Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, selector.name)) return []
  return [(node as Record<string, unknown>)[selector.name]]
}

function parseOne(path: string, whole: string): Step[] {
  if (!path.startsWith('$')) throw new JsonPathSyntaxError(whole, 0, 'must start with $')
  const steps: Step[] = []
  let i = 1
  while (i < path.length) {
    const c = path[i]
    if (c === '.') {
      if (path[i + 1] === '.') throw new JsonPathSyntaxError(whole, i, 'recursive descent (..) is not allowed')
      const match = /^(\*|[A-Za-z_][A-Za-z0-9_-]*)/.exec(path.slice(i + 1))
      if (match === null) throw new JsonPathSyntaxError(whole, i + 1, 'expected a name or * after .')
      steps.push([match[1] === '*' ? { kind: 'wildcard' } : { kind: 'name', name: match[1]! }])
      i += 1 + match[1]!.length
    } else if (c === '[') {
      const end = closingBracket(path, i, whole)
      steps.push(parseBracket(path.slice(i + 1, end), whole, i + 1))
      i = end + 1
    } else {
      throw new JsonPathSyntaxError(whole, i, `unexpected ${JSON.stringify(c)}`)
    }
  }
  return steps
}

function closingBracket(path: string, open: number, whole: string): number {
  let quote: string | undefined
  for (let i = open + 1; i < path.length; i++) {
    const c = path[i]
    if (quote !== undefined) {
      if (c === '\\') i++
      else if (c === quote) quote = undefined
    } else if (c === "'" || c === '"') quote = c
    else if (c === ']') return i
  }
  throw new JsonPathSyntaxError(whole, open, 'unclosed [')
}

function parseBracket(body: string, whole: string, at: number): Step {
  const members = splitTopLevel(body, ',').map((m) => m.trim())
  return members.map((member): Selector => {
    if (member === '*') return { kind: 'wildcard' }
    if (/^\d+$/.test(member)) return { kind: 'index', index: Number(member) }
    const quoted = /^(['"])(.*)\1$/s.exec(member)
    if (quoted !== null) return { kind: 'name', name: quoted[2]!.replace(/\\(.)/g, '$1') }
    if (member.startsWith('?') || member.startsWith('(')) throw new JsonPathSyntaxError(whole, at, 'filter and script expressions MUST NOT be used')
    throw new JsonPathSyntaxError(whole, at, `illegal member ${JSON.stringify(member)} (strings, non-negative integers or *)`)
  })
}

/** Splits on `separator` outside quotes and brackets. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quote: string | undefined
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote !== undefined) {
      if (c === '\\') i++
      else if (c === quote) quote = undefined
    } else if (c === "'" || c === '"') quote = c
    else if (c === '[') depth++
    else if (c === ']') depth--
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i))
      start = i + 1
    }
  }
  parts.push(text.slice(start))
  return parts
}
