import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { createServer, type Server } from 'node:http'
import { Writable } from 'node:stream'
import type { Db } from '@tln/db'
import { createTestDb } from '@tln/db/testing'
import { createLrs, type Lrs } from '@tln/lrs'
import { createLtiTool, type LtiTool, type LtiToolConfig } from '@tln/lti-tool'
import { createApp, createLogger, loadConfig } from '@tln/server'

export interface ToolServer {
  url: string
  db: Db
  lrs: Lrs
  tool: LtiTool
  logs(): Array<Record<string, unknown>>
  close(): Promise<void>
}

/**
 * The TLN server app (security headers, request log, `/xapi`, `/lti`) on a real port, with the LTI
 * tool wired as `main.ts` does it, on a fresh test database (or the one given: two servers on one
 * database share nothing else).
 */
export async function startToolServer(options: { host?: string; db?: Db; keySecret?: Uint8Array; dynamicRegistration?: 'pending' | 'active'; config?: Partial<LtiToolConfig> } = {}): Promise<ToolServer> {
  const host = options.host ?? '127.0.0.1'
  let handler: Parameters<typeof createServer>[1] = (_req, res) => { res.statusCode = 503; res.end() }
  const server: Server = createServer((req, res) => handler!(req, res))
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const url = `http://${host}:${(server.address() as AddressInfo).port}`
  const ownDb = options.db === undefined
  const db = options.db ?? (await createTestDb())
  const lines: string[] = []
  const logger = createLogger('debug', new Writable({ write(chunk: Buffer, _e, done) { lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)); done() } }))
  const lrs = createLrs({ knex: db.knex, logger, publicUrl: url })
  const tool = await createLtiTool({
    knex: db.knex, lrs, logger,
    config: { publicUrl: url, keySecret: options.keySecret ?? new Uint8Array(randomBytes(32)), dynamicRegistration: options.dynamicRegistration ?? 'pending', ...options.config },
  })
  handler = createApp({ config: loadConfig({}), db, logger, lrs, publicUrl: url, lti: tool.router })
  return {
    url, db, lrs, tool,
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      if (ownDb) await db.close()
    },
  }
}

/** The hidden fields of a form page (the simulator's and the tool's pages both escape values). */
export function formFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields[unescape(m[1]!)] = unescape(m[2]!)
  return fields
}

export function formAction(html: string): string {
  const m = /<form[^>]*action="([^"]*)"/.exec(html)
  if (!m) throw new Error('no form on the page')
  return unescape(m[1]!)
}

function unescape(v: string): string {
  return v.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
}
