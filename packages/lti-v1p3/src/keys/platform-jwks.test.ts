import { generateKeyPairSync } from 'node:crypto'
import { exportJWK, generateKeyPair } from 'jose'
import { describe, expect, it } from 'vitest'
import { LtiError } from '../errors.ts'
import { createPlatformDouble } from '../testing/platform-double.ts'
import { createPlatformJwks, MAX_JWKS_BYTES } from './platform-jwks.ts'

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

  const uri = 'https://lms.example.org/certs'
  const serving = (body: () => unknown) => {
    let fetches = 0
    const clock = { now: 0 }
    const jwks = createPlatformJwks({ fetch: async () => { fetches += 1; return Response.json(body()) }, now: () => clock.now, refreshCooldownMs: 10_000 })
    return { jwks, clock, fetches: () => fetches }
  }

  it('ignores members that cannot verify an RS256 token (RFC 7517 §5: "SHOULD ignore JWKs … not understood … missing required members … out of the supported ranges")', async () => {
    const ec = await generateKeyPair('ES256', { extractable: true })
    const rsa = await generateKeyPair('RS256', { extractable: true })
    const ecJwk = await exportJWK(ec.publicKey)
    const rsaPrivate = await exportJWK(rsa.privateKey)
    // Without the filter, jose refuses the whole set (JWKSInvalid) for its non-object members: a 500, not a launch.
    const { jwks } = serving(() => ({ keys: [5, null, 'x', [], { kty: 'RSA' }, { ...ecJwk, kid: 'ec' }, { ...rsaPrivate, kid: double.kid }, { ...double.publicJwk, use: 'enc' }, double.publicJwk] }))
    await expect(jwks.getKey(uri, { alg: 'RS256', kid: double.kid })).resolves.toBeDefined()
    await expect(jwks.getKey(uri, { alg: 'RS256', kid: 'ec' })).rejects.toMatchObject({ code: 'ERR_LTI_UNKNOWN_KID' })
  })

  it('ignores an RSA key under 2048 bits (RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used")', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' })
    const { jwks } = serving(() => ({ keys: [{ ...small, kid: 'small' }] }))
    await expect(jwks.getKey(uri, { alg: 'RS256', kid: 'small' })).rejects.toMatchObject({ code: 'ERR_LTI_UNKNOWN_KID' })
  })

  it('refuses a JWKS larger than MAX_JWKS_BYTES (10,000 keys) with ERR_LTI_JWKS_UNAVAILABLE instead of holding it', async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => ({ ...double.publicJwk, kid: `k${i}` }))
    expect(JSON.stringify({ keys }).length).toBeGreaterThan(MAX_JWKS_BYTES)
    const { jwks } = serving(() => ({ keys }))
    await expect(jwks.getKey(uri, { alg: 'RS256', kid: 'k1' })).rejects.toMatchObject({ code: 'ERR_LTI_JWKS_UNAVAILABLE' })
  })

  it('does not fetch a failed JWKS again within the cooldown (Security Framework 1.0 §6.3; no amplification)', async () => {
    const s = serving(() => ({ not: 'a key set' }))
    await expect(s.jwks.getKey(uri, { alg: 'RS256', kid: 'k' })).rejects.toMatchObject({ code: 'ERR_LTI_JWKS_UNAVAILABLE' })
    await expect(s.jwks.getKey(uri, { alg: 'RS256', kid: 'k' })).rejects.toMatchObject({ code: 'ERR_LTI_JWKS_UNAVAILABLE' })
    expect(s.fetches()).toBe(1)
    s.clock.now = 10_000
    await expect(s.jwks.getKey(uri, { alg: 'RS256', kid: 'k' })).rejects.toMatchObject({ code: 'ERR_LTI_JWKS_UNAVAILABLE' })
    expect(s.fetches()).toBe(2)
  })

  it('refetches a rotated JWKS once for a burst of tokens with the new kid, not once per token (Security Framework 1.0 §6.3)', async () => {
    let published = [double.publicJwk]
    const s = serving(() => ({ keys: published }))
    await s.jwks.getKey(uri, { alg: 'RS256', kid: double.kid })
    s.clock.now = 20_000
    published = [double.publicJwk, { ...double.publicJwk, kid: 'rotated' }]
    await Promise.all(Array.from({ length: 20 }, () => s.jwks.getKey(uri, { alg: 'RS256', kid: 'rotated' })))
    await Promise.all(Array.from({ length: 20 }, () => s.jwks.getKey(uri, { alg: 'RS256', kid: 'made-up' }).catch(() => undefined)))
    expect(s.fetches()).toBe(2)
  })
})
