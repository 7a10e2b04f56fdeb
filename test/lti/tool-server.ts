import { randomBytes } from 'node:crypto'
import type { Db } from '@tln/db'
import { createTestDb } from '@tln/db/testing'
import { createLrs, type Lrs } from '@tln/lrs'
import { createLtiTool, type LtiTool, type LtiToolConfig } from '@tln/lti-tool'
import { createApp, loadConfig } from '@tln/server'
import { capturedLogger, listenEarly } from '../test-server.ts'
import type { PlatformSimulator } from './platform-simulator.ts'

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
  const server = await listenEarly(host)
  const url = server.url
  const ownDb = options.db === undefined
  const db = options.db ?? (await createTestDb())
  const { logger, logs } = capturedLogger('debug')
  const lrs = createLrs({ knex: db.knex, logger, publicUrl: url })
  const tool = await createLtiTool({
    knex: db.knex, lrs, logger,
    config: { publicUrl: url, keySecret: options.keySecret ?? new Uint8Array(randomBytes(32)), dynamicRegistration: options.dynamicRegistration ?? 'pending', ...options.config },
  })
  server.serve(createApp({ config: loadConfig({}), db, logger, lrs, publicUrl: url, lti: tool.router }))
  return {
    url, db, lrs, tool,
    logs,
    close: async () => {
      await server.close()
      if (ownDb) await db.close()
    },
  }
}

/** Registers the simulator as an active platform of the tool (returned), and the tool's endpoints with the simulator, as an administrator's `platform add` does. */
export function connectSimulator(sim: PlatformSimulator, tln: ToolServer): ReturnType<LtiTool['platforms']['add']> {
  sim.setTool({ loginUrl: `${tln.url}/lti/login`, redirectUri: `${tln.url}/lti/launch`, jwksUri: `${tln.url}/lti/jwks` })
  return tln.tool.platforms.add({ platform: sim.platform, deploymentIds: [sim.deploymentId], status: 'active', registeredBy: 'cli' })
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
