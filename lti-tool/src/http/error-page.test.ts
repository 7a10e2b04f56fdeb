import { describe, expect, it } from 'vitest'
import { messageOf } from './error-page.ts'

describe('messageOf: a launch refused for one claim names the claim and the rule (LTI certification §4.1.1 known "bad" payloads)', () => {
  const roles = 'https://purl.imsglobal.org/spec/lti/claim/roles'
  it('names the claim and the rule, with its spec section, in both languages', () => {
    const message = messageOf('ERR_LTI_MISSING_CLAIM', { claim: roles, rule: 'is REQUIRED in an LtiResourceLinkRequest, an array of strings (LTI Core 1.3 §5.3.7)' })
    for (const text of [message.id, message.en]) {
      expect(text).toContain(`"${roles}"`)
      expect(text).toContain('(LTI Core 1.3 §5.3.7)')
    }
    expect(message.en).toContain(`Claim "${roles}" is REQUIRED in an LtiResourceLinkRequest`)
  })
  it('shortens a claim path over 200 characters: a path of the token\'s own keys may be long', () => {
    const message = messageOf('ERR_LTI_INVALID_CLAIM', { claim: 'k'.repeat(5000), rule: 'must be Unicode text (RFC 8259 §8.2)' })
    expect(message.en).toContain(`"${'k'.repeat(200)}…"`)
    expect(message.en.length).toBeLessThan(500)
  })
  it('keeps the plain "could not be verified" message for a refusal that names no claim (a bad signature)', () => {
    expect(messageOf('ERR_LTI_SIGNATURE_INVALID', { kid: 'k1' }).en).toMatch(/^The launch from your LMS could not be verified/)
    expect(messageOf('ERR_LTI_SIGNATURE_INVALID').en).toMatch(/^The launch from your LMS could not be verified/)
  })
  it('never turns a tool error into a claim message', () =>
    expect(messageOf('ERR_TOOL_BAD_REQUEST', { claim: 'x', rule: 'y' }).en).not.toContain('Claim'))
})
