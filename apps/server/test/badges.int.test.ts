/**
 * The public badge routes (issue 6, "downloadable and verifiable at a public URL") and the CASE
 * endpoints the badges align to, on the server app with a fresh database per engine.
 */
import { randomUUID } from 'node:crypto'
import { statusAt, type OpenBadgeCredential } from '@tln/competence'
import type { Db } from '@tln/db'
import { createTestDb, testEngine } from '@tln/db/testing'
import { createLrs } from '@tln/lrs'
import type { Express } from 'express'
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { mountBadges, type MountedBadges } from '../src/badges.ts'
import { loadConfig } from '../src/config.ts'
import { createLogger } from '../src/logger.ts'

const PUBLIC_URL = 'http://tln.test'
const TIER = 'http://tln.test/activities/tier/diklat-berjenjang-dasar'
const LEARNER = 'mbox:mailto:wati@example.org'

describe(`badge routes on ${testEngine()}`, () => {
  let db: Db
  let app: Express
  let badges: MountedBadges
  let tenantId: string
  let statementId: string
  let badgeId: string

  beforeAll(async () => {
    db = await createTestDb()
    const logger = createLogger('silent')
    const config = loadConfig({ TLN_SECRET_KEY: 'badge-routes-test-secret-0123456789abcdef' })
    const lrs = createLrs({ knex: db.knex, logger, publicUrl: PUBLIC_URL })
    badges = mountBadges({ config, knex: db.knex, publicUrl: PUBLIC_URL, logger })
    app = createApp({ config, db, logger, lrs, publicUrl: PUBLIC_URL, badges: badges.router })
    tenantId = ((await db.knex('tenant').where({ slug: 'default' }).first('id')) as { id: string }).id
    statementId = randomUUID()
    await db.knex('competence_learner').insert({ tenant_id: tenantId, learner_key: LEARNER, name: 'Wati Hidayati', first_at: '2026-01-05T00:00:00Z', last_at: '2026-05-04T00:00:00Z' })
    await db.knex('learning_fact').insert({
      tenant_id: tenantId, statement_id: statementId, learner_key: LEARNER, kind: 'tier-completed', verb: 'http://adlnet.gov/expapi/verbs/completed',
      // 07:30 WITA on 4 May, which is still 3 May in UTC: the page must say the day Lombok lived.
      object_id: TIER, object_name: 'Diklat Berjenjang Tingkat Dasar', at: '2026-05-03T23:30:00Z', stored: '2026-05-03T23:30:01Z',
    })
    await badges.issuer!.pass()
    badgeId = ((await db.knex('open_badge').first('id')) as { id: string }).id
  })

  afterAll(async () => {
    await db.close()
  })

  /** The body as text, whatever the media type (superagent buffers only text types by itself). */
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

  async function jwks(): Promise<JSONWebKeySet> {
    const res = await request(app).get('/badges/issuer/default/jwks')
    expect(res.status).toBe(200)
    return JSON.parse(res.text) as JSONWebKeySet
  }

  it('GET /badges/:id answers an HTML page in Bahasa Indonesia and English: who, what tier, when, valid, download links', async () => {
    const res = await request(app).get(`/badges/${badgeId}`).set('Accept', 'text/html')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    for (const text of ['Wati Hidayati', 'Lulus Diklat Berjenjang Tingkat Dasar', '2026-05-04', 'Sah / Valid', `/badges/${badgeId}.jwt`, `/badges/${badgeId}.json`, `/badges/${badgeId}/verify`]) {
      expect(res.text).toContain(text)
    }
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/)
    expect(res.text).not.toContain('<script')
  })

  it('GET /badges/:id with Accept application/ld+json or application/vc+ld+json answers the OpenBadgeCredential (content negotiation)', async () => {
    for (const type of ['application/ld+json', 'application/vc+ld+json']) {
      const res = await request(app).get(`/badges/${badgeId}`).set('Accept', type)
      expect(res.status).toBe(200)
      expect(res.headers['content-type']).toContain(type)
      expect(res.headers.vary).toContain('Accept')
      const vc = JSON.parse(res.text) as OpenBadgeCredential
      expect(vc).toMatchObject({ id: `${PUBLIC_URL}/badges/${badgeId}`, type: ['VerifiableCredential', 'OpenBadgeCredential'] })
    }
  })

  it('GET /badges/:id.jwt downloads the VC-JWT, which jose verifies against GET /badges/issuer/:tenant/jwks (OB 3.0 #jwt-verify)', async () => {
    const res = await asText(request(app).get(`/badges/${badgeId}.jwt`))
    expect(res.status).toBe(200)
    expect(res.headers['content-disposition']).toContain(`badge-${badgeId}.jwt`)
    const { payload, protectedHeader } = await jwtVerify(res.body as string, createLocalJWKSet(await jwks()), { algorithms: ['RS256'], issuer: `${PUBLIC_URL}/badges/issuer/default` })
    expect(protectedHeader.kid).toMatch(new RegExp(`^${PUBLIC_URL}/badges/issuer/default/jwks#`))
    expect(payload.jti).toBe(`${PUBLIC_URL}/badges/${badgeId}`)
  })

  it('GET /badges/:id.json downloads the credential as JSON-LD', async () => {
    const res = await request(app).get(`/badges/${badgeId}.json`)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toContain('application/ld+json')
    expect(res.headers['content-disposition']).toContain('attachment')
  })

  it('GET /badges/:id/verify names each check, all passed', async () => {
    const res = await request(app).get(`/badges/${badgeId}/verify`)
    expect(res.status).toBe(200)
    expect(res.body.valid).toBe(true)
    expect((res.body.checks as { name: string; status: string }[]).map((c) => `${c.name}:${c.status}`)).toEqual([
      'format:passed', 'issuer-key-known:passed', 'signature:passed', 'credential:passed', 'claims:passed', 'valid-from:passed', 'not-expired:passed', 'not-revoked:passed',
    ])
  })

  it('answers 400 ERR_BADGE_INVALID_ID naming the field for an id that is not a UUID', async () => {
    for (const path of ['/badges/not-a-uuid', '/badges/not-a-uuid.jwt', '/badges/123/verify']) {
      const res = await request(app).get(path)
      expect(res.status).toBe(400)
      expect(res.body.error).toMatchObject({ code: 'ERR_BADGE_INVALID_ID', field: 'id' })
    }
  })

  it('answers 404 ERR_BADGE_NOT_FOUND for an unknown badge, 404 ERR_BADGE_ISSUER_NOT_FOUND for an unknown issuer', async () => {
    const unknown = randomUUID()
    for (const path of [`/badges/${unknown}`, `/badges/${unknown}.jwt`, `/badges/${unknown}/verify`]) {
      expect((await request(app).get(path)).body.error).toMatchObject({ code: 'ERR_BADGE_NOT_FOUND' })
    }
    for (const path of ['/badges/issuer/nowhere', '/badges/issuer/nowhere/jwks', '/badges/revocations/nowhere']) {
      const res = await request(app).get(path)
      expect(res.status).toBe(404)
      expect(res.body.error).toMatchObject({ code: 'ERR_BADGE_ISSUER_NOT_FOUND', field: 'tenant' })
    }
  })

  it('GET /badges/issuer/:tenant answers the issuer Profile the credentials name (OB 3.0 Profile)', async () => {
    const res = await request(app).get('/badges/issuer/default')
    expect(res.status).toBe(200)
    expect(JSON.parse(res.text)).toMatchObject({ '@context': ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'], id: `${PUBLIC_URL}/badges/issuer/default`, type: ['Profile'] })
  })

  it('resolves each alignment targetUrl to its CASE CFItem, and the CFDocument to its CFPackage (CASE 1.0 getCFItem, getCFPackage)', async () => {
    const vc = JSON.parse((await request(app).get(`/badges/${badgeId}`).set('Accept', 'application/ld+json')).text) as OpenBadgeCredential
    const alignment = vc.credentialSubject.achievement.alignment[0]!
    const item = await request(app).get(new URL(alignment.targetUrl).pathname)
    expect(item.status).toBe(200)
    expect(item.body).toMatchObject({ humanCodingScheme: alignment.targetCode, fullStatement: alignment.targetName, uri: alignment.targetUrl })
    const pkg = await request(app).get(`/ims/case/v1p0/CFPackages/${item.body.CFDocumentURI.identifier as string}`)
    expect(pkg.status).toBe(200)
    expect(pkg.body.CFItems.length).toBeGreaterThan(4)
    expect((await request(app).get('/ims/case/v1p0/CFItems/PED')).status).toBe(400)
    expect((await request(app).get(`/ims/case/v1p0/CFItems/${randomUUID()}`)).status).toBe(404)
  })

  it('after the tier completion is voided: revoked on /verify and on the page, its bit set in the revocation list (JSON and VC-JWT)', async () => {
    await db.knex('learning_fact').where({ tenant_id: tenantId, statement_id: statementId }).update({ voided: true })
    expect((await badges.issuer!.pass()).revoked).toBe(1)
    const verify = await request(app).get(`/badges/${badgeId}/verify`)
    expect(verify.body).toMatchObject({ valid: false, revocationReason: `tier completion voided (statement ${statementId})` })
    expect((verify.body.checks as { name: string; status: string }[]).at(-1)).toMatchObject({ name: 'not-revoked', status: 'failed' })
    expect((await request(app).get(`/badges/${badgeId}`)).text).toContain('Dicabut / Revoked')
    const index = Number((JSON.parse((await request(app).get(`/badges/${badgeId}.json`)).text) as OpenBadgeCredential).credentialStatus.statusListIndex)
    const list = await request(app).get('/badges/revocations/default')
    expect(list.status).toBe(200)
    const listVc = JSON.parse(list.text) as { type: string[]; credentialSubject: { encodedList: string } }
    expect(listVc.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential'])
    expect(statusAt(listVc.credentialSubject.encodedList, index)).toBe(true)
    const signed = await asText(request(app).get('/badges/revocations/default').set('Accept', 'application/vc+jwt'))
    expect(signed.headers['content-type']).toContain('application/vc+jwt')
    const { payload } = await jwtVerify(signed.body as string, createLocalJWKSet(await jwks()), { algorithms: ['RS256'] })
    expect(statusAt((payload.credentialSubject as { encodedList: string }).encodedList, index)).toBe(true)
  })
})
