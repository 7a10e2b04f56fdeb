import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { createLogger, type Logger } from '@tln/server'

/** A server listening before its app exists: the app is built with the server's own URL. */
export interface EarlyServer {
  url: string
  /** From now on `app` answers; until then every request gets 503. */
  serve(app: RequestListener): void
  /** Drops open connections and stops listening. */
  close(): Promise<void>
}

/** Listens on a free port of `host`, answering 503 until `serve`. */
export async function listenEarly(host = '127.0.0.1'): Promise<EarlyServer> {
  let handler: RequestListener = (_req, res) => { res.statusCode = 503; res.end() }
  const server: Server = createServer((req, res) => handler(req, res))
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    serve: (app) => { handler = app },
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** The app's logger at `level`, writing its JSON lines into memory for the test to read. */
export function capturedLogger(level: Parameters<typeof createLogger>[0]): { logger: Logger; logs(): Array<Record<string, unknown>> } {
  const lines: string[] = []
  const logger = createLogger(level, new Writable({ write(chunk: Buffer, _e, done) { lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)); done() } }))
  return { logger, logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) }
}
