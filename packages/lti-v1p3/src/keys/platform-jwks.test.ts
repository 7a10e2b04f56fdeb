import { generateKeyPairSync } from 'node:crypto'
import { exportJWK, generateKeyPair } from 'jose'
import { describe, expect, it } from 'vitest'
import { LtiError } from '../errors.ts'
import { createPlatformDouble } from '../testing/platform-double.ts'
import { createPlatformJwks, DEFAULT_MAX_STALE_MS, MAX_JWKS_BYTES, type PlatformJwksLastGood, type PlatformJwksOptions, type PlatformJwksStaleEvent } from './platform-jwks.ts'

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

describe('createPlatformJwks stale-if-error (Security Framework 1.0 §6.3 key caching; RFC 5861 §4 stale-if-error as the model)', () => {
  const uri = 'https://lms.example.org/certs'
  const kid = double.kid
  /** A JWKS endpoint that answers what `answer` says now: the key set, a status, or a thrown network error. */
  function flaky(options: Pick<PlatformJwksOptions, 'maxStaleMs' | 'lastGood' | 'onLastGoodError'> = {}) {
    let answer: 'keys' | 'empty' | number | Error | LtiError = 'keys'
    let fetches = 0
    const clock = { now: 0 }
    const events: PlatformJwksStaleEvent[] = []
    const jwks = createPlatformJwks({
      now: () => clock.now, maxAgeMs: 600_000, refreshCooldownMs: 10_000, onStale: (e) => events.push(e), ...options,
      fetch: async () => {
        fetches += 1
        if (answer instanceof Error) throw answer
        if (typeof answer === 'number') return new Response('<html>Bad gateway</html>', { status: answer })
        return Response.json({ keys: answer === 'keys' ? [double.publicJwk] : [] })
      },
    })
    return { jwks, clock, events, fetches: () => fetches, answer: (a: typeof answer) => { answer = a } }
  }
  const getKey = (s: ReturnType<typeof flaky>, k = kid) => s.jwks.getKey(uri, { alg: 'RS256', kid: k })

  it.each([
    ['a network error', new TypeError('fetch failed')],
    ['a timeout', new DOMException('The operation was aborted due to timeout', 'TimeoutError')],
    ['HTTP 502', 502], ['HTTP 503', 503], ['HTTP 504', 504], ['HTTP 500', 500], ['HTTP 429', 429], ['HTTP 408', 408],
  ] as const)('serves the last good key set when a refresh after maxAge fails with %s (RFC 5861 §4 stale-if-error)', async (_, failure) => {
    const s = flaky()
    await getKey(s)
    s.clock.now = 600_000
    s.answer(failure)
    await expect(getKey(s)).resolves.toBeDefined()
    expect(s.fetches()).toBe(2)
    expect(s.events).toHaveLength(1)
    expect(s.events[0]).toMatchObject({ jwksUri: uri, ageMs: 600_000, staleForMs: DEFAULT_MAX_STALE_MS, error: { code: 'ERR_LTI_JWKS_UNAVAILABLE' } })
  })

  it('keeps the refresh cooldown while serving stale keys, and tells onStale once per cooldown, not per launch', async () => {
    const s = flaky()
    await getKey(s)
    s.clock.now = 600_000
    s.answer(503)
    await Promise.all(Array.from({ length: 10 }, () => getKey(s)))
    s.clock.now = 605_000
    await getKey(s)
    expect(s.fetches()).toBe(2)
    expect(s.events).toHaveLength(1)
    s.clock.now = 610_000
    await getKey(s)
    expect(s.fetches()).toBe(3)
    expect(s.events).toHaveLength(2)
  })

  it('uses the refreshed set at once when the platform answers again', async () => {
    const s = flaky()
    await getKey(s)
    s.clock.now = 600_000
    s.answer(new TypeError('fetch failed'))
    await getKey(s)
    s.clock.now = 610_000
    s.answer('keys')
    await getKey(s)
    s.clock.now = 620_000
    await getKey(s)
    expect(s.fetches()).toBe(3)
  })

  it('stops serving the stale set maxStaleMs after it went stale (bounded; default 24 h)', async () => {
    const s = flaky({ maxStaleMs: 3_600_000 })
    await getKey(s)
    s.answer(503)
    s.clock.now = 600_000 + 3_600_000 - 1
    await expect(getKey(s)).resolves.toBeDefined()
    s.clock.now = 600_000 + 3_600_000
    await expect(getKey(s)).rejects.toMatchObject({ code: 'ERR_LTI_JWKS_UNAVAILABLE' })
  })

  it('does not fall back when maxStaleMs is 0', async () => {
    const s = flaky({ maxStaleMs: 0 })
    await getKey(s)
    s.clock.now = 600_000
    s.answer(503)
    await expect(getKey(s)).rejects.toMatchObject({ code: 'ERR_LTI_JWKS_UNAVAILABLE' })
    expect(s.events).toHaveLength(0)
  })

  it('never falls back when the refresh succeeded without the kid: a removed key is revoked (Security Framework 1.0 §6.3)', async () => {
    const s = flaky()
    await getKey(s)
    s.clock.now = 600_000
    s.answer('empty')
    await expect(getKey(s)).rejects.toMatchObject({ code: 'ERR_LTI_UNKNOWN_KID' })
    // A later outage does not bring the removed key back: the last good set is now the one without it.
    s.clock.now = 1_200_000
    s.answer(503)
    await expect(getKey(s)).rejects.toMatchObject({ code: 'ERR_LTI_JWKS_UNAVAILABLE' })
    expect(s.fetches()).toBe(3)
  })

  it('never falls back when the guarded fetch refused the JWKS address (OWASP SSRF)', async () => {
    const s = flaky()
    await getKey(s)
    s.clock.now = 600_000
    const refusal = new LtiError('ERR_LTI_PLATFORM_PRIVATE_ADDRESS', 'https://lms.example.org resolves to 10.0.0.5, a private address')
    s.answer(refusal)
    await expect(getKey(s)).rejects.toBe(refusal)
    expect(s.events).toHaveLength(0)
  })

  it.each([['HTTP 404', 404], ['HTTP 401', 401], ['HTTP 403', 403]] as const)('does not fall back on %s: the URL answered, with no key set', async (_, status) => {
    const s = flaky()
    await getKey(s)
    s.clock.now = 600_000
    s.answer(status)
    await expect(getKey(s)).rejects.toMatchObject({ code: 'ERR_LTI_JWKS_UNAVAILABLE', detail: { status } })
  })

  it('fails a kid the stale set lacks with ERR_LTI_JWKS_UNAVAILABLE: the tool cannot know the new key', async () => {
    const s = flaky()
    await getKey(s)
    s.clock.now = 600_000
    s.answer(503)
    await expect(getKey(s, 'rotated')).rejects.toMatchObject({ code: 'ERR_LTI_JWKS_UNAVAILABLE' })
    expect(s.fetches()).toBe(2)
  })

  it('has nothing to fall back on before the first good fetch', async () => {
    const s = flaky()
    s.answer(503)
    await expect(getKey(s)).rejects.toMatchObject({ code: 'ERR_LTI_JWKS_UNAVAILABLE' })
  })

  it('refuses a maxStaleMs that is negative or not finite (a caller mistake: TypeError)', () => {
    expect(() => createPlatformJwks({ maxStaleMs: -1 })).toThrow(TypeError)
    expect(() => createPlatformJwks({ maxStaleMs: Number.POSITIVE_INFINITY })).toThrow(TypeError)
  })
})

describe('createPlatformJwks last good set kept beyond the process (stale-if-error after a restart)', () => {
  const uri = 'https://lms.example.org/certs'
  const header = { alg: 'RS256', kid: double.kid }
  /** A store like the app's table: what one process saved, another loads. */
  function memoryLastGood() {
    const kept = new Map<string, { jwks: { keys: unknown[] }; fetchedAt: number }>()
    let loads = 0
    const store: PlatformJwksLastGood = {
      load: async (u) => { loads += 1; return kept.get(u) as never },
      save: async (u, jwks, fetchedAt) => { kept.set(u, { jwks: structuredClone(jwks) as never, fetchedAt }) },
    }
    return { store, kept, loads: () => loads }
  }
  /** One server process: its own memory cache, the shared clock and JWKS endpoint. */
  function processWith(lastGood: PlatformJwksLastGood, world: { now: number; answer: 'keys' | number }, extra: Partial<PlatformJwksOptions> = {}) {
    return createPlatformJwks({
      now: () => world.now, maxAgeMs: 600_000, refreshCooldownMs: 10_000, maxStaleMs: 3_600_000, lastGood, ...extra,
      fetch: async () => (world.answer === 'keys' ? Response.json({ keys: [double.publicJwk] }) : new Response('down', { status: world.answer })),
    })
  }

  it('a process started while the platform JWKS endpoint is down verifies with the set an earlier process kept', async () => {
    const lastGood = memoryLastGood()
    const world = { now: 0, answer: 'keys' as 'keys' | number }
    await processWith(lastGood.store, world).getKey(uri, header)
    await new Promise((r) => setImmediate(r))
    expect(lastGood.kept.get(uri)?.fetchedAt).toBe(0)
    world.now = 1_000_000
    world.answer = 503
    const restarted = processWith(lastGood.store, world)
    await expect(restarted.getKey(uri, header)).resolves.toBeDefined()
    await expect(restarted.getKey(uri, header)).resolves.toBeDefined()
    expect(lastGood.loads()).toBe(1)
  })

  it('bounds the kept set by maxStaleMs from its stored fetch time, not from the restart', async () => {
    const lastGood = memoryLastGood()
    const world = { now: 0, answer: 'keys' as 'keys' | number }
    await processWith(lastGood.store, world).getKey(uri, header)
    await new Promise((r) => setImmediate(r))
    world.now = 600_000 + 3_600_000
    world.answer = 503
    await expect(processWith(lastGood.store, world).getKey(uri, header)).rejects.toMatchObject({ code: 'ERR_LTI_JWKS_UNAVAILABLE' })
  })

  it('does not read the kept set when the JWKS answer is no key set (a 404 is not a stand-in case)', async () => {
    const lastGood = memoryLastGood()
    const world = { now: 0, answer: 'keys' as 'keys' | number }
    await processWith(lastGood.store, world).getKey(uri, header)
    await new Promise((r) => setImmediate(r))
    world.now = 700_000
    world.answer = 404
    await expect(processWith(lastGood.store, world).getKey(uri, header)).rejects.toMatchObject({ code: 'ERR_LTI_JWKS_UNAVAILABLE' })
    expect(lastGood.loads()).toBe(0)
  })

  it('goes on without it when the store fails to save or load, and tells onLastGoodError', async () => {
    const errors: unknown[] = []
    const broken: PlatformJwksLastGood = { load: async () => { throw new Error('db down') }, save: async () => { throw new Error('db down') } }
    const world = { now: 0, answer: 'keys' as 'keys' | number }
    await expect(processWith(broken, world, { onLastGoodError: (e) => errors.push(e) }).getKey(uri, header)).resolves.toBeDefined()
    await new Promise((r) => setImmediate(r))
    world.answer = 503
    await expect(processWith(broken, world, { onLastGoodError: (e) => errors.push(e) }).getKey(uri, header)).rejects.toMatchObject({ code: 'ERR_LTI_JWKS_UNAVAILABLE' })
    expect(errors).toHaveLength(2)
  })
})
