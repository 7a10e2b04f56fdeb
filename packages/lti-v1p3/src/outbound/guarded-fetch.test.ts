import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRegistration } from '../registration/start-registration.ts'
import { parsePrivateAddressAllowance } from './address-policy.ts'
import { createGuardedFetch, type ResolveHost } from './guarded-fetch.ts'

/** A resolver from a fixed table that counts its queries: no DNS in tests. */
function fakeResolver(table: Record<string, string[] | string[][]>) {
  const asked: string[] = []
  const resolve: ResolveHost = async (hostname) => {
    const n = asked.filter((h) => h === hostname).length
    asked.push(hostname)
    const entry = table[hostname]
    if (entry === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
    // A list of lists answers differently on each query (a rebinding name).
    const answer = (Array.isArray(entry[0]) ? (entry as string[][])[Math.min(n, entry.length - 1)] : entry) as string[]
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
  }
  return { resolve, asked }
}

describe('createGuardedFetch (OWASP SSRF Prevention Cheat Sheet; RFC 6890 special-purpose addresses)', () => {
  let server: Server
  let port: number
  const requests: string[] = []
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url} host=${req.headers.host}`)
      if (req.url === '/big') { res.end(Buffer.alloc(64 * 1024, 120)); return }
      if (req.url === '/redirect') { res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(); return }
      if (req.url === '/slow') return
      let body = ''
      req.on('data', (c: Buffer) => { body += c.toString() })
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] }).end(JSON.stringify({ ok: true, method: req.method, body })))
    })
    await new Promise<void>((resolve) => server.listen(18300, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it('refuses a host name that resolves to a private address, before connecting (RFC 1918; OWASP SSRF: validate the resolved address)', async () => {
    const { resolve } = fakeResolver({ 'lms.example.org': ['10.0.0.5'] })
    const guarded = createGuardedFetch({ resolve })
    const before = requests.length
    await expect(guarded(`http://lms.example.org:${port}/config`)).rejects.toMatchObject({
      code: 'ERR_LTI_REGISTRATION_PRIVATE_ADDRESS', detail: expect.objectContaining({ host: 'lms.example.org', address: '10.0.0.5', kind: 'private' }),
    })
    expect(requests.length).toBe(before)
  })

  it('refuses a dynamically registered platform\'s later request with the code it is given (ERR_LTI_PLATFORM_PRIVATE_ADDRESS)', async () => {
    const { resolve } = fakeResolver({ 'lms.example.org': ['10.0.0.5'] })
    const guarded = createGuardedFetch({ resolve, refusalCode: 'ERR_LTI_PLATFORM_PRIVATE_ADDRESS' })
    const before = requests.length
    await expect(guarded(`http://lms.example.org:${port}/certs`)).rejects.toMatchObject({
      code: 'ERR_LTI_PLATFORM_PRIVATE_ADDRESS', detail: expect.objectContaining({ host: 'lms.example.org', address: '10.0.0.5', kind: 'private' }),
    })
    expect(requests.length).toBe(before)
  })

  it('refuses a host name when any of its addresses is special-purpose (link-local metadata among public ones, RFC 3927)', async () => {
    const { resolve } = fakeResolver({ 'metadata.google.internal': ['93.184.215.14', '169.254.169.254'] })
    await expect(createGuardedFetch({ resolve })('https://metadata.google.internal/computeMetadata/v1/'))
      .rejects.toMatchObject({ code: 'ERR_LTI_REGISTRATION_PRIVATE_ADDRESS', detail: expect.objectContaining({ kind: 'link-local' }) })
  })

  it.each(['https://10.0.0.5:8443/', 'https://127.0.0.1:5432/', 'https://[::1]/', 'https://169.254.169.254/', 'https://[::ffff:127.0.0.1]/', 'https://2130706433/', 'https://[fd00::1]/', 'https://100.64.0.1/', 'https://localhost/'])(
    'refuses the IP literal or localhost name %s without resolving anything (RFC 6890; RFC 6761 §6.3)', async (url) => {
      const { resolve, asked } = fakeResolver({})
      await expect(createGuardedFetch({ resolve })(url)).rejects.toMatchObject({ code: 'ERR_LTI_REGISTRATION_PRIVATE_ADDRESS' })
      expect(asked).toEqual([])
    })

  it('connects to a private address inside an allowed CIDR block (operator allowance), keeping the Host header', async () => {
    const { resolve } = fakeResolver({ 'moodle.lan': ['127.0.0.1'] })
    const guarded = createGuardedFetch({ resolve, allowPrivate: parsePrivateAddressAllowance(['127.0.0.0/8']) })
    const response = await guarded(`http://moodle.lan:${port}/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true, method: 'POST', body: '{"a":1}' })
    expect(response.headers.get('set-cookie')).toContain('a=1')
    expect(requests.at(-1)).toBe(`POST /config host=moodle.lan:${port}`)
  })

  it('connects to an allowed host name whatever private address it resolves to', async () => {
    const { resolve } = fakeResolver({ 'moodle.lan': ['127.0.0.1'] })
    const response = await createGuardedFetch({ resolve, allowPrivate: parsePrivateAddressAllowance(['moodle.lan']) })(`http://moodle.lan:${port}/config`)
    expect(response.status).toBe(200)
  })

  it('connects to exactly the address it checked: a rebinding name is resolved once per request (OWASP SSRF: DNS pinning)', async () => {
    const { resolve, asked } = fakeResolver({ 'rebind.example': [['127.0.0.1'], ['169.254.169.254']] })
    const guarded = createGuardedFetch({ resolve, allowPrivate: parsePrivateAddressAllowance(['127.0.0.1/32']) })
    expect((await guarded(`http://rebind.example:${port}/config`)).status).toBe(200)
    expect(asked).toEqual(['rebind.example'])
    // The next query answers the metadata address: refused, not connected to.
    await expect(guarded(`http://rebind.example:${port}/config`)).rejects.toMatchObject({ code: 'ERR_LTI_REGISTRATION_PRIVATE_ADDRESS', detail: expect.objectContaining({ address: '169.254.169.254' }) })
  })

  it('does not follow a redirect: the 302 is the answer', async () => {
    const { resolve } = fakeResolver({ 'moodle.lan': ['127.0.0.1'] })
    const response = await createGuardedFetch({ resolve, allowLoopback: true })(`http://moodle.lan:${port}/redirect`)
    expect(response.status).toBe(302)
    expect(requests.filter((r) => r.includes('meta-data'))).toEqual([])
  })

  it('stops reading an answer larger than maxResponseBytes', async () => {
    const { resolve } = fakeResolver({ 'moodle.lan': ['127.0.0.1'] })
    await expect(createGuardedFetch({ resolve, allowLoopback: true, maxResponseBytes: 16 * 1024 })(`http://moodle.lan:${port}/big`))
      .rejects.toMatchObject({ code: 'ERR_LTI_SERVICE_INVALID_RESPONSE' })
  })

  it('gives up on a platform that never answers after timeoutMs', async () => {
    const { resolve } = fakeResolver({ 'moodle.lan': ['127.0.0.1'] })
    const started = Date.now()
    await expect(createGuardedFetch({ resolve, allowLoopback: true, timeoutMs: 300 })(`http://moodle.lan:${port}/slow`)).rejects.toThrow()
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})

describe('startRegistration through the guarded fetch (Dynamic Registration 1.0 §3.4–3.5; OWASP SSRF Prevention Cheat Sheet)', () => {
  const tool = { clientName: 'TLN', initiateLoginUri: 'https://tln.example/lti/login', redirectUris: ['https://tln.example/lti/launch'], jwksUri: 'https://tln.example/lti/jwks', targetLinkUri: 'https://tln.example/lti/launch' }
  let server: Server
  const posted: string[] = []
  let base = ''
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.method === 'POST') { posted.push(req.url ?? ''); res.end(JSON.stringify({ client_id: 'c1' })); return }
      res.setHeader('content-type', 'application/json')
      const registrationEndpoint = req.url === '/metadata' ? 'https://metadata.google.internal/computeMetadata/v1/' : `${base}/register`
      res.end(JSON.stringify({
        issuer: base, authorization_endpoint: `${base}/auth`, token_endpoint: `${base}/token`, jwks_uri: `${base}/jwks`, registration_endpoint: registrationEndpoint,
        token_endpoint_auth_methods_supported: ['private_key_jwt'], id_token_signing_alg_values_supported: ['RS256'], response_types_supported: ['id_token'], subject_types_supported: ['public'],
        'https://purl.imsglobal.org/spec/lti-platform-configuration': { product_family_code: 'moodle', version: '4.5', messages_supported: [{ type: 'LtiResourceLinkRequest' }] },
      }))
    })
    await new Promise<void>((resolve) => server.listen(18301, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it('refuses an openid_configuration whose host resolves to a private address, naming the URL, and requests nothing (RFC 1918)', async () => {
    const { resolve, asked } = fakeResolver({ 'lms.example.org': ['192.168.1.10'] })
    await expect(startRegistration({ openidConfigurationUrl: 'https://lms.example.org/mod/lti/openid-configuration.php', tool, resolve }))
      .rejects.toMatchObject({ code: 'ERR_LTI_REGISTRATION_PRIVATE_ADDRESS', message: expect.stringContaining('https://lms.example.org resolves to 192.168.1.10') })
    expect(asked).toEqual(['lms.example.org'])
  })

  it('refuses an openid_configuration on a private IP literal before resolving or requesting (RFC 6890)', async () => {
    await expect(startRegistration({ openidConfigurationUrl: 'https://10.0.0.5:8443/openid-configuration', tool }))
      .rejects.toMatchObject({ code: 'ERR_LTI_REGISTRATION_PRIVATE_ADDRESS', detail: expect.objectContaining({ field: 'openid_configuration' }) })
  })

  it('does not POST the registration to an endpoint that resolves to the link-local metadata service (RFC 3927)', async () => {
    const { resolve } = fakeResolver({ 'metadata.google.internal': ['169.254.169.254'] })
    await expect(startRegistration({ openidConfigurationUrl: `${base}/metadata`, tool, resolve, allowHttpLoopback: true }))
      .rejects.toMatchObject({ code: 'ERR_LTI_REGISTRATION_PRIVATE_ADDRESS', detail: expect.objectContaining({ host: 'metadata.google.internal' }) })
    expect(posted).toEqual([])
  })

  it('registers with a loopback development platform under allowHttpLoopback', async () => {
    const registration = await startRegistration({ openidConfigurationUrl: `${base}/config`, tool, allowHttpLoopback: true })
    expect(registration.platform).toMatchObject({ issuer: base, clientId: 'c1' })
    expect(posted).toEqual(['/register'])
  })
})
