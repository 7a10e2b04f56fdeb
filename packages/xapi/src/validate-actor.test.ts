import { describe, expect, it } from 'vitest'
import { XapiError } from './errors.ts'
import { validateAgentParameter } from './validate-actor.ts'
import { expectIssue, expectValid, statement } from '../test/statement-builders.ts'

const agent = (props: Record<string, unknown>) => ({ objectType: 'Agent', ...props })
const anonymousGroup = (member: unknown) => ({ objectType: 'Group', member })

describe('Agent (xAPI 1.0.3 Data 2.4.2.1)', () => {
  it('accepts an Agent without objectType as actor (Data 2.4.2.1 table: objectType optional)', () => {
    expectValid(statement({ actor: { mbox: 'mailto:a@example.com' } }))
  })
  it('rejects an Agent with two inverse functional identifiers (xAPI 1.0.3 Data 2.4.2.1)', () => {
    expectIssue(statement({ actor: agent({ mbox: 'mailto:a@example.com', openid: 'http://openid.example.org/a' }) }), 'actor', 'exactly-one-ifi')
  })
  it('rejects an Agent without an inverse functional identifier (xAPI 1.0.3 Data 2.4.2.1)', () => {
    expectIssue(statement({ actor: agent({ name: 'Nobody' }) }), 'actor', 'exactly-one-ifi')
  })
  it('rejects an mbox that is not a mailto IRI (xAPI 1.0.3 Data 2.4.2.3)', () => {
    expectIssue(statement({ actor: agent({ mbox: 'a@example.com' }) }), 'actor.mbox', 'mailto-iri')
  })
  it('rejects an mbox_sha1sum that is not 40 hex digits (xAPI 1.0.3 Data 2.4.2.3)', () => {
    expectIssue(statement({ actor: agent({ mbox_sha1sum: 'not-a-hash' }) }), 'actor.mbox_sha1sum', 'sha1-hex')
  })
  it('rejects an openid that is not an IRI (xAPI 1.0.3 Data 2.4.2.3)', () => {
    expectIssue(statement({ actor: agent({ openid: 'toby' }) }), 'actor.openid', 'iri')
  })
  it('rejects an account without homePage (xAPI 1.0.3 Data 2.4.2.4)', () => {
    expectIssue(statement({ actor: agent({ account: { name: '13936749' } }) }), 'actor.account.homePage', 'required')
  })
  it('rejects an account without name (xAPI 1.0.3 Data 2.4.2.4)', () => {
    expectIssue(statement({ actor: agent({ account: { homePage: 'http://www.example.com' } }) }), 'actor.account.name', 'required')
  })
  it('rejects an account homePage that is not an IRL (xAPI 1.0.3 Data 2.4.2.4)', () => {
    expectIssue(statement({ actor: agent({ account: { homePage: 'www.example.com', name: 'x' } }) }), 'actor.account.homePage', 'irl')
  })
  it('rejects an account name that is not a string (xAPI 1.0.3 Data 2.4.2.4)', () => {
    expectIssue(statement({ actor: agent({ account: { homePage: 'http://www.example.com', name: 13936749 } }) }), 'actor.account.name', 'type')
  })
  it('rejects a name that is not a string (xAPI 1.0.3 Data 2.4.2.1)', () => {
    expectIssue(statement({ actor: agent({ mbox: 'mailto:a@example.com', name: ['A'] }) }), 'actor.name', 'type')
  })
  it('rejects an objectType in the wrong case (xAPI 1.0.3 Data 2.2.s4.b1.b6)', () => {
    expectIssue(statement({ actor: { objectType: 'agent', mbox: 'mailto:a@example.com' } }), 'actor.objectType', 'object-type')
  })
  it('rejects member on an Agent as an unknown property (xAPI 1.0.3 Data 2.4.2.1)', () => {
    expectIssue(statement({ actor: agent({ mbox: 'mailto:a@example.com', member: [] }) }), 'actor.member', 'unknown-property')
  })
})

describe('Group (xAPI 1.0.3 Data 2.4.2.2)', () => {
  const member = agent({ mbox: 'mailto:m@example.com' })
  it('accepts an anonymous Group with members', () => expectValid(statement({ actor: anonymousGroup([member]) })))
  it('accepts an identified Group without members', () => {
    expectValid(statement({ actor: { objectType: 'Group', openid: 'http://openid.example.org/team' } }))
  })
  it('rejects an anonymous Group without member (xAPI 1.0.3 Data 2.4.2.2.s4.b1)', () => {
    expectIssue(statement({ actor: { objectType: 'Group', name: 'ad hoc' } }), 'actor.member', 'anonymous-group-member')
  })
  it('rejects an identified Group with two inverse functional identifiers (xAPI 1.0.3 Data 2.4.2.2.s5.b1)', () => {
    expectIssue(statement({ actor: { objectType: 'Group', mbox: 'mailto:t@example.com', openid: 'http://openid.example.org/t' } }), 'actor', 'exactly-one-ifi')
  })
  it('rejects a Group as a member of a Group (xAPI 1.0.3 Data 2.4.2.2.s4.b2)', () => {
    expectIssue(statement({ actor: anonymousGroup([member, anonymousGroup([member])]) }), 'actor.member[1]', 'must-be-agent')
  })
  it('rejects an invalid member with the member path (xAPI 1.0.3 Data 2.4.2.2)', () => {
    expectIssue(statement({ actor: anonymousGroup([member, agent({ mbox: 'nope' })]) }), 'actor.member[1].mbox', 'mailto-iri')
  })
  it('rejects a member property that is not an array (xAPI 1.0.3 Data 2.4.2.2)', () => {
    expectIssue(statement({ actor: anonymousGroup(member) }), 'actor.member', 'type')
  })
})

describe('Authority (xAPI 1.0.3 Data 2.4.9)', () => {
  const consumer = { account: { homePage: 'http://example.com/xAPI/OAuth/Token', name: 'oauth_consumer_x75db' } }
  const user = { mbox: 'mailto:bob@example.com' }
  it('accepts an Agent or an anonymous Group of two Agents', () => {
    expectValid(statement({ authority: agent(user) }))
    expectValid(statement({ authority: anonymousGroup([consumer, user]) }))
  })
  it('rejects an OAuth authority Group with three members (xAPI 1.0.3 Data 2.4.9.s3.b1)', () => {
    expectIssue(statement({ authority: anonymousGroup([consumer, user, { mbox: 'mailto:james@example.com' }]) }), 'authority.member', 'authority-group')
  })
  it('rejects an identified Group as authority (xAPI 1.0.3 Data 2.4.9.s3.b1)', () => {
    expectIssue(statement({ authority: { objectType: 'Group', openid: 'http://openid.example.org/12345', member: [consumer, user] } }), 'authority', 'authority-group')
  })
})

describe('validateAgentParameter (xAPI 1.0.3 Data 2.2.s4.b4)', () => {
  const rejectionOf = (input: unknown) => {
    try {
      validateAgentParameter(input, { version: '1.0.3' })
    } catch (error) {
      expect(error).toBeInstanceOf(XapiError)
      expect((error as XapiError).code).toBe('ERR_XAPI_INVALID_PARAMETER')
      return (error as XapiError).issues
    }
    return expect.fail('expected the agent parameter to be rejected')
  }
  it('returns a copy of a valid Agent', () => {
    const input = { mbox: 'mailto:a@example.com' }
    const result = validateAgentParameter(input, { version: '2.0.0' })
    expect(result).toEqual(input)
    expect(result).not.toBe(input)
  })
  it('accepts an identified Group', () => {
    expect(validateAgentParameter({ objectType: 'Group', mbox: 'mailto:t@example.com' }, { version: '1.0.3' })).toBeDefined()
  })
  it('rejects an anonymous Group, which has no inverse functional identifier (xAPI 1.0.3 Data 2.4.2.2)', () => {
    expect(rejectionOf({ objectType: 'Group', member: [{ mbox: 'mailto:a@example.com' }] })).toContainEqual(expect.objectContaining({ path: 'agent', rule: 'exactly-one-ifi' }))
  })
  it('rejects an Agent with an invalid mbox under the agent path (xAPI 1.0.3 Data 2.4.2.3)', () => {
    expect(rejectionOf({ mbox: 'a@example.com' })).toContainEqual(expect.objectContaining({ path: 'agent.mbox', rule: 'mailto-iri' }))
  })
  it('rejects a value that is not an object', () => {
    expect(rejectionOf('mailto:a@example.com')).toContainEqual(expect.objectContaining({ path: 'agent', rule: 'type' }))
  })
})
