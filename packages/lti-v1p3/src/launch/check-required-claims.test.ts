import { describe, expect, it } from 'vitest'
import { CLAIM } from '../claims.ts'
import { createPlatformDouble } from '../testing/platform-double.ts'
import { verified } from '../testing/launch-harness.ts'
import { checkRequiredClaims, REQUIRED_CLAIMS } from './check-required-claims.ts'

const double = await createPlatformDouble()

function without(claims: Record<string, unknown>, path: readonly string[]): Record<string, unknown> {
  const copy = structuredClone(claims)
  const [first, second] = path
  if (second === undefined) delete copy[first ?? '']
  else delete (copy[first ?? ''] as Record<string, unknown>)[second]
  return copy
}

describe('checkRequiredClaims', () => {
  it('accepts a complete resource-link request', () =>
    expect(() => checkRequiredClaims(verified(double.launchClaims('n')), 'LtiResourceLinkRequest')).not.toThrow())
  it('accepts a resource-link request without sub: anonymous launch (LTI Core 1.3 §5.3.6)', () =>
    expect(() => checkRequiredClaims(verified(without(double.launchClaims('n'), ['sub'])), 'LtiResourceLinkRequest')).not.toThrow())
  it('accepts an empty roles array (LTI Core 1.3 §5.3.7)', () =>
    expect(() => checkRequiredClaims(verified(double.launchClaims('n', { [CLAIM.roles]: [] })), 'LtiResourceLinkRequest')).not.toThrow())
  it('accepts a complete deep-linking request', () =>
    expect(() => checkRequiredClaims(verified(double.deepLinkingClaims('n')), 'LtiDeepLinkingRequest')).not.toThrow())

  it.each(REQUIRED_CLAIMS.LtiResourceLinkRequest.map(([path, , section]) => [path.join(' → '), section, path] as const))(
    'rejects an LtiResourceLinkRequest without %s (%s)', (_, __, path) =>
      expect(() => checkRequiredClaims(verified(without(double.launchClaims('n'), path)), 'LtiResourceLinkRequest'))
        .toThrow(expect.objectContaining({ code: 'ERR_LTI_MISSING_CLAIM' })),
  )
  it.each(REQUIRED_CLAIMS.LtiDeepLinkingRequest.map(([path, , section]) => [path.join(' → '), section, path] as const))(
    'rejects an LtiDeepLinkingRequest without %s (%s)', (_, __, path) =>
      expect(() => checkRequiredClaims(verified(without(double.deepLinkingClaims('n'), path)), 'LtiDeepLinkingRequest'))
        .toThrow(expect.objectContaining({ code: 'ERR_LTI_MISSING_CLAIM' })),
  )
  it.each(['not a url', '/mod/lti/contentitem_return.php', 'javascript:alert(1)'])(
    'rejects a deep_link_return_url that is not an absolute http(s) URL: %s (Deep Linking 2.0 §4.4.1: the URL the tool posts the response to)', (url) =>
      expect(() => checkRequiredClaims(verified(double.deepLinkingClaims('n', { deep_link_return_url: url })), 'LtiDeepLinkingRequest'))
        .toThrow(expect.objectContaining({ code: 'ERR_LTI_MISSING_CLAIM' })),
  )
  it('names the claim and the rule with its section, for the page the LMS administrator sees (certification "role Claim Missing", "resource_link_id Claim Missing")', () => {
    expect(() => checkRequiredClaims(verified(without(double.launchClaims('n'), [CLAIM.roles])), 'LtiResourceLinkRequest'))
      .toThrow(expect.objectContaining({ detail: { claim: CLAIM.roles, rule: 'is REQUIRED in an LtiResourceLinkRequest, an array of strings (LTI Core 1.3 §5.3.7)' } }))
    expect(() => checkRequiredClaims(verified(without(double.launchClaims('n'), [CLAIM.resourceLink, 'id'])), 'LtiResourceLinkRequest'))
      .toThrow(expect.objectContaining({ detail: { claim: `${CLAIM.resourceLink}#id`, rule: 'is REQUIRED in an LtiResourceLinkRequest, a non-empty string (LTI Core 1.3 §5.3.5)' } }))
  })
  it.each([['missing', undefined], ['a string', 'ltiResourceLink'], ['an array', []]])(
    'names deep_linking_settings itself when that claim is %s, not a property it should hold (Deep Linking 2.0 §4.4.1: "The required deep_linking_settings claim")', (_, value) => {
      const claims = double.deepLinkingClaims('n')
      if (value === undefined) delete claims[CLAIM.deepLinkingSettings]
      else claims[CLAIM.deepLinkingSettings] = value
      expect(() => checkRequiredClaims(verified(claims), 'LtiDeepLinkingRequest'))
        .toThrow(expect.objectContaining({ code: 'ERR_LTI_MISSING_CLAIM', detail: { claim: CLAIM.deepLinkingSettings, rule: 'is REQUIRED in an LtiDeepLinkingRequest, an object (Deep Linking 2.0 §4.4.1)' } }))
    },
  )
  it('names the resource_link claim itself when a resource-link request has none (LTI Core 1.3 §5.3.5)', () =>
    expect(() => checkRequiredClaims(verified(without(double.launchClaims('n'), [CLAIM.resourceLink])), 'LtiResourceLinkRequest'))
      .toThrow(expect.objectContaining({ detail: { claim: CLAIM.resourceLink, rule: 'is REQUIRED in an LtiResourceLinkRequest, an object (LTI Core 1.3 §5.3.5)' } })))
  it('rejects roles that are not an array of strings (LTI Core 1.3 §5.3.7)', () =>
    expect(() => checkRequiredClaims(verified(double.launchClaims('n', { [CLAIM.roles]: 'Learner' })), 'LtiResourceLinkRequest'))
      .toThrow(expect.objectContaining({ code: 'ERR_LTI_MISSING_CLAIM' })))
})
