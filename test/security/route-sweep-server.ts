import { randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import type { Db } from '@tln/db'
import { createTestDb } from '@tln/db/testing'
import { createLrs, type Lrs } from '@tln/lrs'
import { createLtiTool, csrfToken, type LtiTool } from '@tln/lti-tool'
import { createApp, loadConfig } from '@tln/server'
import { capturedLogger, listenEarly } from '../test-server.ts'
import { mountBadges } from '../../apps/server/src/badges.ts'
import { mountDemoLms } from '../../apps/server/src/demo-lms/mount-demo-lms.ts'
import { listRoutes, type ListedRoute } from '../../apps/server/src/http/method-not-allowed.ts'

/** A signed-in person as the sweep sends them: the session cookie and its CSRF token. */
export interface Who { cookie: string; csrf: string }

export interface SweepServer {
  url: string
  db: Db
  lrs: Lrs
  tool: LtiTool
  /** Basic authorization of an `all`-scoped LRS credential of the default tenant. */
  lrsAuth: string
  admin: Who
  teacher: Who
  /** Every route the composed app registers (`listRoutes`): what the sweep sends its requests to. */
  routes: ListedRoute[]
  /** The server's warnings and errors (JSON log lines): a 5xx or an unhandled error shows here. */
  logs(): Array<Record<string, unknown>>
  close(): Promise<void>
}

/**
 * The whole server as `main.ts` composes it in demo mode — `/xapi`, `/lti`, local accounts, `/reports`
 * and `/api/reports`, badges and CASE, exports and forwarding admin, the demo LMS at `/demo/lms` — on
 * a fresh test database, with an
 * LRS credential, an admin and a teacher session. No background workers: the sweep asserts that a
 * refused request changes nothing, and a worker would change rows on its own.
 */
export async function startSweepServer(): Promise<SweepServer> {
  const server = await listenEarly()
  const url = server.url
  const db = await createTestDb()
  const secret = new Uint8Array(randomBytes(32))
  const { logger, logs } = capturedLogger('warn')
  const config = loadConfig({ TLN_SECRET_KEY: 'route-sweep-secret-0123456789abcdef0123' })
  const lrs = createLrs({ knex: db.knex, logger, publicUrl: url, mountPath: '/xapi' })
  const tool = await createLtiTool({
    knex: db.knex, lrs, logger,
    config: { publicUrl: url, keySecret: secret, dynamicRegistration: 'pending' },
    accounts: { scrypt: { logN: 10, r: 8, p: 1 }, sleep: async () => {} },
  })
  const badges = mountBadges({ config, knex: db.knex, publicUrl: url, logger, viewers: { sessions: tool.sessions, org: tool.org } })
  const demoLms = await mountDemoLms({ config, knex: db.knex, tool, logger, publicUrl: url })
  if (demoLms === undefined) throw new Error('the demo LMS did not mount')
  const app = createApp({
    config, db, logger, lrs, publicUrl: url,
    lti: tool.router, accounts: tool.accountRouter, reports: { pages: tool.reportsRouter, api: tool.reportsApiRouter }, badges: badges.router, demoLms: demoLms.router,
  })
  server.serve(app)

  const created = await lrs.credentials.create({ scopes: ['all'], tenant: 'default' })
  const lrsAuth = `Basic ${Buffer.from(`${created.credential.key}:${created.secret}`).toString('base64')}`
  const tenantId = await tool.org.tenantId('default')
  const province = await tool.org.upsertNode(tenantId, { kind: 'province', code: '52', name: 'Nusa Tenggara Barat' })
  const district = await tool.org.upsertNode(tenantId, { kind: 'district', code: '52.02', name: 'Kabupaten Lombok Tengah', parentId: province.id })
  const kecamatan = await tool.org.upsertNode(tenantId, { kind: 'kecamatan', code: '52.02.06', name: 'Praya', parentId: district.id })
  const school = await tool.org.upsertNode(tenantId, { kind: 'school', code: '99020601', name: 'TK Cahaya Praya', schoolType: 'TK', parentId: kecamatan.id })
  const session = async (sub: string, role: 'teacher' | 'admin', grant?: { node: string; school: string }): Promise<Who> => {
    const issuer = 'https://lms.sweep.example'
    const user = await tool.users.upsert({ tenantId, issuer, sub, role, name: sub })
    const person = await tool.org.upsertPerson(tenantId, { name: sub, ...(grant !== undefined && { schoolId: grant.school }), lti: { issuer, sub } })
    await tool.org.grant(tenantId, person.id, grant === undefined ? 'admin' : 'teacher', grant?.node)
    const id = await tool.sessions.create(user.id, { issuer, deploymentId: 'd-1', role }, 3_600_000)
    return { cookie: `tln_session=${id}`, csrf: csrfToken(secret, id) }
  }
  const admin = await session('admin-1', 'admin')
  const teacher = await session('teacher-1', 'teacher', { node: school.id, school: school.id })
  return {
    url, db, lrs, tool, lrsAuth, admin, teacher,
    routes: listRoutes(app),
    logs,
    close: async () => {
      await server.close()
      await db.close()
    },
  }
}

/** What came back on the wire: status (0: no HTTP answer; -1: nothing within the timeout), headers and body. */
export interface RawAnswer { status: number; headers: Record<string, string>; body: string }

/**
 * One request written byte for byte on a fresh socket, so that the sweep can send what `fetch`
 * refuses to: invalid percent-encoding, repeated or odd headers, a Content-Length the body never
 * reaches. Resolves when the answer is complete (by its Content-Length), the server closes, or
 * `timeoutMs` passes (status -1: a hang).
 */
export function rawRequest(url: string, method: string, path: string, headers: Record<string, string>, body: Buffer | string = '', timeoutMs = 10_000): Promise<RawAnswer> {
  const u = new URL(url)
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8')
  return new Promise((resolve) => {
    const socket = connect(Number(u.port), u.hostname)
    const chunks: Buffer[] = []
    const parse = (): RawAnswer | undefined => {
      const all = Buffer.concat(chunks)
      const end = all.indexOf('\r\n\r\n')
      if (end < 0) return undefined
      const [statusLine, ...lines] = all.subarray(0, end).toString('latin1').split('\r\n')
      const out: Record<string, string> = {}
      for (const line of lines) { const i = line.indexOf(':'); out[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim() }
      return { status: Number(/^HTTP\/1\.1 (\d+)/.exec(statusLine ?? '')?.[1] ?? 0), headers: out, body: all.subarray(end + 4).toString('utf8') }
    }
    let done = false
    const finish = (answer: RawAnswer) => { if (!done) { done = true; clearTimeout(timer); socket.destroy(); resolve(answer) } }
    const timer = setTimeout(() => finish({ status: -1, headers: {}, body: '' }), timeoutMs)
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      const answer = parse()
      if (answer === undefined) return
      const length = answer.headers['content-length']
      // A chunked body ends with an empty chunk; an answer to HEAD or a 204/304 has none.
      if (method === 'HEAD' || answer.status === 204 || answer.status === 304 || (length !== undefined && Buffer.byteLength(answer.body) >= Number(length)) || answer.body.endsWith('0\r\n\r\n')) finish(answer)
    })
    socket.on('error', () => {})
    socket.on('close', () => finish(parse() ?? { status: 0, headers: {}, body: '' }))
    const all: Record<string, string> = { host: u.host, connection: 'close', ...headers }
    if (!Object.keys(all).some((k) => k.toLowerCase() === 'content-length') && bytes.length > 0) all['content-length'] = String(bytes.length)
    const head = [`${method} ${path} HTTP/1.1`, ...Object.entries(all).map(([k, v]) => `${k}: ${v}`)].join('\r\n')
    socket.write(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), bytes]))
  })
}
