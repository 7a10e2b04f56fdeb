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

describe('messageOf: a login from an LMS TLN does not know names what the LMS sent', () => {
  // Instructure-hosted Canvas sends iss https://canvas.instructure.com and Blackboard Learn https://blackboard.com,
  // whatever the school's own address (Canvas "Launch Overview"; Anthology "Handling OIDC Login"): the platform ID an
  // operator types is often the school's LMS address instead, and the page must say what to register.
  it('names the issuer and client ID the LMS sent, in both languages, and the fixed issuers of Canvas and Blackboard', () => {
    const message = messageOf('ERR_LTI_UNKNOWN_PLATFORM', { iss: 'https://blackboard.com', clientId: '2761a189-689a-4eae-9d14-70a3aa78fb95' })
    for (const text of [message.id, message.en]) {
      expect(text).toContain('"https://blackboard.com"')
      expect(text).toContain('"2761a189-689a-4eae-9d14-70a3aa78fb95"')
      expect(text).toContain('https://canvas.instructure.com')
    }
  })
  it('says when the LMS sent no client ID, and shortens long values', () => {
    const message = messageOf('ERR_LTI_UNKNOWN_PLATFORM', { iss: `https://lms.example.org/${'x'.repeat(5000)}` })
    expect(message.en).toContain('no client ID')
    expect(message.en.length).toBeLessThan(1000)
  })
  it('keeps the plain message when the error names no issuer', () =>
    expect(messageOf('ERR_LTI_UNKNOWN_PLATFORM').en).toMatch(/^This LMS is not registered with TLN yet/))
})
