import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
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
    handler(req, res)
  })
  const watcher = watchSends(open, limits.sendTimeoutMs, options.onStall)
  server.once('close', () => clearInterval(watcher))
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
interface SendProgress { left: number; queued: number; since: number }

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
      if (last === undefined || left !== last.left || queued < last.queued) { progress.set(socket, { left, queued, since: now }); continue }
      if (now - last.since < sendTimeoutMs) continue
      progress.delete(socket)
      onStall?.()
      socket.destroy()
    }
  }, Math.min(5_000, Math.max(10, Math.floor(sendTimeoutMs / 10))))
  timer.unref()
  return timer
}
