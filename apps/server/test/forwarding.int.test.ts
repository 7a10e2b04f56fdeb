import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Db } from '@tln/db'
import { createTestDb, testEngine, waitForHorizon } from '@tln/db/testing'
import { createLrs, Forwarder, type FetchLike, type Lrs } from '@tln/lrs'
import { pino } from 'pino'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { captureOutput } from './test-app.ts'
import { listDeadLetters, listTargets, retryTarget } from '../src/cli/forward-commands.ts'

const SECRET_KEY = 'test-secret-key-0123456789-abcdefghijklmnop'
const logger = pino({ level: 'silent' })

interface Instance {
  db: Db
  lrs: Lrs
  server: Server
  url: string
  auth: string
  tenantId: string
  close(): Promise<void>
}

/** A TLN app on its own test database, listening on 127.0.0.1 on a free port. */
async function instance(): Promise<Instance> {
  const db = await createTestDb()
  const lrs = createLrs({ knex: db.knex, logger, publicUrl: 'http://tln.test', secretKey: SECRET_KEY })
  const app = createApp({ config: loadConfig({}), db, logger, lrs, publicUrl: 'http://tln.test' })
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const { credential, secret } = await lrs.credentials.create({ scopes: ['all'], key: 'admin', secret: 'admin-secret' })
  return {
    db,
    lrs,
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    auth: `Basic ${Buffer.from(`${credential.key}:${secret}`).toString('base64')}`,
    tenantId: credential.tenantId,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await db.close()
    },
  }
}

function statement(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    actor: { objectType: 'Agent', name: `Guru ${n}`, account: { homePage: 'https://elearning.bppaudntb.example', name: `ptk-${n}` } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
    object: { objectType: 'Activity', id: `https://tln.example/xapi/activities/task/${n}` },
    ...extra,
  }
}

async function until(condition: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 50))
  }
}

async function remoteIds(remote: Instance): Promise<string[]> {
  return ((await remote.db.knex('xapi_statement').select('id').orderBy('seq')) as Array<{ id: string }>).map((r) => r.id)
}

describe(`statement forwarding between two TLN instances on ${testEngine()}`, () => {
  let source: Instance
  let remote: Instance
  beforeAll(async () => {
    source = await instance()
    remote = await instance()
    const { credential, secret } = await remote.lrs.credentials.create({ scopes: ['statements/write'], key: 'from-source', secret: 'remote-secret-1' })
    expect(credential.key).toBe('from-source')
    const res = await request(source.server)
      .post('/api/admin/forwarding')
      .set('Authorization', source.auth)
      .send({ name: 'bppaud', endpoint: `${remote.url}/xapi`, key: 'from-source', secret, xapiVersion: '1.0.3' })
    expect(res.status).toBe(201)
    expect(JSON.stringify(res.body)).not.toContain(secret)
  })
  afterAll(async () => {
    await source?.close()
    await remote?.close()
  })

  it('forwards every statement exactly once, in order, even when the forwarder is killed mid-run and restarted', async () => {
    const sent = Array.from({ length: 450 }, (_, i) => statement(i + 1))
    for (let i = 0; i < sent.length; i += 150) {
      const res = await request(source.server).post('/xapi/statements').set('X-Experience-API-Version', '1.0.3').set('Authorization', source.auth).send(sent.slice(i, i + 150))
      expect(res.status).toBe(200)
    }
    // All 450 readable from the stream before the first pass, so its pages are whole (see below).
    await waitForHorizon(source.db.knex)

    // The first forwarder dies right after the remote acknowledged its third batch, before it
    // could move the cursor: that batch was delivered but not recorded.
    let posts = 0
    const posted: string[][] = []
    const recording: FetchLike = async (url, init) => {
      posted.push((JSON.parse(init.body) as Array<{ id: string }>).map((s) => s.id))
      return fetch(url, init)
    }
    let first: Forwarder
    const dying: FetchLike = async (url, init) => {
      const res = await recording(url, init)
      if (++posts === 3) {
        first.kill()
        throw new Error('killed')
      }
      return res
    }
    first = new Forwarder({ store: source.lrs.forwarding, stream: source.lrs.stream, logger, owner: 'first', fetch: dying, leaseMs: 300, pollMs: 20 })
    first.start()
    await until(async () => posts >= 3)
    await new Promise((r) => setTimeout(r, 100))
    expect((await remoteIds(remote)).length).toBe(300)
    const [afterKill] = await source.lrs.forwarding.list()
    expect(afterKill!.forwarded).toBe(200)

    // A new process takes over once the dead one's lease has expired.
    const second = new Forwarder({ store: source.lrs.forwarding, stream: source.lrs.stream, logger, owner: 'second', fetch: recording, leaseMs: 300, pollMs: 20 })
    second.start()
    try {
      await until(async () => (await source.lrs.forwarding.list())[0]!.forwarded >= 450)
    } finally {
      await second.stop()
    }
    const ids = await remoteIds(remote)
    expect(ids).toEqual(sent.map((s) => s.id))
    // At least once: the third batch went twice; the remote kept one copy (idempotent by id).
    const deliveries = posted.flat()
    expect(deliveries.length).toBe(550)
    expect(new Set(deliveries).size).toBe(450)
  })

  it('puts a statement the remote refuses (400) on the dead-letter list and forwards the rest', async () => {
    // A 2.0.0 statement with contextAgents is refused by a remote spoken to in 1.0.3.
    const bad = statement(1000, { context: { contextAgents: [{ objectType: 'contextAgent', agent: { mbox: 'mailto:fasilitator@paud.example' } }] } })
    const batch = [statement(1001), statement(1002), bad, statement(1003), statement(1004)]
    for (const s of batch) {
      const version = s === bad ? '2.0.0' : '1.0.3'
      const res = await request(source.server).post('/xapi/statements').set('X-Experience-API-Version', version).set('Authorization', source.auth).send(s)
      expect(res.status).toBe(200)
    }
    // The stream hands out statements below the PostgreSQL cluster's horizon, which another test
    // database's open transaction can hold back for a moment: wait until all five are readable.
    await waitForHorizon(source.db.knex)
    const forwarder = new Forwarder({ store: source.lrs.forwarding, stream: source.lrs.stream, logger, owner: 'third', leaseMs: 300, pollMs: 20 })
    await until(async () => {
      await forwarder.pass()
      return (await source.lrs.forwarding.list())[0]!.deadLetters === 1
    })
    await forwarder.stop()
    const ids = await remoteIds(remote)
    for (const s of batch) expect(ids.includes(s.id as string)).toBe(s !== bad)
    const target = (await source.lrs.forwarding.list())[0]!
    expect(target.forwarded).toBe(450 + 4)
    const [letter] = await source.lrs.forwarding.deadLetters(target.id)
    expect(letter).toMatchObject({ statementId: bad.id, status: 400 })
    expect(letter!.error).toContain('ERR_XAPI_INVALID_STATEMENT')

    const api = await request(source.server).get('/api/admin/forwarding/bppaud/dead-letters').set('Authorization', source.auth)
    expect(api.body).toHaveLength(1)
    const io = captureOutput()
    await listDeadLetters(source.lrs.forwarding, source.tenantId, 'bppaud', {}, io)
    expect(io.stdout).toContain(bad.id as string)
    // Still refused on retry: it stays on the list with the new answer.
    const retry = captureOutput()
    await retryTarget(source.lrs.forwarding, source.tenantId, 'bppaud', retry)
    expect(retry.stdout).toContain('0 dead letters accepted by the remote now, 1 still refused')
  })

  it('retries a remote that is down with backoff, without losing or dead-lettering anything', async () => {
    await request(source.server).post('/xapi/statements').set('X-Experience-API-Version', '1.0.3').set('Authorization', source.auth).send([statement(2001), statement(2002)])
    await waitForHorizon(source.db.knex)
    let down = true
    const flaky: FetchLike = async (url, init) => (down ? { status: 503, text: async () => 'maintenance' } : fetch(url, init))
    const forwarder = new Forwarder({ store: source.lrs.forwarding, stream: source.lrs.stream, logger, owner: 'fourth', fetch: flaky, leaseMs: 300, backoff: { baseMs: 20, maxMs: 40 } })
    expect(await forwarder.pass()).toBe(0)
    const [failing] = await source.lrs.forwarding.list()
    expect(failing!.lastError).toContain('503')
    expect(failing!.deadLetters).toBe(1)
    down = false
    await until(async () => (await forwarder.pass()) === 2)
    expect(await remoteIds(remote)).toEqual(expect.arrayContaining([statement(2001).id, statement(2002).id]))
    expect((await source.lrs.forwarding.list())[0]!.lastError).toBeNull()
  })

  it('keeps secrets out of every listing, and the admin API needs scope all', async () => {
    const io = captureOutput()
    await listTargets(source.lrs.forwarding, source.tenantId, { json: true }, io)
    expect(io.stdout).not.toContain('remote-secret-1')
    const stored = (await source.db.knex('forward_target').first()) as { secret_sealed: string }
    expect(stored.secret_sealed).not.toContain('remote-secret-1')
    const list = await request(source.server).get('/api/admin/forwarding').set('Authorization', source.auth)
    expect(list.status).toBe(200)
    expect(JSON.stringify(list.body)).not.toContain('remote-secret-1')
    const { credential, secret } = await source.lrs.credentials.create({ scopes: ['statements/read'] })
    const reader = `Basic ${Buffer.from(`${credential.key}:${secret}`).toString('base64')}`
    expect((await request(source.server).get('/api/admin/forwarding').set('Authorization', reader)).status).toBe(403)
    expect((await request(source.server).get('/api/admin/forwarding')).status).toBe(401)
    const bad = await request(source.server).post('/api/admin/forwarding').set('Authorization', source.auth).send({ name: 'x', endpoint: 'ftp://nope', key: 'k', secret: 's' })
    expect(bad.status).toBe(400)
  })

  it('refuses an admin body that is a form, not JSON, with 415 naming the Content-Type, storing nothing (RFC 9110 §15.5.16)', async () => {
    const post = await request(source.server).post('/api/admin/forwarding').set('Authorization', source.auth).type('form').send('name=formed&endpoint=https%3A%2F%2Flrs.example%2Fxapi&key=k&secret=s')
    expect(post.status).toBe(415)
    expect(post.body.error).toMatchObject({ code: 'ERR_LRS_UNSUPPORTED_MEDIA_TYPE', path: 'Content-Type' })
    expect(post.body.error.message).toContain('application/json')
    const patch = await request(source.server).patch('/api/admin/forwarding/formed').set('Authorization', source.auth).type('text/plain').send('enabled=false')
    expect(patch.status).toBe(415)
    expect(await source.db.knex('forward_target').where({ name: 'formed' }).first()).toBeUndefined()
  })

  it('refuses an admin body nested deeper than MAX_JSON_DEPTH with 400 max-depth, before any route reads it', async () => {
    const deep = `{"name":"deep","endpoint":"https://lrs.example/xapi","key":"k","secret":"s","verbs":${'['.repeat(20_000)}${']'.repeat(20_000)}}`
    const res = await request(source.server).post('/api/admin/forwarding').set('Authorization', source.auth).set('Content-Type', 'application/json').send(deep)
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code: 'ERR_LRS_BAD_REQUEST', path: '$' })
    expect(res.body.error.message).toContain('max-depth')
    expect(await source.db.knex('forward_target').where({ name: 'deep' }).first()).toBeUndefined()
  })
})
