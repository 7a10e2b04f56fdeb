/**
 * Issuing and revoking badges from `learning_fact` tier completions, on PGlite and PostgreSQL
 * (issue 6, "Credentials for achievement"): one badge per completion even with two issuers at
 * once, revocation when the completion is voided, the private key sealed at rest.
 */
import { randomUUID } from 'node:crypto'
import type { Db } from '@tln/db'
import { createTestDb } from '@tln/db/testing'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ActiveFrameworks } from '../../src/badges/active-framework.ts'
import { BadgeIssuer } from '../../src/badges/badge-issuer.ts'
import { BadgeStore } from '../../src/badges/badge-store.ts'
import { issuerJwks, verifyBadge } from '../../src/badges/badge-verify.ts'
import { identityMatches } from '../../src/badges/identity-hash.ts'
import { IssuerKeyStore } from '../../src/badges/issuer-key-store.ts'
import { statusAt, statusListCredential } from '../../src/badges/status-list.ts'

const PUBLIC_URL = 'http://tln.test'
const TIER = 'http://tln.test/activities/tier/diklat-berjenjang-dasar'
const SECRET = new Uint8Array(32).fill(3)
const silent = { info: () => {}, error: () => {} }

let db: Db
let tenantId: string
let badges: BadgeStore

function issuer(): BadgeIssuer {
  return new BadgeIssuer({ badges, keys: new IssuerKeyStore(db.knex, SECRET), frameworks: new ActiveFrameworks(db.knex), publicUrl: PUBLIC_URL, logger: silent })
}

async function completion(learner: string, options: { tier?: string; at?: string } = {}): Promise<string> {
  const statementId = randomUUID()
  await db.knex('learning_fact').insert({
    tenant_id: tenantId, statement_id: statementId, learner_key: `mbox:mailto:${learner}`, kind: 'tier-completed', verb: 'http://adlnet.gov/expapi/verbs/completed',
    object_id: options.tier ?? TIER, object_name: 'Diklat Berjenjang Tingkat Dasar', at: options.at ?? '2026-05-04T03:02:01.250Z', stored: '2026-05-04T03:02:02Z',
  })
  return statementId
}

beforeAll(async () => {
  db = await createTestDb()
  tenantId = ((await db.knex('tenant').where({ slug: 'default' }).first('id')) as { id: string }).id
  const province = randomUUID()
  await db.knex('org_node').insert([
    { id: province, tenant_id: tenantId, parent_id: null, kind: 'province', code: '52', name: 'Nusa Tenggara Barat', path: `/${province}/` },
    { id: randomUUID(), tenant_id: tenantId, parent_id: province, kind: 'district', code: '52.02', name: 'Kabupaten Lombok Tengah', path: `/${province}/d/` },
  ])
  badges = new BadgeStore(db.knex, { publicUrl: PUBLIC_URL })
})

afterAll(async () => {
  await db.close()
})

describe('BadgeIssuer', () => {
  it('issues one badge per tier completion, signed so that jose verifies it against the published JWKS', async () => {
    const statementId = await completion('ani@example.org')
    expect(await issuer().pass()).toEqual({ issued: 1, revoked: 0 })
    const [summary] = await badges.badgesOf(tenantId, ['mbox:mailto:ani@example.org'])
    const badge = (await badges.find(summary!.id))!
    expect(badge).toMatchObject({ statementId, achievement: TIER, statusIndex: 0, revokedAt: null })
    expect(badge.credential.issuer.name).toBe('Kabupaten Lombok Tengah')
    expect(badge.credential.validFrom).toBe('2026-05-04T03:02:01Z')
    expect(identityMatches(badge.credential.credentialSubject.identifier[0]!, 'ani@example.org')).toBe(true)
    const jwks = issuerJwks(PUBLIC_URL, 'default', await new IssuerKeyStore(db.knex).publicKeys(tenantId))
    const { payload } = await jwtVerify(badge.jwt, createLocalJWKSet(jwks), { algorithms: ['RS256'], issuer: `${PUBLIC_URL}/badges/issuer/default` })
    expect(payload.jti).toBe(`${PUBLIC_URL}/badges/${badge.id}`)
    expect((await verifyBadge(badge, jwks, new Date())).valid).toBe(true)
  })

  it('issues nothing more on a second pass (idempotent)', async () => {
    expect(await issuer().pass()).toEqual({ issued: 0, revoked: 0 })
    expect(await db.knex('open_badge').count({ n: '*' }).first()).toEqual({ n: 1 })
  })

  it('issues each completion once with two issuers passing at the same time (insert … on conflict do nothing, per-tenant lock)', async () => {
    for (const name of ['b1', 'b2', 'b3', 'b4', 'b5', 'b6']) await completion(`${name}@example.org`)
    const results = await Promise.all([issuer().pass(), issuer().pass()])
    expect(results[0]!.issued + results[1]!.issued).toBe(6)
    const rows = (await db.knex('open_badge').select('status_index', 'learner_key')) as { status_index: number; learner_key: string }[]
    expect(rows).toHaveLength(7)
    expect(new Set(rows.map((r) => r.learner_key)).size).toBe(7)
    expect(rows.map((r) => r.status_index).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(await db.knex('badge_issuer_key').where({ tenant_id: tenantId }).count({ n: '*' }).first()).toEqual({ n: 1 })
  })

  it('does not issue a second badge for a second completion of the same tier', async () => {
    await completion('ani@example.org', { at: '2026-05-10T00:00:00Z' })
    expect((await issuer().pass()).issued).toBe(0)
  })

  it('revokes the badge when its tier completion is voided, and the revocation list and verification say so', async () => {
    const statementId = await completion('voided@example.org')
    await issuer().pass()
    await db.knex('learning_fact').where({ tenant_id: tenantId, statement_id: statementId }).update({ voided: true })
    expect(await issuer().pass()).toEqual({ issued: 0, revoked: 1 })
    const [summary] = await badges.badgesOf(tenantId, ['mbox:mailto:voided@example.org'])
    expect(summary).toMatchObject({ revokedAt: expect.any(String), revocationReason: `tier completion voided (statement ${statementId})` })
    const badge = (await badges.find(summary!.id))!
    const jwks = issuerJwks(PUBLIC_URL, 'default', await new IssuerKeyStore(db.knex).publicKeys(tenantId))
    const verification = await verifyBadge(badge, jwks, new Date())
    expect(verification.valid).toBe(false)
    expect(verification.checks.find((c) => c.name === 'not-revoked')).toMatchObject({ status: 'failed' })
    expect(verification.checks.find((c) => c.name === 'signature')).toMatchObject({ status: 'passed' })
    const list = statusListCredential({ url: 'x', issuer: badge.credential.issuer, validFrom: '2026-06-01T00:00:00Z', revoked: await badges.revokedIndexes(tenantId) })
    expect(statusAt(list.credentialSubject.encodedList, badge.statusIndex)).toBe(true)
    expect(statusAt(list.credentialSubject.encodedList, 0)).toBe(false)
  })

  it('issues a new badge when the teacher completes the tier again after a voided completion', async () => {
    await completion('voided@example.org', { at: '2026-05-20T00:00:00Z' })
    expect((await issuer().pass()).issued).toBe(1)
    const list = await badges.badgesOf(tenantId, ['mbox:mailto:voided@example.org'])
    expect(list.map((b) => b.revokedAt === null)).toEqual([true, false])
  })

  it('stores the private key sealed: the row holds no private JWK member in clear', async () => {
    const row = (await db.knex('badge_issuer_key').where({ tenant_id: tenantId }).first()) as { sealed_private_key: string; public_jwk: Record<string, unknown> | string }
    const publicJwk = typeof row.public_jwk === 'string' ? (JSON.parse(row.public_jwk) as Record<string, unknown>) : row.public_jwk
    expect(publicJwk).not.toHaveProperty('d')
    expect(row.sealed_private_key).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/)
    const { privateJwk } = await new IssuerKeyStore(db.knex, SECRET).signingKey(tenantId)
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) expect(row.sealed_private_key).not.toContain(privateJwk[member]!)
    await expect(new IssuerKeyStore(db.knex, new Uint8Array(32).fill(4)).signingKey(tenantId)).rejects.toMatchObject({ code: 'ERR_BADGE_SEALED_KEY_INVALID' })
  })

  it('lists a learner set\'s badges with their public URLs (badgesOf, for the teacher page)', async () => {
    const [summary] = await badges.badgesOf(tenantId, ['mbox:mailto:ani@example.org'])
    expect(summary).toEqual({
      id: expect.any(String), learnerKey: 'mbox:mailto:ani@example.org', achievement: TIER, name: 'Lulus Diklat Berjenjang Tingkat Dasar',
      issuedAt: expect.any(String), revokedAt: null, revocationReason: null,
      url: `${PUBLIC_URL}/badges/${summary!.id}`, jwtUrl: `${PUBLIC_URL}/badges/${summary!.id}.jwt`, verifyUrl: `${PUBLIC_URL}/badges/${summary!.id}/verify`,
    })
    expect(await badges.badgesOf(tenantId, [])).toEqual([])
  })
})
