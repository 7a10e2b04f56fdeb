import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:net'
import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { createLrs } from '@tln/lrs'
import { createLtiTool } from '@tln/lti-tool'
import type { ResolveHost } from '@tln/lti-v1p3'
import { createApp, loadConfig } from '@tln/server'
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

/**
 * `/lti/register` is open to anyone, and makes the tool request the `openid_configuration` URL
 * and POST to its `registration_endpoint`. An https URL is not enough: its host may be, or resolve
 * to, a loopback, private (RFC 1918), link-local (cloud metadata) or other special-purpose address
 * (RFC 6890), which would let a stranger probe the tool's own network (OWASP SSRF Prevention Cheat
 * Sheet). Without an injected `fetch`, registration goes through the guarded fetch: the refusal is
 * a 400 page naming the URL and the kind of address, nothing is saved. An operator allows a LAN
 * platform with `platformAllowPrivate` (`TLN_LTI_PLATFORM_ALLOW_PRIVATE`).
 */
const PUBLIC = 'https://tln.example.org'
// Its own port per engine: the PGlite and PostgreSQL runs of this file may overlap.
const LAN_PORT = testEngine() === 'postgres' ? 18303 : 18302

describe(`Dynamic Registration refuses special-purpose addresses, on ${testEngine()}`, () => {
  let db: Db
  let http: ReturnType<typeof request>
  let lan: Server
  let lanConnections = 0
  const resolved: string[] = []
  const hosts: Record<string, string> = {
    'lms.example.org': '10.0.0.5',
    'metadata.google.internal': '169.254.169.254',
    'rebind.example.org': '::ffff:127.0.0.1',
    'moodle.lan': '127.0.0.1',
  }
  const resolveHost: ResolveHost = async (hostname) => {
    resolved.push(hostname)
    const address = hosts[hostname]
    if (address === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
    return [{ address, family: address.includes(':') ? 6 : 4 }]
  }
  beforeAll(async () => {
    db = await createTestDb()
    const logger = { debug() {}, info() {}, warn() {}, error() {} }
    const lrs = createLrs({ knex: db.knex, logger, publicUrl: PUBLIC })
    // The LAN "Moodle": a socket that counts connections and hangs up (no TLS), enough to see the tool got through the guard.
    lan = createServer((socket) => { lanConnections++; socket.destroy() })
    await new Promise<void>((resolve) => lan.listen(LAN_PORT, '127.0.0.1', resolve))
    const tool = await createLtiTool({
      knex: db.knex, lrs, logger,
      config: { publicUrl: PUBLIC, keySecret: new Uint8Array(randomBytes(32)), resolveHost, platformAllowPrivate: ['moodle.lan'] },
    })
    http = request(createApp({ config: loadConfig({}), db, logger: logger as never, lrs, publicUrl: PUBLIC, lti: tool.router }))
  })
  afterAll(async () => {
    await new Promise((resolve) => lan?.close(resolve))
    await db?.close()
  })
  beforeEach(() => {
    resolved.length = 0
  })
  const platforms = async () => Number(((await db.knex('lti_platform').count({ n: '*' }).first()) as { n: number | string }).n)

  it.each([
    ['https://10.0.0.5:8443/openid-configuration', 'private', []],
    ['https://127.0.0.1:5432/', 'loopback', []],
    ['https://[::1]/', 'loopback', []],
    ['https://169.254.169.254/latest/meta-data/', 'link-local', []],
    ['https://[::ffff:a9fe:a9fe]/', 'link-local', []],
    ['https://100.64.0.1/', 'shared', []],
    ['https://lms.example.org/mod/lti/openid-configuration.php', 'private', ['lms.example.org']],
    ['https://metadata.google.internal/computeMetadata/v1/', 'link-local', ['metadata.google.internal']],
    ['https://rebind.example.org/', 'loopback', ['rebind.example.org']],
  ])('refuses openid_configuration=%s (a %s address, RFC 6890) with 400 naming it, and saves nothing (OWASP SSRF)', async (url, kind, asked) => {
    const res = await http.get('/lti/register').query({ openid_configuration: url, registration_token: 't' })
    expect(res.status).toBe(400)
    expect(res.headers['x-tln-error']).toBe('ERR_LTI_REGISTRATION_PRIVATE_ADDRESS')
    expect(res.text).toContain(`TLN tidak menghubungi ${new URL(url).origin}`)
    expect(res.text).toContain(`TLN did not connect to ${new URL(url).origin}, because its address is a ${kind} address`)
    expect(res.text).toContain('TLN_LTI_PLATFORM_ALLOW_PRIVATE')
    expect(resolved).toEqual(asked)
    expect(await platforms()).toBe(0)
  })

  it('connects to a platform on a private address the operator allowed (TLN_LTI_PLATFORM_ALLOW_PRIVATE=moodle.lan)', async () => {
    const before = lanConnections
    const res = await http.get('/lti/register').query({ openid_configuration: `https://moodle.lan:${LAN_PORT}/mod/lti/openid-configuration.php` })
    // The guard let it through: the tool connected; this socket speaks no TLS, so the request fails as a network error.
    expect(res.headers['x-tln-error']).toBe('ERR_LTI_SERVICE_NETWORK')
    expect(res.status).toBe(502)
    expect(lanConnections).toBe(before + 1)
    expect(resolved).toEqual(['moodle.lan'])
    expect(await platforms()).toBe(0)
  })
})
