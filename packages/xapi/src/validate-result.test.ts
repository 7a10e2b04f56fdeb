import { describe, expect, it } from 'vitest'
import { expectIssue, expectValid, issuesOf, statement } from '../test/statement-builders.ts'

const withResult = (result: Record<string, unknown>) => statement({ result })
const withScore = (score: Record<string, unknown>) => withResult({ score })

describe('Result (xAPI 1.0.3 Data 2.4.5)', () => {
  it('accepts every Result property', () => {
    expectValid(withResult({ score: { scaled: 0.5, raw: 5, min: 0, max: 10 }, success: true, completion: false, response: 'golf', duration: 'PT0.5S', extensions: { 'http://example.com/x': 1 } }))
  })
  it('rejects a success that is a string, even "true" (xAPI 1.0.3 Data 2.2.s4.b1.b3)', () => {
    expectIssue(withResult({ success: 'true' }), 'result.success', 'type')
  })
  it('rejects a completion that is not a boolean (xAPI 1.0.3 Data 2.4.5)', () => {
    expectIssue(withResult({ completion: 1 }), 'result.completion', 'type')
  })
  it('rejects a response that is not a string (xAPI 1.0.3 Data 2.4.5)', () => {
    expectIssue(withResult({ response: 42 }), 'result.response', 'type')
  })
  it('rejects a duration that is not an ISO 8601 duration (xAPI 1.0.3 Data 4.6)', () => {
    expectIssue(withResult({ duration: 'P4W1D' }), 'result.duration', 'duration')
  })
  it('rejects a score that overflows a double, naming why (1e400 parses to Infinity; RFC 8259 §6)', () => {
    const issues = issuesOf(JSON.parse(JSON.stringify(withScore({ raw: 0 })).replace('"raw":0', '"raw":1e400')))
    expect(issues).toMatchObject([{ path: 'result.score.raw', rule: 'type', message: expect.stringContaining('finite number') }])
  })
  it('rejects a score number given as a string (xAPI 1.0.3 Data 2.2.s4.b1.b2)', () => {
    expectIssue(withScore({ raw: '5' }), 'result.score.raw', 'type')
  })
  it('rejects a scaled score outside -1..1 (xAPI 1.0.3 Data 2.4.5.1)', () => {
    expectIssue(withScore({ scaled: 1.01 }), 'result.score.scaled', 'score-scaled-range')
  })
  it('rejects min not less than max (xAPI 1.0.3 Data 2.4.5.1)', () => {
    expectIssue(withScore({ min: 10, max: 10 }), 'result.score.min', 'score-min-max')
  })
  it('rejects raw below min (xAPI 1.0.3 Data 2.4.5.1)', () => {
    expectIssue(withScore({ raw: -1, min: 0 }), 'result.score.raw', 'score-raw-range')
  })
  it('rejects raw above max (xAPI 1.0.3 Data 2.4.5.1)', () => {
    expectIssue(withScore({ raw: 11, max: 10 }), 'result.score.raw', 'score-raw-range')
  })
  it('accepts raw equal to min or max (inclusive, xAPI 1.0.3 Data 2.4.5.1)', () => {
    expectValid(withScore({ raw: 0, min: 0, max: 10 }))
    expectValid(withScore({ raw: 10, min: 0, max: 10 }))
  })
  it('rejects an unknown score property (xAPI 1.0.3 Data 2.2.s4.b1.b7)', () => {
    expectIssue(withScore({ percent: 50 }), 'result.score.percent', 'unknown-property')
  })
})
