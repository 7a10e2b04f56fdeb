/**
 * The badge issuer's work list (`badge_pending`, migration 20261130000200), on PGlite and
 * PostgreSQL: a pass reads the completions not yet looked at instead of every completion ever
 * made, so these tests pin the rules that list must keep for the issuer to stay right (issue 6,
 * "Credentials for achievement"; docs/performance-notes.md, "Badge issuer at 10,000 completions").
 */
import { randomUUID } from 'node:crypto'
import type { Db } from '@tln/db'
import { createTestDb } from '@tln/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ActiveFrameworks } from '../../src/badges/active-framework.ts'
import { BadgeIssuer } from '../../src/badges/badge-issuer.ts'
import { BadgeStore } from '../../src/badges/badge-store.ts'
import { IssuerKeyStore } from '../../src/badges/issuer-key-store.ts'

const PUBLIC_URL = 'http://tln.test'
const TIER = 'http://tln.test/activities/tier/diklat-berjenjang-dasar'
const SECRET = new Uint8Array(32).fill(5)
const silent = { info: () => {}, error: () => {} }

let db: Db
let tenantId: string
let badges: BadgeStore

function issuer(batchSize = 100): BadgeIssuer {
  return new BadgeIssuer({ badges, keys: new IssuerKeyStore(db.knex, SECRET), frameworks: new ActiveFrameworks(db.knex), publicUrl: PUBLIC_URL, logger: silent, batchSize })
}

function fact(learnerKey: string, options: { at?: string; voided?: boolean; statementId?: string } = {}) {
  return {
    tenant_id: tenantId, statement_id: options.statementId ?? randomUUID(), learner_key: learnerKey, kind: 'tier-completed', verb: 'http://adlnet.gov/expapi/verbs/completed',
    object_id: TIER, object_name: 'Diklat Berjenjang Tingkat Dasar', at: options.at ?? '2026-05-04T03:02:01Z', stored: '2026-05-04T03:02:02Z', voided: options.voided ?? false,
  }
}

async function completion(learner: string, options: { at?: string; voided?: boolean } = {}): Promise<string> {
  const row = fact(`mbox:mailto:${learner}`, options)
  await db.knex('learning_fact').insert(row)
  return row.statement_id
}

const listed = async (statementId: string) => (await db.knex('badge_pending').where({ tenant_id: tenantId, statement_id: statementId }).first()) as { attempts: number } | undefined
const badgeCount = async (learner: string) => Number(((await db.knex('open_badge').where({ tenant_id: tenantId, learner_key: `mbox:mailto:${learner}` }).count({ n: '*' }).first()) as { n: number | string }).n)

beforeAll(async () => {
  db = await createTestDb()
  tenantId = ((await db.knex('tenant').where({ slug: 'default' }).first('id')) as { id: string }).id
  badges = new BadgeStore(db.knex, { publicUrl: PUBLIC_URL })
})

afterAll(async () => {
  await db.close()
})

describe('badge_pending (the badge issuer\'s work list)', () => {
  it('lists a tier completion when its fact is inserted, and not one inserted already voided or of another kind', async () => {
    const listedId = await completion('list@example.org')
    const voidedId = await completion('list-voided@example.org', { voided: true })
    const other = { ...fact('mbox:mailto:list@example.org'), kind: 'attended' }
    await db.knex('learning_fact').insert(other)
    expect(await listed(listedId)).toMatchObject({ attempts: 0 })
    expect(await listed(voidedId)).toBeUndefined()
    expect(await listed(other.statement_id)).toBeUndefined()
    await issuer().pass()
    expect(await listed(listedId)).toBeUndefined()
  })

  it('issues no badge for a completion voided before the issuer reached it, and takes it off the list', async () => {
    const statementId = await completion('voided-early@example.org')
    await db.knex('learning_fact').where({ tenant_id: tenantId, statement_id: statementId }).update({ voided: true })
    expect(await issuer().pass()).toEqual({ issued: 0, revoked: 0 })
    expect(await badgeCount('voided-early@example.org')).toBe(0)
    expect(await listed(statementId)).toBeUndefined()
  })

  it('never issues a completion twice when a rebuild inserts its fact again (listed again, settled without a badge)', async () => {
    const statementId = await completion('rebuilt@example.org')
    expect((await issuer().pass()).issued).toBe(1)
    const row = (await db.knex('learning_fact').where({ tenant_id: tenantId, statement_id: statementId }).first()) as Record<string, unknown>
    await db.knex('learning_fact').where({ tenant_id: tenantId, statement_id: statementId }).delete()
    await db.knex('learning_fact').insert(row)
    expect(await listed(statementId)).toBeDefined()
    expect(await issuer().pass()).toEqual({ issued: 0, revoked: 0 })
    expect(await badgeCount('rebuilt@example.org')).toBe(1)
    expect(await listed(statementId)).toBeUndefined()
  })

  it('issues one badge when a learner completes the same tier twice in one batch (the older completion earns it)', async () => {
    const first = await completion('twice@example.org', { at: '2026-05-01T00:00:00Z' })
    await completion('twice@example.org', { at: '2026-05-02T00:00:00Z' })
    expect((await issuer().pass()).issued).toBe(1)
    const [badge] = (await db.knex('open_badge').where({ tenant_id: tenantId, learner_key: 'mbox:mailto:twice@example.org' })) as { statement_id: string }[]
    expect(badge!.statement_id).toBe(first)
    expect(await db.knex('badge_pending').where({ tenant_id: tenantId }).count({ n: '*' }).first()).toEqual({ n: 0 })
  })

  it('issues each of many completions once with three issuers passing in small batches at the same time (per-tenant lock, list read under it)', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `many${i}@example.org`)
    for (const name of names) await completion(name)
    const before = Number(((await db.knex('open_badge').where({ tenant_id: tenantId }).count({ n: '*' }).first()) as { n: number | string }).n)
    const results = await Promise.all([issuer(2).pass(), issuer(3).pass(), issuer(5).pass()])
    expect(results.reduce((n, r) => n + r.issued, 0)).toBe(12)
    for (const name of names) expect(await badgeCount(name)).toBe(1)
    const indexes = ((await db.knex('open_badge').where({ tenant_id: tenantId }).select('status_index')) as { status_index: number }[]).map((r) => r.status_index).sort((a, b) => a - b)
    expect(indexes).toEqual(Array.from({ length: before + 12 }, (_, i) => i))
  })

  it('keeps a completion it cannot sign for on the list with one more attempt, behind the others, which are still issued', async () => {
    // An actor key of no xAPI form (hashedIdentity refuses it): older than the good completion, so first in line.
    const bad = fact('nonsense:key', { at: '2026-01-01T00:00:00Z' })
    await db.knex('learning_fact').insert(bad)
    const good = await completion('after-bad@example.org', { at: '2026-06-01T00:00:00Z' })
    expect((await issuer(1).pass()).issued).toBe(0)
    expect(await listed(bad.statement_id)).toMatchObject({ attempts: 1 })
    expect((await issuer(1).pass()).issued).toBe(1)
    expect(await listed(good)).toBeUndefined()
    expect(await listed(bad.statement_id)).toMatchObject({ attempts: 2 })
  })
})
