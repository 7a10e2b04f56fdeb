import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

type Handler = (req: IncomingMessage, res: ServerResponse) => void

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
 */
export async function listen(handler: Handler, options: { port: number; host: string }): Promise<HttpServer> {
  let draining = false
  const open = new Set<ServerResponse>()
  const server = createServer((req, res) => {
    open.add(res)
    res.on('close', () => {
      open.delete(res)
      if (draining) server.closeIdleConnections()
    })
    if (draining) res.setHeader('Connection', 'close')
    handler(req, res)
  })
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
