import { createServer, maxHeaderSize, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './config.ts'

type Handler = (req: IncomingMessage, res: ServerResponse) => void

/** Where and how to listen; the limits are `Config.http` (`TLN_HEADERS_TIMEOUT_MS` and the rest). */
export interface ListenOptions {
  port: number
  host: string
  http?: Partial<HttpLimits>
  /** Called for each connection refused because `maxConnections` were open (node's `drop` event). */
  onDrop?: () => void
  /** Called for each connection cut off because its client took nothing of an answer for `sendTimeoutMs`. */
  onStall?: () => void
  /** Called for each request cut off because its body arrived slower than `bodyMinRate`. */
  onSlowBody?: () => void
}

export interface HttpServer {
  server: Server
  /** The port actually bound (differs from the configured one when that was 0). */
  port: number
  /** True once `close` has been called. */
  draining(): boolean
  /**
   * Stops accepting connections and waits for requests in flight to finish; after `timeoutMs`
   * the remaining connections are cut. Resolves `{ forced }` once the server is closed.
   */
  close(timeoutMs: number): Promise<{ forced: boolean }>
}

/**
 * Listens on `port`/`host` and delegates to `handler` (which may change, see `main.ts`).
 *
 * Draining follows what load balancers expect: once closing, the listening socket closes (new
 * connections are refused), idle keep-alive connections are closed at once, and every response
 * still to be written carries `Connection: close` so its keep-alive connection ends after it
 * instead of waiting for a request that would be refused.
 *
 * Slow and idle clients: a connection whose request headers are not complete within
 * `headersTimeoutMs` (a "slowloris" trickling them, or a connection that sends nothing) and a request
 * whose body is not complete within `requestTimeoutMs` are answered 408 and closed by node. node
 * checks those deadlines only every `connectionsCheckingInterval` (30 s by default, which let a
 * trickling client hold a connection for up to 90 s with node's defaults); here it is a tenth of the
 * headers timeout, so a deadline is kept within 10 %. With `maxConnections` node closes every
 * connection beyond it at once (`onDrop`), which keeps file descriptors for the database and files.
 *
 * Clients that stop reading: node has no deadline for sending an answer, so a client that asked for
 * a large export (or any answer larger than the socket buffers) and then read nothing held its
 * connection, a page of rows and the export's unfinished audit row for as long as it liked; a few
 * hundred such clients hold as many file descriptors and buffers. `watchSends` cuts off a connection
 * whose answer has bytes waiting and none of them left for `sendTimeoutMs` (`onStall`). A slow
 * client is not cut: any byte it takes counts (a 2G phone reading a report at a few KB/s goes on).
 */
export async function listen(handler: Handler, options: ListenOptions): Promise<HttpServer> {
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...options.http }
  let draining = false
  const open = new Set<ServerResponse>()
  const bodies = new Set<BodyProgress>()
  const server = createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(5_000, Math.max(10, Math.floor(limits.headersTimeoutMs / 10))),
  }, (req, res) => {
    open.add(res)
    res.on('close', () => {
      open.delete(res)
      if (draining) server.closeIdleConnections()
    })
    if (draining) res.setHeader('Connection', 'close')
    if (limits.bodyMinRate > 0 && hasBody(req)) bodies.add({ req, res, since: Date.now(), base: req.socket.bytesRead })
    handler(req, res)
  })
  server.on('clientError', answerClientError)
  server.on('connect', refuseConnect)
  const watcher = watchSends(open, limits.sendTimeoutMs, options.onStall)
  const bodyWatcher = limits.bodyMinRate > 0 ? watchBodies(bodies, limits.bodyMinRate, limits.bodyGraceMs, options.onSlowBody) : undefined
  server.once('close', () => {
    clearInterval(watcher)
    clearInterval(bodyWatcher)
  })
  if (limits.maxConnections !== undefined) server.maxConnections = limits.maxConnections
  if (options.onDrop !== undefined) server.on('drop', options.onDrop)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port

  let closing: Promise<{ forced: boolean }> | undefined
  const close = (timeoutMs: number): Promise<{ forced: boolean }> => {
    closing ??= new Promise((resolve) => {
      draining = true
      for (const res of open) if (!res.headersSent) res.setHeader('Connection', 'close')
      let forced = false
      const timer = setTimeout(() => {
        forced = true
        server.closeAllConnections()
      }, timeoutMs)
      server.close(() => {
        clearTimeout(timer)
        resolve({ forced })
      })
      server.closeIdleConnections()
    })
    return closing
  }
  return { server, port, draining: () => draining, close }
}

/** What a connection has sent so far: bytes handed to the operating system, and libuv's queue of the rest. */
interface SendProgress { left: number; queued: number; since: number; looks: number }

/**
 * Every `sendTimeoutMs / 10` (at most 5 s), looks at the connection of each answer in progress: while
 * bytes wait to be sent (`writableLength`), progress is bytes leaving the process (`bytesWritten`
 * less what still waits) or libuv's write queue shrinking (a partial write, `writeQueueSize`). A
 * connection without either for `sendTimeoutMs` is destroyed: its client has stopped reading. Bytes
 * the handler adds count as nothing, so writing on without waiting for `drain` does not keep it alive.
 */
function watchSends(open: ReadonlySet<ServerResponse>, sendTimeoutMs: number, onStall?: () => void): NodeJS.Timeout {
  const progress = new WeakMap<Socket, SendProgress>()
  const timer = setInterval(() => {
    const now = Date.now()
    for (const res of open) {
      const socket = res.socket
      if (socket === null || socket.destroyed) continue
      const queued = (socket as Socket & { _handle?: { writeQueueSize?: number } | null })._handle?.writeQueueSize
      if (socket.writableLength === 0 || typeof queued !== 'number') { progress.delete(socket); continue }
      const left = socket.bytesWritten - socket.writableLength
      const last = progress.get(socket)
      if (last === undefined || left !== last.left || queued < last.queued) { progress.set(socket, { left, queued, since: now, looks: 0 }); continue }
      last.looks += 1
      // Three looks at least, so that an event loop that stood still for a while (the client's data
      // not yet read by this process either) does not count as the client standing still.
      if (now - last.since < sendTimeoutMs || last.looks < 3) continue
      progress.delete(socket)
      onStall?.()
      socket.destroy()
    }
  }, Math.min(5_000, Math.max(10, Math.floor(sendTimeoutMs / 10))))
  timer.unref()
  return timer
}

/** A request whose body is still arriving: since when it is measured, and the socket's byte count then. */
interface BodyProgress { readonly req: IncomingMessage; readonly res: ServerResponse; since: number; base: number }

/** A request that announces a body (RFC 9112 §6.3: Content-Length above 0, or Transfer-Encoding). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length']
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

/**
 * A minimum rate for request bodies, as Apache's mod_reqtimeout does by default (`body=20,
 * MinRate=500`): a body gets `graceMs`, and one more second for every `minRate` bytes that arrive.
 * The total request timeout alone (`TLN_REQUEST_TIMEOUT_MS`, 10 min so that a 10 MB file crosses a
 * 2G link) let a client announce a large body and send a byte every few seconds ("slow POST"), a
 * connection held for ten minutes at no cost; a few thousand of them use up the file descriptors.
 * Time counts only while the handler is reading (`readableFlowing`): a body the server has paused
 * (waiting for room in the body budget, or for a database answer) is not the client's delay. A 2G
 * phone at 20 KB/s is forty times over the minimum. The cut-off request gets 408 naming the rule.
 */
function watchBodies(bodies: Set<BodyProgress>, minRate: number, graceMs: number, onSlowBody?: () => void): NodeJS.Timeout {
  const timer = setInterval(() => {
    const now = Date.now()
    for (const body of bodies) {
      const { req, res } = body
      const socket = req.socket
      // Watched until the body is in, even once answered: node then reads and drops the rest of it
      // to keep the connection, and a client trickling it would hold that connection as long.
      if (req.complete || socket.destroyed) { bodies.delete(body); continue }
      if (req.readableFlowing !== true) { body.since = now; body.base = socket.bytesRead; continue }
      const received = socket.bytesRead - body.base
      if (now - body.since <= graceMs + (received / minRate) * 1000) continue
      bodies.delete(body)
      onSlowBody?.()
      if (res.headersSent) { socket.destroy(); continue }
      const message = `the request body arrived slower than ${minRate} bytes per second after ${graceMs / 1000} s (TLN_BODY_MIN_RATE); send it at once or over a faster link`
      endWithError(socket, 408, { code: 'ERR_REQUEST_TIMEOUT', message, field: 'body', rule: 'body-min-rate' })
      // The client is still trickling: do not wait for it to close its side.
      socket.once('finish', () => socket.destroy())
    }
  }, Math.min(1_000, Math.max(10, Math.floor(graceMs / 10))))
  timer.unref()
  return timer
}

/** What node's HTTP parser refused, as status, TLN error code, field and rule. */
function clientErrorAnswer(code: string | undefined, reason: string): { status: number; error: { code: string; message: string; field: string; rule: string } } {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, error: { code: 'ERR_HEADERS_TOO_LARGE', message: `the request line and headers together are larger than the ${maxHeaderSize} bytes (${Math.round(maxHeaderSize / 1024)} KB) this server reads; send long queries in the body (xAPI: POST with ?method=GET) and fewer or shorter headers`, field: 'headers', rule: 'max-header-size' } }
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, error: { code: 'ERR_REQUEST_TIMEOUT', message: 'the request did not arrive in time (its headers within TLN_HEADERS_TIMEOUT_MS, all of it within TLN_REQUEST_TIMEOUT_MS)', field: 'request', rule: 'request-timeout' } }
  }
  return { status: 400, error: { code: 'ERR_BAD_REQUEST', message: `the request is malformed: ${reason}`, field: 'request', rule: 'http-syntax' } }
}

/**
 * Answers what node's HTTP parser refused before any route saw it (a request line or headers over
 * 16 KB, a malformed request, Content-Length beside Transfer-Encoding, a timeout) with the status
 * node would give and a JSON error in TLN's shape naming the field and the rule; then closes, since
 * the rest of the connection cannot be parsed. Node's own answer has no body, and on a kept-alive
 * connection after its first answer (`bytesWritten > 0`) it sent none at all, only a reset. A
 * refused request pipelined behind an answer being sent gets its own after that one.
 */
function answerClientError(error: Error & { code?: string; reason?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) { socket.destroy(error); return }
  // A request pipelined behind an answer still being sent: the refusal goes after that answer. An
  // answer not begun yet (the request that timed out, still waiting for its body) is answered for.
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage
  if (inFlight !== undefined && inFlight !== null && inFlight.headersSent && !inFlight.writableFinished) {
    inFlight.once('finish', () => answerClientError(error, socket))
    return
  }
  const { status, error: body } = clientErrorAnswer(error.code, error.reason ?? error.message)
  endWithError(socket, status, body)
}

/**
 * CONNECT asks the server to open a tunnel (RFC 9110 §9.3.6): TLN is no proxy. Node closes such a
 * connection unanswered when nothing listens for `connect`; it gets 405 with an empty `Allow` (the
 * tunnel allows no method, §10.2.1) and a JSON error instead, and the connection closes.
 */
function refuseConnect(_req: IncomingMessage, socket: Duplex): void {
  if (!socket.writable) { socket.destroy(); return }
  endWithError(socket, 405, { code: 'ERR_METHOD_NOT_ALLOWED', message: 'CONNECT is not allowed: this server opens no tunnels (it is not a proxy)', field: 'method', rule: 'no-tunnel' }, 'Allow: \r\n')
}

/** Writes a complete answer with TLN's JSON error on a raw socket, outside express, and closes the connection. */
function endWithError(socket: Duplex, status: number, error: { code: string; message: string; field: string; rule: string }, extraHeaders = ''): void {
  const json = JSON.stringify({ error })
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${extraHeaders}Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${json}`)
}
