import { connect } from 'node:net'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { listen, type HttpServer } from '../src/serve.ts'

/**
 * Requests node's HTTP parser refuses before any route sees them: a 100 kB URL or header line, a
 * malformed request, a Content-Length beside Transfer-Encoding. Node's own answer is a bare status
 * line with no body, and on a kept-alive connection after its first answer not even that (the
 * connection is reset). Every bad input gets a clear 4xx naming the field and the rule, as JSON in
 * the shape of every other TLN error.
 */
let server: HttpServer | undefined
afterEach(async () => {
  await server?.close(0)
  server = undefined
})

function ok(_req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Content-Type', 'text/plain')
  res.end('ok')
}

/** Writes `bytes` on one connection and resolves with everything the server sent before it closed. */
function exchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let received = ''
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')))
    socket.on('error', () => {})
    socket.on('close', () => resolve(received))
    socket.write(bytes)
  })
}

/** The last answer in `received`: status and JSON body. */
function lastAnswer(received: string): { status: number; error: Record<string, unknown> } {
  const at = received.lastIndexOf('HTTP/1.1 ')
  expect(at, received.slice(0, 300)).toBeGreaterThanOrEqual(0)
  const answer = received.slice(at)
  const [head, body = ''] = answer.split('\r\n\r\n', 2)
  expect(head).toMatch(/\r\ncontent-type: application\/json; charset=utf-8/i)
  expect(head).toMatch(/\r\nconnection: close/i)
  return { status: Number(head!.slice(9, 12)), error: (JSON.parse(body) as { error: Record<string, unknown> }).error }
}

describe('requests the HTTP parser refuses', () => {
  it('answers a 100 kB URL with 431 naming the request line and the limit (RFC 6585 §5)', async () => {
    server = await listen(ok, { port: 0, host: '127.0.0.1' })
    const { status, error } = lastAnswer(await exchange(server.port, `GET /xapi/statements?agent=${'a'.repeat(100_000)} HTTP/1.1\r\nHost: tln\r\n\r\n`))
    expect(status).toBe(431)
    expect(error).toMatchObject({ code: 'ERR_HEADERS_TOO_LARGE', field: 'headers', rule: 'max-header-size' })
    expect(error.message).toMatch(/16 ?KB|16384/)
  })

  it('answers a huge header line the same way on a kept-alive connection after a first answer', async () => {
    server = await listen(ok, { port: 0, host: '127.0.0.1' })
    const received = await exchange(server.port, `GET / HTTP/1.1\r\nHost: tln\r\n\r\nGET / HTTP/1.1\r\nHost: tln\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`)
    expect(received).toMatch(/^HTTP\/1\.1 200 /)
    expect(lastAnswer(received)).toMatchObject({ status: 431, error: { code: 'ERR_HEADERS_TOO_LARGE' } })
  })

  it('answers a malformed request with 400 naming what the parser refused (RFC 9112 §2.2, §6.3)', async () => {
    server = await listen(ok, { port: 0, host: '127.0.0.1' })
    const smuggled = lastAnswer(await exchange(server.port, 'POST / HTTP/1.1\r\nHost: tln\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'))
    expect(smuggled).toMatchObject({ status: 400, error: { code: 'ERR_BAD_REQUEST', field: 'request', rule: 'http-syntax' } })
    expect(String(smuggled.error.message)).not.toBe('')
    const garbage = lastAnswer(await exchange(server.port, 'NOT A REQUEST\r\n\r\n'))
    expect(garbage).toMatchObject({ status: 400, error: { code: 'ERR_BAD_REQUEST' } })
  })

  it('answers CONNECT with 405 and an empty Allow instead of closing the connection unanswered: TLN is no proxy (RFC 9110 §9.3.6, §15.5.6, §10.2.1)', async () => {
    server = await listen(ok, { port: 0, host: '127.0.0.1' })
    const received = await exchange(server.port, 'CONNECT internal.example:5432 HTTP/1.1\r\nHost: internal.example:5432\r\n\r\n')
    expect(received).toMatch(/\r\nallow: \r\n/i)
    expect(lastAnswer(received)).toMatchObject({ status: 405, error: { code: 'ERR_METHOD_NOT_ALLOWED', field: 'method', rule: 'no-tunnel' } })
  })
})
