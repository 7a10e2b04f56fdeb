/**
 * HTTP compression on the real server app: the demo program's report pages (a teacher's page
 * must cross a weak phone connection in under 100 KB), the statement export (gzip decodes to what
 * identity sends), and xAPI multipart answers (never compressed). Sizes are logged as measured.
 */
import { randomBytes } from 'node:crypto'
import { createServer, get, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { CompetenceConfigStore, CompetenceEngine } from '@tln/competence'
import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { createLrs, type Lrs } from '@tln/lrs'
import { createLtiTool, SESSION_COOKIE, UserStore, type LtiTool } from '@tln/lti-tool'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { createLogger } from '../src/logger.ts'
import { seedDemo } from '../src/seed/demo.ts'
import { seedDemoOrg } from '../src/seed/demo-org.ts'
import { DISTRICT } from '../src/seed/lombok-tengah.ts'

const LMS = 'https://lms.example'

describe(`compressed answers of the server on ${testEngine()}`, () => {
  let db: Db
  let lrs: Lrs
  let tool: LtiTool
  let server: Server
  let url: string
  let cookie: string
  let teacherKey: string
  let exportAuth: string

  beforeAll(async () => {
    db = await createTestDb()
    let handler: Parameters<typeof createServer>[1] = (_req, res) => { res.statusCode = 503; res.end() }
    server = createServer((req, res) => handler!(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const logger = createLogger('warn', new Writable({ write(_c, _e, done) { done() } }))
    lrs = createLrs({ knex: db.knex, logger, publicUrl: url })
    tool = await createLtiTool({ knex: db.knex, lrs, logger, config: { publicUrl: url, keySecret: new Uint8Array(randomBytes(32)) } })
    handler = createApp({ config: loadConfig({}), db, logger, lrs, publicUrl: url, lti: tool.router, accounts: tool.accountRouter, reports: { pages: tool.reportsRouter, api: tool.reportsApiRouter } })

    // The demo program, its organisation, the competence engine caught up.
    await seedDemo(lrs)
    await seedDemoOrg(db.knex)
    const tenantId = await tool.org.tenantId('default')
    await new CompetenceEngine({ knex: db.knex, configs: new CompetenceConfigStore(db.knex) }).catchUp()
    // A district admin's session (the widest report reader); the teacher with the most evidence has the heaviest page.
    const district = await tool.org.findByRef(tenantId, DISTRICT.code)
    const admin = await tool.org.upsertPerson(tenantId, { name: 'Dinas', externalId: 'dinas', lti: { issuer: LMS, sub: 'u-dinas' } })
    await tool.org.grant(tenantId, admin.id, 'district-admin', district.id)
    const user = await new UserStore(db.knex).upsert({ tenantId, issuer: LMS, sub: 'u-dinas', role: 'admin', name: 'Dinas' })
    cookie = `${SESSION_COOKIE}=${await tool.sessions.create(user.id, { issuer: LMS, deploymentId: 'd-1', role: 'admin' }, 3_600_000)}`
    teacherKey = ((await db.knex('competence_evidence').where({ tenant_id: tenantId }).select('learner_key').count('* as n').groupBy('learner_key').orderBy('n', 'desc').first()) as { learner_key: string }).learner_key
    const { secret } = await lrs.credentials.create({ tenant: 'default', scopes: ['all'], key: 'compression-test' })
    exportAuth = `Basic ${Buffer.from(`compression-test:${secret}`).toString('base64')}`
  }, 240_000)

  afterAll(async () => {
    if (server !== undefined) {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
    await db?.close()
  })

  /** The bytes on the wire (nothing decoded) and the decoded text. */
  function fetchRaw(path: string, headers: Record<string, string>): Promise<{ res: IncomingMessage; wire: number; text: string }> {
    return new Promise((resolve, reject) => {
      get(`${url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const body = Buffer.concat(chunks)
          const coding = res.headers['content-encoding']
          const text = (coding === 'gzip' ? gunzipSync(body) : coding === 'br' ? brotliDecompressSync(body) : body).toString('utf8')
          resolve({ res, wire: body.length, text })
        })
      }).on('error', reject)
    })
  }

  it('a teacher\'s report page crosses the wire in under 100 KB (gzip and Brotli), and decodes to the page identity sends', async () => {
    const path = `/reports/teacher/${encodeURIComponent(teacherKey)}`
    const plain = await fetchRaw(path, { cookie })
    expect(plain.res.statusCode).toBe(200)
    expect(plain.res.headers['content-encoding']).toBeUndefined()
    // The profile links the teacher's CLR 2.0 transcript.
    expect(plain.text).toContain(`href="/badges/clr/${encodeURIComponent(teacherKey)}" download`)
    for (const coding of ['gzip', 'br']) {
      const packed = await fetchRaw(path, { cookie, 'accept-encoding': coding })
      expect(packed.res.headers['content-encoding']).toBe(coding)
      expect(packed.wire).toBeLessThan(100_000)
      expect(packed.wire).toBeLessThan(plain.wire / 3)
      // The page names when it was generated: compare without that line.
      expect(packed.text.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/gu, '')).toBe(plain.text.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/gu, ''))
      console.log(`[compression ${testEngine()}] teacher page: ${plain.wire} B identity, ${packed.wire} B ${coding}`)
    }
    const district = await fetchRaw('/reports/district', { cookie })
    const districtGzip = await fetchRaw('/reports/district', { cookie, 'accept-encoding': 'gzip' })
    const districtBr = await fetchRaw('/reports/district', { cookie, 'accept-encoding': 'br' })
    console.log(`[compression ${testEngine()}] district page: ${district.wire} B identity, ${districtGzip.wire} B gzip, ${districtBr.wire} B br`)
    expect(districtGzip.wire).toBeLessThan(district.wire / 3)
  })

  it('the statement export in gzip decodes to exactly what identity sends', async () => {
    // A fixed extent (`limit`): statements stored between the two requests change nothing.
    const plain = await fetchRaw('/api/export/statements?limit=1500', { authorization: exportAuth })
    const packed = await fetchRaw('/api/export/statements?limit=1500', { authorization: exportAuth, 'accept-encoding': 'gzip' })
    expect(packed.res.headers['content-encoding']).toBe('gzip')
    expect(packed.res.headers['x-tln-next-cursor']).toBe(plain.res.headers['x-tln-next-cursor'])
    expect(packed.text).toBe(plain.text)
    expect(packed.text.split('\n').length).toBe(1501)
    console.log(`[compression ${testEngine()}] export NDJSON: ${plain.wire} B identity, ${packed.wire} B gzip`)
  })

  it('an xAPI multipart/mixed answer (attachments=true) goes uncompressed even when gzip is accepted', async () => {
    const res = await fetchRaw('/xapi/statements?limit=50&attachments=true', { authorization: exportAuth, 'x-experience-api-version': '1.0.3', 'accept-encoding': 'gzip, br' })
    expect(res.res.statusCode).toBe(200)
    expect(res.res.headers['content-type']).toMatch(/^multipart\/mixed/u)
    expect(res.res.headers['content-encoding']).toBeUndefined()
    expect(res.wire).toBeGreaterThan(1024)
    const json = await fetchRaw('/xapi/statements?limit=50', { authorization: exportAuth, 'x-experience-api-version': '1.0.3', 'accept-encoding': 'gzip' })
    expect(json.res.headers['content-encoding']).toBe('gzip')
    expect((JSON.parse(json.text) as { statements: unknown[] }).statements).toHaveLength(50)
  })
})
