/**
 * Rotating a badge issuer's signing key (`IssuerKeyStore.rotate`, `tln badges keys rotate`), on
 * PGlite and PostgreSQL. OB 3.0 "JSON Web Token Proof Format" (#jwt-verify): a verifier finds the
 * key by the JOSE header's `kid`, a URI that dereferences to the issuer's JWKS; so a rotated-out
 * key stays published and everything it signed still verifies, while only the current key signs.
 */
import { randomUUID } from 'node:crypto'
import type { Db } from '@tln/db'
import { createTestDb } from '@tln/db/testing'
import { decodeProtectedHeader } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ActiveFrameworks } from '../../src/badges/active-framework.ts'
import { BadgeIssuer } from '../../src/badges/badge-issuer.ts'
import { BadgeStore } from '../../src/badges/badge-store.ts'
import { badgeUrls } from '../../src/badges/badge-urls.ts'
import { issuerJwks, verifyBadge } from '../../src/badges/badge-verify.ts'
import { IssuerKeyStore } from '../../src/badges/issuer-key-store.ts'
import { fixtureCredential } from './badge-fixtures.ts'

const PUBLIC_URL = 'http://tln.test'
const TIER = 'http://tln.test/activities/tier/diklat-berjenjang-dasar'
const SECRET = new Uint8Array(32).fill(5)
const silent = { info: () => {}, error: () => {} }

let db: Db
let tenantId: string
let badges: BadgeStore
let keys: IssuerKeyStore

const issuer = (store: IssuerKeyStore = keys) => new BadgeIssuer({ badges, keys: store, frameworks: new ActiveFrameworks(db.knex), publicUrl: PUBLIC_URL, logger: silent })
const jwks = async () => issuerJwks(PUBLIC_URL, 'default', await keys.publicKeys(tenantId))
const thumbprintOf = (jwt: string) => new URL(decodeProtectedHeader(jwt).kid!).hash.slice(1)

async function completion(learner: string, tier = TIER): Promise<string> {
  const statementId = randomUUID()
  await db.knex('learning_fact').insert({
    tenant_id: tenantId, statement_id: statementId, learner_key: `mbox:mailto:${learner}`, kind: 'tier-completed', verb: 'http://adlnet.gov/expapi/verbs/completed',
    object_id: tier, object_name: 'Diklat Berjenjang', at: '2026-05-04T03:02:01Z', stored: '2026-05-04T03:02:02Z',
  })
  return statementId
}

async function badgeOf(learner: string) {
  const [summary] = await badges.badgesOf(tenantId, [`mbox:mailto:${learner}`])
  return (await badges.find(summary!.id))!
}

beforeAll(async () => {
  db = await createTestDb()
  tenantId = ((await db.knex('tenant').where({ slug: 'default' }).first('id')) as { id: string }).id
  badges = new BadgeStore(db.knex, { publicUrl: PUBLIC_URL })
  keys = new IssuerKeyStore(db.knex, SECRET)
})

afterAll(async () => {
  await db.close()
})

describe('badge signing key rotation', () => {
  let oldThumbprint: string
  let newThumbprint: string

  it('makes a new key current and keeps the old public key in the issuer JWKS, current first (OB 3.0 #jwt-verify: kid dereferences to the JWKS)', async () => {
    await completion('sebelum@example.org')
    expect((await issuer().pass()).issued).toBe(1)
    oldThumbprint = thumbprintOf((await badgeOf('sebelum@example.org')).jwt)
    const rotated = await keys.rotate(tenantId)
    newThumbprint = rotated.current
    expect(rotated.retired).toEqual([oldThumbprint])
    expect(newThumbprint).not.toBe(oldThumbprint)
    expect((await keys.publicKeys(tenantId)).map((k) => [k.thumbprint, k.current])).toEqual([[newThumbprint, true], [oldThumbprint, false]])
    const published = await jwks()
    expect(published.keys.map((k) => k.kid)).toEqual([badgeUrls(PUBLIC_URL, 'default').kid(newThumbprint), badgeUrls(PUBLIC_URL, 'default').kid(oldThumbprint)])
    for (const key of published.keys) expect(key).not.toHaveProperty('d')
  })

  it('a credential issued before the rotation still verifies after it: every check passes', async () => {
    const verification = await verifyBadge(await badgeOf('sebelum@example.org'), await jwks(), new Date())
    expect(verification.valid).toBe(true)
    expect(verification.checks.map((c) => c.status)).toEqual(Array(8).fill('passed'))
  })

  it('credentials issued after the rotation carry the new kid, and verify', async () => {
    await completion('sesudah@example.org')
    expect((await issuer().pass()).issued).toBe(1)
    const badge = await badgeOf('sesudah@example.org')
    expect(decodeProtectedHeader(badge.jwt).kid).toBe(badgeUrls(PUBLIC_URL, 'default').kid(newThumbprint))
    expect((await verifyBadge(badge, await jwks(), new Date())).valid).toBe(true)
  })

  it('a retired key cannot sign: issuing with it is refused (ERR_BADGE_KEY_RETIRED) and stores nothing', async () => {
    const statementId = await completion('ditolak@example.org')
    let made = false
    await expect(badges.issueBatch(tenantId, 100, async () => {
      made = true
      return { id: randomUUID(), credential: fixtureCredential(), jwt: 'x.y.z', issuedAt: new Date() }
    }, oldThumbprint)).rejects.toMatchObject({ code: 'ERR_BADGE_KEY_RETIRED' })
    expect(made).toBe(false)
    expect(await db.knex('open_badge').where({ tenant_id: tenantId, statement_id: statementId }).first()).toBeUndefined()
    expect(await db.knex('badge_pending').where({ tenant_id: tenantId, statement_id: statementId }).first()).toBeDefined()
  })

  it('a retired key keeps no private half, and the database refuses one that would (check badge_issuer_key_retired_cannot_sign)', async () => {
    const row = (await db.knex('badge_issuer_key').where({ tenant_id: tenantId, kid: oldThumbprint }).first()) as { sealed_private_key: string | null; retired_at: Date | null }
    expect(row.retired_at).not.toBeNull()
    expect(row.sealed_private_key).toBeNull()
    const current = (await db.knex('badge_issuer_key').where({ tenant_id: tenantId, kid: newThumbprint }).first('sealed_private_key')) as { sealed_private_key: string }
    await expect(db.knex('badge_issuer_key').where({ tenant_id: tenantId, kid: oldThumbprint }).update({ sealed_private_key: current.sealed_private_key }))
      .rejects.toThrow(/badge_issuer_key_retired_cannot_sign/)
  })

  it('an issuer that read the key before a rotation signs its next badge with the new key', async () => {
    // The issuer's key store hands out the key read before the rotation once (a pass already under way), then reads again.
    let stale: { thumbprint: string; privateJwk: import('jose').JWK } | undefined = await keys.signingKey(tenantId)
    const staleKeys = Object.assign(Object.create(keys) as IssuerKeyStore, {
      signingKey: async (tenant: string) => {
        const key = stale ?? (await keys.signingKey(tenant))
        stale = undefined
        return key
      },
    })
    const rotated = await keys.rotate(tenantId)
    await completion('tengah@example.org')
    // This completion and the one refused above.
    expect((await issuer(staleKeys).pass()).issued).toBe(2)
    expect(thumbprintOf((await badgeOf('tengah@example.org')).jwt)).toBe(rotated.current)
    expect(stale).toBeUndefined()
  })

  it('lists every key of the tenant, the current one first, and a first rotation of a tenant without keys retires none', async () => {
    const listed = await keys.list(tenantId)
    expect(listed.filter((k) => k.retiredAt === null)).toHaveLength(1)
    expect(listed[0]!.retiredAt).toBeNull()
    expect(listed.map((k) => k.tenantSlug)).toEqual(Array(listed.length).fill('default'))
    const other = ((await db.knex('tenant').insert({ slug: 'lain', name: 'Lain' }).returning('id')) as { id: string }[])[0]!.id
    expect((await keys.rotate(other)).retired).toEqual([])
    expect(await keys.list(other)).toHaveLength(1)
  })
})
