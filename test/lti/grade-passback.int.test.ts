import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PlatformRecord, ScoreToPass } from '@tln/lti-tool'
import { drainPassbacks, expectSent, MAX_ATTEMPTS, retryingAtOnce } from './passback-helpers.ts'
import { startPlatformSimulator, type PlatformSimulator } from './platform-simulator.ts'
import { connectSimulator, startToolServer, type ToolServer } from './tool-server.ts'

/**
 * Assignment and Grade Services 2.0 passback end to end: jobs queued in the caller's transaction,
 * posted by the worker to the simulator's gradebook over HTTP, retried on 5xx with backoff, failed
 * with the platform's message on 4xx, and posted once per job when a worker is killed mid-job.
 */
let sim: PlatformSimulator
let tln: ToolServer
let platform: PlatformRecord
/** A line item the platform had already (made by Deep Linking, say). */
let knownItem: string
const SCORE_TYPE = 'application/vnd.ims.lis.v1.score+json'

beforeAll(async () => {
  sim = await startPlatformSimulator()
  tln = await startToolServer()
  platform = await connectSimulator(sim, tln)
  knownItem = `${sim.double.services.lineItemsUrl.replace(/\/lineitems\?.*$/, '')}/lineitems/1/lineitem?type_id=7`
  sim.double.services.lineItems.push({ id: knownItem, label: 'Modul 1', scoreMaximum: 100, resourceLinkId: 'rl-0' })
})
afterAll(async () => {
  await tln?.close()
  await sim?.close()
})

let seq = 0
/** A distinct score each time (its timestamp tells its posts apart in the gradebook). */
function score(overrides: Partial<ScoreToPass> = {}): ScoreToPass {
  seq += 1
  return {
    platform, userSub: 'user-17', scoreGiven: 80 + seq, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded',
    timestamp: new Date(Date.UTC(2026, 10, 29, 1, 0, seq)), comment: 'RPPH lengkap', instructor: { sub: 'user-19', name: 'Dewi' }, contextId: 'course-1',
    target: { lineItemsUrl: sim.double.services.lineItemsUrl, label: 'RPPH', resourceLinkId: 'rl-1', resourceId: 'task-rpph', tag: 'RPPH' },
    ...overrides,
  }
}
const enqueue = (s: ScoreToPass) => tln.db.knex.transaction((trx) => tln.tool.enqueueScore(trx, s))
const postsOf = (s: ScoreToPass) => sim.double.services.scores.filter((p) => p.body.timestamp === s.timestamp.toISOString())
const worker = (options: Parameters<ToolServer['tool']['createPassbackWorker']>[0] = {}) => tln.tool.createPassbackWorker({ random: () => 0, ...options })
/** "Time passes": make every pending job due now. */
const fastForward = () => tln.db.knex('grade_passback').where({ status: 'pending' }).update({ next_attempt_at: new Date(Date.now() - 1000) })

describe('grade passback (AGS 2.0 §3.4)', () => {
  it('queues the score inside the caller transaction: a rolled-back grade leaves no job', async () => {
    const before = (await tln.tool.listPassbacks({ tenant: 'default' })).length
    await expect(tln.db.knex.transaction(async (trx) => {
      await tln.tool.enqueueScore(trx, score())
      throw new Error('grading failed')
    })).rejects.toThrow('grading failed')
    expect(await tln.tool.listPassbacks({ tenant: 'default' })).toHaveLength(before)
  })

  it('refuses a score the platform would refuse (a caller bug): no scoreMaximum, no timestamp', async () => {
    await expect(enqueue(score({ scoreMaximum: undefined as unknown as number }))).rejects.toThrow(TypeError)
    await expect(enqueue(score({ timestamp: new Date('nope') }))).rejects.toThrow(TypeError)
  })

  it('reaches the gradebook: token, line item found or created, score POSTed to the line item URL + /scores with its query kept', async () => {
    const s = score()
    const id = await enqueue(s)
    const { retried } = await expectSent(tln.tool, id)
    const [job] = (await tln.tool.listPassbacks({ tenant: 'default', status: 'sent' })).filter((j) => j.id === id)
    expect(job).toMatchObject({ status: 'sent', attempts: 1 + retried, userSub: 'user-17' })
    const item = sim.double.services.lineItems.find((li) => li.resourceLinkId === 'rl-1')!
    expect(item).toMatchObject({ label: 'RPPH', scoreMaximum: 100, resourceId: 'task-rpph', tag: 'RPPH' })
    expect(job!.lineItemUrl).toBe(item.id)
    const [posted] = postsOf(s)
    expect(posted).toMatchObject({ lineItemId: item.id, contentType: SCORE_TYPE })
    expect(posted!.body).toEqual({
      userId: 'user-17', scoreGiven: s.scoreGiven, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded',
      timestamp: s.timestamp.toISOString(), comment: 'RPPH lengkap',
    })
    const scoresUrl = new URL(item.id)
    scoresUrl.pathname += '/scores'
    expect(sim.state.serviceRequests).toContainEqual(expect.objectContaining({ method: 'POST', url: scoresUrl.href, contentType: SCORE_TYPE }))
    expect(scoresUrl.search).toBe('?type_id=7')
  })

  it('stores a scored statement for each passback: learner account, instructor, full score', async () => {
    const id = await enqueue(score())
    await expectSent(tln.tool, id)
    const job = await tln.tool.passbacks.find(id)
    expect(job!.statementId).toBeDefined()
    const row = await tln.db.knex('xapi_statement').where({ id: job!.statementId }).first()
    const statement = typeof row.statement === 'string' ? JSON.parse(row.statement) : row.statement
    expect(statement).toMatchObject({
      actor: { account: { homePage: sim.issuer, name: 'user-17' } },
      verb: { id: 'http://adlnet.gov/expapi/verbs/scored' },
      object: { id: `${tln.url}/lti/platforms/${platform.id}/resource-links/rl-1` },
      result: { score: { scaled: job!.scoreGiven! / 100, raw: job!.scoreGiven, min: 0, max: 100 } },
      context: { instructor: { account: { homePage: sim.issuer, name: 'user-19' }, name: 'Dewi' } },
      authority: { account: { name: 'lti-tool.default' } },
    })
  })

  it('reuses the line item and the cached access token (one token request for many scores)', async () => {
    await enqueue(score())
    expect((await drainPassbacks(tln.tool)).sent).toBe(1)
    const tokensBefore = sim.double.services.tokenRequests
    const items = sim.double.services.lineItems.length
    const a = score()
    const b = score({ target: { lineItemUrl: knownItem } })
    await enqueue(a)
    await enqueue(b)
    expect((await drainPassbacks(tln.tool)).sent).toBe(2)
    expect(sim.double.services.lineItems).toHaveLength(items)
    expect(sim.double.services.tokenRequests).toBe(tokensBefore)
    expect(postsOf(a)).toHaveLength(1)
    expect(postsOf(b)).toHaveLength(1)
  })

  it('retries a platform 500 with exponential backoff and jitter, then succeeds', async () => {
    const s = score()
    const id = await enqueue(s)
    sim.fail({ method: 'POST', path: /\/scores$/, status: 500, body: 'database unavailable' })
    const w = worker({ backoff: { baseMs: 30_000 } })
    const started = Date.now()
    expect(await w.drain()).toMatchObject({ retry: 1, sent: 0 })
    const waiting = (await tln.tool.passbacks.find(id))!
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, lastError: { status: 500, body: 'database unavailable' } })
    // random() = 0 → half the exponential delay: 15 s after the first attempt.
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(started + 15_000)
    expect(await w.drain()).toMatchObject({ sent: 0, retry: 0 })
    expect(postsOf(s)).toHaveLength(0)
    await fastForward()
    const { attempts, retried } = await expectSent(tln.tool, id)
    expect(attempts).toBe(2 + retried)
    expect(postsOf(s)).toHaveLength(1)
  })

  it('waits as long as the platform\'s Retry-After says on a 429, not the shorter backoff (RFC 6585 §4; RFC 9110 §10.2.3)', async () => {
    const s = score()
    const id = await enqueue(s)
    sim.fail({ method: 'POST', path: /\/scores$/, status: 429, body: 'too many requests', headers: { 'retry-after': '600' } })
    const started = Date.now()
    expect(await worker({ backoff: { baseMs: 30_000 } }).drain()).toMatchObject({ retry: 1, sent: 0 })
    const waiting = (await tln.tool.passbacks.find(id))!
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, lastError: { status: 429 } })
    // The backoff alone would be 15 s (random() = 0); the platform asked for 10 minutes.
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(started + 600_000)
    await fastForward()
    await expectSent(tln.tool, id)
  })

  it('ends failed with the platform message on a 400 (a user who cannot be graded), and does not retry it', async () => {
    const s = score({ userSub: 'user-99' })
    const id = await enqueue(s)
    const w = retryingAtOnce(tln.tool)
    const first = await w.drain()
    expect(first).toMatchObject({ failed: 1 })
    const failed = (await tln.tool.listPassbacks({ tenant: 'default', status: 'failed' })).find((j) => j.id === id)!
    // Not retried: the 400 ends the attempt that met it (attempts before it can only be transient failures).
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 + first.retry, lastError: { status: 400, body: 'User cannot be graded' } })
    expect(failed.lastError!.message).toContain('400')
    await fastForward()
    expect(await w.drain()).toMatchObject({ sent: 0, failed: 0, retry: 0 })
    expect((await tln.tool.passbacks.find(id))!.attempts).toBe(failed.attempts)
    // Once the cause is fixed (the learner enrolled in the LMS), an operator retries it: `tln grades retry`.
    sim.double.services.members.push({ user_id: 'user-99', roles: ['Learner'], name: 'Baru' })
    try {
      expect((await tln.tool.retryPassback(id)).status).toBe('pending')
      expect(await w.drain()).toMatchObject({ sent: 1 })
      expect(postsOf(s)).toHaveLength(1)
      await expect(tln.tool.retryPassback(id)).rejects.toMatchObject({ code: 'ERR_TOOL_CONFLICT' })
    } finally {
      sim.double.services.members.pop()
    }
  })

  it('gives up on a retryable failure after maxAttempts, and keeps the reason', async () => {
    const s = score()
    const id = await enqueue(s)
    sim.fail({ method: 'POST', path: /\/scores$/, status: 503, body: 'maintenance', times: 3 })
    const w = worker({ backoff: { baseMs: 0, maxAttempts: 3 } })
    expect(await w.drain()).toMatchObject({ retry: 2, failed: 1 })
    expect(await tln.tool.passbacks.find(id)).toMatchObject({ status: 'failed', attempts: 3, lastError: { status: 503, body: 'maintenance' } })
    expect((await tln.tool.passbacks.find(id))!.lastError!.message).toMatch(/^gave up after 3 attempts/)
  })

  it('picks a job up again when its worker is killed mid-job, and posts it exactly once', async () => {
    const s = score({ target: { lineItemsUrl: sim.double.services.lineItemsUrl, label: 'PROTA', resourceLinkId: 'rl-abort', resourceId: 'task-prota' } })
    const id = await enqueue(s)
    const held = sim.hold({ method: 'GET', path: /\/lineitems$/ })
    const kill = new AbortController()
    const first = worker().runOnce(kill.signal)
    await held.reached
    kill.abort()
    expect(await first).toBe('released')
    held.release()
    expect(await tln.tool.passbacks.find(id)).toMatchObject({ status: 'pending' })
    await expectSent(tln.tool, id)
    expect(postsOf(s)).toHaveLength(1)
  })

  it('picks up the job of a crashed worker once its lease has run out, never before', async () => {
    const s = score()
    const id = await enqueue(s)
    const crashed = await tln.tool.passbacks.claim(new Date(), 300)
    expect(crashed?.id).toBe(id)
    expect(await worker().drain()).toMatchObject({ sent: 0 })
    await new Promise((r) => setTimeout(r, 400))
    await expectSent(tln.tool, id)
    expect(postsOf(s)).toHaveLength(1)
    // The crashed worker's late bookkeeping cannot overwrite the outcome: its lease is gone.
    expect(await tln.tool.passbacks.markFailed(crashed!, { message: 'late' }, new Date())).toBe(false)
    expect(await tln.tool.passbacks.find(id)).toMatchObject({ status: 'sent' })
  })

  it('posts each job exactly once with two workers draining the queue together (FOR UPDATE SKIP LOCKED)', async () => {
    const scores = Array.from({ length: 6 }, () => score({ target: { lineItemUrl: knownItem } }))
    for (const s of scores) await enqueue(s)
    const [a, b] = await Promise.all([drainPassbacks(tln.tool), drainPassbacks(tln.tool)])
    expect(a.sent + b.sent).toBe(6)
    for (const s of scores) expect(postsOf(s)).toHaveLength(1)
  })

  it('runs in the background once started, and stops cleanly', async () => {
    // Retries due at once, as in `drainPassbacks`: a transient failure under load must not wait out the 30 s backoff.
    const w = worker({ pollMs: 20, backoff: { baseMs: 0, maxAttempts: MAX_ATTEMPTS } }).start()
    try {
      const s = score()
      const id = await enqueue(s)
      await expect.poll(async () => (await tln.tool.passbacks.find(id))?.status, { timeout: 20_000 }).toBe('sent')
      expect(postsOf(s)).toHaveLength(1)
    } finally {
      await w.stop()
    }
  })
})

describe('the score a passback publishes (AGS 2.0 §3.4)', () => {
  const toKnownItem = (overrides: Partial<ScoreToPass> = {}) => score({ target: { lineItemUrl: knownItem }, ...overrides })
  const knownScoresUrl = () => { const url = new URL(knownItem); url.pathname += '/scores'; return url.href }
  /** The scopes of every token the platform issued after token number `from`. */
  const scopesAskedSince = (from: number): string[][] => [...sim.double.services.issuedTokens.entries()].filter(([token]) => Number(token.slice(3)) > from).map(([, scopes]) => scopes)

  it('POSTs to the line item URL with /scores put before its query, as application/vnd.ims.lis.v1.score+json with a bearer token (AGS 2.0 §3.4.1–3.4.3)', async () => {
    const s = toKnownItem()
    await expectSent(tln.tool, await enqueue(s))
    const posts = sim.state.serviceRequests.filter((r) => r.method === 'POST' && r.url === knownScoresUrl())
    expect(knownScoresUrl()).toMatch(/\/lineitem\/scores\?type_id=7$/)
    expect(posts.at(-1)).toMatchObject({ contentType: SCORE_TYPE, authorization: expect.stringMatching(/^Bearer \S+$/) })
    expect(postsOf(s)).toHaveLength(1)
  })

  it('sends userId and a timestamp in ISO 8601 with sub-second precision and a zone designator, even for a grade given on the whole second (AGS 2.0 §3.4.5, §3.4.9)', async () => {
    const s = toKnownItem({ timestamp: new Date(Date.UTC(2026, 11, 1, 2, 3, 4)) })
    await expectSent(tln.tool, await enqueue(s))
    const [posted] = postsOf(s)
    expect(posted!.body.userId).toBe('user-17')
    expect(posted!.body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/)
    expect(Date.parse(posted!.body.timestamp as string)).toBe(s.timestamp.getTime())
  })

  it('sends a scoreGiven above scoreMaximum as it is: the platform must take extra credit (AGS 2.0 §3.4.4)', async () => {
    const s = toKnownItem({ scoreGiven: 110, scoreMaximum: 100 })
    await expectSent(tln.tool, await enqueue(s))
    expect(postsOf(s)[0]!.body).toMatchObject({ scoreGiven: 110, scoreMaximum: 100 })
  })

  it('sends a progress-only score without scoreGiven or scoreMaximum (AGS 2.0 §3.4.4: no scoreGiven means no score yet; §3.4.7–3.4.8)', async () => {
    const s = toKnownItem({ scoreGiven: undefined, activityProgress: 'Submitted', gradingProgress: 'PendingManual', comment: undefined })
    await expectSent(tln.tool, await enqueue(s))
    expect(postsOf(s)[0]!.body).toEqual({ userId: 'user-17', activityProgress: 'Submitted', gradingProgress: 'PendingManual', timestamp: s.timestamp.toISOString() })
  })

  it('queues only the activityProgress and gradingProgress values AGS 2.0 names, and a scoreGiven of at least 0 (AGS 2.0 §3.4.4, §3.4.7, §3.4.8)', async () => {
    await expect(enqueue(toKnownItem({ activityProgress: 'Done' as ScoreToPass['activityProgress'] }))).rejects.toThrow(TypeError)
    await expect(enqueue(toKnownItem({ gradingProgress: 'Graded' as ScoreToPass['gradingProgress'] }))).rejects.toThrow(TypeError)
    await expect(enqueue(toKnownItem({ scoreGiven: -1 }))).rejects.toThrow(TypeError)
    await expect(enqueue(toKnownItem({ scoreMaximum: 0 }))).rejects.toThrow(TypeError)
  })

  it('asks a token for the score scope only when the line item is known (AGS 2.0 §3.4.2; Security Framework 1.0 §4.1)', async () => {
    await tln.db.knex('lti_access_token').delete()
    const from = sim.double.services.tokenRequests
    await expectSent(tln.tool, await enqueue(toKnownItem()))
    expect(scopesAskedSince(from)).toEqual([['https://purl.imsglobal.org/spec/lti-ags/scope/score']])
  })

  it('asks a fresh token once when the platform answers 401 to the score, then posts it once (Security Framework 1.0 §7.1.1: a new token when the old one no longer works)', async () => {
    await expectSent(tln.tool, await enqueue(toKnownItem()))
    const tokens = sim.double.services.tokenRequests
    const s = toKnownItem()
    const id = await enqueue(s)
    sim.fail({ method: 'POST', path: /\/lineitem\/scores$/, status: 401, body: 'token revoked' })
    const { attempts, retried } = await expectSent(tln.tool, id)
    expect(attempts).toBe(1 + retried)
    expect(sim.double.services.tokenRequests - tokens).toBe(1)
    expect(postsOf(s)).toHaveLength(1)
  })

  it('ends failed with the 401 when the fresh token is refused too: one fresh token, no loop (Security Framework 1.0 §7.1.1)', async () => {
    await expectSent(tln.tool, await enqueue(toKnownItem()))
    const tokens = sim.double.services.tokenRequests
    const s = toKnownItem()
    const id = await enqueue(s)
    sim.fail({ method: 'POST', path: /\/lineitem\/scores$/, status: 401, body: 'token revoked', times: 2 })
    const drained = await retryingAtOnce(tln.tool).drain()
    expect(drained).toMatchObject({ failed: 1, sent: 0 })
    // Not retried: the second 401 ends the attempt that met it (attempts before it can only be transient failures).
    expect(await tln.tool.passbacks.find(id)).toMatchObject({ status: 'failed', attempts: 1 + drained.retry, lastError: { status: 401, body: 'token revoked' } })
    expect(sim.double.services.tokenRequests - tokens).toBe(1)
    expect(postsOf(s)).toHaveLength(0)
    sim.state.faults.length = 0
  })
})
