/**
 * The CLR 2.0 transcript routes (`GET /badges/clr/:learnerKey`, `POST /badges/clr/verify`) and
 * badge key rotation seen from outside (`GET /badges/:id/verify`), on the server app with the LTI
 * tool's sessions and organisation, on a fresh database per engine.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { Writable } from 'node:stream'
import { IssuerKeyStore, type ClrCredential } from '@tln/competence'
import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { createLrs } from '@tln/lrs'
import { createLtiTool, SESSION_COOKIE, UserStore, type LtiTool, type TlnRole } from '@tln/lti-tool'
import type { Express } from 'express'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { badgeKeySecret, mountBadges, type MountedBadges } from '../src/badges.ts'
import { loadConfig } from '../src/config.ts'
import { createLogger } from '../src/logger.ts'
import { resolveSecretKey } from '../src/secret-key.ts'

const PUBLIC_URL = 'http://tln.test'
const LMS = 'https://lms.example'
const TIER = 'http://tln.test/activities/tier/diklat-berjenjang-dasar'
const AMINAH = 'mbox:mailto:aminah@example.org'
const BAYU = 'mbox:mailto:bayu@example.org'
const enc = encodeURIComponent
const ALL_CHECKS = ['format', 'issuer-key-known', 'signature', 'credential', 'claims', 'valid-from', 'not-expired']

describe(`CLR 2.0 routes on ${testEngine()}`, () => {
  let db: Db
  let app: Express
  let tool: LtiTool
  let badges: MountedBadges
  let tenantId: string
  let statementId: string
  let badgeId: string
  const logs: Array<Record<string, unknown>> = []
  const cookies: Record<string, string> = {}
  const config = loadConfig({ TLN_SECRET_KEY: 'clr-routes-test-secret-0123456789abcdef' })

  async function session(tenant: string, sub: string, role: TlnRole): Promise<string> {
    const user = await new UserStore(db.knex).upsert({ tenantId: tenant, issuer: LMS, sub, role, name: sub })
    return `${SESSION_COOKIE}=${await tool.sessions.create(user.id, { issuer: LMS, deploymentId: 'd-1', role }, 3_600_000)}`
  }

  beforeAll(async () => {
    db = await createTestDb()
    const logger = createLogger('info', new Writable({
      write(chunk: Buffer, _e, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line !== '') logs.push(JSON.parse(line) as Record<string, unknown>)
        done()
      },
    }))
    const lrs = createLrs({ knex: db.knex, logger, publicUrl: PUBLIC_URL })
    tool = await createLtiTool({ knex: db.knex, lrs, logger, config: { publicUrl: PUBLIC_URL, keySecret: new Uint8Array(randomBytes(32)) } })
    badges = mountBadges({ config, knex: db.knex, publicUrl: PUBLIC_URL, logger, viewers: { sessions: tool.sessions, org: tool.org } })
    app = createApp({ config, db, logger, lrs, publicUrl: PUBLIC_URL, lti: tool.router, accounts: tool.accountRouter, badges: badges.router })

    // Organisation: Aminah and Bayu teach at TK Cahaya (Praya); a facilitator accompanies Praya, another Jonggat.
    const org = tool.org
    tenantId = await org.tenantId('default')
    const province = await org.upsertNode(tenantId, { kind: 'province', code: '52', name: 'Nusa Tenggara Barat' })
    const district = await org.upsertNode(tenantId, { kind: 'district', code: '52.02', name: 'Kabupaten Lombok Tengah', parentId: province.id })
    const praya = await org.upsertNode(tenantId, { kind: 'kecamatan', code: '52.02.06', name: 'Praya', parentId: district.id })
    const jonggat = await org.upsertNode(tenantId, { kind: 'kecamatan', code: '52.02.07', name: 'Jonggat', parentId: district.id })
    const school = await org.upsertNode(tenantId, { kind: 'school', code: '99020601', name: 'TK Cahaya', schoolType: 'TK', parentId: praya.id })
    for (const [key, sub, name] of [[AMINAH, 'u-aminah', 'Baiq Aminah'], [BAYU, 'u-bayu', 'Lalu Bayu']] as const) {
      const person = await org.upsertPerson(tenantId, { name, schoolId: school.id, externalId: sub, lti: { issuer: LMS, sub } })
      await db.knex('person_identity').insert({ tenant_id: tenantId, ifi_key: key, person_id: person.id })
      await db.knex('competence_learner').insert({ tenant_id: tenantId, learner_key: key, name, first_at: '2026-02-01T00:00:00Z', last_at: '2026-05-04T00:00:00Z' })
    }
    for (const [sub, node] of [['u-fas-praya', praya], ['u-fas-jonggat', jonggat]] as const) {
      const person = await org.upsertPerson(tenantId, { name: sub, externalId: sub, lti: { issuer: LMS, sub } })
      await org.grant(tenantId, person.id, 'facilitator', node.id)
    }
    await db.knex('tenant').insert({ slug: 'other', name: 'Other province' })
    const otherTenant = await org.tenantId('other')
    await org.upsertPerson(otherTenant, { name: 'Dewi', externalId: 'u-dewi', lti: { issuer: LMS, sub: 'u-dewi' } })

    // Aminah completed the tier (her badge) and is proficient on PED, PED.C and PED.C.2, not yet on SOS.B.2.
    statementId = randomUUID()
    await db.knex('learning_fact').insert({
      tenant_id: tenantId, statement_id: statementId, learner_key: AMINAH, kind: 'tier-completed', verb: 'http://adlnet.gov/expapi/verbs/completed',
      object_id: TIER, object_name: 'Diklat Berjenjang Tingkat Dasar', at: '2026-05-04T03:00:00Z', stored: '2026-05-04T03:00:01Z',
    })
    await badges.issuer!.pass()
    badgeId = ((await db.knex('open_badge').first('id')) as { id: string }).id
    for (const [code, level, rating, proficient] of [['PED', 'competence', 0.8, true], ['PED.C', 'sub-competence', 0.82, true], ['PED.C.2', 'indicator', 0.9, true], ['SOS.B.2', 'indicator', 0.5, false]] as const) {
      await db.knex('competence_rating').insert({ tenant_id: tenantId, learner_key: AMINAH, code, level, rating, proficient, method: 'decayingAverage(w=0.65)', config_version: 1, evidence: [statementId] })
    }

    cookies.aminah = await session(tenantId, 'u-aminah', 'teacher')
    cookies.bayu = await session(tenantId, 'u-bayu', 'teacher')
    cookies.fasPraya = await session(tenantId, 'u-fas-praya', 'facilitator')
    cookies.fasJonggat = await session(tenantId, 'u-fas-jonggat', 'facilitator')
    cookies.dewi = await session(otherTenant, 'u-dewi', 'teacher')
  })

  afterAll(async () => {
    await db?.close()
  })

  /** The body as text, whatever the media type. */
  function asText(req: request.Test): request.Test {
    return req.buffer(true).parse((res, done) => {
      let data = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        data += chunk
      })
      res.on('end', () => done(null, data))
    })
  }

  const clrOf = (key: string, cookie?: string) => {
    const req = request(app).get(`/badges/clr/${enc(key)}`)
    return asText(cookie === undefined ? req : req.set('Cookie', cookie))
  }
  const verifyClr = (jwt: string) => request(app).post('/badges/clr/verify').set('Content-Type', 'application/vc+jwt').send(jwt)
  const jwks = async () => JSON.parse((await request(app).get('/badges/issuer/default/jwks')).text) as JSONWebKeySet
  const checks = (body: { checks: { name: string; status: string }[] }) => body.checks.map((c) => `${c.name}:${c.status}`)

  let aminahJwt: string

  it('the teacher herself downloads her CLR: a ClrCredential VC-JWT that jose verifies against the issuer JWKS (CLR 2.0 #jwt-proof)', async () => {
    const res = await clrOf(AMINAH, cookies.aminah)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toContain('application/vc+jwt')
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?clr-\d{4}-\d{2}-\d{2}\.jwt"?$/u)
    expect(res.headers['cache-control']).toBe('no-store')
    aminahJwt = res.body as string
    const { payload } = await jwtVerify(aminahJwt, createLocalJWKSet(await jwks()), { algorithms: ['RS256'], issuer: `${PUBLIC_URL}/badges/issuer/default` })
    const clr = payload as unknown as ClrCredential
    expect(clr.type).toEqual(['VerifiableCredential', 'ClrCredential'])
    expect(clr.credentialSubject.verifiableCredential[0]).toMatchObject({ id: `${PUBLIC_URL}/badges/${badgeId}`, type: ['VerifiableCredential', 'OpenBadgeCredential'] })
    expect(clr.credentialSubject.achievement.map((a) => a.humanCode ?? a.achievementType)).toEqual(['CertificateOfCompletion', 'PED', 'PED.C', 'PED.C.2'])
    expect(logs.find((l) => l.msg === 'CLR downloaded')).toMatchObject({ learnerKey: AMINAH, tenantId, clr: clr.id })
  })

  it('answers the ClrCredential as JSON-LD when Accept asks for application/ld+json', async () => {
    const res = await clrOf(AMINAH, cookies.aminah).set('Accept', 'application/ld+json')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toContain('application/ld+json')
    expect(res.headers.vary).toContain('Accept')
    expect(JSON.parse(res.body as string)).toMatchObject({ type: ['VerifiableCredential', 'ClrCredential'], credentialSubject: { type: ['ClrSubject'] } })
  })

  it('POST /badges/clr/verify runs the badges\' named checks and badges-not-revoked: all passed', async () => {
    const res = await verifyClr(aminahJwt)
    expect(res.status).toBe(200)
    expect(res.body.valid).toBe(true)
    expect(checks(res.body)).toEqual([...ALL_CHECKS, 'badges-not-revoked'].map((n) => `${n}:passed`))
  })

  it('POST /badges/clr/verify fails the signature check of a changed CLR, and answers 400 naming the body for what is no JWS', async () => {
    const [header, payload, signature] = aminahJwt.split('.')
    const changed = Buffer.from(Buffer.from(payload!, 'base64url').toString('utf8').replace('Comprehensive', 'Incomprehensive')).toString('base64url')
    const res = await verifyClr(`${header}.${changed}.${signature}`)
    expect(res.body.valid).toBe(false)
    expect(res.body.checks.find((c: { name: string }) => c.name === 'signature')).toMatchObject({ status: 'failed' })
    const bad = await verifyClr('not a jwt')
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatchObject({ code: 'ERR_BADGE_INVALID_JWT', field: 'body' })
  })

  it('a facilitator whose grant covers her school downloads it too', async () => {
    const res = await clrOf(AMINAH, cookies.fasPraya)
    expect(res.status).toBe(200)
    expect((await verifyClr(res.body as string)).body.valid).toBe(true)
  })

  it('another teacher and a facilitator of another kecamatan get 403 ERR_BADGE_FORBIDDEN', async () => {
    for (const cookie of [cookies.bayu!, cookies.fasJonggat!]) {
      const res = await clrOf(AMINAH, cookie)
      expect(res.status).toBe(403)
      expect(JSON.parse(res.body as string).error).toMatchObject({ code: 'ERR_BADGE_FORBIDDEN', field: 'learnerKey' })
    }
  })

  it('a user of another tenant gets 404: the learner does not exist there', async () => {
    const res = await clrOf(AMINAH, cookies.dewi)
    expect(res.status).toBe(404)
    expect(JSON.parse(res.body as string).error).toMatchObject({ code: 'ERR_BADGE_NOT_FOUND' })
  })

  it('without a session 401 ERR_BADGE_NOT_SIGNED_IN; a key that is no xAPI actor key 400 naming learnerKey', async () => {
    const anonymous = await clrOf(AMINAH)
    expect(anonymous.status).toBe(401)
    expect(JSON.parse(anonymous.body as string).error).toMatchObject({ code: 'ERR_BADGE_NOT_SIGNED_IN' })
    for (const key of ['not-an-actor', 'account:[broken']) {
      const bad = await clrOf(key, cookies.aminah)
      expect(bad.status).toBe(400)
      expect(JSON.parse(bad.body as string).error).toMatchObject({ code: 'ERR_BADGE_INVALID_ID', field: 'learnerKey' })
    }
  })

  it('a teacher with no badge and no proficient competence gets 404 ERR_BADGE_CLR_EMPTY for her own CLR', async () => {
    const res = await clrOf(BAYU, cookies.bayu)
    expect(res.status).toBe(404)
    expect(JSON.parse(res.body as string).error).toMatchObject({ code: 'ERR_BADGE_CLR_EMPTY', field: 'learnerKey' })
  })

  it('after `tln badges keys rotate`: the badge issued before verifies on GET /badges/:id/verify, the CLR made before verifies, a new CLR carries the new kid', async () => {
    const oldKid = decodeProtectedHeader(aminahJwt).kid
    const rotated = await new IssuerKeyStore(db.knex, badgeKeySecret(resolveSecretKey(config)!)).rotate(tenantId)
    const badge = await request(app).get(`/badges/${badgeId}/verify`)
    expect(badge.body.valid).toBe(true)
    expect(checks(badge.body)).toEqual([...ALL_CHECKS, 'not-revoked'].map((n) => `${n}:passed`))
    expect((await verifyClr(aminahJwt)).body.valid).toBe(true)
    const fresh = (await clrOf(AMINAH, cookies.aminah)).body as string
    expect(decodeProtectedHeader(fresh).kid).toBe(`${PUBLIC_URL}/badges/issuer/default/jwks#${rotated.current}`)
    expect(decodeProtectedHeader(fresh).kid).not.toBe(oldKid)
    expect((await verifyClr(fresh)).body.valid).toBe(true)
  })

  it('once her badge is revoked (tier completion voided), a CLR bundling it fails badges-not-revoked, and a new CLR leaves it out', async () => {
    await db.knex('learning_fact').where({ tenant_id: tenantId, statement_id: statementId }).update({ voided: true })
    expect((await badges.issuer!.pass()).revoked).toBe(1)
    const res = await verifyClr(aminahJwt)
    expect(res.body.valid).toBe(false)
    expect(res.body.checks.at(-1)).toMatchObject({ name: 'badges-not-revoked', status: 'failed', detail: expect.stringContaining(badgeId) })
    const fresh = JSON.parse((await clrOf(AMINAH, cookies.aminah).set('Accept', 'application/ld+json')).body as string) as ClrCredential
    expect(fresh.credentialSubject.verifiableCredential.map((vc) => vc.type[1])).toEqual(['AchievementCredential', 'AchievementCredential', 'AchievementCredential'])
  })
})
