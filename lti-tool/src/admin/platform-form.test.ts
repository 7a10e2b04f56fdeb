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
