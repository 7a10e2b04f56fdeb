import { createServer, type Server } from 'node:http'
import { exportJWK, generateKeyPair } from 'jose'
import { parsePrivateAddressAllowance, type FetchLike, type Platform, type ResolveHost } from '@tln/lti-v1p3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPlatformOutbound, createToolPlatformJwks, ROSTER_MAX_RESPONSE_BYTES } from './platform-outbound.ts'

/**
 * A platform registered by Dynamic Registration chose its own URLs (OWASP SSRF Prevention Cheat
 * Sheet: validate the resolved address of every URL an untrusted party supplies); one an operator
 * added by hand did not. No DNS: the resolver is a table.
 */
const PORT = 18330
const KID = 'k1'
const { publicKey } = await generateKeyPair('RS256')
const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' }] })
/** A registration whose key set is at `jwksUri`, dynamic or added by an operator. */
const platform = (jwksUri: string, registeredBy: 'dynamic' | 'operator'): Platform => ({
  issuer: new URL(jwksUri).origin, clientId: 'c1', authorizationEndpoint: `${new URL(jwksUri).origin}/auth`, tokenEndpoint: `${new URL(jwksUri).origin}/token`, jwksUri,
  ...(registeredBy === 'dynamic' && { dynamicallyRegistered: true }),
})

describe('createPlatformOutbound and createToolPlatformJwks (OWASP SSRF Prevention Cheat Sheet)', () => {
  let server: Server
  const requests: string[] = []
  const asked: string[] = []
  const hosts: Record<string, string> = { 'lms.example.org': '10.0.0.5', 'moodle.lan': '127.0.0.1' }
  const resolveHost: ResolveHost = async (hostname) => {
    asked.push(hostname)
    const address = hosts[hostname]
    if (address === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
    return [{ address, family: 4 }]
  }
  /** The operator's plain fetch: a LAN Moodle reached by name (here: this test's server). */
  const operatorFetch: FetchLike = (url, init) => {
    requests.push(`operator ${url}`)
    return globalThis.fetch(url.replace(/\/\/(lms\.example\.org|moodle\.lan):/u, '//127.0.0.1:'), init)
  }
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(`server ${req.url}`)
      if (req.url === '/big') { res.end(Buffer.alloc(2 * 1024 * 1024, 32)); return }
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks)
    })
    await new Promise<void>((resolve) => server.listen(PORT, '127.0.0.1', resolve))
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  const header = { alg: 'RS256', kid: KID }
  const fresh = () => { requests.length = 0; asked.length = 0 }

  it('refuses a dynamically registered platform\'s JWKS whose host resolves to 10.x, with no request made (RFC 1918)', async () => {
    fresh()
    const keys = createToolPlatformJwks(createPlatformOutbound({ fetch: operatorFetch, resolveHost }))
    const jwksUri = `http://lms.example.org:${PORT}/certs`
    await expect(keys.getKey(jwksUri, header, platform(jwksUri, 'dynamic'))).rejects.toMatchObject({
      code: 'ERR_LTI_PLATFORM_PRIVATE_ADDRESS', detail: expect.objectContaining({ url: jwksUri, address: '10.0.0.5', kind: 'private', cidr: '10.0.0.0/8' }),
    })
    expect(asked).toEqual(['lms.example.org'])
    expect(requests).toEqual([])
  })

  it('fetches the same JWKS URL with the plain fetch for a platform an operator added', async () => {
    fresh()
    const keys = createToolPlatformJwks(createPlatformOutbound({ fetch: operatorFetch, resolveHost }))
    const jwksUri = `http://lms.example.org:${PORT}/certs`
    await expect(keys.getKey(jwksUri, header, platform(jwksUri, 'operator'))).resolves.toBeDefined()
    expect(asked).toEqual([])
    expect(requests).toEqual([`operator ${jwksUri}`, 'server /certs'])
  })

  it('takes the guarded side when no platform is named (fail closed)', async () => {
    fresh()
    const keys = createToolPlatformJwks(createPlatformOutbound({ fetch: operatorFetch, resolveHost }))
    await expect(keys.getKey(`http://lms.example.org:${PORT}/certs`, header)).rejects.toMatchObject({ code: 'ERR_LTI_PLATFORM_PRIVATE_ADDRESS' })
    expect(requests).toEqual([])
  })

  it('connects to a dynamically registered platform inside the allowed CIDR block (TLN_LTI_PLATFORM_ALLOW_PRIVATE=127.0.0.0/8)', async () => {
    fresh()
    const jwksUri = `http://moodle.lan:${PORT}/certs`
    const refused = createToolPlatformJwks(createPlatformOutbound({ fetch: operatorFetch, resolveHost }))
    await expect(refused.getKey(jwksUri, header, platform(jwksUri, 'dynamic'))).rejects.toMatchObject({ code: 'ERR_LTI_PLATFORM_PRIVATE_ADDRESS', detail: expect.objectContaining({ kind: 'loopback' }) })
    expect(requests).toEqual([])
    const allowed = createToolPlatformJwks(createPlatformOutbound({ fetch: operatorFetch, resolveHost, allowPrivate: parsePrivateAddressAllowance(['127.0.0.0/8']) }))
    await expect(allowed.getKey(jwksUri, header, platform(jwksUri, 'dynamic'))).resolves.toBeDefined()
    // The guarded fetch itself connected (the operator's fetch was not used).
    expect(requests).toEqual(['server /certs'])
  })

  it('never lets an injected fetch stand in for the guard of a dynamically registered platform', () => {
    const outbound = createPlatformOutbound({ fetch: operatorFetch, resolveHost })
    expect(outbound.fetchFor({})).toBe(operatorFetch)
    expect(outbound.fetchFor({ dynamicallyRegistered: true })).not.toBe(operatorFetch)
    expect(outbound.fetchFor({ dynamicallyRegistered: true }, 'roster')).not.toBe(operatorFetch)
  })

  it('reads a large NRPS membership page (up to 32 MiB) where a service answer stops at 1 MiB', async () => {
    fresh()
    const outbound = createPlatformOutbound({ resolveHost, allowPrivate: parsePrivateAddressAllowance(['moodle.lan']) })
    const url = `http://moodle.lan:${PORT}/big`
    await expect(outbound.fetchFor({ dynamicallyRegistered: true })!(url)).rejects.toMatchObject({ code: 'ERR_LTI_SERVICE_INVALID_RESPONSE' })
    const roster = await outbound.fetchFor({ dynamicallyRegistered: true }, 'roster')!(url)
    expect((await roster.arrayBuffer()).byteLength).toBe(2 * 1024 * 1024)
    expect(ROSTER_MAX_RESPONSE_BYTES).toBe(32 * 1024 * 1024)
  })
})

describe('createToolPlatformJwks stale-if-error (Security Framework 1.0 §6.3; RFC 5861 §4 as the model)', () => {
  it('verifies with the last good key set when the platform JWKS is down after maxAge, and warns the operator once per cooldown', async () => {
    let down = false
    const clock = { now: 0 }
    const warnings: { object: object; message: string }[] = []
    const fetch: FetchLike = async () => (down ? new Response('Bad gateway', { status: 502 }) : new Response(jwks, { headers: { 'content-type': 'application/json' } }))
    const keys = createToolPlatformJwks(createPlatformOutbound({ fetch }), { now: () => clock.now, logger: { warn: (object, message) => warnings.push({ object, message }) } })
    const jwksUri = 'https://moodle.example.org/mod/lti/certs.php'
    const header = { alg: 'RS256', kid: KID }
    await keys.getKey(jwksUri, header, platform(jwksUri, 'operator'))
    down = true
    clock.now = 10 * 60_000
    await expect(keys.getKey(jwksUri, header, platform(jwksUri, 'operator'))).resolves.toBeDefined()
    await expect(keys.getKey(jwksUri, header, platform(jwksUri, 'operator'))).resolves.toBeDefined()
    expect(warnings).toEqual([{ object: expect.objectContaining({ jwksUri, ageS: 600, staleForS: 86_400, detail: { jwksUri, status: 502 } }), message: expect.stringMatching(/last good key set/u) }])
  })
})
