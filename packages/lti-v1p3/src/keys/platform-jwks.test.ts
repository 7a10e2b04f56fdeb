import { describe, expect, it } from 'vitest'
import { LtiError } from '../errors.ts'
import { createPlatformDouble } from '../testing/platform-double.ts'
import { createPlatformJwks } from './platform-jwks.ts'

const double = await createPlatformDouble()

function setup() {
  const clock = { now: 0 }
  let fetches = 0
  const jwks = createPlatformJwks({ fetch: (u, i) => { fetches += 1; return double.fetch(u, i) }, now: () => clock.now, maxAgeMs: 600_000, refreshCooldownMs: 10_000 })
  return { clock, jwks, fetches: () => fetches }
}

describe('createPlatformJwks (Security Framework 1.0 §6.3)', () => {
  it('fetches a JWKS once and serves later lookups from the cache', async () => {
    const s = setup()
    await s.jwks.getKey(double.platform.jwksUri, { alg: 'RS256', kid: double.kid })
    await s.jwks.getKey(double.platform.jwksUri, { alg: 'RS256', kid: double.kid })
    expect(s.fetches()).toBe(1)
  })
  it('shares one fetch between concurrent lookups', async () => {
    const s = setup()
    await Promise.all([1, 2, 3].map(() => s.jwks.getKey(double.platform.jwksUri, { alg: 'RS256', kid: double.kid })))
    expect(s.fetches()).toBe(1)
  })
  it('refetches after maxAge', async () => {
    const s = setup()
    await s.jwks.getKey(double.platform.jwksUri, { alg: 'RS256', kid: double.kid })
    s.clock.now = 600_000
    await s.jwks.getKey(double.platform.jwksUri, { alg: 'RS256', kid: double.kid })
    expect(s.fetches()).toBe(2)
  })
  it('refetches on an unknown kid outside the cooldown and finds a newly published key', async () => {
    const s = setup()
    await s.jwks.getKey(double.platform.jwksUri, { alg: 'RS256', kid: double.kid })
    double.publish([double.publicJwk, { ...double.publicJwk, kid: 'new-key' }])
    s.clock.now = 10_000
    await expect(s.jwks.getKey(double.platform.jwksUri, { alg: 'RS256', kid: 'new-key' })).resolves.toBeDefined()
    expect(s.fetches()).toBe(2)
    double.publish([double.publicJwk])
  })
  it('does not refetch on an unknown kid inside the cooldown, and fails with ERR_LTI_UNKNOWN_KID', async () => {
    const s = setup()
    await s.jwks.getKey(double.platform.jwksUri, { alg: 'RS256', kid: double.kid })
    s.clock.now = 5_000
    await expect(s.jwks.getKey(double.platform.jwksUri, { alg: 'RS256', kid: 'nope' })).rejects.toMatchObject({ code: 'ERR_LTI_UNKNOWN_KID' })
    expect(s.fetches()).toBe(1)
  })
  it('fails with ERR_LTI_JWKS_UNAVAILABLE when the JWKS URL does not answer a key set', async () => {
    const jwks = createPlatformJwks({ fetch: async () => new Response('oops', { status: 500 }) })
    await expect(jwks.getKey('https://lms.example.org/certs', { alg: 'RS256', kid: 'k' })).rejects.toMatchObject({ code: 'ERR_LTI_JWKS_UNAVAILABLE' })
  })
  it('passes a guarded fetch\'s refusal of the JWKS address through, not as ERR_LTI_JWKS_UNAVAILABLE (OWASP SSRF)', async () => {
    const refusal = new LtiError('ERR_LTI_PLATFORM_PRIVATE_ADDRESS', 'https://lms.example.org resolves to 10.0.0.5, a private address')
    const jwks = createPlatformJwks({ fetch: async () => { throw refusal } })
    await expect(jwks.getKey('https://lms.example.org/certs', { alg: 'RS256', kid: 'k' })).rejects.toBe(refusal)
  })
  it('fails with ERR_LTI_JWKS_UNAVAILABLE on a network error', async () => {
    const jwks = createPlatformJwks({ fetch: async () => { throw new TypeError('fetch failed') } })
    await expect(jwks.getKey('https://lms.example.org/certs', { alg: 'RS256', kid: 'k' })).rejects.toMatchObject({ code: 'ERR_LTI_JWKS_UNAVAILABLE' })
  })
})
