import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aStatement, createTestLrs, listen, V103, type TestLrs } from '../test-lrs.ts'

/**
 * Credentials are checked before a body is read (issue 7, Security: load and attack). A request
 * that carries its own headers is refused on them: a client without valid credentials cannot
 * make the LRS buffer a body of up to the body limit on every connection it opens. Only the
 * alternate request syntax (xAPI 1.0.3 Communication 1.3), whose Authorization travels in the
 * form, is read first, within the same limit.
 */
let t: TestLrs
let server: { base: string; stop(): Promise<void> }
beforeAll(async () => {
  t = await createTestLrs({ bodyLimit: 8 * 1024 * 1024 })
  server = await listen(t)
})
afterAll(async () => {
  await server.stop()
  await t.close()
})

/**
 * Sends only the head of a request that announces `contentLength` bytes of body and never sends
 * them; resolves with the status line and headers the server answers with, or 'no answer'.
 */
function headOnly(head: string[], contentLength: number): Promise<{ status: number; headers: string } | 'no answer'> {
  const { port, hostname } = new URL(server.base)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    let received = ''
    const timer = setTimeout(() => {
      socket.destroy()
      resolve('no answer')
    }, 2_000)
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1')
      const end = received.indexOf('\r\n\r\n')
      if (end < 0) return
      clearTimeout(timer)
      socket.destroy()
      resolve({ status: Number(received.slice(9, 12)), headers: received.slice(0, end).toLowerCase() })
    })
    socket.on('error', reject)
    socket.write([...head, `Host: ${hostname}:${port}`, `Content-Length: ${contentLength}`, '', ''].join('\r\n'))
  })
}

describe('credentials before the body (issue 7)', () => {
  it('refuses a statement POST without credentials before reading its body (401, connection closed)', async () => {
    const answer = await headOnly(['POST /xapi/statements HTTP/1.1', 'X-Experience-API-Version: 1.0.3', 'Content-Type: application/json'], 4 * 1024 * 1024)
    expect(answer).not.toBe('no answer')
    expect(answer).toMatchObject({ status: 401 })
    expect((answer as { headers: string }).headers).toContain('connection: close')
  })

  it('refuses a statement PUT with a wrong secret before reading its body (401)', async () => {
    const wrong = `Basic ${Buffer.from('nobody:wrong').toString('base64')}`
    const answer = await headOnly([`PUT /xapi/statements?statementId=${crypto.randomUUID()} HTTP/1.1`, 'X-Experience-API-Version: 1.0.3', 'Content-Type: application/json', `Authorization: ${wrong}`], 1024 * 1024)
    expect(answer).toMatchObject({ status: 401 })
  })

  it('refuses a document PUT without credentials before reading its body (401)', async () => {
    const agent = encodeURIComponent(JSON.stringify({ mbox: 'mailto:baiq.nurul@paud.example' }))
    const answer = await headOnly([`PUT /xapi/activities/state?activityId=https%3A%2F%2Ftln.example%2Fa&agent=${agent}&stateId=s HTTP/1.1`, 'X-Experience-API-Version: 1.0.3', 'Content-Type: application/octet-stream'], 2 * 1024 * 1024)
    expect(answer).toMatchObject({ status: 401 })
  })

  it('still answers 405 before 401 and 400 for a missing version before 401, without reading the body (Communication 3.2, 3.3)', async () => {
    expect(await headOnly(['DELETE /xapi/statements HTTP/1.1', 'X-Experience-API-Version: 1.0.3'], 1024 * 1024)).toMatchObject({ status: 405 })
    expect(await headOnly(['POST /xapi/statements HTTP/1.1', 'Content-Type: application/json'], 1024 * 1024)).toMatchObject({ status: 400 })
  })

  it('stores a statement sent with valid credentials, its body read once they are checked', async () => {
    const statement = aStatement()
    const res = await t.http.post('/xapi/statements').set(V103).set('Authorization', t.auth).send(statement).expect(200)
    expect(res.body).toHaveLength(1)
    await t.http.get(`/xapi/statements?statementId=${res.body[0]}`).set(V103).set('Authorization', t.auth).expect(200)
  })

  it('reads an alternate request first, its credentials being in the form (Communication 1.3.s3.b6), and stores nothing without valid ones', async () => {
    const id = crypto.randomUUID()
    const content = JSON.stringify(aStatement({ id }))
    const form = (authorization: string) => new URLSearchParams({ 'X-Experience-API-Version': '1.0.3', Authorization: authorization, 'Content-Type': 'application/json', content }).toString()
    await t.http.post('/xapi/statements?method=POST').type('form').send(form('Basic bm9ib2R5Ondyb25n')).expect(401)
    await t.http.get(`/xapi/statements?statementId=${id}`).set(V103).set('Authorization', t.auth).expect(404)
    await t.http.post('/xapi/statements?method=POST').type('form').send(form(t.auth)).expect(200)
    await t.http.get(`/xapi/statements?statementId=${id}`).set(V103).set('Authorization', t.auth).expect(200)
  })
})
