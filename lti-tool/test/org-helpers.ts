import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Db } from '@tln/db'
import { createTestDb } from '@tln/db/testing'
import { createLrs, type StatementService } from '@tln/lrs'
import express from 'express'
import { createLtiTool, type Accounts, type LtiTool, type OrgNode, type ToolLogger } from '../src/index.ts'

export const silent: ToolLogger = { debug() {}, info() {}, warn() {}, error() {} }

/**
 * A local account made as an operator makes one: invited (`role` on `nodeId`, or the tenant for
 * an admin), and the invitation accepted with `password`.
 */
export async function createLocalAccount(accounts: Accounts, input: Parameters<Accounts['invite']>[0], password: string) {
  const invitation = await accounts.invite(input)
  const { account } = await accounts.acceptInvitation(new URL(invitation.link).pathname.split('/').pop()!, password)
  return { invitation, account }
}

export interface OrgTestServer {
  url: string
  db: Db
  tool: LtiTool
  /** Move the tool's clock. */
  advance(ms: number): void
  /** Delays the per-address throttle asked for. */
  delays: number[]
  close(): Promise<void>
}

/**
 * The tool's routers (`/lti`, and the account pages at the root) on a real port over a fresh test
 * database; fast scrypt, no real sleeping. `timeZone`: the deployment's zone (default Lombok's, WITA).
 */
export async function startOrgServer(options: { statements?: (real: StatementService) => StatementService; timeZone?: string } = {}): Promise<OrgTestServer> {
  const db = await createTestDb()
  let clock = Date.now()
  const delays: number[] = []
  let handler: express.Express | undefined
  const server: Server = createServer((req, res) => handler!(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const lrs = createLrs({ knex: db.knex, logger: silent as never, publicUrl: url })
  const tool = await createLtiTool({
    knex: db.knex, lrs: options.statements === undefined ? lrs : { ...lrs, statements: options.statements(lrs.statements) }, logger: silent, now: () => clock,
    config: { publicUrl: url, keySecret: new Uint8Array(randomBytes(32)), ...(options.timeZone !== undefined && { timeZone: options.timeZone }) },
    accounts: { scrypt: { logN: 10, r: 8, p: 1 }, sleep: async (ms) => { delays.push(ms) } },
  })
  const app = express()
  app.use('/lti', tool.router)
  app.use(tool.accountRouter)
  handler = app
  return {
    url, db, tool, delays,
    advance: (ms) => { clock += ms },
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await db.close()
    },
  }
}

/** A small tree in a tenant: province 52 → districts 52.02 (with kecamatan Praya) and 52.03. */
export async function smallTree(tool: LtiTool, tenant = 'default'): Promise<{ tenantId: string; province: OrgNode; d1: OrgNode; d2: OrgNode; praya: OrgNode; k2: OrgNode }> {
  const tenantId = await tool.org.tenantId(tenant)
  const province = await tool.org.upsertNode(tenantId, { kind: 'province', code: '52', name: 'Nusa Tenggara Barat' })
  const d1 = await tool.org.upsertNode(tenantId, { kind: 'district', code: '52.02', name: 'Kabupaten Lombok Tengah', parentId: province.id })
  const d2 = await tool.org.upsertNode(tenantId, { kind: 'district', code: '52.03', name: 'Kabupaten Lombok Timur', parentId: province.id })
  const praya = await tool.org.upsertNode(tenantId, { kind: 'kecamatan', code: '52.02.06', name: 'Praya', parentId: d1.id })
  const k2 = await tool.org.upsertNode(tenantId, { kind: 'kecamatan', code: '52.03.01', name: 'Selong', parentId: d2.id })
  return { tenantId, province, d1, d2, praya, k2 }
}

/** A browser: keeps cookies, follows nothing. */
export class Browser {
  private readonly cookies = new Map<string, string>()
  constructor(private readonly base: string) {}

  async request(path: string, init: { method?: string; form?: Record<string, string>; body?: string; type?: string } = {}): Promise<{ status: number; text: string; headers: Headers }> {
    const headers: Record<string, string> = {}
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    let body: string | undefined
    if (init.form !== undefined) { headers['content-type'] = 'application/x-www-form-urlencoded'; body = new URLSearchParams(init.form).toString() }
    else if (init.body !== undefined) { headers['content-type'] = init.type ?? 'text/csv'; body = init.body }
    const res = await fetch(`${this.base}${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, redirect: 'manual', ...(body !== undefined && { body }) })
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq)
      const value = pair!.slice(eq + 1)
      if (/Max-Age=0/i.test(line) || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return { status: res.status, text: await res.text(), headers: res.headers }
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name)
  }

  /** The CSRF token of the form on a page. */
  static csrfOf(html: string): string {
    const m = /name="csrf" value="([^"]+)"/.exec(html)
    if (m === null) throw new Error('no csrf field on the page')
    return m[1]!
  }

  /** Sign in through `/login`; returns the POST's status. */
  async login(email: string, password: string): Promise<{ status: number; text: string; headers: Headers }> {
    const page = await this.request('/login')
    return this.request('/login', { form: { csrf: Browser.csrfOf(page.text), email, password } })
  }
}
