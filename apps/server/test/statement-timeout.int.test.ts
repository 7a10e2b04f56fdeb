/**
 * A request whose statement outlasts PostgreSQL's `statement_timeout` (TLN_DB_STATEMENT_TIMEOUT_MS):
 * the server cancels it, the client gets 503 with Retry-After saying why, nothing is kept, and the
 * pool's connection serves the next request. Here the statement waits on a lock another session
 * holds (lock waits count toward the timeout, PostgreSQL docs runtime-config-client.html).
 */
import request from 'supertest'
import { testEngine } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './test-app.ts'

const TIMEOUT_MS = 500

describe.skipIf(testEngine() !== 'postgres')('a request past the statement timeout', () => {
  let t: TestApp
  let auth: string
  beforeAll(async () => {
    t = await createTestApp({ db: { poolMax: 2, statementTimeoutMs: TIMEOUT_MS } })
    const { credential, secret } = await t.lrs.credentials.create({ scopes: ['all'] })
    auth = `Basic ${Buffer.from(`${credential.key}:${secret}`).toString('base64')}`
    await request(t.app).get('/xapi/statements').set('Authorization', auth).set('X-Experience-API-Version', '1.0.3').expect(200)
  })
  afterAll(async () => t?.db.close())

  /** Runs `work` while another session holds an exclusive lock on the statements table. */
  async function whileStatementsLocked<T>(work: () => Promise<T>): Promise<T> {
    let release!: () => void
    const released = new Promise<void>((resolve) => { release = resolve })
    let locked!: () => void
    const holding = new Promise<void>((resolve) => { locked = resolve })
    const holder = t.db.knex.transaction(async (trx) => {
      await trx.raw('set local statement_timeout = 0')
      await trx.raw('lock table xapi_statement in access exclusive mode')
      locked()
      await released
    })
    await holding
    try {
      return await work()
    } finally {
      release()
      await holder
    }
  }

  it('a statement POST answers 503 ERR_LRS_UNAVAILABLE with Retry-After naming the timeout, and stores nothing', async () => {
    const id = '6a1a6f1c-0f3b-4e0e-9f51-1d1c7c3e0b01'
    const res = await whileStatementsLocked(() => request(t.app).put(`/xapi/statements?statementId=${id}`)
      .set('Authorization', auth).set('X-Experience-API-Version', '1.0.3')
      .send({ actor: { mbox: 'mailto:guru@paud.example' }, verb: { id: 'http://adlnet.gov/expapi/verbs/attended' }, object: { id: 'https://tln.example/meetings/1' } }))
    expect(res.status).toBe(503)
    expect(res.headers['retry-after']).toBe('5')
    expect(res.body.error.code).toBe('ERR_LRS_UNAVAILABLE')
    expect(res.body.error.message).toMatch(/statement timeout/)
    const stored = await request(t.app).get(`/xapi/statements?statementId=${id}`).set('Authorization', auth).set('X-Experience-API-Version', '1.0.3')
    expect(stored.status).toBe(404)
  })

  it('a statement query answers 503 the same way, and the next one is served', async () => {
    const res = await whileStatementsLocked(() => request(t.app).get('/xapi/statements').set('Authorization', auth).set('X-Experience-API-Version', '1.0.3'))
    expect(res.status).toBe(503)
    expect(res.body.error.message).toMatch(/statement timeout/)
    await request(t.app).get('/xapi/statements').set('Authorization', auth).set('X-Experience-API-Version', '1.0.3').expect(200)
  })
})
