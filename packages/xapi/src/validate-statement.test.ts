import { describe, expect, it } from 'vitest'
import { XapiError } from './errors.ts'
import { validateStatement } from './validate-statement.ts'
import { expectIssue, expectValid, issuesOf, statement } from '../test/statement-builders.ts'

const { actor, verb, object } = statement()

describe('Statement (xAPI 1.0.3 Data 2.2, 2.4)', () => {
  it('accepts the minimal statement under both versions', () => {
    expectValid(statement(), '1.0.3')
    expectValid(statement(), '2.0.0')
  })
  it.each(['actor', 'verb', 'object'])('rejects a statement without %s (xAPI 1.0.3 Data 2.2.s2.b3)', (key) => {
    expectIssue(statement({ [key]: undefined }), key, 'required')
  })
  it('rejects a verb without id (xAPI 1.0.3 Data 2.4.3)', () => {
    expectIssue(statement({ verb: { display: { en: 'did' } } }), 'verb.id', 'required')
  })
  it('rejects a verb display that is not a language map (xAPI 1.0.3 Data 2.4.3)', () => {
    expectIssue(statement({ verb: { id: verb.id, display: 'attempted' } }), 'verb.display', 'type')
  })
  it('rejects an id that is not a UUID (xAPI 1.0.3 Data 2.4.1)', () => {
    expectIssue(statement({ id: 'MA97B177-9383-4934-8543-0F91A7A02836' }), 'id', 'uuid')
  })
  it('rejects an unknown top-level property (xAPI 1.0.3 Data 2.2.s4.b1.b7)', () => {
    expectIssue(statement({ actors: [actor] }), 'actors', 'unknown-property')
  })
  it('rejects a property whose key differs in case (xAPI 1.0.3 Data 2.2.s4.b1.b5)', () => {
    expectIssue({ Actor: actor, verb, object }, 'Actor', 'unknown-property')
  })
  it('rejects null values outside extensions (xAPI 1.0.3 Data 2.2.s4.b1.b1)', () => {
    expectIssue(statement({ result: null }), 'result', 'not-null')
    expectIssue(statement({ actor: { ...actor, name: null } }), 'actor.name', 'not-null')
  })
  it('rejects a statement that is not an object (xAPI 1.0.3 Data 2.4)', () => {
    expectIssue([statement()], '$', 'type')
    expectIssue(null, '$', 'not-null')
  })
  it('rejects an object whose objectType is not one of the five (xAPI 1.0.3 Data 2.4.4.s2)', () => {
    expectIssue(statement({ object: { objectType: 'Statement', id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0' } }), 'object.objectType', 'object-type')
  })
  it('rejects a StatementRef whose id is not a UUID (xAPI 1.0.3 Data 2.4.4.3)', () => {
    expectIssue(statement({ object: { objectType: 'StatementRef', id: 'http://example.com/s/1' } }), 'object.id', 'uuid')
  })
  it('rejects the voided verb on an object that is not a StatementRef, under both versions, but not in a SubStatement (xAPI 1.0.3 Data 2.3.2.s2.b1)', () => {
    const voided = { id: 'http://adlnet.gov/expapi/verbs/voided' }
    expectIssue(statement({ verb: voided }), 'object.objectType', 'voiding-object')
    expectIssue(statement({ verb: voided, object: { objectType: 'Agent', mbox: 'mailto:ben@example.com' } }), 'object.objectType', 'voiding-object')
    expectIssue(statement({ verb: voided }), 'object.objectType', 'voiding-object', '2.0.0')
    expectValid(statement({ verb: voided, object: { objectType: 'StatementRef', id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0' } }), '1.0.3')
    expectValid(statement({ object: { objectType: 'SubStatement', actor, verb: voided, object } }), '1.0.3')
  })
  it('rejects an Agent object with an invalid inverse functional identifier (xAPI 1.0.3 Data 2.4.4.2)', () => {
    expectIssue(statement({ object: { objectType: 'Agent', mbox: 'ben' } }), 'object.mbox', 'mailto-iri')
  })
  it('lists every violation, not just the first, and summarises them in the message (xAPI 1.0.3 Data 2.2)', () => {
    const input = { id: 'x', actor: { mbox: 'bad' }, verb: { id: 'bad' }, object: { id: 'bad' } }
    let error: unknown
    try {
      validateStatement(input, { version: '1.0.3' })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(XapiError)
    const { code, issues, message } = error as XapiError
    expect(code).toBe('ERR_XAPI_INVALID_STATEMENT')
    expect(issues.map((i) => [i.path, i.rule])).toEqual([
      ['id', 'uuid'], ['actor.mbox', 'mailto-iri'], ['verb.id', 'iri'], ['object.id', 'iri'],
    ])
    expect(message).toContain(issues[0]?.message)
    expect(message).toContain('3 more issues')
  })
  it('names the field, the rule and the spec section in each issue message', () => {
    const [issue] = issuesOf(statement({ actor: { mbox: 'a@example.com' } }))
    expect(issue?.message).toBe('actor.mbox must be a mailto IRI ("mailto:email address") (xAPI 1.0.3 Data 2.4.2.3)')
  })
})

describe('timestamp and stored (xAPI 1.0.3 Data 2.4.7, 2.4.8, 4.5)', () => {
  it('rejects a timestamp that is not ISO 8601 (xAPI 1.0.3 Data 4.5.s1.b1)', () => {
    expectIssue(statement({ timestamp: '01/011/2015' }), 'timestamp', 'timestamp')
  })
  it('rejects a negative zero offset under both versions (xAPI 1.0.3 Data 4.5; RFC 3339 4.3)', () => {
    expectIssue(statement({ timestamp: '2008-09-15T15:53:00.601-00:00' }), 'timestamp', 'timestamp-offset', '1.0.3')
    expectIssue(statement({ timestamp: '2008-09-15T15:53:00.601-0000' }), 'timestamp', 'timestamp-offset', '2.0.0')
  })
  it('accepts a timestamp without offset under 1.0.3 only (xAPI 1.0.3 Data 4.5.s1.b4 SHOULD*; 2.0.0 Data 4.5)', () => {
    expectValid(statement({ timestamp: '2015-11-18T12:17:00' }), '1.0.3')
    expectIssue(statement({ timestamp: '2015-11-18T12:17:00' }), 'timestamp', 'timestamp', '2.0.0')
  })
  it('normalises timestamp and stored to UTC under 2.0.0, keeping precision (xAPI 2.0.0 Data 4.5)', () => {
    const result = validateStatement(statement({ timestamp: '2008-09-15 15:53:00.60123+07:00', stored: '2008-09-15T08:53:00.601Z' }), { version: '2.0.0' })
    expect(result.timestamp).toBe('2008-09-15T08:53:00.60123Z')
    expect(result.stored).toBe('2008-09-15T08:53:00.601Z')
  })
  it('keeps the timestamp as sent under 1.0.3 (xAPI 1.0.3 Data 2.3.1.b4 makes conversion optional)', () => {
    expect(validateStatement(statement({ timestamp: '2015-11-18T12:17:00+07:00' }), { version: '1.0.3' }).timestamp).toBe('2015-11-18T12:17:00+07:00')
  })
  it('rejects a stored value that is not a timestamp (xAPI 1.0.3 Data 2.4.8.s3.b2)', () => {
    expectIssue(statement({ stored: 'now' }), 'stored', 'timestamp')
  })
  it('rejects a timestamp in year 0000 UTC, which PostgreSQL cannot hold (rule timestamp-range; xAPI 1.0.3 Data 4.5)', () => {
    expectIssue(statement({ timestamp: '0000-01-01T00:00:00Z' }), 'timestamp', 'timestamp-range', '1.0.3')
    expectIssue(statement({ timestamp: '0001-01-01T05:00:00+07:00' }), 'timestamp', 'timestamp-range', '2.0.0')
    expectValid(statement({ timestamp: '0001-01-01T00:00:00Z' }), '2.0.0')
  })
})

describe('version (xAPI 1.0.3 Data 2.4.10; 2.0.0 Data 2.4.10)', () => {
  it.each(['1.0', '1.0.0', '1.0.3', '1.0.9'])('accepts %s under 1.0.3', (version) => expectValid(statement({ version }), '1.0.3'))
  it.each(['0.9.9', '1.1.0', '2.0.0', 'should fail'])('rejects %s under 1.0.3 (xAPI 1.0.3 Data 2.4.10.s3.b2)', (version) => {
    expectIssue(statement({ version }), 'version', 'version', '1.0.3')
  })
  it.each(['1.0.0', '2.0', '2.0.0'])('accepts %s under 2.0.0', (version) => expectValid(statement({ version }), '2.0.0'))
  it.each(['3.0.0', '2.1.0', '2'])('rejects %s under 2.0.0 (xAPI 2.0.0 Data 2.4.10)', (version) => {
    expectIssue(statement({ version }), 'version', 'version', '2.0.0')
  })
})

describe('SubStatement (xAPI 1.0.3 Data 2.4.4.3)', () => {
  const sub = (props: Record<string, unknown>) => statement({ object: { objectType: 'SubStatement', actor, verb, object, ...props } })
  it('accepts a SubStatement with result, context, timestamp', () => {
    expectValid(sub({ result: { success: true }, context: { platform: 'Moodle' }, timestamp: '2030-01-01T00:00:00Z' }))
  })
  it.each(['id', 'stored', 'version', 'authority'])('rejects a SubStatement with %s (xAPI 1.0.3 Data 2.4.4.3.s8.b3)', (key) => {
    expectIssue(sub({ [key]: '1.0.0' }), `object.${key}`, 'substatement-forbidden-property')
  })
  it('rejects a nested SubStatement (xAPI 1.0.3 Data 2.4.4.3.s8.b4)', () => {
    expectIssue(sub({ object: { objectType: 'SubStatement', actor, verb, object } }), 'object.object', 'substatement-nested')
  })
  it('validates a SubStatement as a Statement (xAPI 1.0.3 Data 2.4.4.3.s8.b2)', () => {
    expectIssue(sub({ verb: { id: 'planned' } }), 'object.verb.id', 'iri')
    expectIssue(sub({ actor: undefined }), 'object.actor', 'required')
  })
  it('normalises the contextActivities of a SubStatement to arrays (xAPI 1.0.3 Data 2.4.6.2.s4.b3)', () => {
    const result = validateStatement(sub({ context: { contextActivities: { parent: { id: 'http://example.com/p' } } } }), { version: '1.0.3' })
    expect(result.object).toMatchObject({ context: { contextActivities: { parent: [{ id: 'http://example.com/p' }] } } })
  })
})

describe('the returned copy', () => {
  it('is a deep copy equal to the input apart from documented normalisations', () => {
    const input = statement({ result: { extensions: { 'http://example.com/x': { deep: [1, 2] } } } })
    const result = validateStatement(input, { version: '1.0.3' })
    expect(result).toEqual(input)
    expect(result).not.toBe(input)
    expect(result.result?.extensions).not.toBe(input.result.extensions)
  })
  it('lowercases the statement id, which UUID comparison treats as case-insensitive (RFC 4122 3)', () => {
    expect(validateStatement(statement({ id: 'FD41C918-B88B-4B20-A0A5-A4C32391AAA0' }), { version: '1.0.3' }).id).toBe('fd41c918-b88b-4b20-a0a5-a4c32391aaa0')
  })
  it('does not add objectType or any other property', () => {
    expect(Object.keys(validateStatement(statement(), { version: '2.0.0' }).object)).toEqual(['id'])
  })
})
