import { describe, expect, it } from 'vitest'
import { CLAIM } from '../claims.ts'
import { verified } from '../testing/launch-harness.ts'
import { checkMessageType, checkVersion } from './check-message-type.ts'

describe('checkMessageType (LTI Core 1.3 §5.3.1)', () => {
  it.each(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'])('accepts %s', (type) =>
    expect(checkMessageType(verified({ [CLAIM.messageType]: type }))).toBe(type))
  it.each([['an unknown type', 'LtiSomethingElse'], ['a missing type', undefined], ['a response type', 'LtiDeepLinkingResponse']])('rejects %s', (_, type) =>
    expect(() => checkMessageType(verified({ [CLAIM.messageType]: type }))).toThrow(expect.objectContaining({ code: 'ERR_LTI_UNSUPPORTED_MESSAGE_TYPE' })))
})

describe('checkVersion (LTI Core 1.3 §5.3.2: "the claim must have the value 1.3.0")', () => {
  it('accepts 1.3.0', () => expect(() => checkVersion(verified({ [CLAIM.version]: '1.3.0' }))).not.toThrow())
  it.each(['1.1', '1.3', undefined])('rejects %s', (version) =>
    expect(() => checkVersion(verified({ [CLAIM.version]: version }))).toThrow(expect.objectContaining({ code: 'ERR_LTI_UNSUPPORTED_VERSION' })))
})
