import { describe, expect, it } from 'vitest'
import { validateStatement } from './validate-statement.ts'
import { expectIssue, expectValid, statement } from '../test/statement-builders.ts'

const withContext = (context: Record<string, unknown>, overrides: Record<string, unknown> = {}) => statement({ context, ...overrides })
const agentObject = { object: { objectType: 'Agent', mbox: 'mailto:ben@example.com' } }
const activity = { id: 'http://example.com/courses/algebra-1' }
const mentor = { objectType: 'Agent', mbox: 'mailto:mentor@example.com' }
const team = { objectType: 'Group', mbox: 'mailto:team@example.com' }

describe('Context (xAPI 1.0.3 Data 2.4.6)', () => {
  it('rejects a registration that is not a UUID (xAPI 1.0.3 Data 2.4.6)', () => {
    expectIssue(withContext({ registration: 'AA97B177-9383-4934-8543-0F91A7A028368' }), 'context.registration', 'uuid')
  })
  it('accepts an instructor that is an Agent or a Group (xAPI 1.0.3 Data 2.4.6)', () => {
    expectValid(withContext({ instructor: mentor }))
    expectValid(withContext({ instructor: team }))
  })
  it('rejects an invalid instructor with its path (xAPI 1.0.3 Data 2.4.6)', () => {
    expectIssue(withContext({ instructor: { mbox: 'mentor@example.com' } }), 'context.instructor.mbox', 'mailto-iri')
  })
  it('rejects a team that is not a Group (xAPI 1.0.3 Data 2.4.6)', () => {
    expectIssue(withContext({ team: mentor }), 'context.team', 'must-be-group')
  })
  it('rejects revision when the object is not an Activity (xAPI 1.0.3 Data 2.4.6.s4.b1)', () => {
    expectIssue(withContext({ revision: 'v2' }, agentObject), 'context.revision', 'activity-object-only')
  })
  it('rejects platform when the object is not an Activity (xAPI 1.0.3 Data 2.4.6.s4.b2)', () => {
    expectIssue(withContext({ platform: 'Moodle' }, agentObject), 'context.platform', 'activity-object-only')
  })
  it('accepts revision and platform when the object is an Activity (xAPI 1.0.3 Data 2.4.6)', () => {
    expectValid(withContext({ revision: 'v2', platform: 'Moodle' }))
  })
  it('rejects a language that is not an RFC 5646 tag (xAPI 1.0.3 Data 2.4.6)', () => {
    expectIssue(withContext({ language: 'english_us' }), 'context.language', 'language-tag')
  })
  it('rejects a context statement that is not a StatementRef (xAPI 1.0.3 Data 2.4.6)', () => {
    expectIssue(withContext({ statement: { id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0' } }), 'context.statement.objectType', 'required')
    expectIssue(withContext({ statement: { objectType: 'StatementRef', id: 'nope' } }), 'context.statement.id', 'uuid')
  })
  it('rejects context extension keys that are not IRIs (xAPI 1.0.3 Data 4.1.s3.b1)', () => {
    expectIssue(withContext({ extensions: { altitude: 1000 } }), 'context.extensions.altitude', 'iri')
  })
})

describe('contextActivities (xAPI 1.0.3 Data 2.4.6.2)', () => {
  it('rejects a key other than parent, grouping, category, other (xAPI 1.0.3 Data 2.4.6.2.s4.b1)', () => {
    expectIssue(withContext({ contextActivities: { sibling: [activity] } }), 'context.contextActivities.sibling', 'unknown-property')
  })
  it('rejects an invalid Activity with its array path (xAPI 1.0.3 Data 2.4.6.2.s4.b2)', () => {
    expectIssue(withContext({ contextActivities: { parent: [activity, { id: 'not an iri' }] } }), 'context.contextActivities.parent[1].id', 'iri')
  })
  it('returns a single Activity as an array of one (xAPI 1.0.3 Data 2.4.6.2.s4.b3-b4)', () => {
    const result = validateStatement(withContext({ contextActivities: { grouping: activity, other: [activity] } }), { version: '1.0.3' })
    expect(result.context?.contextActivities).toEqual({ grouping: [activity], other: [activity] })
  })
})

describe('contextAgents and contextGroups (xAPI 2.0.0 Data 2.4.6)', () => {
  const contextAgent = { objectType: 'contextAgent', agent: mentor, relevantTypes: ['https://example.com/roles/mentor'] }
  const contextGroup = { objectType: 'contextGroup', group: team }
  it('accepts contextAgents and contextGroups under 2.0.0', () => {
    expectValid(withContext({ contextAgents: [contextAgent], contextGroups: [contextGroup] }), '2.0.0')
  })
  it('rejects contextAgents under 1.0.3 as an unknown property (xAPI 1.0.3 Data 2.2.s4.b1.b7)', () => {
    expectIssue(withContext({ contextAgents: [contextAgent] }), 'context.contextAgents', 'unknown-property')
  })
  it('rejects a contextAgent whose objectType is not "contextAgent" (xAPI 2.0.0 Data 2.4.6)', () => {
    expectIssue(withContext({ contextAgents: [{ ...contextAgent, objectType: 'Should fail' }] }), 'context.contextAgents[0].objectType', 'object-type', '2.0.0')
  })
  it('rejects a contextAgent without objectType (xAPI 2.0.0 Data 2.4.6)', () => {
    expectIssue(withContext({ contextAgents: [{ agent: mentor }] }), 'context.contextAgents[0].objectType', 'required', '2.0.0')
  })
  it('rejects a contextAgent with an invalid agent (xAPI 2.0.0 Data 2.4.6)', () => {
    expectIssue(withContext({ contextAgents: [{ objectType: 'contextAgent', agent: { key: 'Should fail' } }] }), 'context.contextAgents[0].agent.key', 'unknown-property', '2.0.0')
  })
  it('rejects a contextAgent whose agent is a Group (xAPI 2.0.0 Data 2.4.6)', () => {
    expectIssue(withContext({ contextAgents: [{ objectType: 'contextAgent', agent: team }] }), 'context.contextAgents[0].agent', 'must-be-agent', '2.0.0')
  })
  it('rejects empty relevantTypes (xAPI 2.0.0 Data 2.4.6)', () => {
    expectIssue(withContext({ contextAgents: [{ ...contextAgent, relevantTypes: [] }] }), 'context.contextAgents[0].relevantTypes', 'relevant-types-empty', '2.0.0')
  })
  it('rejects relevantTypes holding a non-IRI (xAPI 2.0.0 Data 2.4.6)', () => {
    expectIssue(withContext({ contextAgents: [{ ...contextAgent, relevantTypes: ['abc'] }] }), 'context.contextAgents[0].relevantTypes[0]', 'iri', '2.0.0')
  })
  it('rejects a contextGroup whose group is an Agent (xAPI 2.0.0 Data 2.4.6)', () => {
    expectIssue(withContext({ contextGroups: [{ objectType: 'contextGroup', group: mentor }] }), 'context.contextGroups[0].group', 'must-be-group', '2.0.0')
  })
  it('rejects a contextGroup without group (xAPI 2.0.0 Data 2.4.6)', () => {
    expectIssue(withContext({ contextGroups: [{ objectType: 'contextGroup' }] }), 'context.contextGroups[0].group', 'required', '2.0.0')
  })
})
