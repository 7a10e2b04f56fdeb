import { randomBytes, randomUUID } from 'node:crypto'
import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { createLrs, type Lrs } from '@tln/lrs'
import { createLtiTool, type LtiTool } from '@tln/lti-tool'
import express from 'express'
import request from 'supertest'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * Tenant isolation (ARCHITECTURE.md, "Tenancy is enforced in the query layer"; issue 7, Security:
 * "a credential ... of one tenant cannot read or change another's data"). Tenant B holds
 * statements, documents, an Activity definition, a forwarding target and a dead letter, an LTI
 * platform and an org tree; tenant A's credential (scope `all`) tries every xAPI
 * endpoint, the export and the forwarding admin API with B's ids. Every answer and B's rows are
 * checked.
 */
const PUBLIC = 'http://tln.test'
const V2 = { 'X-Experience-API-Version': '2.0.0' }
const ACTIVITY = 'https://tln.example/activities/rpph/tenant-b'
const AGENT_B = { objectType: 'Agent', name: 'Guru Lombok Timur', mbox: 'mailto:guru.b@paud-timur.example' }
const STATE = `/xapi/activities/state?activityId=${encodeURIComponent(ACTIVITY)}&agent=${encodeURIComponent(JSON.stringify(AGENT_B))}&stateId=draft`
const ACTIVITY_PROFILE = `/xapi/activities/profile?activityId=${encodeURIComponent(ACTIVITY)}&profileId=rubric`
const AGENT_PROFILE = `/xapi/agents/profile?agent=${encodeURIComponent(JSON.stringify(AGENT_B))}&profileId=prefs`

let db: Db
let lrs: Lrs
let tool: LtiTool
let http: TestAgent
let authA: string
let authB: string
let tenantB: string
const idB = randomUUID()
const voidedB = randomUUID()

function basic(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`
}

function statementB(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    actor: AGENT_B,
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
    object: { objectType: 'Activity', id: ACTIVITY, definition: { name: { id: 'RPPH Lombok Timur (rahasia B)' } } },
    ...extra,
  }
}

/** Tenant B's rows that A must never change: statements, documents, forwarding, with their content. */
async function snapshotB(): Promise<unknown> {
  const k = db.knex
  return {
    statements: await k('xapi_statement').where({ tenant_id: tenantB }).orderBy('seq').select('id', 'voided', db.knex.raw('statement::text as statement')),
    documents: await k('xapi_document').where({ tenant_id: tenantB }).orderBy('key').select('*'),
    forwarding: await k('forward_target').where({ tenant_id: tenantB }).select('name', 'endpoint', 'enabled'),
    deadLetters: await k('forward_dead_letter').count({ n: '*' }).first(),
    orgNodes: await k('org_node').where({ tenant_id: tenantB }).count({ n: '*' }).first(),
    platforms: await k('lti_platform').where({ tenant_id: tenantB }).select('issuer', 'client_id'),
  }
}

beforeAll(async () => {
  db = await createTestDb()
  const logger = { debug() {}, info() {}, warn() {}, error() {} }
  lrs = createLrs({ knex: db.knex, logger, publicUrl: PUBLIC, secretKey: randomBytes(32).toString('base64') })
  tool = await createLtiTool({ knex: db.knex, lrs, logger, config: { publicUrl: PUBLIC, keySecret: new Uint8Array(randomBytes(32)) } })
  const app = express()
  app.use('/xapi', lrs.router)
  app.use('/api/export', lrs.exportRouter)
  app.use('/api/admin/forwarding', lrs.forwardingRouter)
  http = request(app)

  const [b] = (await db.knex('tenant').insert({ slug: 'lombok-timur', name: 'Kabupaten Lombok Timur' }).returning('id')) as Array<{ id: string }>
  tenantB = b!.id
  const a = await lrs.credentials.create({ key: 'tenant-a', secret: 'a-long-secret-a', scopes: ['all'] })
  const bCred = await lrs.credentials.create({ key: 'tenant-b', secret: 'a-long-secret-b', scopes: ['all'], tenant: 'lombok-timur' })
  authA = basic(a.credential.key, 'a-long-secret-a')
  authB = basic(bCred.credential.key, 'a-long-secret-b')

  // Tenant B's data, through its own credential.
  const post = await http.post('/xapi/statements').set(V2).set('Authorization', authB).send([
    statementB(idB),
    statementB(voidedB),
    { actor: AGENT_B, verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: voidedB } },
  ])
  expect(post.status).toBe(200)
  for (const path of [STATE, ACTIVITY_PROFILE, AGENT_PROFILE]) {
    expect((await http.put(path).set(V2).set('Authorization', authB).send({ secret: 'B only' })).status).toBe(204)
  }
  const target = await lrs.forwarding.add(tenantB, { name: 'bppaud-timur', endpoint: 'https://lrs.timur.example/xapi/', key: 'k', secret: 's-long-secret', enabled: false })
  await lrs.forwarding.addDeadLetter(target.id, { seq: 1, statementId: idB, status: 400, error: 'refused' })

  // The tool's side of tenant B: an LTI platform and an org tree.
  const moodle = 'https://moodle.paud-timur.example'
  await tool.platforms.add({
    platform: { issuer: moodle, clientId: 'tln', authorizationEndpoint: `${moodle}/auth`, tokenEndpoint: `${moodle}/token`, jwksUri: `${moodle}/jwks` },
    deploymentIds: ['1'], tenant: 'lombok-timur', status: 'active', registeredBy: 'cli',
  })
  const province = await tool.org.upsertNode(tenantB, { kind: 'province', code: '52', name: 'Nusa Tenggara Barat' })
  await tool.org.upsertNode(tenantB, { kind: 'district', code: '52.03', name: 'Kabupaten Lombok Timur', parentId: province.id })
})
afterAll(async () => {
  await db?.close()
})

describe(`tenant A's credential against tenant B's data on ${testEngine()}`, () => {
  it('GET /statements?statementId= and ?voidedStatementId= of B answer 404 (Communication 2.1.3)', async () => {
    expect((await http.get(`/xapi/statements?statementId=${idB}`).set(V2).set('Authorization', authA)).status).toBe(404)
    expect((await http.get(`/xapi/statements?voidedStatementId=${voidedB}`).set(V2).set('Authorization', authA)).status).toBe(404)
    expect((await http.get(`/xapi/statements?statementId=${idB}`).set(V2).set('Authorization', authB)).status).toBe(200)
  })

  it("GET /statements lists none of B's statements, with or without B's agent, activity or verb as filter", async () => {
    for (const query of ['', `?agent=${encodeURIComponent(JSON.stringify(AGENT_B))}`, `?activity=${encodeURIComponent(ACTIVITY)}`, '?verb=http://adlnet.gov/expapi/verbs/completed']) {
      const res = await http.get(`/xapi/statements${query}`).set(V2).set('Authorization', authA)
      expect(res.status).toBe(200)
      expect(res.body.statements).toEqual([])
    }
  })

  it("PUT and POST with B's statement ids store A's own statements and leave B's untouched", async () => {
    const before = await snapshotB()
    const put = await http.put(`/xapi/statements?statementId=${idB}`).set(V2).set('Authorization', authA).send({ ...statementB(idB), actor: { mbox: 'mailto:a@paud.example' }, object: { objectType: 'Activity', id: ACTIVITY, definition: { name: { id: 'RPPH A' } } } })
    expect(put.status).toBe(204)
    const voiding = await http.post('/xapi/statements').set(V2).set('Authorization', authA).send({ actor: { mbox: 'mailto:a@paud.example' }, verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: idB } })
    expect(voiding.status).toBe(200)
    expect(await snapshotB()).toEqual(before)
    const stillB = await http.get(`/xapi/statements?statementId=${idB}`).set(V2).set('Authorization', authB)
    expect(stillB.status).toBe(200)
    expect(stillB.body.actor.mbox).toBe(AGENT_B.mbox)
  })

  it("State, Activity Profile and Agent Profile: B's documents are not found, not listed, and survive A's PUT, POST and DELETE", async () => {
    const before = await snapshotB()
    for (const path of [STATE, ACTIVITY_PROFILE, AGENT_PROFILE]) {
      expect((await http.get(path).set(V2).set('Authorization', authA)).status, path).toBe(404)
      const list = await http.get(path.replace(/&(stateId|profileId)=[^&]+/, '')).set(V2).set('Authorization', authA)
      expect(list.status).toBe(200)
      expect(list.body).toEqual([])
      expect((await http.delete(path).set(V2).set('Authorization', authA)).status).toBe(204)
      expect((await http.post(path).set(V2).set('Authorization', authA).send({ mine: 'A' })).status).toBe(204)
      expect((await http.put(path).set(V2).set('Authorization', authA).set('If-Match', '*').send({ mine: 'A2' })).status).toBe(204)
      const ofB = await http.get(path).set(V2).set('Authorization', authB)
      expect(ofB.body).toEqual({ secret: 'B only' })
    }
    const deleteAllState = STATE.replace(/&stateId=[^&]+/, '')
    expect((await http.delete(deleteAllState).set(V2).set('Authorization', authA)).status).toBe(204)
    expect(await snapshotB()).toEqual(before)
  })

  it("GET /activities does not give B's Activity definition; GET /agents does not give B's names (Communication 2.4, 2.5)", async () => {
    const activity = await http.get(`/xapi/activities?activityId=${encodeURIComponent(ACTIVITY)}`).set(V2).set('Authorization', authA)
    expect(activity.status).toBe(200)
    expect(JSON.stringify(activity.body)).not.toContain('rahasia B')
    const ofB = await http.get(`/xapi/activities?activityId=${encodeURIComponent(ACTIVITY)}`).set(V2).set('Authorization', authB)
    expect(JSON.stringify(ofB.body)).toContain('rahasia B')
    const person = await http.get(`/xapi/agents?agent=${encodeURIComponent(JSON.stringify({ mbox: AGENT_B.mbox }))}`).set(V2).set('Authorization', authA)
    expect(person.status).toBe(200)
    expect(JSON.stringify(person.body)).not.toContain('Guru Lombok Timur')
  })

  it("the export gives none of B's statements", async () => {
    const res = await http.get('/api/export/statements').set('Authorization', authA)
    expect(res.status).toBe(200)
    expect(res.text).not.toContain(voidedB)
    expect(res.text).not.toContain('paud-timur')
  })

  it("the forwarding admin API neither lists, changes, removes nor retries B's target", async () => {
    const before = await snapshotB()
    const list = await http.get('/api/admin/forwarding').set('Authorization', authA)
    expect(list.status).toBe(200)
    expect(list.body).toEqual([])
    expect((await http.get('/api/admin/forwarding/bppaud-timur/dead-letters').set('Authorization', authA)).status).toBe(404)
    expect((await http.patch('/api/admin/forwarding/bppaud-timur').set('Authorization', authA).send({ enabled: true })).status).toBe(404)
    expect((await http.post('/api/admin/forwarding/bppaud-timur/dead-letters/retry').set('Authorization', authA)).status).toBe(404)
    expect((await http.delete('/api/admin/forwarding/bppaud-timur').set('Authorization', authA)).status).toBe(404)
    expect(await snapshotB()).toEqual(before)
    expect((await http.get('/api/admin/forwarding').set('Authorization', authB)).body).toHaveLength(1)
  })
})
