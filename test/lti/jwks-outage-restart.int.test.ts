import { randomBytes } from 'node:crypto'
import { createTestDb } from '@tln/db/testing'
import type { Db } from '@tln/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CookieJar } from './cookie-jar.ts'
import { startPlatformSimulator, type PlatformSimulator } from './platform-simulator.ts'
import { formAction, formFields, startToolServer, type ToolServer } from './tool-server.ts'

/**
 * Security Framework 1.0 §6.3 key caching with stale-if-error (RFC 5861 §4 as the model), across a
 * restart: the last good platform key set is kept in the database (`lti_platform_jwks`), so a TLN
 * server started while the LMS's JWKS endpoint is down still verifies launches, as the process
 * that fetched it would have. Over real HTTP against the platform simulator, PGlite and PostgreSQL.
 */
describe('platform JWKS outage across a restart', () => {
  let sim: PlatformSimulator
  let db: Db
  const keySecret = new Uint8Array(randomBytes(32))
  const servers: ToolServer[] = []

  async function startTln(): Promise<ToolServer> {
    const tln = await startToolServer({ db, keySecret })
    servers.push(tln)
    sim.setTool({ loginUrl: `${tln.url}/lti/login`, redirectUri: `${tln.url}/lti/launch`, jwksUri: `${tln.url}/lti/jwks` })
    return tln
  }

  async function launchStatus(tln: ToolServer): Promise<number> {
    const browser = new CookieJar()
    const login = await browser.post(`${tln.url}/lti/login`, sim.initiation())
    const check = await browser.fetch(new URL(login.headers.get('location')!, tln.url).href)
    const auth = await fetch(check.headers.get('location')!)
    const html = await auth.text()
    const action = formAction(html)
    const launch = await fetch(action, { method: 'POST', body: new URLSearchParams(formFields(html)), redirect: 'manual', headers: { cookie: browser.header(action) } })
    await launch.arrayBuffer()
    return launch.status
  }

  beforeAll(async () => {
    sim = await startPlatformSimulator()
    db = await createTestDb()
  })
  afterAll(async () => {
    for (const s of servers) await s.close()
    await db?.close()
    await sim?.close()
  })

  it('a server started while the platform JWKS answers 503 verifies launches with the set an earlier server kept', async () => {
    const first = await startTln()
    await first.tool.platforms.add({ platform: sim.platform, deploymentIds: [sim.deploymentId], status: 'active', registeredBy: 'cli' })
    expect(await launchStatus(first)).toBe(200)
    // Kept in the background after the launch: vitest's default 1 s is too short a wait on a loaded machine.
    await expect.poll(async () => (await db.knex('lti_platform_jwks').where({ jwks_uri: sim.platform.jwksUri })).length, { timeout: 10_000 }).toBe(1)
    await first.close()
    servers.length = 0

    sim.fail({ path: /certs\.php$/, status: 503, body: 'down for maintenance', times: 1000 })
    const restarted = await startTln()
    expect(await launchStatus(restarted)).toBe(200)
    expect(restarted.logs().some((l) => /last good key set/.test(String(l.msg)))).toBe(true)
  })

  it('keeps public keys only', async () => {
    const [row] = await db.knex('lti_platform_jwks').select('jwks') as Array<{ jwks: { keys: Array<Record<string, unknown>> } }>
    expect(row!.jwks.keys.length).toBeGreaterThan(0)
    for (const key of row!.jwks.keys) expect(key).not.toHaveProperty('d')
  })
})
