/** Robustness: arbitrary JSON never makes the validator throw anything but an XapiError. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { XapiError } from '../src/errors.ts'
import { validateAgentParameter } from '../src/validate-actor.ts'
import { validateStatementBatch } from '../src/validate-statement-batch.ts'
import { validateStatement } from '../src/validate-statement.ts'
import { statement } from './statement-builders.ts'

const versions = fc.constantFrom('1.0.3' as const, '2.0.0' as const)

function onlyXapiErrors(run: () => unknown): boolean {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(XapiError)
  }
  return true
}

/** Statement-shaped JSON: real property names with random values, so deep validators run too. */
const statementLike = fc.record(
  {
    id: fc.oneof(fc.uuid(), fc.jsonValue()),
    actor: fc.oneof(fc.constant(statement().actor), fc.record({ objectType: fc.constantFrom('Agent', 'Group'), mbox: fc.jsonValue(), member: fc.jsonValue() }, { requiredKeys: [] })),
    verb: fc.record({ id: fc.oneof(fc.webUrl(), fc.jsonValue()), display: fc.jsonValue() }, { requiredKeys: [] }),
    object: fc.oneof(
      fc.record({ objectType: fc.constantFrom('Activity', 'Agent', 'Group', 'StatementRef', 'SubStatement'), id: fc.jsonValue(), definition: fc.jsonValue(), actor: fc.jsonValue(), verb: fc.jsonValue(), object: fc.jsonValue() }, { requiredKeys: [] }),
      fc.jsonValue(),
    ),
    result: fc.jsonValue(),
    context: fc.oneof(fc.record({ contextActivities: fc.jsonValue(), contextAgents: fc.jsonValue(), instructor: fc.jsonValue(), extensions: fc.jsonValue() }, { requiredKeys: [] }), fc.jsonValue()),
    timestamp: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string()),
    attachments: fc.jsonValue(),
    authority: fc.jsonValue(),
  },
  { requiredKeys: [] },
)

describe('validator robustness (fast-check)', () => {
  it('throws only XapiError for random JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), versions, (value, version) =>
      onlyXapiErrors(() => validateStatement(value, { version })) &&
      onlyXapiErrors(() => validateStatementBatch(value, { version })) &&
      onlyXapiErrors(() => validateAgentParameter(value, { version }))), { numRuns: 300 })
  })
  it('throws only XapiError for random statement-shaped JSON', () => {
    fc.assert(fc.property(statementLike, versions, (value, version) => onlyXapiErrors(() => validateStatement(value, { version }))), { numRuns: 500 })
  })
  it('returns a copy that validates again (idempotent normalisation)', () => {
    fc.assert(fc.property(statementLike, versions, (value, version) => {
      let first
      try {
        first = validateStatement(value, { version })
      } catch {
        return true
      }
      expect(validateStatement(first, { version })).toEqual(first)
      return true
    }), { numRuns: 300 })
  })
})
