import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CompetenceConfigStore, CompetenceEngine } from '@tln/competence'
import { createDb, migrateToLatest, type Db } from '@tln/db'
import { createLrs } from '@tln/lrs'
import { DbPlatformStore } from '@tln/lti-tool'
import { createLogger } from '@tln/server'
import { testEngine, testServerUrl } from '@tln/db/testing'
import { projections } from '../../packages/competence/test/engine/engine-fixture.ts'
import { benchCompetenceConfig, benchCompetenceStatement } from '../bench/competence-data.ts'
import { startServer, type ServerProcess, type Storage } from '../bench/server-process.ts'
import { startPlatformSimulator, type PlatformSimulator } from '../lti/platform-simulator.ts'
import { CookieJar } from '../lti/cookie-jar.ts'
import { formAction, formFields } from '../lti/tool-server.ts'

/**
 * Scale-out (issue 7, "Reliability": "two server processes on one PostgreSQL behind a round-robin:
 * LTI logins, sessions, the stream consumer and forwarding all behave as with one"; ARCHITECTURE.md
 * "The server is stateless"). Two real `tln serve` processes share one fresh PostgreSQL database
 * and TLN_SECRET_KEY; a round-robin HTTP proxy in this file sends each request to the next backend
 * (a new upstream connection per request, so keep-alive pins nothing), and skips a backend that
 * refuses connections, as a load balancer's health check does. A third server here is the
 * forwarding target (an LRS that stores each statement id once, xAPI 1.0.3 Communication 2.1.2).
 * PostgreSQL only: embedded PGlite is one process by construction.
 */
const KEY = 'scale-out'
const SECRET = 'scale-out-secret'
const SECRET_KEY = 'scale-out-test-server-secret-0123456789abcdef'
const HEADERS = { Authorization: `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' }
const REMOTE_AUTH = `Basic ${Buffer.from('receiver:receiver-secret').toString('base64')}`
const FIRST = 600
const SECOND = 300

interface RoundRobin {
  url: string
  setBackends(urls: string[]): void
  /** Which backend answered each request, in order. */
  served: Array<{ method: string; path: string; backend: string }>
  close(): Promise<void>
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection'])
const forwardable = (headers: IncomingHttpHeaders) => Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_BY_HOP.has(k)))

/** Round robin per request; a backend that refuses the connection is skipped (tried next). */
async function startRoundRobin(): Promise<RoundRobin> {
  let backends: string[] = []
  let next = 0
  const served: RoundRobin['served'] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const attempt = (tries: number) => {
        const backend = backends[next++ % backends.length]!
        const upstream = request(`${backend}${req.url}`, { method: req.method, headers: { ...forwardable(req.headers), connection: 'close' }, agent: false }, (answer) => {
          served.push({ method: req.method!, path: req.url!, backend })
          res.writeHead(answer.statusCode!, forwardable(answer.headers))
          answer.pipe(res)
        })
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code === 'ECONNREFUSED' && tries + 1 < backends.length) return attempt(tries + 1)
          if (!res.headersSent) res.writeHead(502).end(`bad gateway: ${error.code}`)
          else res.destroy()
        })
        upstream.end(Buffer.concat(chunks))
      }
      attempt(0)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setBackends: (urls) => { backends = urls },
    served,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }),
  }
}

/** The forwarding target: stores each statement id once; a repeat is a no-op (xAPI Data 2.2.2: the id identifies the statement). */
async function startReceiver(): Promise<{ url: string; stored: string[]; repeats: Array<{ id: string; at: number }>; close(): Promise<void> }> {
  const stored: string[] = []
  const seen = new Set<string>()
  const repeats: Array<{ id: string; at: number }> = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/xapi/statements' || req.headers.authorization !== REMOTE_AUTH) return void res.writeHead(404).end()
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Array<{ id: string }>
      for (const { id } of body) {
        if (seen.has(id)) repeats.push({ id, at: Date.now() })
        else { seen.add(id); stored.push(id) }
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body.map((s) => s.id)))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stored, repeats, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }) }
}

async function until(what: string, ready: () => Promise<boolean> | boolean, timeoutMs: number): Promise<number> {
  const started = Date.now()
  while (!(await ready())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return Date.now() - started
}

/** Posts until acknowledged: a request cut by a dying backend is retried with the same ids (nothing acknowledged is lost, nothing stored twice). */
async function postAcknowledged(url: string, body: unknown): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${url}/xapi/statements`, { method: 'POST', headers: HEADERS, body: JSON.stringify(body) })
      if (res.status === 200) return
      if (res.status < 500 || attempt > 20) throw new Error(`POST /xapi/statements answered ${res.status}: ${await res.text()}`)
    } catch (error) {
      if (attempt > 20 || (error as Error).message.startsWith('POST /xapi')) throw error
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe.skipIf(testEngine() !== 'postgres')('scale-out: two tln serve processes on one PostgreSQL behind a round robin (PostgreSQL only)', () => {
  const name = `tln_scale_${process.pid}_${Date.now()}`
  let storage: Storage
  let db: Db
  let tenantId: string
  let sim: PlatformSimulator
  let proxy: RoundRobin
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  const servers: ServerProcess[] = []
  const posted: string[] = []
  const statement = (i: number) => benchCompetenceStatement(i, 1) as Record<string, unknown> & { id: string }
  const processed = async () => (await new CompetenceEngine({ knex: db.knex }).status(tenantId)).processed
  /** Every stored statement id in stream order: the posted ones and the tool's own (the LTI launch records one). */
  const streamIds = async () => ((await db.knex('xapi_statement').where({ tenant_id: tenantId }).orderBy([{ column: 'txid' }, { column: 'seq' }]).select('id')) as Array<{ id: string }>).map((r) => r.id)

  beforeAll(async () => {
    const admin = await createDb({ engine: 'postgres', url: testServerUrl(), poolMax: 1 })
    await admin.knex.raw(`create database ${name}`)
    await admin.close()
    storage = { engine: 'postgres', url: testServerUrl(name) }
    ;[sim, proxy, receiver] = await Promise.all([startPlatformSimulator(), startRoundRobin(), startReceiver()])
    // Database maintenance every second on both (this server runs autovacuum off): rounds under load, one process per round.
    const env = { TLN_SECRET_KEY: SECRET_KEY, TLN_DB_MAINTENANCE: 'on', TLN_DB_MAINTENANCE_INTERVAL_S: '1' }
    // Set up in this process (what `tln migrate`, `credentials create`, `platform add` and `forward add` do): a CLI process each is slow on a busy machine.
    db = await createDb({ engine: 'postgres', url: storage.url, poolMax: 2 })
    await migrateToLatest(db.knex)
    const lrs = createLrs({ knex: db.knex, logger: createLogger('warn'), publicUrl: proxy.url, secretKey: SECRET_KEY })
    await lrs.credentials.create({ key: KEY, secret: SECRET, scopes: ['all'], label: 'scale-out test' })
    await new DbPlatformStore(db.knex).add({ platform: sim.platform, deploymentIds: [sim.deploymentId], status: 'active', registeredBy: 'cli' })
    tenantId = ((await db.knex('tenant').where({ slug: 'default' }).first()) as { id: string }).id
    await lrs.forwarding.add(tenantId, { name: 'receiver', endpoint: `${receiver.url}/xapi/`, key: 'receiver', secret: 'receiver-secret', enabled: true, from: 'beginning' })
    await new CompetenceConfigStore(db.knex).put(tenantId, benchCompetenceConfig(), 'test')
    const base = 20_000 + Math.floor(Math.random() * 20_000)
    // Both behind one public URL, as behind a load balancer; started together (their tool keys race, as in a rollout).
    servers.push(...(await Promise.all([base, base + 1].map((port) => startServer(storage, port, { ...env, TLN_PUBLIC_URL: proxy.url })))))
    proxy.setBackends(servers.map((s) => s.url))
    sim.setTool({ loginUrl: `${proxy.url}/lti/login`, redirectUri: `${proxy.url}/lti/launch`, jwksUri: `${proxy.url}/lti/jwks` })
  }, 180_000)

  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL')
    await db?.close()
    await Promise.all([sim?.close(), proxy?.close(), receiver?.close()])
    const drop = await createDb({ engine: 'postgres', url: testServerUrl(), poolMax: 1 })
    await drop.knex.raw(`drop database if exists ${name} with (force)`)
    await drop.close()
  })

  it('completes on one backend an LTI login started on the other, and the session cookie works on both (Security Framework 1.0 §5.1.1)', async () => {
    const from = proxy.served.length
    const browser = new CookieJar()
    const login = await browser.login(`${proxy.url}/lti/login`, sim.initiation())
    expect(login.status).toBe(302)
    const auth = await (await fetch(login.headers.get('location')!)).text()
    expect(formAction(auth)).toBe(`${proxy.url}/lti/launch`)
    const stateCookie = browser.header(formAction(auth))
    const landed = await browser.post(formAction(auth), formFields(auth))
    expect(landed.status).toBe(200)
    expect(await landed.text()).toContain('Selamat datang, Siti Rahayu')
    // Login, its cookie check and the launch: each on the other backend than the step before.
    const [loginOn, checkOn, launchOn] = proxy.served.slice(from, from + 3).map((s) => s.backend)
    expect(checkOn).not.toBe(loginOn)
    expect(launchOn).not.toBe(checkOn)

    const cookie = landed.headers.get('set-cookie')!.split(';')[0]!
    const homes = [await fetch(`${proxy.url}/lti/home`, { headers: { cookie } }), await fetch(`${proxy.url}/lti/home`, { headers: { cookie } })]
    expect(homes.map((r) => r.status)).toEqual([200, 200])
    expect(new Set(proxy.served.slice(-2).map((s) => s.backend)).size).toBe(2)

    // The state was consumed by the launch, whichever backend the replay reaches.
    const replay = await fetch(formAction(auth), { method: 'POST', body: new URLSearchParams(formFields(auth)), redirect: 'manual', headers: { cookie: stateCookie } })
    expect(replay.status).toBe(401)
    expect(replay.headers.get('x-tln-error')).toBe('ERR_LTI_STATE_UNKNOWN')
  }, 60_000)

  it('stores each statement POSTed across both backends once, and pages through them with `more` across both (xAPI 1.0.3 Communication 2.1.3)', async () => {
    // One client, each request acknowledged before the next: the stream order is this order.
    for (let i = 0; i < 20; i++) { await postAcknowledged(proxy.url, statement(i)); posted.push(statement(i).id) }
    for (let i = 20; i < FIRST; i += 20) {
      const batch = Array.from({ length: 20 }, (_, k) => statement(i + k))
      await postAcknowledged(proxy.url, batch)
      posted.push(...batch.map((s) => s.id))
    }
    const ingestedOn = new Set(proxy.served.filter((s) => s.method === 'POST' && s.path === '/xapi/statements').map((s) => s.backend))
    expect(ingestedOn.size).toBe(2)

    const from = proxy.served.length
    const read: string[] = []
    let next: string | undefined = '/xapi/statements?limit=50'
    while (next) {
      const res = await fetch(new URL(next, proxy.url), { headers: HEADERS })
      expect(res.status).toBe(200)
      const page = (await res.json()) as { statements: Array<{ id: string }>; more?: string }
      read.push(...page.statements.map((s) => s.id))
      next = page.more === undefined || page.more === '' ? undefined : page.more
    }
    const stored = await streamIds()
    expect(read).toHaveLength(stored.length)
    expect(new Set(read)).toEqual(new Set(stored))
    expect(stored.filter((id) => posted.includes(id))).toEqual(posted)
    expect(new Set(proxy.served.slice(from).map((s) => s.backend)).size).toBe(2)

    // Readable straight from either process.
    for (const s of servers) {
      const res = await fetch(`${s.url}/xapi/statements?statementId=${posted[7]}`, { headers: HEADERS })
      expect(res.status).toBe(200)
    }
  }, 60_000)

  it('the competence engines of both processes apply each statement once', async () => {
    const stored = (await streamIds()).length
    expect(stored).toBeGreaterThanOrEqual(FIRST)
    await until('both engines past every statement', async () => (await processed()) === stored, 60_000)
    const learners = (await projections(db.knex, tenantId)).learners
    expect(learners.length).toBeGreaterThan(0)
  }, 40_000)

  it('forwards every statement to the target exactly once, in the order stored, with both processes running', async () => {
    const stored = await streamIds()
    await until('the target has every statement', () => receiver.stored.length >= stored.length, 60_000)
    expect(receiver.stored).toEqual(stored)
    expect(receiver.stored.filter((id) => posted.includes(id))).toEqual(posted)
    expect(receiver.repeats).toEqual([])
  }, 40_000)

  it('when the forwarding backend is killed mid-run, the other takes over forwarding after the lease and its engine goes on; nothing lost, projections exact', async () => {
    const holder = (await db.knex('forward_target').where({ tenant_id: tenantId, name: 'receiver' }).first()) as { lease_owner: string | null }
    const victim = servers.find((s) => holder.lease_owner?.endsWith(`:${s.child.pid}`))!
    expect(victim, `the lease holder ${holder.lease_owner} is one of the two backends`).toBeDefined()
    const survivor = servers.find((s) => s !== victim)!

    // Ingest goes on through the round robin while the lease holder dies (SIGKILL: no shutdown hook releases the lease).
    const ingest = (async () => {
      for (let i = FIRST; i < FIRST + SECOND; i += 10) {
        const batch = Array.from({ length: 10 }, (_, k) => statement(i + k))
        await postAcknowledged(proxy.url, batch)
        posted.push(...batch.map((s) => s.id))
      }
    })()
    const before = receiver.stored.length
    await until('some of the second part forwarded', () => receiver.stored.length > before + 30, 30_000)
    const exited = new Promise((r) => victim.child.once('exit', r))
    victim.child.kill('SIGKILL')
    await exited
    const killedAt = Date.now()
    await ingest
    // On a quiet machine the forwarder may have caught up before the kill: statements stored after
    // it make sure the survivor has to take the lease over to forward them.
    for (let i = FIRST + SECOND; i < FIRST + SECOND + 30; i += 10) {
      const batch = Array.from({ length: 10 }, (_, k) => statement(i + k))
      await postAcknowledged(proxy.url, batch)
      posted.push(...batch.map((s) => s.id))
    }

    const stored = await streamIds()
    const takeoverMs = await until('the survivor forwards everything', () => receiver.stored.length >= stored.length, 75_000)
    console.log(`[scale-out] the target had every statement ${takeoverMs} ms after the kill; ${receiver.repeats.length} statements sent again after the kill (the remote stored them once)`)
    expect(receiver.stored).toEqual(stored)
    expect(receiver.stored.filter((id) => posted.includes(id))).toEqual(posted)
    // Only the batch in flight at the kill may be sent twice (at-least-once), never before it.
    expect(receiver.repeats.every((r) => r.at >= killedAt)).toBe(true)
    const owner = (await db.knex('forward_target').where({ tenant_id: tenantId, name: 'receiver' }).first()) as { lease_owner: string | null }
    expect(owner.lease_owner).toMatch(new RegExp(`:${survivor.child.pid}$`))

    await until('the surviving engine past every statement', async () => (await processed()) === stored.length, 60_000)
    await survivor.stop()
    // Exactly once: the tables both engines built equal a single engine's rebuild from the start.
    const together = await projections(db.knex, tenantId)
    await db.knex('competence_engine').where({ tenant_id: tenantId }).update({ config_version: null })
    expect(await new CompetenceEngine({ knex: db.knex }).catchUp()).toBe(stored.length)
    expect(await projections(db.knex, tenantId)).toEqual(together)
  }, 120_000)
})
