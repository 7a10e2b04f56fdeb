import { describe, it } from 'vitest'
import { expectIssue, expectValid, statement } from '../test/statement-builders.ts'

const activity = (definition: Record<string, unknown>) => statement({ object: { id: 'http://example.com/q1', definition } })
const component = (id: unknown) => ({ id, description: { 'en-US': String(id) } })

describe('Activity (xAPI 1.0.3 Data 2.4.4.1)', () => {
  it('treats an object without objectType as an Activity (xAPI 1.0.3 Data 2.4.4.s2)', () => {
    expectIssue(statement({ object: { definition: {} } }), 'object.id', 'required')
  })
  it('rejects an Activity id that is not an IRI (xAPI 1.0.3 Data 2.4.4.1)', () => {
    expectIssue(statement({ object: { id: 'ab=c://should.fail.com' } }), 'object.id', 'iri')
  })
  it('rejects a definition that is not an object (xAPI 1.0.3 Data 2.4.4.1)', () => {
    expectIssue(activity('should error' as never), 'object.definition', 'type')
  })
  it('rejects an activity type that is not an IRI (xAPI 1.0.3 Data 2.4.4.1)', () => {
    expectIssue(activity({ type: 'should error' }), 'object.definition.type', 'iri')
  })
  it('rejects a moreInfo that is not an IRL (xAPI 1.0.3 Data 2.4.4.1)', () => {
    expectIssue(activity({ moreInfo: 'should error' }), 'object.definition.moreInfo', 'irl')
  })
  it('rejects U+0000 anywhere in a definition, naming its path: the canonical definition is kept where it cannot be stored (xAPI 1.0.3 Communication 2.5)', () => {
    expectIssue(activity({ name: { 'en-US': 'Q\u00001' } }), 'object.definition.name["en-US"]', 'no-nul-in-definition')
    expectIssue(activity({ extensions: { 'http://example.com/x': { a: ['ok', 'n\u0000'] } } }), 'object.definition.extensions["http://example.com/x"].a[1]', 'no-nul-in-definition')
    expectIssue(activity({ extensions: { 'http://example.com/x': { 'k\u0000': 1 } } }), 'object.definition.extensions["http://example.com/x"]["k\\u0000"]', 'no-nul-in-definition')
    expectValid(statement({ object: { id: 'http://example.com/q1', definition: { name: { en: 'Q1' } } }, result: { response: 'a\u0000b' } }))
  })
  it('rejects an empty name language map (xAPI 1.0.3 Data 4.2)', () => {
    expectIssue(activity({ name: {} }), 'object.definition.name', 'language-map-empty')
  })
  it('rejects a language map keyed by an invalid language tag (xAPI 1.0.3 Data 4.2)', () => {
    expectIssue(activity({ description: { a12345: 'should error' } }), 'object.definition.description.a12345', 'language-tag')
  })
  it('rejects a language map value that is not a string (xAPI 1.0.3 Data 4.2)', () => {
    expectIssue(activity({ name: { en: 1 } }), 'object.definition.name.en', 'type')
  })
  it('rejects extension keys that are not IRIs (xAPI 1.0.3 Data 4.1.s3.b1)', () => {
    expectIssue(activity({ extensions: { id: 'valid' } }), 'object.definition.extensions.id', 'iri')
  })
  it('accepts any extension value, null included (xAPI 1.0.3 Data 4.1.s3.b2, 2.2.s4.b1.b1)', () => {
    expectValid(activity({ extensions: { 'http://example.com/ext': null, 'http://example.com/obj': { a: [1, null] } } }))
  })
  it('rejects an objectType in the wrong case (xAPI 1.0.3 Data 2.2.s4.b1.b6)', () => {
    expectIssue(statement({ object: { objectType: 'activity', id: 'http://example.com/a' } }), 'object.objectType', 'object-type')
  })
  it('rejects an unknown definition property (xAPI 1.0.3 Data 2.2.s4.b1.b7)', () => {
    expectIssue(activity({ title: { en: 'x' } }), 'object.definition.title', 'unknown-property')
  })
})

describe('Interaction Activities (xAPI 1.0.3 Data 2.4.4.1.s8-s16)', () => {
  it('rejects an interactionType outside the enumeration (xAPI 1.0.3 Data 2.4.4.1.s13.b1)', () => {
    expectIssue(activity({ interactionType: 'Choice' }), 'object.definition.interactionType', 'interaction-type')
  })
  it('rejects interaction properties without interactionType (xAPI 1.0.3 Data 2.4.4.1.s13.b1)', () => {
    expectIssue(activity({ choices: [component('a')] }), 'object.definition.interactionType', 'required')
  })
  it('rejects a correctResponsesPattern element that is not a string (xAPI 1.0.3 Data 2.4.4.1.s8)', () => {
    expectIssue(activity({ interactionType: 'numeric', correctResponsesPattern: [4] }), 'object.definition.correctResponsesPattern[0]', 'type')
  })
  it('accepts an empty correctResponsesPattern, meaning no answer is correct (xAPI 1.0.3 Data 2.4.4.1.s11)', () => {
    expectValid(activity({ interactionType: 'true-false', correctResponsesPattern: [] }))
  })
  it('rejects duplicate interaction component ids (xAPI 1.0.3 Data 2.4.4.1.s16.b1)', () => {
    expectIssue(activity({ interactionType: 'choice', choices: [component('a'), component('a')] }), 'object.definition.choices[1].id', 'interaction-component-id-unique')
  })
  it('rejects a component list that the interactionType does not support (xAPI 1.0.3 Data 2.4.4.1.s15)', () => {
    expectIssue(activity({ interactionType: 'likert', choices: [component('a')] }), 'object.definition.choices', 'interaction-component-list')
  })
  it('rejects an interaction component without id (xAPI 1.0.3 Data 2.4.4.1.s15)', () => {
    expectIssue(activity({ interactionType: 'sequencing', choices: [{ description: { en: 'x' } }] }), 'object.definition.choices[0].id', 'required')
  })
  it('rejects an unknown interaction component property (xAPI 1.0.3 Data 2.2.s4.b1.b7)', () => {
    expectIssue(activity({ interactionType: 'matching', source: [{ id: 'a', name: { en: 'x' } }] }), 'object.definition.source[0].name', 'unknown-property')
  })
  it('allows the same id in different lists (xAPI 1.0.3 Data 2.4.4.1.s16.b1: distinct within an array)', () => {
    expectValid(activity({ interactionType: 'matching', source: [component('1')], target: [component('1')] }))
  })
})
