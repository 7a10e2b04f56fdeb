/**
 * The competence engine's rating step on its own (`pnpm bench --rating-only`, printed; not in
 * docs/benchmarks.md): `rateLearners` for pages of 300 learners who each got evidence for one
 * indicator, over a history like the soak's end state (10,000 learners × 62 evidence rows on 11
 * indicators of the four competences). Every learner is rated once first, as the engine would have.
 * Two kinds of timed pages: ones that add no evidence (what a page reads and computes; nothing is
 * written), then ones that first add one evidence row per learner, as ingest does (reads, compute
 * and the rows written). Wall time per page and
 * this process's CPU per page (the engine runs in the server process, so that is the server's cost).
 * docs/performance-notes.md, "The competence engine rates incrementally" (session 13).
 */
import { createDb, migrateToLatest, type Db } from '@tln/db'
import { DEFAULT_COMPETENCE_CONFIG, PAUD_EDUCATOR_COMPETENCES, flattenFramework, validateCompetenceConfig } from '@tln/competence'
// The engine's rating step is not part of the package's API; the bench times it on its own.
import { rateLearners, ratingContext } from '../../packages/competence/src/engine/ratings.ts'
import { percentile } from './load.ts'
import { prng } from './statements.ts'

export interface RatingBenchOptions { learners: number; evidencePerLearner: number; pages: number; pageLearners: number }

export interface PageTimes { p50Ms: number; p95Ms: number; cpuMsPerPage: number }

/** `unchanged`: pages that add no evidence (a redelivered page; every compared row is equal). `newEvidence`: one new evidence row per learner, as ingest gives. */
export interface RatingBenchResult extends RatingBenchOptions { evidenceRows: number; ratingRows: number; unchanged: PageTimes; newEvidence: PageTimes }

// Every third indicator: 11 across the four competences, as a teacher's evidence spreads (lesson
// plans and observations, mentoring, writing); the engine reads and rolls up per competence.
const INDICATORS = flattenFramework(PAUD_EDUCATOR_COMPETENCES).filter((n) => n.level === 'indicator').map((n) => n.code).filter((_, i) => i % 3 === 0)
const learnerKey = (n: number) => `mbox:mailto:guru${n}@bench.example`

/** One `competence_evidence` row of the bench's tenant; statement ids numbered from 1. */
function evidenceRow(tenantId: string, n: number, learner: string, indicator: string, score: number, at: Date): Record<string, unknown> {
  return {
    tenant_id: tenantId, statement_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, learner_key: learner,
    indicator, source: 'observation', score, weight: 1, rule: 'bench@1', voided: false, at: at.toISOString(),
  }
}

async function seed(db: Db, tenantId: string, options: RatingBenchOptions, random: () => number): Promise<number> {
  let n = 0
  for (let first = 0; first < options.learners; first += 100) {
    const rows: Array<Record<string, unknown>> = []
    for (let learner = first; learner < Math.min(first + 100, options.learners); learner++) {
      for (let i = 0; i < options.evidencePerLearner; i++) {
        n += 1
        // Arguments evaluated in this order (indicator, score, day), as the seeded history always was.
        rows.push(evidenceRow(tenantId, n, learnerKey(learner), INDICATORS[Math.floor(random() * INDICATORS.length)]!, Math.round(random() * 20) / 20,
          new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 600) * 86_400_000)))
      }
    }
    await db.knex.batchInsert('competence_evidence', rows, 2000)
  }
  await db.knex.raw('vacuum analyze competence_evidence')
  return n
}

/** Runs on database `url` (emptied of this bench's tenant first). */
export async function benchRating(url: string, options: RatingBenchOptions): Promise<RatingBenchResult> {
  const db = await createDb({ engine: 'postgres', url, statementTimeoutMs: 0 })
  try {
    await migrateToLatest(db.knex)
    const tenantId = ((await db.knex('tenant').insert({ slug: 'rating-bench', name: 'rating bench' }).returning('id')) as Array<{ id: string }>)[0]!.id
    const ctx = ratingContext(validateCompetenceConfig({ ...DEFAULT_COMPETENCE_CONFIG, rating: { method: { method: 'decayingAverage', weight: 0.65 }, rollUp: { rule: 'allChildrenProficient' } } }), 1)
    const random = prng(7)
    const evidenceRows = await seed(db, tenantId, options, random)
    for (let first = 0; first < options.learners; first += 500) {
      const learners = Array.from({ length: Math.min(500, options.learners - first) }, (_, i) => learnerKey(first + i))
      await db.knex.transaction((trx) => rateLearners(trx, tenantId, { touched: new Map(), retracted: learners }, ctx))
    }
    await db.knex.raw('vacuum analyze competence_rating')
    const ratingRows = Number(((await db.knex('competence_rating').where({ tenant_id: tenantId }).count('* as n')) as Array<{ n: string }>)[0]!.n)
    const timePages = async (addEvidence: boolean): Promise<PageTimes> => {
      const times: number[] = []
      let cpuMs = 0
      for (let page = 0; page < options.pages; page++) {
        const touched = new Map<string, Set<string>>()
        while (touched.size < options.pageLearners) touched.set(learnerKey(Math.floor(random() * options.learners)), new Set([INDICATORS[Math.floor(random() * INDICATORS.length)]!]))
        // As the engine's page does before rating: the evidence its statements gave, one row per learner.
        if (addEvidence) {
          await db.knex('competence_evidence').insert([...touched].map(([learner, indicators]) => {
            statementNumber += 1
            return evidenceRow(tenantId, statementNumber, learner, [...indicators][0]!, Math.round(random() * 20) / 20, new Date(Date.UTC(2026, 6, 1) + page * 60_000))
          }))
        }
        const cpuBefore = process.cpuUsage()
        const started = performance.now()
        await db.knex.transaction((trx) => rateLearners(trx, tenantId, { touched, retracted: [] }, ctx))
        times.push(performance.now() - started)
        const cpu = process.cpuUsage(cpuBefore)
        cpuMs += (cpu.user + cpu.system) / 1000
      }
      return { p50Ms: percentile(times, 50), p95Ms: percentile(times, 95), cpuMsPerPage: cpuMs / options.pages }
    }
    let statementNumber = evidenceRows
    const unchanged = await timePages(false)
    const newEvidence = await timePages(true)
    return { ...options, evidenceRows, ratingRows, unchanged, newEvidence }
  } finally {
    await db.close()
  }
}
