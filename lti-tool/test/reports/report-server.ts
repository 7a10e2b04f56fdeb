import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CompetenceConfigStore, CompetenceEngine, type CompetenceConfig } from '@tln/competence'
import type { Db } from '@tln/db'
import { createTestDb, waitForHorizon } from '@tln/db/testing'
import { createLrs, type Credential, type Lrs } from '@tln/lrs'
import { validateStatement } from '@tln/xapi'
import express from 'express'
import { createLtiTool, SESSION_COOKIE, UserStore, type LtiTool, type TlnRole } from '../../src/index.ts'
import { silent } from '../org-helpers.ts'

export interface ReportServer {
  readonly url: string
  readonly db: Db
  readonly lrs: Lrs
  readonly tool: LtiTool
  /** Stores statements through the LRS (validated as any client's) in tenant `slug`. */
  store(slug: string, statements: readonly object[]): Promise<void>
  /** The competence engine's catch-up (projections current for what is stored). */
  catchUp(): Promise<number>
  configure(tenantId: string, config: CompetenceConfig): Promise<void>
  /**
   * A session as an LTI launch opens it (`SessionStore.create` for the `lti_user` of issuer + sub):
   * the cookie header to send.
   */
  ltiSession(tenantId: string, input: { issuer: string; sub: string; role: TlnRole; name: string }): Promise<string>
  close(): Promise<void>
}

/** The tool's routers (`/lti`, the account pages, `/reports`, `/api/reports`) on a real port over a fresh test database. */
export async function startReportServer(): Promise<ReportServer> {
  const db = await createTestDb()
  let handler: express.Express | undefined
  const server: Server = createServer((req, res) => handler!(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const lrs = createLrs({ knex: db.knex, logger: silent as never, publicUrl: url })
  const tool = await createLtiTool({
    knex: db.knex, lrs, logger: silent,
    config: { publicUrl: url, keySecret: new Uint8Array(randomBytes(32)) },
    accounts: { scrypt: { logN: 10, r: 8, p: 1 }, sleep: async () => {} },
  })
  const app = express()
  app.use('/lti', tool.router)
  app.use(tool.accountRouter)
  app.use('/reports', tool.reportsRouter)
  app.use('/api/reports', tool.reportsApiRouter)
  handler = app
  const credentials = new Map<string, Credential>()
  const credentialOf = async (slug: string) => {
    const known = credentials.get(slug)
    if (known !== undefined) return known
    const { credential } = await lrs.credentials.create({ tenant: slug, scopes: ['all'] })
    credentials.set(slug, credential)
    return credential
  }
  return {
    url, db, lrs, tool,
    store: async (slug, statements) => {
      const credential = await credentialOf(slug)
      const valid = statements.map((s) => validateStatement(structuredClone(s) as never, { version: '1.0.3' }))
      await lrs.statements.storeStatements({ tenantId: credential.tenantId, credential, version: '1.0.3' }, valid)
      // The stream horizon is the PostgreSQL server's: another test database's open transaction holds it back.
      await waitForHorizon(db.knex)
    },
    catchUp: () => new CompetenceEngine({ knex: db.knex }).catchUp(),
    configure: async (tenantId, config) => { await new CompetenceConfigStore(db.knex).put(tenantId, config, 'test') },
    ltiSession: async (tenantId, input) => {
      const user = await new UserStore(db.knex).upsert({ tenantId, issuer: input.issuer, sub: input.sub, role: input.role, name: input.name })
      const id = await tool.sessions.create(user.id, { issuer: input.issuer, deploymentId: 'd-1', role: input.role }, 3_600_000)
      return `${SESSION_COOKIE}=${id}`
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await db.close()
    },
  }
}
