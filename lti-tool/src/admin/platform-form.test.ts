import { describe, expect, it } from 'vitest'
import { checkDeploymentId, checkPlatformForm, isLoopback } from './platform-form.ts'

const GOOD = {
  issuer: 'https://moodle.example.org/', clientId: 'abc123', authorizationEndpoint: 'https://moodle.example.org/mod/lti/auth.php',
  tokenEndpoint: 'https://moodle.example.org/mod/lti/token.php', jwksUri: 'https://moodle.example.org/mod/lti/certs.php', deploymentIds: '1\n2, 2',
}
const rules = (body: Record<string, string>) => {
  const r = checkPlatformForm(body)
  return r.ok ? [] : r.problems.map((p) => `${p.field}:${p.rule}`)
}

describe('the add-a-platform form (LTI Core 1.3 §3.1.3 registration data)', () => {
  it('accepts a complete registration: issuer without trailing slash, deployment ids deduplicated', () => {
    const r = checkPlatformForm(GOOD)
    expect(r).toMatchObject({ ok: true, deploymentIds: ['1', '2'], platform: { issuer: 'https://moodle.example.org', clientId: 'abc123' } })
  })
  it('names every missing required field (issuer, client ID, three endpoints, deployment ID)', () => {
    expect(rules({})).toEqual(['issuer:required', 'clientId:required', 'authorizationEndpoint:required', 'tokenEndpoint:required', 'jwksUri:required', 'deploymentIds:required'])
  })
  it('refuses http:// endpoints except on a loopback host (Security Framework 1.0 §3: TLS)', () => {
    expect(rules({ ...GOOD, tokenEndpoint: 'http://moodle.example.org/mod/lti/token.php' })).toEqual(['tokenEndpoint:https'])
    expect(rules({ ...GOOD, issuer: 'http://localhost:8081', jwksUri: 'http://127.0.0.1:8081/certs' })).toEqual([])
  })
  it('refuses what is not an absolute URL, and other schemes', () => {
    expect(rules({ ...GOOD, authorizationEndpoint: 'moodle.example.org/auth.php', jwksUri: 'ftp://moodle.example.org/certs' })).toEqual(['authorizationEndpoint:url', 'jwksUri:url'])
  })
  it('refuses an issuer with a query or fragment (OpenID Connect Core §2, iss)', () => {
    expect(rules({ ...GOOD, issuer: 'https://moodle.example.org/?x=1' })).toEqual(['issuer:issuer-form'])
  })
  it('refuses an endpoint with a user name or password (RFC 9110 §4.2.4: "A sender MUST NOT generate the userinfo subcomponent")', () => {
    expect(rules({ ...GOOD, tokenEndpoint: 'https://admin:secret@moodle.example.org/mod/lti/token.php', issuer: 'https://u@moodle.example.org' })).toEqual(['issuer:credentials', 'tokenEndpoint:credentials'])
  })
  it('refuses an endpoint with a fragment (RFC 6749 §3.1–3.2: endpoint URIs "MUST NOT include a fragment component")', () => {
    expect(rules({ ...GOOD, authorizationEndpoint: 'https://moodle.example.org/mod/lti/auth.php#x', jwksUri: 'https://moodle.example.org/mod/lti/certs.php#' })).toEqual(['authorizationEndpoint:fragment', 'jwksUri:fragment'])
  })
  it('refuses an address over 2,000 characters (rule too-long)', () => {
    expect(rules({ ...GOOD, jwksUri: `https://moodle.example.org/${'c'.repeat(1990)}` })).toEqual(['jwksUri:too-long'])
  })
  it('accepts a LAN platform an operator names, by private address or LAN name (not a Dynamic Registration stranger)', () => {
    expect(rules({ ...GOOD, issuer: 'https://192.168.10.5', authorizationEndpoint: 'https://192.168.10.5/mod/lti/auth.php', tokenEndpoint: 'https://moodle.lan/mod/lti/token.php', jwksUri: 'https://10.0.0.5:8443/mod/lti/certs.php' })).toEqual([])
  })
  it('refuses a deployment id with spaces or over 255 characters (LTI Core 1.3 §5.3.3)', () => {
    expect(rules({ ...GOOD, deploymentIds: 'deployment one' })).toEqual(['deploymentIds:deployment-id'])
    expect(rules({ ...GOOD, deploymentIds: 'x'.repeat(256) })).toEqual(['deploymentIds:deployment-id'])
    expect(checkDeploymentId(' d-1 ')).toBe('d-1')
    expect(checkDeploymentId('a b')).toBeUndefined()
  })
  it('refuses a client ID over 255 characters', () => {
    expect(rules({ ...GOOD, clientId: 'c'.repeat(256) })).toEqual(['clientId:too-long'])
  })
  it('keeps what was typed so the page can show it again', () => {
    const r = checkPlatformForm({ ...GOOD, tokenEndpoint: 'nope' })
    expect(r.ok ? undefined : r.values.clientId).toBe('abc123')
  })
  it('treats localhost, 127.0.0.1, [::1] and *.localhost as loopback (RFC 6761 §6.3), nothing else', () => {
    expect(['localhost', '127.0.0.1', '[::1]', 'tln.localhost'].map(isLoopback)).toEqual([true, true, true, true])
    expect(['localhost.example.org', '10.0.0.1', 'example.org'].map(isLoopback)).toEqual([false, false, false])
  })
})
