/**
 * Incremental rating (ratings.ts): a page rates again only the indicators it gave evidence, takes
 * every other indicator from its stored row and rolls the parents up again. The rule it must keep
 * (DOMAIN.md, "Turning evidence into competence": a rating is a function of the evidence set):
 * whatever the pages and their order, the stored ratings are exactly those of rating each learner
 * from all their non-voided evidence at once, as a rebuild does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '@tln/db'
import { createTestDb } from '@tln/db/testing'
import { validateCompetenceConfig } from '../../src/config/validate-config.ts'
import { rateLearners, ratingContext, type RatingContext } from '../../src/engine/ratings.ts'
import { flattenFramework } from '../../src/framework/flatten-framework.ts'
import type { RatingConfig } from '../../src/rating/rating-config.ts'
import { rateFramework } from '../../src/rating/rate-framework.ts'
import type { RatedEvidence } from '../../src/rating/types.ts'
import { PAUD_EDUCATOR_COMPETENCES } from '../../src/seed/paud-competences.ts'
import { CONFIG } from '../reports/report-fixture.ts'

let db: Db
let tenantId: string

beforeAll(async () => {
  db = await createTestDb()
  tenantId = ((await db.knex('tenant').insert({ slug: 'incremental', name: 'incremental' }).returning('id')) as Array<{ id: string }>)[0]!.id
})

afterAll(async () => {
  await db?.close()
})

/** mulberry32: the same cases on every run and engine. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

let statementNumber = 0
function statementId(): string {
  statementNumber += 1
  return `00000000-0000-4000-9000-${String(statementNumber).padStart(12, '0')}`
}

function contextFor(rating: RatingConfig): RatingContext {
  const { version, ...config } = CONFIG
  return ratingContext(validateCompetenceConfig({ ...config, framework: PAUD_EDUCATOR_COMPETENCES, rating }), version)
}

const INDICATORS = flattenFramework(PAUD_EDUCATOR_COMPETENCES).filter((n) => n.level === 'indicator').map((n) => n.code)

interface StoredRow { learner_key: string; code: string; rating: number; proficient: boolean; method: string; evidence: string }

async function storedRows(learners: readonly string[]): Promise<Map<string, Omit<StoredRow, 'learner_key' | 'code'>>> {
  const rows = (await db.knex('competence_rating').select('learner_key', 'code', 'rating', 'proficient', 'method', db.knex.raw(`array_to_string(evidence, ',') as evidence`))
    .where({ tenant_id: tenantId }).whereIn('learner_key', [...learners])) as StoredRow[]
  return new Map(rows.map((r) => [`${r.learner_key} ${r.code}`, { rating: Number(r.rating), proficient: r.proficient, method: r.method, evidence: r.evidence }]))
}

/** Every learner rated from all their non-voided evidence at once: what a rebuild stores. */
async function ratedInFull(learners: readonly string[], ctx: RatingContext): Promise<Map<string, Omit<StoredRow, 'learner_key' | 'code'>>> {
  const { rows } = (await db.knex.raw(
    `select learner_key, indicator, statement_id, source, score, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, weight
       from competence_evidence where tenant_id = ? and learner_key = any(?::text[]) and not voided`,
    [tenantId, [...learners]] as never,
  )) as { rows: Array<{ learner_key: string; indicator: string; statement_id: string; source: string; score: number; at: string; weight: number }> }
  const expected = new Map<string, Omit<StoredRow, 'learner_key' | 'code'>>()
  for (const learner of learners) {
    const evidence = new Map<string, RatedEvidence[]>()
    for (const r of rows.filter((row) => row.learner_key === learner)) {
      const list = evidence.get(r.indicator) ?? []
      evidence.set(r.indicator, list)
      list.push({ statementId: r.statement_id, source: r.source, score: Number(r.score), at: r.at, weight: Number(r.weight) })
    }
    for (const [code, rating] of rateFramework(ctx.config.framework, evidence, ctx.config.rating)) {
      if (rating.evidence.length > 0) expected.set(`${learner} ${code}`, { rating: rating.rating, proficient: rating.proficient, method: rating.method, evidence: rating.evidence.join(',') })
    }
  }
  return expected
}

const SOURCES = ['facilitator-rubric', 'observation', 'e-training-test', 'mentoring', 'self-report']

/**
 * `pages` pages of evidence for `learners` learners, each page rated as the engine does (only what
 * it touched), with now and then a page that voids some of a learner's evidence.
 */
async function streamPages(ctx: RatingContext, seed: number, learners: string[], pages: number): Promise<void> {
  const random = prng(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  for (let page = 0; page < pages; page++) {
    if (page > 3 && random() < 0.15) {
      const learner = pick(learners)
      const voided = (await db.knex('competence_evidence').where({ tenant_id: tenantId, learner_key: learner, voided: false }).limit(2).update({ voided: true }).returning('learner_key')) as unknown[]
      if (voided.length > 0) await db.knex.transaction((trx) => rateLearners(trx, tenantId, { touched: new Map(), retracted: [learner] }, ctx))
      continue
    }
    const rows = Array.from({ length: 1 + Math.floor(random() * 12) }, () => ({
      tenant_id: tenantId, statement_id: statementId(), learner_key: pick(learners), indicator: pick(INDICATORS),
      source: pick(SOURCES), score: Math.round(random() * 20) / 20, weight: pick([0, 0.5, 1, 1, 2]), rule: 'test@1', voided: false,
      // Out of order on purpose: late evidence must rate as if it had come in time.
      at: new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 300) * 86_400_000 + Math.floor(random() * 3) * 1000).toISOString(),
    }))
    await db.knex('competence_evidence').insert(rows)
    const touched = new Map<string, Set<string>>()
    for (const r of rows) touched.set(r.learner_key, (touched.get(r.learner_key) ?? new Set()).add(r.indicator))
    await db.knex.transaction((trx) => rateLearners(trx, tenantId, { touched, retracted: [] }, ctx))
  }
}

const CASES: Array<{ name: string; rating: RatingConfig }> = [
  { name: 'latest, all children proficient', rating: { method: { method: 'latest', threshold: 0.7 }, rollUp: { rule: 'allChildrenProficient' } } },
  { name: 'decaying average, points with a required child', rating: { method: { method: 'decayingAverage', weight: 0.65, threshold: 0.6 }, rollUp: { rule: 'points', required: ['PED.A.1'], pointsRequired: { 'PED.A': 2, PED: 2 } } } },
  { name: 'weighted triangulation, all children proficient', rating: { method: { method: 'weightedTriangulation', threshold: 0.6, minSourceKinds: 2 }, rollUp: { rule: 'allChildrenProficient' } } },
  { name: 'n mastery, points', rating: { method: { method: 'nMastery', n: 2, threshold: 0.75 }, rollUp: { rule: 'points' } } },
  { name: 'average, points', rating: { method: { method: 'average' }, rollUp: { rule: 'points', pointsRequired: { 'PED.A': 1, 'PED.B': 1, PED: 1 } } } },
]

describe('incremental rating (DOMAIN.md: a rating is a function of the evidence set)', () => {
  CASES.forEach(({ name, rating }, i) => {
    it(`stores exactly what rating every learner from all their evidence gives: ${name}`, async () => {
      const ctx = contextFor(rating)
      const learners = Array.from({ length: 6 }, (_, n) => `mbox:mailto:guru${i}-${n}@paud.example`)
      await streamPages(ctx, 1000 + i, learners, 40)
      const stored = await storedRows(learners)
      const expected = await ratedInFull(learners, ctx)
      expect(stored.size).toBeGreaterThan(20)
      expect([...stored.keys()].sort()).toEqual([...expected.keys()].sort())
      for (const [key, row] of expected) expect(stored.get(key), key).toEqual(row)
    })
  })

  it('rates a learner in full, and rewrites the rows, when their stored rows are of another config version', async () => {
    const ctx = contextFor({ method: { method: 'average' }, rollUp: { rule: 'allChildrenProficient' } })
    const learner = 'mbox:mailto:versi@paud.example'
    const at = (day: number) => `2026-04-${String(day).padStart(2, '0')}T00:00:00.000Z`
    await db.knex('competence_evidence').insert([
      { tenant_id: tenantId, statement_id: statementId(), learner_key: learner, indicator: 'PED.A.1', source: 'observation', score: 0.8, weight: 1, rule: 'test@1', voided: false, at: at(1) },
      { tenant_id: tenantId, statement_id: statementId(), learner_key: learner, indicator: 'PED.A.2', source: 'observation', score: 0.6, weight: 1, rule: 'test@1', voided: false, at: at(2) },
    ])
    await db.knex.transaction((trx) => rateLearners(trx, tenantId, { touched: new Map([[learner, new Set(['PED.A.1', 'PED.A.2'])]]), retracted: [] }, ctx))
    // As if written under the previous config version, with a rating that version gave PED.A.2.
    await db.knex('competence_rating').where({ tenant_id: tenantId, learner_key: learner }).update({ config_version: ctx.version - 1 })
    await db.knex('competence_rating').where({ tenant_id: tenantId, learner_key: learner, code: 'PED.A.2' }).update({ rating: 0.1 })
    await db.knex('competence_evidence').insert({ tenant_id: tenantId, statement_id: statementId(), learner_key: learner, indicator: 'PED.A.1', source: 'observation', score: 1, weight: 1, rule: 'test@1', voided: false, at: at(3) })
    await db.knex.transaction((trx) => rateLearners(trx, tenantId, { touched: new Map([[learner, new Set(['PED.A.1'])]]), retracted: [] }, ctx))
    expect(await storedRows([learner])).toEqual(await ratedInFull([learner], ctx))
    const versions = (await db.knex('competence_rating').where({ tenant_id: tenantId, learner_key: learner }).distinct('config_version')) as Array<{ config_version: number }>
    expect(versions.map((v) => Number(v.config_version))).toEqual([ctx.version])
  })

  it('leaves rows that a page rates to the same values as they are (no new row versions)', async () => {
    // The touched path is written without being read; the upsert must skip the rows it would not change.
    const ctx = contextFor({ method: { method: 'average' }, rollUp: { rule: 'allChildrenProficient' } })
    const learner = 'mbox:mailto:sama@paud.example'
    await db.knex('competence_evidence').insert({ tenant_id: tenantId, statement_id: statementId(), learner_key: learner, indicator: 'PED.B.1', source: 'observation', score: 0.7, weight: 1, rule: 'test@1', voided: false, at: '2026-06-01T00:00:00.000Z' })
    const page = () => db.knex.transaction((trx) => rateLearners(trx, tenantId, { touched: new Map([[learner, new Set(['PED.B.1'])]]), retracted: [] }, ctx))
    const versions = async () => (await db.knex('competence_rating').select('code', db.knex.raw('xmin::text as xmin')).where({ tenant_id: tenantId, learner_key: learner }).orderBy('code')) as Array<{ code: string; xmin: string }>
    await page()
    const before = await versions()
    expect(before.map((r) => r.code)).toEqual(['PED', 'PED.B', 'PED.B.1'])
    await page()
    expect(await versions()).toEqual(before)
  })

  it('removes the row of a points parent whose only proficient child is proficient no longer', async () => {
    const ctx = contextFor({ method: { method: 'latest', threshold: 0.75 }, rollUp: { rule: 'points', pointsRequired: { 'PED.A': 1, PED: 1 } } })
    const learner = 'mbox:mailto:turun@paud.example'
    const rate = async (score: number, day: number) => {
      await db.knex('competence_evidence').insert({ tenant_id: tenantId, statement_id: statementId(), learner_key: learner, indicator: 'PED.A.1', source: 'observation', score, weight: 1, rule: 'test@1', voided: false, at: `2026-03-${day}T00:00:00.000Z` })
      await db.knex.transaction((trx) => rateLearners(trx, tenantId, { touched: new Map([[learner, new Set(['PED.A.1'])]]), retracted: [] }, ctx))
    }
    await rate(0.9, 10)
    expect((await storedRows([learner])).get(`${learner} PED.A`)).toMatchObject({ proficient: true })
    // The later observation is below the threshold: PED.A.1 is no longer proficient, so PED.A earns no points.
    await rate(0.5, 20)
    const stored = await storedRows([learner])
    expect(stored.get(`${learner} PED.A.1`)).toMatchObject({ proficient: false, rating: 0.5 })
    expect(stored.has(`${learner} PED.A`), 'PED.A without proficient children has no evidence, so no row').toBe(false)
    expect(stored.has(`${learner} PED`)).toBe(false)
    expect(stored).toEqual(await ratedInFull([learner], ctx))
  })
})
