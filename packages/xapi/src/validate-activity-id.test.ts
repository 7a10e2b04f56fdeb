import { describe, expect, it } from 'vitest'
import { XapiError } from './errors.ts'
import { validateActivityId } from './validate-activity-id.ts'

describe('validateActivityId (xAPI 1.0.3 Data 2.2.s4.b4, 2.4.4.1)', () => {
  it('returns an IRI activity id unchanged', () => {
    expect(validateActivityId('http://example.com/q1', { version: '1.0.3' })).toBe('http://example.com/q1')
  })
  it('rejects an activity id without a scheme (xAPI 1.0.3 Data 2.2.s4.b1.b8)', () => {
    let error: unknown
    try {
      validateActivityId('q1', { version: '2.0.0' })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(XapiError)
    expect((error as XapiError).code).toBe('ERR_XAPI_INVALID_PARAMETER')
    expect((error as XapiError).issues).toEqual([expect.objectContaining({ path: 'activityId', rule: 'iri' })])
  })
})
