import type { StatementService } from '@tln/lrs'
import { testEngine } from '@tln/db/testing'
import { nameUuid, type Statement } from '@tln/xapi'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { mentoringStatementId, todayWita } from '../../src/index.ts'
import { startOrgServer, type OrgTestServer } from '../org-helpers.ts'
import { schools, signIn, type Signed } from '../mentoring/mentoring-helpers.ts'

/**
 * The tool's statement outbox (issue 5, "nothing acknowledged is ever lost"; ARCHITECTURE.md
 * Invariants): a statement the tool owes the LRS commits with its row, is delivered after the
 * commit, and when the LRS fails it waits in `tool_statement_outbox` until a deliverer stores it
 * — once, also with two deliverers at work or after a crash between the commit and the delivery.
 * The LRS is made to fail by a StatementService whose stores throw while `lrsDown` is set.
 */
const NS = '6b1c9a52-3e8f-4f0e-9d7a-2a4c5e8b7f10'
const MINUTE = 60_000

describe(`tool statement outbox on ${testEngine()}`, () => {
  let s: OrgTestServer
  let tenantId: string
  let mentor: Signed
  let relationId: string
  let lrsDown = false
  /** Store calls that reached the real LRS, per statement id. */
  const stored = new Map<string, number>()

  const failing = (real: StatementService): StatementService => new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'storeCounting' && prop !== 'storeStatements') return Reflect.get(target, prop, receiver) as unknown
      return async (context: unknown, statements: Array<{ id?: string }>) => {
        if (lrsDown) throw new Error('LRS unavailable (test)')
        for (const st of statements) stored.set(st.id!.toLowerCase(), (stored.get(st.id!.toLowerCase()) ?? 0) + 1)
        return (target[prop] as (c: unknown, st: unknown) => Promise<unknown>).call(target, context, statements)
      }
    },
  })
  const outboxRows = async () => (await s.db.knex('tool_statement_outbox').select('statement_id', 'attempts', 'last_error', 'stored_flag').orderBy('id')) as Array<{ statement_id: string; attempts: number; last_error: string | null }>
  const inLrs = async (id: string) => Number(((await s.db.knex('xapi_statement').where({ id }).count('* as n')) as Array<{ n: number | string }>)[0]!.n)
  /** A valid statement with a name-based id, as the tool's are. */
  const statement = (n: number): Statement => ({
    id: nameUuid(NS, `outbox-test-${n}`),
    actor: { objectType: 'Agent', name: 'Siti', account: { homePage: s.url, name: `person-${n}` } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-US': 'experienced' } },
    object: { objectType: 'Activity', id: `${s.url}/lti/test/${n}` },
    timestamp: '2026-11-29T07:00:00.000Z',
  }) as Statement

  beforeAll(async () => {
    s = await startOrgServer({ statements: failing })
    const t = await schools(s)
    tenantId = t.tenantId
    mentor = await signIn(s, tenantId, { sub: 'user-17', name: 'Siti Rahayu', role: 'teacher', schoolId: t.a.id })
    const rina = await signIn(s, tenantId, { sub: 'user-18', name: 'Rina Wati', role: 'teacher', schoolId: t.a.id })
    const res = await mentor.post('/lti/mentoring/relations', { mentee: rina.personId })
    relationId = /relations\/([^/]+)$/.exec(res.headers.get('location')!)![1]!
  })
  afterAll(async () => { await s?.close() })
  beforeEach(async () => {
    lrsDown = false
    await s.tool.createOutboxDeliverer().drain()
    await s.db.knex('tool_statement_outbox').delete()
  })

  it('the fast path stores the statement in the request and leaves nothing behind when the LRS answers', async () => {
    const res = await mentor.multipart(`/lti/mentoring/relations/${relationId}/sessions`, { date: todayWita(Date.now()), duration: '45', topic: 'RPPH' })
    expect(res.status).toBe(303)
    const sessionId = /\/sessions\/([^/]+)\/share/.exec(res.headers.get('location')!)![1]!
    expect(await inLrs(mentoringStatementId('mentored', sessionId))).toBe(1)
    expect(await outboxRows()).toEqual([])
    expect(await s.db.knex('mentoring_session').where({ id: sessionId }).first('statement_stored')).toEqual({ statement_stored: true })
  })

  it('the action succeeds for the user while the LRS fails, and its statement waits in the outbox with the row unflagged', async () => {
    lrsDown = true
    const res = await mentor.multipart(`/lti/mentoring/relations/${relationId}/sessions`, { date: todayWita(Date.now()), duration: '60', topic: 'RPPH' })
    expect(res.status).toBe(303)
    const sessionId = /\/sessions\/([^/]+)\/share/.exec(res.headers.get('location')!)![1]!
    const id = mentoringStatementId('mentored', sessionId)
    expect(await outboxRows()).toEqual([expect.objectContaining({ statement_id: id, attempts: 1, last_error: 'LRS unavailable (test)' })])
    expect(await s.db.knex('mentoring_session').where({ id: sessionId }).first('statement_stored')).toEqual({ statement_stored: false })
    expect(await inLrs(id)).toBe(0)
    expect(await s.tool.outboxStats()).toMatchObject({ pending: 1, lastError: { statementId: id, message: 'LRS unavailable (test)', attempts: 1 } })

    // Recovery: the deliverer stores it once (after its backoff), sets the row's flag, and the outbox is empty.
    lrsDown = false
    const deliverer = s.tool.createOutboxDeliverer()
    expect(await deliverer.drain()).toEqual({ delivered: 0, retry: 0, waiting: 0 })
    s.advance(11 * MINUTE)
    expect(await deliverer.drain()).toEqual({ delivered: 1, retry: 0, waiting: 0 })
    expect(await deliverer.drain()).toEqual({ delivered: 0, retry: 0, waiting: 0 })
    expect(await inLrs(id)).toBe(1)
    expect(stored.get(id)).toBe(1)
    expect(await outboxRows()).toEqual([])
    expect(await s.db.knex('mentoring_session').where({ id: sessionId }).first('statement_stored')).toEqual({ statement_stored: true })
  })

  it('retries with growing, jittered delays while the LRS stays down, and never gives up', async () => {
    lrsDown = true
    await s.db.knex.transaction((trx) => s.tool.statementOutbox.add(trx, tenantId, [statement(100)]))
    const deliverer = s.tool.createOutboxDeliverer()
    const due: number[] = []
    for (let i = 0; i < 4; i++) {
      s.advance(11 * MINUTE)
      expect(await deliverer.drain()).toEqual({ delivered: 0, retry: 1, waiting: 0 })
      const row = await s.db.knex('tool_statement_outbox').first('next_attempt_at', 'attempts')
      due.push(new Date(row.next_attempt_at).getTime())
      expect(row.attempts).toBe(i + 1)
    }
    // Each wait is at least as long as the one before (5 s doubling, times a jitter in [0.5, 1)).
    for (let i = 1; i < due.length; i++) expect(due[i]! - due[i - 1]!).toBeGreaterThanOrEqual(11 * MINUTE)
    expect(due[3]! - due[2]!).toBeGreaterThan(11 * MINUTE)
    lrsDown = false
    s.advance(11 * MINUTE)
    expect(await deliverer.drain()).toMatchObject({ delivered: 1 })
    expect(await inLrs(statement(100).id!)).toBe(1)
  })

  it('two deliverers at once store each statement once', async () => {
    lrsDown = true
    const ids = Array.from({ length: 30 }, (_, i) => statement(200 + i))
    await s.db.knex.transaction((trx) => s.tool.statementOutbox.add(trx, tenantId, ids))
    lrsDown = false
    s.advance(11 * MINUTE)
    const [a, b] = [s.tool.createOutboxDeliverer({ batch: 3 }), s.tool.createOutboxDeliverer({ batch: 3 })]
    const [ra, rb] = await Promise.all([a.drain(), b.drain()])
    expect(ra.delivered + rb.delivered).toBe(30)
    for (const st of ids) {
      expect(stored.get(st.id!)).toBe(1)
      expect(await inLrs(st.id!)).toBe(1)
    }
    expect(await outboxRows()).toEqual([])
  })

  it('a crash between the commit and the delivery loses nothing: the row waits, and a lease left behind runs out', async () => {
    // The row committed, then the process died before its fast path ran.
    const [lost, leased] = [statement(300), statement(301)]
    await s.db.knex.transaction((trx) => s.tool.statementOutbox.add(trx, tenantId, [lost, leased]))
    // Another process had claimed the second one and died holding its lease.
    expect(await s.tool.statementOutbox.claim({ tenantId, ids: [leased.id!] }, 1)).toHaveLength(1)
    const deliverer = s.tool.createOutboxDeliverer()
    s.advance(11_000)
    expect(await deliverer.drain()).toMatchObject({ delivered: 1 })
    expect(await inLrs(lost.id!)).toBe(1)
    expect(await inLrs(leased.id!)).toBe(0)
    s.advance(MINUTE)
    expect(await deliverer.drain()).toMatchObject({ delivered: 1 })
    expect(await inLrs(leased.id!)).toBe(1)
    expect(stored.get(lost.id!)).toBe(1)
    expect(stored.get(leased.id!)).toBe(1)
  })

  it('a voiding statement waits while the statement it voids is still in the outbox, so the LRS voids it (xAPI 1.0.3 Data 2.4.8)', async () => {
    lrsDown = true
    const target = statement(500)
    await s.db.knex.transaction((trx) => s.tool.statementOutbox.add(trx, tenantId, [target]))
    lrsDown = false
    const voiding = {
      id: nameUuid(NS, 'outbox-test-void-500'), actor: target.actor, verb: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-US': 'voided' } },
      object: { objectType: 'StatementRef', id: target.id }, timestamp: '2026-11-29T07:05:00.000Z',
    } as Statement
    const pending = await s.db.knex.transaction((trx) => s.tool.statementOutbox.add(trx, tenantId, [voiding]))
    expect(await s.tool.statementOutbox.deliver(pending)).toBe(false)
    expect(await inLrs(voiding.id!)).toBe(0)
    expect((await outboxRows()).find((r) => r.statement_id === voiding.id)?.last_error).toBe(`waiting for the voided statement ${target.id}`)
    s.advance(11_000)
    expect(await s.tool.createOutboxDeliverer().drain()).toMatchObject({ delivered: 2 })
    expect(await s.db.knex('xapi_statement').where({ id: target.id }).first('voided')).toEqual({ voided: true })
  })

  it('a started deliverer (as the server runs one per process) delivers what waits, and stops', async () => {
    lrsDown = true
    await s.db.knex.transaction((trx) => s.tool.statementOutbox.add(trx, tenantId, [statement(600)]))
    lrsDown = false
    s.advance(11_000)
    const deliverer = s.tool.createOutboxDeliverer({ pollMs: 20 }).start()
    await expect.poll(async () => inLrs(statement(600).id!), { timeout: 10_000 }).toBe(1)
    await deliverer.stop()
    expect(await outboxRows()).toEqual([])
  })

  it('a statement added twice (same derived id) waits and is stored once; a rolled-back action leaves none', async () => {
    lrsDown = true
    const st = statement(400)
    await s.db.knex.transaction((trx) => s.tool.statementOutbox.add(trx, tenantId, [st]))
    await s.db.knex.transaction((trx) => s.tool.statementOutbox.add(trx, tenantId, [st]))
    await expect(s.db.knex.transaction(async (trx) => {
      await s.tool.statementOutbox.add(trx, tenantId, [statement(401)])
      throw new Error('the action failed')
    })).rejects.toThrow('the action failed')
    expect((await outboxRows()).map((r) => r.statement_id)).toEqual([st.id])
  })
})
