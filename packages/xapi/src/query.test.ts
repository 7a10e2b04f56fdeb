import { describe, expect, it } from 'vitest'
import { XapiError, type XapiIssue } from './errors.ts'
import { parseStatementQuery, type StatementQuery } from './query.ts'
import { MAX_ISSUES } from './issue-list.ts'

const UUID = '3f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b'
const AGENT = JSON.stringify({ mbox: 'mailto:siti@tln.example' })

/** The issues of the ERR_XAPI_INVALID_PARAMETER error thrown, or fails. */
function issuesOf(params: Record<string, unknown>, version: '1.0.3' | '2.0.0' = '1.0.3'): XapiIssue[] {
  try {
    parseStatementQuery(params, version)
  } catch (e) {
    expect(e).toBeInstanceOf(XapiError)
    expect((e as XapiError).code).toBe('ERR_XAPI_INVALID_PARAMETER')
    return [...(e as XapiError).issues]
  }
  throw new Error(`expected ${JSON.stringify(params)} to be rejected`)
}
const paths = (params: Record<string, unknown>, version?: '1.0.3' | '2.0.0'): string[] => issuesOf(params, version).map((i) => i.path)
const list = (params: Record<string, unknown>, version: '1.0.3' | '2.0.0' = '1.0.3'): Extract<StatementQuery, { kind: 'query' }> => {
  const q = parseStatementQuery(params, version)
  if (q.kind !== 'query') throw new Error('expected a list query')
  return q
}

describe('parseStatementQuery: single statement (xAPI 1.0.3 Communication 2.1.3)', () => {
  it('returns a single-statement query for statementId, with format and attachments defaults (2.1.3.s1)', () => {
    expect(parseStatementQuery({ statementId: UUID }, '1.0.3')).toEqual({ kind: 'single', statementId: UUID, format: 'exact', attachments: false })
  })

  it('returns a single-statement query for voidedStatementId with format and attachments (2.1.3.s2.b2)', () => {
    expect(parseStatementQuery({ voidedStatementId: UUID.toUpperCase(), format: 'ids', attachments: 'true' }, '2.0.0'))
      .toEqual({ kind: 'single', voidedStatementId: UUID, format: 'ids', attachments: true })
  })

  it('rejects statementId together with voidedStatementId (xAPI 1.0.3 Communication 2.1.3.s2.b1)', () => {
    expect(paths({ statementId: UUID, voidedStatementId: UUID })).toEqual(['voidedStatementId'])
  })

  it('rejects statementId together with a filter parameter (xAPI 1.0.3 Communication 2.1.3.s2.b2)', () => {
    expect(paths({ statementId: UUID, verb: 'http://adlnet.gov/expapi/verbs/completed' })).toEqual(['verb'])
    expect(paths({ voidedStatementId: UUID, limit: '1', ascending: 'true' })).toEqual(['limit', 'ascending'])
  })

  it('rejects a statementId that is not a UUID (xAPI 1.0.3 Data 2.2.s4.b4, 4.4)', () => {
    expect(paths({ statementId: 'not-a-uuid' })).toEqual(['statementId'])
    expect(paths({ voidedStatementId: '' })).toEqual(['voidedStatementId'])
  })
})

describe('parseStatementQuery: filters (xAPI 1.0.3 Communication 2.1.3)', () => {
  it('applies the defaults of the parameter table (2.1.3.s1 table)', () => {
    expect(parseStatementQuery({}, '1.0.3')).toEqual({
      kind: 'query', relatedActivities: false, relatedAgents: false, limit: 500, format: 'exact', attachments: false, ascending: false,
    })
  })

  it('parses every filter', () => {
    expect(list({
      agent: AGENT, verb: 'http://adlnet.gov/expapi/verbs/completed', activity: 'https://tln.example/modules/rpph',
      registration: UUID, related_activities: 'true', related_agents: 'true', since: '2024-03-01T07:00:00+07:00',
      until: '2024-03-02T00:00:00Z', limit: '10', format: 'canonical', attachments: 'false', ascending: 'true',
    })).toEqual({
      kind: 'query', agent: { mbox: 'mailto:siti@tln.example' }, verb: 'http://adlnet.gov/expapi/verbs/completed',
      activity: 'https://tln.example/modules/rpph', registration: UUID, relatedActivities: true, relatedAgents: true,
      since: '2024-03-01T00:00:00.000Z', until: '2024-03-02T00:00:00.000Z', limit: 10, format: 'canonical',
      attachments: false, ascending: true,
    })
  })

  it('rejects an unknown parameter (xAPI 1.0.3 Communication 3.2.s3.b7)', () => {
    expect(issuesOf({ foo: 'bar' })).toMatchObject([{ path: 'foo', rule: 'unknown-parameter' }])
  })

  it('rejects a parameter matching a spec parameter in all but case (xAPI 1.0.3 Communication 3.2.s3.b8)', () => {
    expect(issuesOf({ StatementId: UUID })).toMatchObject([{ path: 'StatementId', rule: 'unknown-parameter' }])
    expect(paths({ relatedAgents: 'true' })).toEqual(['relatedAgents'])
  })

  it('accepts parameters the LRS itself recognises (xAPI 1.0.3 Communication 3.2.s3.b7 note)', () => {
    expect(parseStatementQuery({ cursor: 'abc', limit: '5' }, '1.0.3', { extraParameters: ['cursor'] })).toMatchObject({ kind: 'query', limit: 5 })
  })

  it('rejects a repeated parameter or a non-string value (Communication 2.1.3: each parameter is one value)', () => {
    expect(issuesOf({ verb: ['http://a.example/v', 'http://b.example/v'] })).toMatchObject([{ path: 'verb', rule: 'repeated-parameter' }])
    expect(issuesOf({ agent: { mbox: 'mailto:a@b.c' } })).toMatchObject([{ path: 'agent', rule: 'type' }])
  })

  it('rejects an agent holding an unpaired surrogate escape, which would hash to the key of another (rule unpaired-surrogate; RFC 8259 §8.2)', () => {
    expect(issuesOf({ agent: JSON.stringify({ mbox: 'mailto:a\ud800@b.example' }) })).toMatchObject([{ path: 'agent', rule: 'unpaired-surrogate' }])
    expect(parseStatementQuery({ agent: JSON.stringify({ mbox: 'mailto:a\ud83d\ude00@b.example' }) }, '1.0.3')).toMatchObject({ kind: 'query' })
  })
  it(`lists at most MAX_ISSUES unknown parameters and counts the rest (a million form fields made a 120 MB answer)`, () => {
    const params = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`f${i}`, '1']))
    const issues = issuesOf(params)
    expect(issues).toHaveLength(MAX_ISSUES)
    expect(() => parseStatementQuery(params, '1.0.3')).toThrow(`(and 19999 more; the first ${MAX_ISSUES} are listed)`)
  })
  it('rejects agent that is not JSON (Communication 2.1.3 agent: "Agent or Identified Group Object (JSON)")', () => {
    expect(issuesOf({ agent: 'mailto:siti@tln.example' })).toMatchObject([{ path: 'agent', rule: 'json' }])
  })

  it('rejects agent that is not a valid Agent (xAPI 1.0.3 Data 2.2.s4.b4, 2.4.2.1)', () => {
    expect(paths({ agent: JSON.stringify({ mbox: 'siti@tln.example' }) })).toContain('agent')
    expect(paths({ agent: JSON.stringify({ name: 'no ifi' }) })).toContain('agent')
    expect(paths({ agent: '[]' })).toContain('agent')
    expect(new Set(paths({ agent: JSON.stringify({ mbox: 'mailto:a@b.c', openid: 'https://x' }) }))).toEqual(new Set(['agent']))
  })

  it('accepts an Identified Group as agent and rejects an Anonymous Group (Communication 2.1.3 agent)', () => {
    const group = { objectType: 'Group', openid: 'https://id.example/gugus' }
    expect(list({ agent: JSON.stringify(group) }).agent).toEqual(group)
    expect(paths({ agent: JSON.stringify({ objectType: 'Group', member: [{ mbox: 'mailto:a@b.c' }] }) })).toContain('agent')
  })

  it('rejects verb and activity that are not IRIs (Communication 2.1.3 table rows 4, 5)', () => {
    expect(issuesOf({ verb: 'completed' })).toMatchObject([{ path: 'verb', rule: 'iri' }])
    expect(issuesOf({ activity: '' })).toMatchObject([{ path: 'activity', rule: 'iri' }])
  })

  it('rejects a registration that is not a UUID and lowercases a valid one (Communication 2.1.3 table row 6)', () => {
    expect(issuesOf({ registration: '1234' })).toMatchObject([{ path: 'registration', rule: 'uuid' }])
    expect(list({ registration: UUID.toUpperCase() }).registration).toBe(UUID)
  })

  it('rejects since and until that are not timestamps of the request version (Communication 2.1.3 table rows 9, 10)', () => {
    expect(issuesOf({ since: 'yesterday', until: '2024-02-30T00:00:00Z' })).toMatchObject([{ path: 'since', rule: 'timestamp' }, { path: 'until', rule: 'timestamp' }])
    expect(list({ since: '2024-03-01T00:00Z' }, '1.0.3').since).toBe('2024-03-01T00:00:00.000Z')
    expect(paths({ since: '2024-03-01T00:00Z' }, '2.0.0')).toEqual(['since'])
  })

  it('reads limit 0 as the server maximum and clamps larger limits (Communication 2.1.3 table row 11)', () => {
    expect(list({ limit: '0' }).limit).toBe(500)
    expect(list({ limit: '501' }).limit).toBe(500)
    expect(list({ limit: '99999999999999999999' }).limit).toBe(500)
    expect(list({ limit: '7' }).limit).toBe(7)
    const small = parseStatementQuery({ limit: '0' }, '1.0.3', { maxLimit: 50 })
    expect(small.kind === 'query' && small.limit).toBe(50)
  })

  it('rejects a limit that is not a non-negative integer (Communication 2.1.3 table row 11)', () => {
    for (const limit of ['-1', '1.5', '', 'ten', '+3', ' 3']) expect(issuesOf({ limit })).toMatchObject([{ path: 'limit', rule: 'non-negative-integer' }])
  })

  it('rejects booleans other than exactly true or false (Communication 2.1.3 table note)', () => {
    for (const name of ['related_activities', 'related_agents', 'attachments', 'ascending']) {
      for (const value of ['TRUE', '1', 'yes', '']) expect(issuesOf({ [name]: value })).toMatchObject([{ path: name, rule: 'boolean' }])
    }
  })

  it('rejects a format other than ids, exact or canonical (Communication 2.1.3 table row 12)', () => {
    expect(issuesOf({ format: 'Exact' })).toMatchObject([{ path: 'format', rule: 'enum' }])
    expect(issuesOf({ statementId: UUID, format: 'full' })).toMatchObject([{ path: 'format', rule: 'enum' }])
  })

  it('reports every broken rule at once', () => {
    expect(paths({ verb: 'x', limit: '-1', foo: '1', ascending: 'no' })).toEqual(['foo', 'ascending', 'verb', 'limit'])
  })

  it('rejects a maxLimit that is not a positive integer as a programming error', () => {
    expect(() => parseStatementQuery({}, '1.0.3', { maxLimit: 0 })).toThrow(TypeError)
  })
})
