import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './config.ts'

type Handler = (req: IncomingMessage, res: ServerResponse) => void

/** Where and how to listen; the limits are `Config.http` (`TLN_HEADERS_TIMEOUT_MS` and the rest). */
export interface ListenOptions {
  port: number
  host: string
  http?: Partial<HttpLimits>
  /** Called for each connection refused because `maxConnections` were open (node's `drop` event). */
  onDrop?: () => void
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
