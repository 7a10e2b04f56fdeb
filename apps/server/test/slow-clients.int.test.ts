import { connect, type Socket } from 'node:net'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { listen, type HttpServer, type ListenOptions } from '../src/serve.ts'

/** Answers `ok` once the whole request body has arrived; `GET /stream` streams 64 MB as the statement export does (waiting for `drain`). */
function handler(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/stream') { stream(res); return }
  req.resume()
  req.on('end', () => res.end('ok'))
}

const MB = Buffer.alloc(1024 * 1024, 'x')
/** Responses of `/stream` that ended, and how: `finished` (all sent) or `closed` (cut off). */
const streamed: Array<'finished' | 'closed'> = []
function stream(res: ServerResponse): void {
  let sent = 0
  res.on('close', () => streamed.push(res.writableFinished ? 'finished' : 'closed'))
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(64 * MB.length) })
  const pump = (): void => {
    while (sent < 64) {
      sent += 1
      if (!res.write(MB)) { res.once('drain', pump); return }
    }
    res.end()
  }
  pump()
}

let server: HttpServer | undefined
const sockets: Socket[] = []

afterEach(async () => {
  streamed.splice(0)
  for (const socket of sockets.splice(0)) socket.destroy()
  await server?.close(0)
  server = undefined
})

async function start(http: ListenOptions['http'], extra: Partial<ListenOptions> = {}): Promise<number> {
  server = await listen(handler, { port: 0, host: '127.0.0.1', http, ...extra })
  return server.port
}

/** A raw connection that records what the server sent and when it closed the connection. */
function rawClient(port: number): { socket: Socket; received: () => string; closed: Promise<number> } {
  const started = Date.now()
  const socket = connect(port, '127.0.0.1')
  sockets.push(socket)
  let received = ''
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')))
  socket.on('error', () => {})
  const closed = new Promise<number>((done) => socket.on('close', () => done(Date.now() - started)))
  return { socket, received: () => received, closed }
}

/** Writes `text` one byte every `everyMs` until the connection closes or the text runs out. */
function trickle(socket: Socket, text: string, everyMs: number): void {
  let i = 0
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) return clearInterval(timer)
    socket.write(text[i++]!)
  }, everyMs)
}

async function get(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) })
  await res.text()
  return res.status
}

describe('slow and idle clients (TLN_HEADERS_TIMEOUT_MS, TLN_REQUEST_TIMEOUT_MS, TLN_MAX_CONNECTIONS)', () => {
  it('cuts off a client trickling its headers (slowloris) with 408 once the headers timeout passes, and keeps answering others', async () => {
    const port = await start({ headersTimeoutMs: 300, requestTimeoutMs: 5_000 })
    const slow = rawClient(port)
    trickle(slow.socket, `GET / HTTP/1.1\r\nHost: tln\r\nX-Padding: ${'a'.repeat(500)}\r\n\r\n`, 20)
    expect(await get(port)).toBe(200)
    const closedAfter = await slow.closed
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /)
    // 300 ms plus at most one check interval (30 ms) and a loaded machine's slack; node's defaults took 60 to 90 s.
    expect(closedAfter).toBeLessThan(1_500)
    expect(await get(port)).toBe(200)
  })

  it('closes a connection that sends nothing once the headers timeout passes', async () => {
    const port = await start({ headersTimeoutMs: 300, requestTimeoutMs: 5_000 })
    const idle = rawClient(port)
    expect(await idle.closed).toBeLessThan(1_500)
    expect(await get(port)).toBe(200)
  })

  it('lets a slow body finish within the request timeout and cuts off one that does not', async () => {
    const port = await start({ headersTimeoutMs: 300, requestTimeoutMs: 1_000 })
    const head = 'POST / HTTP/1.1\r\nHost: tln\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\n'
    const slowButInTime = rawClient(port)
    slowButInTime.socket.write(head)
    trickle(slowButInTime.socket, '0123456789', 40)
    const stalled = rawClient(port)
    stalled.socket.write(`${head}01234`)
    const stalledAfter = await stalled.closed
    expect(stalled.received()).toMatch(/^HTTP\/1\.1 408 /)
    expect(stalledAfter).toBeLessThan(2_500)
    expect(slowButInTime.received()).toMatch(/^HTTP\/1\.1 200 [^]*\r\n\r\nok$/)
  })

  // Apache mod_reqtimeout's default, `body=20,MinRate=500`: a grace, then a second more per 500 bytes.
  it('cuts off a body trickled below TLN_BODY_MIN_RATE after the grace with 408 naming the rule (slow POST), and counts it', async () => {
    let cut = 0
    const port = await start({ headersTimeoutMs: 300, requestTimeoutMs: 60_000, bodyMinRate: 1_000, bodyGraceMs: 300 }, { onSlowBody: () => { cut += 1 } })
    const slow = rawClient(port)
    slow.socket.write('POST / HTTP/1.1\r\nHost: tln\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n')
    trickle(slow.socket, 'x'.repeat(1_000), 50) // 20 bytes/s
    const closedAfter = await slow.closed
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /)
    expect(JSON.parse(slow.received().split('\r\n\r\n')[1]!).error).toMatchObject({ code: 'ERR_REQUEST_TIMEOUT', field: 'body', rule: 'body-min-rate' })
    // Far before the 60 s request timeout: the grace, the 20 bytes' worth, and a check interval or two.
    expect(closedAfter).toBeLessThan(5_000)
    expect(cut).toBe(1)
    expect(await get(port)).toBe(200)
  })

  it('lets a body above the minimum rate take as long as it needs', async () => {
    const port = await start({ headersTimeoutMs: 300, requestTimeoutMs: 60_000, bodyMinRate: 1_000, bodyGraceMs: 300 })
    const steady = rawClient(port)
    steady.socket.write('POST / HTTP/1.1\r\nHost: tln\r\nContent-Type: text/plain\r\nContent-Length: 6000\r\n\r\n')
    // 3,000 bytes/s for 2 s: ten times the grace, three times the minimum.
    for (let i = 0; i < 20; i++) {
      steady.socket.write('y'.repeat(300))
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    await expect.poll(() => steady.received(), { timeout: 2_000 }).toMatch(/^HTTP\/1\.1 200 [^]*\r\n\r\nok$/)
  })

  it('does not count time the server is not reading the body (paused while it waits for room or the database)', async () => {
    server = await listen((req, res) => {
      // Reads nothing for 1.5 s, five times the grace, then takes the body.
      setTimeout(() => { req.resume(); req.on('end', () => res.end('ok')) }, 1_500)
    }, { port: 0, host: '127.0.0.1', http: { headersTimeoutMs: 300, requestTimeoutMs: 60_000, bodyMinRate: 1_000, bodyGraceMs: 300 } })
    const client = rawClient(server.port)
    // Larger than the socket and parser buffers together, so the server's pause stops the bytes.
    const size = 8 * 1024 * 1024
    client.socket.write(`POST / HTTP/1.1\r\nHost: tln\r\nContent-Type: text/plain\r\nContent-Length: ${size}\r\n\r\n`)
    client.socket.write(Buffer.alloc(size, 'z'))
    await expect.poll(() => client.received(), { timeout: 10_000 }).toMatch(/^HTTP\/1\.1 200 [^]*\r\n\r\nok$/)
  })

  it('refuses connections beyond maxConnections and reports each one', async () => {
    let dropped = 0
    const port = await start({ maxConnections: 1 }, { onDrop: () => (dropped += 1) })
    const first = rawClient(port)
    first.socket.write('GET / HTTP/1.1\r\nHost: tln\r\n')
    await new Promise<void>((done) => first.socket.once('connect', () => done()))
    const second = rawClient(port)
    await second.closed
    expect(second.received()).toBe('')
    expect(dropped).toBe(1)
    first.socket.end('\r\n')
    await first.closed
    expect(first.received()).toMatch(/^HTTP\/1\.1 200 /)
  })

  it('cuts off a client that stops reading an answer once nothing of it has left for the send timeout, and lets a reading client finish', async () => {
    let stalledAt: number | undefined
    const port = await start({ headersTimeoutMs: 1_000, requestTimeoutMs: 5_000, sendTimeoutMs: 1_500 }, { onStall: () => (stalledAt ??= Date.now()) })
    // Asks for 64 MB and reads nothing: the socket buffers fill, the server's writes stop draining.
    const stalled = rawClient(port)
    const asked = Date.now()
    stalled.socket.write('GET /stream HTTP/1.1\r\nHost: tln\r\n\r\n')
    stalled.socket.pause()
    // A client that reads it all meanwhile.
    const reading = rawClient(port)
    let got = 0
    reading.socket.removeAllListeners('data').on('data', (chunk: Buffer) => { got += chunk.length })
    reading.socket.write('GET /stream HTTP/1.1\r\nHost: tln\r\nConnection: close\r\n\r\n')
    await reading.closed
    expect(got).toBeGreaterThan(64 * MB.length)
    while (stalledAt === undefined && Date.now() - asked < 15_000) await new Promise((r) => setTimeout(r, 50))
    // 1.5 s without progress plus one check interval (150 ms) and a loaded machine's slack; without the timeout it never ended.
    expect(stalledAt, 'the stalled connection was cut off').toBeDefined()
    expect(stalledAt! - asked).toBeLessThan(8_000)
    // The client sees the connection end behind what was sent before it (its FIN waits behind the unread bytes).
    let taken = 0
    stalled.socket.removeAllListeners('data').on('data', (chunk: Buffer) => { taken += chunk.length }).resume()
    await stalled.closed
    expect(taken).toBeLessThan(64 * MB.length)
    expect(streamed.sort()).toEqual(['closed', 'finished'])
  }, 30_000)
})
