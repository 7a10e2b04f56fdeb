import { randomBytes } from 'node:crypto'
import type { Db } from '@tln/db'
import { createDb } from '@tln/db'
import { createTestDb, testEngine, testServerUrl } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPlatformSimulator, type PlatformSimulator } from './platform-simulator.ts'
import { CookieJar } from './cookie-jar.ts'
import { formAction, formFields, startToolServer, type ToolServer } from './tool-server.ts'

/**
 * ARCHITECTURE.md "The server is stateless": two TLN servers on one PostgreSQL, each with its own
 * knex pool (they share nothing but the database and the configured key secret), behave as one:
 * a login started on one completes on the other. PostgreSQL only: embedded PGlite is one process
 * by construction.
 */
describe.skipIf(testEngine() !== 'postgres')('two server processes on one PostgreSQL', () => {
  let sim: PlatformSimulator
  let base: Db
  let second: Db
  let a: ToolServer
  let b: ToolServer

  beforeAll(async () => {
    base = await createTestDb()
    const { rows } = (await base.knex.raw('select current_database() as name')) as { rows: Array<{ name: string }> }
    const url = testServerUrl(rows[0]!.name)
    second = await createDb({ engine: 'postgres', url, poolMax: 2 })
    const keySecret = new Uint8Array(randomBytes(32))
    sim = await startPlatformSimulator()
    a = await startToolServer({ db: base, keySecret })
    b = await startToolServer({ db: second, keySecret })
    sim.setTool({ loginUrl: `${a.url}/lti/login`, redirectUri: `${a.url}/lti/launch`, jwksUri: `${a.url}/lti/jwks` })
    await a.tool.platforms.add({ platform: sim.platform, deploymentIds: [sim.deploymentId], status: 'active', registeredBy: 'cli' })
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    await sim?.close()
    await second?.close()
    await base?.close()
  })

  it('completes on B a login started on A, and B sees A\'s session and keys', async () => {
    // One browser: A and B share the host, so the state cookie set by A goes to B (cookies ignore the port).
    const browser = new CookieJar()
    const login = await browser.login(`${a.url}/lti/login`, sim.initiation())
    expect(login.status).toBe(302)
    const auth = await (await fetch(login.headers.get('location')!)).text()
    // The load balancer sends the launch to B (same path, other process).
    const launchOnB = formAction(auth).replace(a.url, b.url)
    const stateCookie = browser.header(launchOnB)
    const landed = await browser.post(launchOnB, formFields(auth))
    expect(landed.status).toBe(200)
    expect(await landed.text()).toContain('Selamat datang, Siti Rahayu')
    const cookie = landed.headers.get('set-cookie')!.split(';')[0]!
    expect((await fetch(`${a.url}/lti/home`, { headers: { cookie } })).status).toBe(200)

    // The replay lands on A: the state was consumed on B.
    const replay = await fetch(formAction(auth), { method: 'POST', body: new URLSearchParams(formFields(auth)), redirect: 'manual', headers: { cookie: stateCookie } })
    expect(replay.status).toBe(401)
    expect(replay.headers.get('x-tln-error')).toBe('ERR_LTI_STATE_UNKNOWN')

    const jwksA = await (await fetch(`${a.url}/lti/jwks`)).json()
    const jwksB = await (await fetch(`${b.url}/lti/jwks`)).json()
    expect(jwksB).toEqual(jwksA)
  })
})
