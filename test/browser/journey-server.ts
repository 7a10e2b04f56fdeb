import { randomBytes } from 'node:crypto'
import type { Db } from '@tln/db'
import { createTestDb } from '@tln/db/testing'
import { createLrs, type Lrs } from '@tln/lrs'
import { createLtiTool, type LtiTool, type PassbackWorker } from '@tln/lti-tool'
import { createApp, loadConfig } from '@tln/server'
import { capturedLogger, listenEarly } from '../test-server.ts'
import { startPlatformSimulator, type PlatformSimulator } from '../lti/platform-simulator.ts'

/** The LTI claims and people the journey launches with, shared by the browser tests on this server. */
export const NRPS = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'
export const ROLES = 'https://purl.imsglobal.org/spec/lti/claim/roles'
export const CUSTOM = 'https://purl.imsglobal.org/spec/lti/claim/custom'
export const INSTRUCTOR = { [ROLES]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'] }
export const RPPH_TASK = { [CUSTOM]: { tln_item: 'task-rpph', tln_kind: 'task', tln_task_type: 'RPPH' } }
export const TEACHER = { sub: 'user-17', name: 'Siti Rahayu', email: 'siti@example.org' }
export const FACILITATOR = { sub: 'fas-1', name: 'Dewi Lestari', email: 'dewi@example.org' }

export interface JourneyServer {
  url: string
  db: Db
  lrs: Lrs
  tool: LtiTool
  sim: PlatformSimulator
  /** The tool's key secret (form tokens are HMACs keyed with it: `csrfToken(secret, sessionId)`). */
  secret: Uint8Array
  /** The server's warnings and errors (JSON log lines), to explain a failure. */
  logs(): Array<Record<string, unknown>>
  /** Statements a read-only LRS credential of the default tenant gets through `GET /xapi/statements`, all pages. */
  readStatements(): Promise<Array<Record<string, unknown>>>
  close(): Promise<void>
}

/**
 * The whole TLN server as `main.ts` composes it — `/xapi`, `/lti`, the local-account pages at the
 * root, `/reports` and a running grade-passback worker (unless `passbackWorker: false`) — on a fresh test database, registered with the LMS
 * simulator on `lmsHost`. One server for a journey that crosses teacher, facilitator and admin.
 * Local accounts use a low scrypt cost and no sign-in delay (tests only).
 */
export async function startJourneyServer(lmsHost = '127.0.0.1', options: { passbackWorker?: boolean } = {}): Promise<JourneyServer> {
  const sim = await startPlatformSimulator({ host: lmsHost })
  const server = await listenEarly()
  const url = server.url
  const db = await createTestDb()
  const secret = new Uint8Array(randomBytes(32))
  const { logger, logs } = capturedLogger('warn')
  const lrs = createLrs({ knex: db.knex, logger, publicUrl: url })
  const tool = await createLtiTool({
    knex: db.knex, lrs, logger,
    config: { publicUrl: url, keySecret: secret, dynamicRegistration: 'pending' },
    accounts: { scrypt: { logN: 10, r: 8, p: 1 }, sleep: async () => {} },
  })
  server.serve(createApp({ config: loadConfig({}), db, logger, lrs, publicUrl: url, lti: tool.router, accounts: tool.accountRouter, reports: { pages: tool.reportsRouter, api: tool.reportsApiRouter } }))
  sim.setTool({ loginUrl: `${url}/lti/login`, redirectUri: `${url}/lti/launch`, jwksUri: `${url}/lti/jwks` })
  await tool.platforms.add({ platform: sim.platform, deploymentIds: [sim.deploymentId], status: 'active', registeredBy: 'cli' })
  // As the server does: the worker is woken when a grade commits, so the score leaves without a drain.
  const worker: PassbackWorker | undefined = options.passbackWorker === false ? undefined : tool.createPassbackWorker({ pollMs: 200, random: () => 0 }).start()

  const reader = await lrs.credentials.create({ scopes: ['statements/read'], tenant: 'default' })
  const authorization = `Basic ${Buffer.from(`${reader.credential.key}:${reader.secret}`).toString('base64')}`
  const readStatements = async () => {
    const all: Array<Record<string, unknown>> = []
    let next: string | undefined = '/xapi/statements?limit=100'
    while (next !== undefined && next !== '') {
      const response = await fetch(`${url}${next}`, { headers: { authorization, 'x-experience-api-version': '1.0.3' } })
      if (response.status !== 200) throw new Error(`GET ${next}: ${response.status} ${await response.text()}`)
      const page = (await response.json()) as { statements: Array<Record<string, unknown>>; more?: string }
      all.push(...page.statements)
      next = page.more
    }
    return all
  }

  return {
    url, db, lrs, tool, sim, secret, readStatements,
    logs,
    close: async () => {
      await worker?.stop()
      await server.close()
      await sim.close()
      await db.close()
    },
  }
}
