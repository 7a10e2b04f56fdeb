import { describe, expect, it } from 'vitest'
import { CLAIM } from '../claims.ts'
import { verified } from '../testing/launch-harness.ts'
import { checkMessageType, checkVersion } from './check-message-type.ts'

describe('checkMessageType (LTI Core 1.3 §5.3.1)', () => {
  it.each(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'])('accepts %s', (type) =>
    expect(checkMessageType(verified({ [CLAIM.messageType]: type }))).toBe(type))
  it.each([['an unknown type', 'LtiSomethingElse'], ['a response type', 'LtiDeepLinkingResponse'], ['a type that is no string', 7]])('rejects %s, naming the claim and the rule', (_, type) =>
    expect(() => checkMessageType(verified({ [CLAIM.messageType]: type })))
      .toThrow(expect.objectContaining({ code: 'ERR_LTI_UNSUPPORTED_MESSAGE_TYPE', detail: expect.objectContaining({ claim: CLAIM.messageType, rule: expect.stringContaining('§5.3.1') }) })))
  it('rejects a launch without message_type as a missing claim (certification "message_type Claim Missing"; §5.3.1: REQUIRED)', () =>
    expect(() => checkMessageType(verified({})))
      .toThrow(expect.objectContaining({ code: 'ERR_LTI_MISSING_CLAIM', detail: { claim: CLAIM.messageType, rule: 'is REQUIRED (LTI Core 1.3 §5.3.1)' } })))
})

describe('checkVersion (LTI Core 1.3 §5.3.2: "the claim must have the value 1.3.0")', () => {
  it('accepts 1.3.0', () => expect(() => checkVersion(verified({ [CLAIM.version]: '1.3.0' }))).not.toThrow())
  it.each(['1.1', '1.3', '11.3', 1.3])('rejects %s, naming the claim and the rule (certification "Wrong LTI Version")', (version) =>
    expect(() => checkVersion(verified({ [CLAIM.version]: version })))
      .toThrow(expect.objectContaining({ code: 'ERR_LTI_UNSUPPORTED_VERSION', detail: expect.objectContaining({ claim: CLAIM.version, rule: 'must be 1.3.0 (LTI Core 1.3 §5.3.2)' }) })))
  it('rejects a launch without version as a missing claim (certification "No LTI Version"; §5.3.2: REQUIRED)', () =>
    expect(() => checkVersion(verified({})))
      .toThrow(expect.objectContaining({ code: 'ERR_LTI_MISSING_CLAIM', detail: { claim: CLAIM.version, rule: 'is REQUIRED (LTI Core 1.3 §5.3.2)' } })))
})
