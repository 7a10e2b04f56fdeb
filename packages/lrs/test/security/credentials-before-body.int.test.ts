import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UNAUTHENTICATED_FORM_LIMIT } from '../../src/http/lrs-router.ts'
import { aStatement, createTestLrs, listen, V103, type TestLrs } from '../test-lrs.ts'

/**
 * Credentials are checked before a body is read (issue 7, Security: load and attack). A request
 * that carries its own headers is refused on them: a client without valid credentials cannot
 * make the LRS buffer a body of up to the body limit on every connection it opens. Only the
 * alternate request syntax (xAPI 1.0.3 Communication 1.3), whose Authorization may travel in the
 * form, is read first: within 1 MiB (`UNAUTHENTICATED_FORM_LIMIT`) when no Authorization header
 * came with it; with one, that header is checked first and the body limit applies.
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

/**
 * Sends a whole request (head, then `body`, as fast as the socket takes it, chunked when
 * `chunked`) and resolves with the whole answer once the server ends it; a server that answers and
 * closes before reading everything makes the rest of the write fail, which is ignored, as a client would.
 */
function rawRequest(head: string[], body: Buffer, options: { chunked?: boolean } = {}): Promise<{ status: number; headers: string; body: string }> {
  const { port, hostname } = new URL(server.base)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    const chunks: Buffer[] = []
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('no answer')) }, 30_000)
    const done = () => {
      clearTimeout(timer)
      const text = Buffer.concat(chunks).toString('utf8')
      const end = text.indexOf('\r\n\r\n')
      if (end < 0) return reject(new Error(`no answer: ${text}`))
      const headers = text.slice(0, end).toLowerCase()
      let rest = text.slice(end + 4)
      if (headers.includes('transfer-encoding: chunked')) rest = rest.replace(/^[0-9a-f]+\r\n/, '').replace(/\r\n0\r\n\r\n$/, '')
      resolve({ status: Number(text.slice(9, 12)), headers, body: rest })
    }
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      const text = Buffer.concat(chunks).toString('latin1')
      const end = text.indexOf('\r\n\r\n')
      const length = /content-length: (\d+)/i.exec(text.slice(0, end))
      if (end >= 0 && length !== null && Buffer.byteLength(text.slice(end + 4), 'latin1') >= Number(length[1])) { socket.destroy(); done() }
    })
    socket.on('close', () => { if (chunks.length > 0) done() })
    socket.on('error', () => {}) // EPIPE/ECONNRESET after the server answered and closed
    const framing = options.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.length}`
    socket.write([...head, `Host: ${hostname}:${port}`, 'Connection: close', framing, '', ''].join('\r\n'))
    if (!options.chunked) { socket.write(body); return }
    for (let at = 0; at < body.length; at += 64 * 1024) {
      const piece = body.subarray(at, at + 64 * 1024)
      socket.write(`${piece.length.toString(16)}\r\n`)
      socket.write(piece)
      socket.write('\r\n')
    }
    socket.write('0\r\n\r\n')
  })
}

const ALTERNATE_HEAD = ['POST /xapi/activities/state?method=PUT HTTP/1.1', 'Content-Type: application/x-www-form-urlencoded']
/** An alternate State PUT (Communication 1.3, 2.3) whose text document is `size` bytes. */
function stateForm(stateId: string, size: number, authorization?: string): Buffer {
  return Buffer.from(new URLSearchParams({
    'X-Experience-API-Version': '1.0.3', ...(authorization !== undefined && { Authorization: authorization }), 'Content-Type': 'text/plain',
    activityId: 'https://tln.example/activities/alternate', agent: JSON.stringify({ mbox: 'mailto:baiq.nurul@paud.example' }), stateId,
    content: 'a'.repeat(size),
  }).toString())
}
const stateQuery = (stateId: string) => `/xapi/activities/state?activityId=${encodeURIComponent('https://tln.example/activities/alternate')}&agent=${encodeURIComponent(JSON.stringify({ mbox: 'mailto:baiq.nurul@paud.example' }))}&stateId=${stateId}`

describe('an alternate request\'s form read before authentication is bounded (xAPI 1.0.3 Communication 1.3, 3.2: 413)', () => {
  it('refuses a form without an Authorization header that announces more than 1 MiB, before reading it (413, connection closed)', async () => {
    expect(UNAUTHENTICATED_FORM_LIMIT).toBe(1024 * 1024)
    const answer = await headOnly(ALTERNATE_HEAD, UNAUTHENTICATED_FORM_LIMIT + 1)
    expect(answer).not.toBe('no answer')
    expect(answer).toMatchObject({ status: 413 })
    expect((answer as { headers: string }).headers).toContain('connection: close')
  })

  it('stores a form with its credentials inside up to 1 MiB, and answers 413 naming the rule and the limit, storing nothing, above', async () => {
    const under = stateForm('under', UNAUTHENTICATED_FORM_LIMIT - 1024, t.auth)
    expect(under.length).toBeLessThanOrEqual(UNAUTHENTICATED_FORM_LIMIT)
    expect((await rawRequest(ALTERNATE_HEAD, under)).status).toBe(204)
    expect((await t.http.get(stateQuery('under')).set(V103).set('Authorization', t.auth).expect(200)).text).toHaveLength(UNAUTHENTICATED_FORM_LIMIT - 1024)

    const over = await rawRequest(ALTERNATE_HEAD, stateForm('over', UNAUTHENTICATED_FORM_LIMIT, t.auth))
    expect(over.status).toBe(413)
    const { error } = JSON.parse(over.body) as { error: { code: string; path: string; message: string } }
    expect(error).toMatchObject({ code: 'ERR_LRS_PAYLOAD_TOO_LARGE', path: 'Content-Length' })
    expect(error.message).toContain(`at most ${UNAUTHENTICATED_FORM_LIMIT} bytes`)
    expect(error.message).toContain('rule unauthenticated-form-limit')
    await t.http.get(stateQuery('over')).set(V103).set('Authorization', t.auth).expect(404)
  }, 30_000)

  it('stops reading a chunked form without an Authorization header at 1 MiB (413), storing nothing', async () => {
    const answer = await rawRequest(ALTERNATE_HEAD, stateForm('chunked', 2 * UNAUTHENTICATED_FORM_LIMIT, t.auth), { chunked: true })
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.body).error).toMatchObject({ code: 'ERR_LRS_PAYLOAD_TOO_LARGE', path: 'body' })
    await t.http.get(stateQuery('chunked')).set(V103).set('Authorization', t.auth).expect(404)
  })

  it('checks an Authorization header before reading the form: a wrong one is refused unread (401, connection closed), a valid one lets the form go up to the body limit', async () => {
    const wrong = `Basic ${Buffer.from('nobody:wrong').toString('base64')}`
    const answer = await headOnly([...ALTERNATE_HEAD, `Authorization: ${wrong}`], 4 * 1024 * 1024)
    expect(answer).not.toBe('no answer')
    expect(answer).toMatchObject({ status: 401 })
    expect((answer as { headers: string }).headers).toContain('connection: close')

    const large = await rawRequest([...ALTERNATE_HEAD, `Authorization: ${t.auth}`], stateForm('large', 2 * UNAUTHENTICATED_FORM_LIMIT))
    expect(large.status).toBe(204)
    expect((await t.http.get(stateQuery('large')).set(V103).set('Authorization', t.auth).expect(200)).text).toHaveLength(2 * UNAUTHENTICATED_FORM_LIMIT)
  }, 30_000)
})

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
