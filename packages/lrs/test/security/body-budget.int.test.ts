import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aStatement, createTestLrs, listen, V103, type TestLrs } from '../test-lrs.ts'

/**
 * The body budget (issue 7, load and attack): the LRS reads and works on at most `bodyBudget`
 * bytes of request bodies at once; a request that finds no room waits, body unread, in arrival
 * order, and after `bodyBudgetWaitMs` is answered 503 with Retry-After (RFC 9110 §15.6.4,
 * §10.2.3) having stored nothing.
 */
const LIMIT = 64 * 1024
let t: TestLrs
let server: { base: string; stop(): Promise<void> }
beforeAll(async () => {
  // 2 s of waiting: long enough that a loaded machine answers the body ahead within it (the second
  // case), short enough for the first case to see the 503.
  t = await createTestLrs({ bodyLimit: LIMIT, bodyBudget: LIMIT, bodyBudgetWaitMs: 2_000 })
  server = await listen(t)
})
afterAll(async () => {
  await server.stop()
  await t.close()
})

/** A statement POST that announces `length` bytes and sends only the first `sent` of them: it holds its reservation. */
function partialPost(length: number, sent: number, headers: readonly string[] = []): Promise<Socket> {
  const { port, hostname } = new URL(server.base)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(['POST /xapi/statements HTTP/1.1', `Host: ${hostname}`, 'X-Experience-API-Version: 1.0.3', `Authorization: ${t.auth}`, 'Content-Type: application/json', `Content-Length: ${length}`, ...headers, '', ''].join('\r\n'))
      socket.write(' '.repeat(sent), () => resolve(socket))
    })
    socket.on('error', reject)
  })
}

/** Wait for the server to have seen the bytes sent: up to 10 s, a loaded CI machine's worst, not 200 polls (2 s and less). */
const waitFor = async (condition: () => boolean) => {
  const deadline = Date.now() + 10_000
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
  expect(condition()).toBe(true)
}

describe('body budget (issue 7)', () => {
  it('answers 503 with Retry-After, storing nothing, to a request that waited too long for room', async () => {
    const holder = await partialPost(LIMIT - 100, 10)
    await waitFor(() => budgetOf(t).reserved > 0)
    const statement = aStatement({ id: crypto.randomUUID() })
    const res = await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(statement)
    expect(res.status).toBe(503)
    expect(res.get('Retry-After')).toBe('5')
    expect(res.get('Connection')).toBe('close')
    expect(res.body.error.code).toBe('ERR_LRS_BUSY')
    holder.destroy()
    await waitFor(() => budgetOf(t).reserved === 0)
    await t.http.get(`/xapi/statements?statementId=${statement.id}`).set(V103).set('Authorization', t.auth).expect(404)
  })

  it('lets a waiting request in, and stores it, once the body ahead of it is answered', async () => {
    const holder = await partialPost(LIMIT - 100, 10)
    await waitFor(() => budgetOf(t).reserved > 0)
    const statement = aStatement({ id: crypto.randomUUID() })
    const waiting = t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(statement).then((res) => res)
    await waitFor(() => budgetOf(t).queued === 1)
    holder.end(' '.repeat(LIMIT - 110)) // the rest of a body of spaces: answered 400, its room given back
    const res = await waiting
    expect(res.status).toBe(200)
    holder.destroy()
    await t.http.get(`/xapi/statements?statementId=${statement.id}`).set(V103).set('Authorization', t.auth).expect(200)
  })

  it('takes a waiting request out of the queue when its client goes away', async () => {
    const holder = await partialPost(LIMIT - 100, 10)
    await waitFor(() => budgetOf(t).reserved > 0)
    const leaving = await partialPost(1_000, 0)
    await waitFor(() => budgetOf(t).queued === 1)
    leaving.destroy()
    await waitFor(() => budgetOf(t).queued === 0)
    holder.destroy()
    await waitFor(() => budgetOf(t).reserved === 0)
  })

  it('reserves the body limit for a compressed body: its Content-Length counts the gzip bytes, not what they inflate to (RFC 9110 §8.4, §8.6)', async () => {
    // A few KB of gzip inflate to the whole body limit: reserving the announced length let many such
    // requests work on far more than the budget at once.
    const holder = await partialPost(1_000, 10, ['Content-Encoding: gzip'])
    await waitFor(() => budgetOf(t).reserved === LIMIT)
    holder.destroy()
    await waitFor(() => budgetOf(t).reserved === 0)
  })

  it('reserves nothing for GET requests', async () => {
    const holder = await partialPost(LIMIT, 10)
    await waitFor(() => budgetOf(t).reserved === LIMIT)
    await t.http.get('/xapi/statements?limit=1').set(V103).set('Authorization', t.auth).expect(200)
    holder.destroy()
    await waitFor(() => budgetOf(t).reserved === 0)
  })
})

function budgetOf(lrs: TestLrs) {
  return lrs.lrs.bodyBudget
}
