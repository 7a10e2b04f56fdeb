import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { validateStatement, validateStatementBatch, XapiError, type XapiVersion } from '@tln/xapi'

/**
 * Property-based fuzzing of the statement validator (issue 7, Security, "Input"): whatever JSON
 * arrives, `validateStatement` returns a validated statement or throws an `XapiError` listing at
 * least one issue with a path and a message (xAPI 1.0.3 Data 2.2: "The LRS MUST reject with 400
 * Bad Request" a statement that breaks a rule); never a TypeError, RangeError or a hang.
 */
const RUNS = 300
const VERSIONS: XapiVersion[] = ['1.0.3', '2.0.0']

const VALID = {
  id: '5f1b9a3e-2c0d-4b7e-9a61-0c3f2f8e7d11',
  actor: { objectType: 'Agent', name: 'Baiq Nurul', mbox: 'mailto:baiq.nurul@paud.example' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
  object: { objectType: 'Activity', id: 'https://tln.example/activities/rpph/1', definition: { name: { id: 'RPPH' } } },
  result: { score: { scaled: 0.8, raw: 80, min: 0, max: 100 }, success: true, duration: 'PT1H' },
  context: { registration: '75dc8c86-41ce-5f65-a717-396f02a06a34', contextActivities: { grouping: [{ id: 'https://tln.example/tier/dasar' }] }, language: 'id-ID' },
  timestamp: '2026-03-01T08:00:00+08:00',
}

/** Either a validated statement or an XapiError with issues; anything else fails the property. */
function validatesOrRejects(run: () => unknown): void {
  try {
    run()
  } catch (error) {
    if (!(error instanceof XapiError)) throw error
    expect(error.issues.length).toBeGreaterThan(0)
    for (const issue of error.issues) expect(typeof issue.message).toBe('string')
  }
}

/** A copy of `value` with the thing at one random path replaced by arbitrary JSON. */
function mutate(value: unknown, path: readonly number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value)
  if (entries.length === 0) return replacement
  const [key, child] = entries[path[0]! % entries.length]!
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as object) }
  ;(copy as Record<string, unknown>)[key] = mutate(child, path.slice(1), replacement)
  return copy
}

const json = fc.jsonValue({ maxDepth: 4 })
const awkward = fc.oneof(json, fc.constantFrom('', '\u0000', 'mailto:', 'http://', '-0', 'NaN', 'P', '9999-99-99T99:99:99Z', '__proto__', 1e308, -0, Number.MAX_SAFE_INTEGER + 2))

describe('the statement validator under fuzzing (xAPI Data 2.2, 2.4)', () => {
  it('never throws anything but an XapiError with issues, for arbitrary JSON', () => {
    fc.assert(
      fc.property(json, fc.constantFrom(...VERSIONS), (input, version) => {
        validatesOrRejects(() => validateStatement(input, { version }))
        validatesOrRejects(() => validateStatementBatch(input, { version }))
      }),
      { numRuns: RUNS },
    )
  })

  it('never throws anything but an XapiError with issues, for a valid statement with one part replaced', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 6 }), awkward, fc.constantFrom(...VERSIONS), (path, replacement, version) => {
        validatesOrRejects(() => validateStatement(mutate(VALID, path, replacement), { version }))
      }),
      { numRuns: RUNS },
    )
  })

  it('never throws anything but an XapiError with issues, for a valid statement with extra properties anywhere', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 6 }), fc.dictionary(fc.string({ maxLength: 12 }), json, { maxKeys: 3 }), fc.constantFrom(...VERSIONS), (path, extra, version) => {
        validatesOrRejects(() => validateStatement(mutate(VALID, path, { ...extra }), { version }))
      }),
      { numRuns: RUNS },
    )
  })

  it('accepts the unmutated statement (so the properties above are not vacuous)', () => {
    for (const version of VERSIONS) expect(validateStatement(VALID, { version }).id).toBe(VALID.id)
  })
})
