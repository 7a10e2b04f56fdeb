/** Test helpers for the statement validator: a minimal valid statement and issue extraction. */
import { expect } from 'vitest'
import { XapiError, type XapiIssue } from '../src/errors.ts'
import type { XapiVersion } from '../src/types.ts'
import { validateStatement } from '../src/validate-statement.ts'

export type Json = Record<string, any>

/** A fresh minimal valid statement (xAPI 1.0.3 Data 2.4.s2, the simplest example). */
export function statement(overrides: Json = {}): Json {
  return {
    id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0',
    actor: { objectType: 'Agent', mbox: 'mailto:learner@example.com' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/attempted', display: { 'en-US': 'attempted' } },
    object: { id: 'http://example.com/activities/lesson-plan' },
    ...overrides,
  }
}

/** The issues `validateStatement` throws for `input`; fails the test if it does not throw an XapiError. */
export function issuesOf(
  input: unknown,
  version: XapiVersion = '1.0.3',
  validate: (input: unknown, options: { version: XapiVersion }) => unknown = validateStatement,
): readonly XapiIssue[] {
  try {
    validate(input, { version })
  } catch (error) {
    expect(error).toBeInstanceOf(XapiError)
    const xapiError = error as XapiError
    expect(xapiError.code).toBe('ERR_XAPI_INVALID_STATEMENT')
    return xapiError.issues
  }
  expect.fail('expected validation to fail')
}

/** Asserts that validating `input` reports an issue with exactly this `path` and `rule`. */
export function expectIssue(input: unknown, path: string, rule: string, version: XapiVersion = '1.0.3'): void {
  expect(issuesOf(input, version)).toContainEqual(expect.objectContaining({ path, rule }))
}

/** Asserts that `input` passes validation under `version`. */
export function expectValid(input: unknown, version: XapiVersion = '1.0.3'): void {
  expect(() => validateStatement(input, { version })).not.toThrow()
}
