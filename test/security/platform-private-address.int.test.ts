import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { passbackState, type PlatformRecord, type ScoreToPass } from '@tln/lti-tool'
import type { FetchLike, ResolveHost } from '@tln/lti-v1p3'
import { CookieJar } from '../lti/cookie-jar.ts'
import { startPlatformSimulator, type PlatformSimulator } from '../lti/platform-simulator.ts'
import { formAction, formFields, startToolServer, type ToolServer } from '../lti/tool-server.ts'

/**
 * A platform registered by Dynamic Registration chose its `jwks_uri` and `token_endpoint` itself,
 * and its launches name the AGS and NRPS URLs: with `TLN_LTI_DYNAMIC_REGISTRATION=active`, whoever
 * called the open `/lti/register`. Every later request to them goes through the guarded fetch under
 * the registration's allowance (`TLN_LTI_PLATFORM_ALLOW_PRIVATE`), so a host name that resolves to a
 * private address is refused, not connected to (OWASP SSRF Prevention Cheat Sheet; RFC 6890). A
 * platform an operator added keeps the plain fetch: a LAN Moodle added by hand works as before.
 *
 * Here `lms.example.org` resolves (injected resolver) to 10.0.0.5; the operator's plain fetch
 * reaches the platform simulator under that name, as a LAN Moodle would be reached.
 */
let sim: PlatformSimulator
let tln: ToolServer
let platform: PlatformRecord
const resolved: string[] = []
const plainRequests: string[] = []
const resolveHost: ResolveHost = async (hostname) => {
  resolved.push(hostname)
  if (hostname !== 'lms.example.org') throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
  return [{ address: '10.0.0.5', family: 4 }]
}
const lanFetch: FetchLike = (url, init) => {
  plainRequests.push(url)
  return globalThis.fetch(url.replace('//lms.example.org:', '//127.0.0.1:'), init)
}
/** The simulator's URL under the LAN name. */
const onLan = (url: string) => url.replace('//127.0.0.1:', '//lms.example.org:')

beforeAll(async () => {
  sim = await startPlatformSimulator()
  tln = await startToolServer({ config: { fetch: lanFetch, resolveHost } })
  sim.setTool({ loginUrl: `${tln.url}/lti/login`, redirectUri: `${tln.url}/lti/launch`, jwksUri: `${tln.url}/lti/jwks` })
  platform = await tln.tool.platforms.add({
    platform: { ...sim.platform, jwksUri: onLan(sim.platform.jwksUri), tokenEndpoint: onLan(sim.platform.tokenEndpoint) },
    deploymentIds: [sim.deploymentId], status: 'active', registeredBy: 'dynamic',
  })
})
afterAll(async () => {
  await tln?.close()
  await sim?.close()
})
beforeEach(() => {
  resolved.length = 0
  plainRequests.length = 0
})
const registeredBy = (by: 'cli' | 'dynamic') => tln.db.knex('lti_platform').where({ id: platform.id }).update({ registered_by: by })

async function launch() {
  const browser = new CookieJar()
  const login = await browser.login(`${tln.url}/lti/login`, sim.initiation())
  const auth = await (await fetch(login.headers.get('location')!)).text()
  const response = await browser.post(formAction(auth), formFields(auth))
  return { response, html: await response.text() }
}

describe('a dynamically registered platform\'s later requests are guarded too (OWASP SSRF; issue 7)', () => {
  it('refuses the launch when its jwks_uri resolves to 10.x (RFC 1918): 403 page naming the URL and the allowance, no JWKS request, nothing saved', async () => {
    await registeredBy('dynamic')
    const jwksFetches = sim.double.counters.jwksFetches
    const users = await tln.db.knex('lti_user').count({ n: '*' }).first()
    const { response, html } = await launch()
    expect(response.status).toBe(403)
    expect(response.headers.get('x-tln-error')).toBe('ERR_LTI_PLATFORM_PRIVATE_ADDRESS')
    expect(html).toContain(`TLN did not connect to ${new URL(onLan(sim.origin)).origin}`)
    expect(html).toContain('because it is a private address (10.0.0.0/8')
    expect(html).toContain(`TLN tidak menghubungi ${new URL(onLan(sim.origin)).origin}`)
    expect(html).toContain('TLN_LTI_PLATFORM_ALLOW_PRIVATE')
    expect(resolved).toEqual(['lms.example.org'])
    expect(plainRequests).toEqual([])
    expect(sim.double.counters.jwksFetches).toBe(jwksFetches)
    expect(await tln.db.knex('lti_user').count({ n: '*' }).first()).toEqual(users)
  })

  it('launches a platform an operator added with the same jwks_uri, through the plain fetch', async () => {
    await registeredBy('cli')
    const { response, html } = await launch()
    expect(response.status).toBe(200)
    expect(html).toContain('Selamat datang')
    expect(resolved).toEqual([])
    expect(plainRequests).toEqual([onLan(sim.platform.jwksUri)])
  })

  it('fails a grade passback at once when its token endpoint resolves privately: one attempt, the refusal recorded, no retry (AGS 2.0 §3.4)', async () => {
    await registeredBy('dynamic')
    const serviceRequests = sim.state.serviceRequests.length
    const score: ScoreToPass = {
      platform, userSub: 'user-17', scoreGiven: 80, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded',
      timestamp: new Date(Date.UTC(2026, 10, 29, 1, 0, 0)), instructor: { sub: 'user-19', name: 'Dewi' }, contextId: 'course-1',
      target: { lineItemsUrl: sim.double.services.lineItemsUrl, label: 'RPPH', resourceLinkId: 'rl-1' },
    }
    const id = await tln.db.knex.transaction((trx) => tln.tool.enqueueScore(trx, score))
    expect(await tln.tool.createPassbackWorker({ random: () => 0 }).drain()).toEqual({ sent: 0, retry: 0, failed: 1, released: 0 })
    const job = (await tln.tool.listPassbacks({ tenant: 'default' })).find((j) => j.id === id)!
    expect(job).toMatchObject({ status: 'failed', attempts: 1, lastError: { code: 'ERR_LTI_PLATFORM_PRIVATE_ADDRESS', message: expect.stringContaining('resolves to 10.0.0.5') } })
    expect(job.lastError!.status).toBeUndefined()
    expect(passbackState(job)).toBe('failed')
    expect(resolved).toEqual(['lms.example.org'])
    expect(plainRequests).toEqual([])
    expect(sim.state.serviceRequests.length).toBe(serviceRequests)
  })
})
