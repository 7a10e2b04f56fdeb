import { describe, expect, it } from 'vitest'
import { CLAIM } from '../claims.ts'
import { LtiError } from '../errors.ts'
import { verified } from '../testing/launch-harness.ts'
import { checkClaimValues } from './check-claim-values.ts'

const https = { issuer: 'https://lms.example.org' }
const http = { issuer: 'http://moodle.lan' }
const failure = (claims: Record<string, unknown>, platform = https) => {
  try { checkClaimValues(verified(claims), platform) } catch (e) { expect(e).toBeInstanceOf(LtiError); return { code: (e as LtiError).code, ...(e as LtiError).detail } }
  return undefined
}

describe('checkClaimValues', () => {
  it('accepts ordinary claims, emoji (surrogate pairs) included', () =>
    expect(failure({ sub: 'user-17', name: 'Siti 😀', [CLAIM.context]: { id: 'c1', title: 'Kelas' }, [CLAIM.custom]: { a: 'b' } })).toBeUndefined())

  it('rejects U+0000 anywhere in the payload, naming the claim: PostgreSQL text cannot hold it (RFC 8259 §8.2)', () => {
    expect(failure({ [CLAIM.resourceLink]: { id: 'rl', title: 'a\u0000b' } })).toMatchObject({ code: 'ERR_LTI_INVALID_CLAIM', claim: `${CLAIM.resourceLink}#title` })
    expect(failure({ [CLAIM.roles]: ['ok', 'x\u0000'] })).toMatchObject({ claim: `${CLAIM.roles}#1` })
    expect(failure({ [CLAIM.custom]: { 'k\u0000': 'v' } })).toMatchObject({ claim: `${CLAIM.custom}#k\u0000` })
  })

  it('rejects unpaired surrogates, which have no UTF-8 form (RFC 8259 §8.2; RFC 3629 §3)', () => {
    expect(failure({ name: 'a\uD800b' })).toMatchObject({ code: 'ERR_LTI_INVALID_CLAIM', claim: 'name' })
    expect(failure({ name: '\uDC00' })).toMatchObject({ claim: 'name' })
  })

  it('walks a deeply nested payload without recursion', () => {
    let deep: unknown = 'x\u0000'
    for (let i = 0; i < 20_000; i++) deep = [deep]
    expect(failure({ junk: deep })).toMatchObject({ code: 'ERR_LTI_INVALID_CLAIM' })
  })

  it('rejects sub, deployment_id, resource_link.id and context.id over 255 characters or not strings (LTI Core 1.3 §5.3.3, §5.3.5, §5.3.6, §5.4.1)', () => {
    const long = 'x'.repeat(256)
    expect(failure({ sub: 'x'.repeat(255) })).toBeUndefined()
    expect(failure({ sub: long })).toMatchObject({ code: 'ERR_LTI_INVALID_CLAIM', claim: 'sub' })
    expect(failure({ sub: 17 })).toMatchObject({ claim: 'sub' })
    expect(failure({ [CLAIM.deploymentId]: long })).toMatchObject({ claim: CLAIM.deploymentId })
    expect(failure({ [CLAIM.resourceLink]: { id: long } })).toMatchObject({ claim: `${CLAIM.resourceLink}#id` })
    expect(failure({ [CLAIM.context]: { id: long } })).toMatchObject({ claim: `${CLAIM.context}#id` })
  })

  it('rejects AGS, NRPS and Deep Linking URLs that are not absolute https URLs from an https platform (Security Framework 1.0 §3; AGS 2.0 §3.1; NRPS 2.0 §3.6.1; Deep Linking 2.0 §4.4.1)', () => {
    expect(failure({ [CLAIM.agsEndpoint]: { lineitems: 'https://lms.example.org/li', lineitem: 'https://lms.example.org/li/1' } })).toBeUndefined()
    expect(failure({ [CLAIM.agsEndpoint]: { lineitems: 'http://169.254.169.254/latest' } })).toMatchObject({ code: 'ERR_LTI_INVALID_CLAIM', claim: `${CLAIM.agsEndpoint}#lineitems` })
    expect(failure({ [CLAIM.agsEndpoint]: { lineitem: 5 } })).toMatchObject({ claim: `${CLAIM.agsEndpoint}#lineitem` })
    expect(failure({ [CLAIM.nrpsService]: { context_memberships_url: 'file:///etc/passwd' } })).toMatchObject({ claim: `${CLAIM.nrpsService}#context_memberships_url` })
    expect(failure({ [CLAIM.deepLinkingSettings]: { deep_link_return_url: 'http://lms.example.org/return' } })).toMatchObject({ claim: `${CLAIM.deepLinkingSettings}#deep_link_return_url` })
    expect(failure({ [CLAIM.deepLinkingSettings]: { deep_link_return_url: 'javascript:alert(1)' } }, http)).toMatchObject({ claim: `${CLAIM.deepLinkingSettings}#deep_link_return_url` })
  })

  it('lets a platform on plain http (added by hand, docs/lti.md Option 2) name http service URLs', () =>
    expect(failure({ [CLAIM.agsEndpoint]: { lineitems: 'http://moodle.lan/li' }, [CLAIM.nrpsService]: { context_memberships_url: 'http://moodle.lan/m' } }, http)).toBeUndefined())
})
