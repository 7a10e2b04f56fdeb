import { describe, expect, it } from 'vitest'
import type { XapiError } from './errors.ts'
import { MAX_ISSUES } from './issue-list.ts'
import { validateStatementBatch } from './validate-statement-batch.ts'
import { issuesOf, statement } from '../test/statement-builders.ts'

describe('validateStatementBatch (xAPI 1.0.3 Communication 2.1.2 POST Statements)', () => {
  it('accepts a single statement object and returns an array of one', () => {
    expect(validateStatementBatch(statement(), { version: '1.0.3' })).toHaveLength(1)
  })
  it('accepts an array of statements', () => {
    expect(validateStatementBatch([statement(), statement({ id: undefined })], { version: '2.0.0' })).toHaveLength(2)
  })
  it('accepts an empty array and returns no statements', () => {
    expect(validateStatementBatch([], { version: '1.0.3' })).toEqual([])
  })
  it('prefixes issue paths with the index and reports every bad statement (all-or-nothing)', () => {
    const issues = issuesOf([statement(), statement({ verb: { id: 'x' } }), 7], '1.0.3', validateStatementBatch)
    expect(issues.map((i) => [i.path, i.rule])).toEqual([['[1].verb.id', 'iri'], ['[2]', 'type']])
  })
  it(`lists at most MAX_ISSUES issues and stops walking a huge broken batch (three million {} held 4 GB and the server)`, () => {
    const batch = Array.from({ length: 300_000 }, () => ({}))
    let error: XapiError | undefined
    try {
      validateStatementBatch(batch, { version: '1.0.3' })
    } catch (e) {
      error = e as XapiError
    }
    expect(error?.code).toBe('ERR_XAPI_INVALID_STATEMENT')
    expect(error?.issues).toHaveLength(MAX_ISSUES)
    expect(error?.issues[0]).toMatchObject({ path: '[0].actor', rule: 'required' })
    expect(error?.message).toContain(`the first ${MAX_ISSUES} are listed; validation stopped there`)
  })
  it('reports a lone invalid statement without an index prefix', () => {
    expect(issuesOf(statement({ verb: { id: 'x' } }), '1.0.3', validateStatementBatch)[0]?.path).toBe('verb.id')
  })
})
