/**
 * Ratings of the learners whose evidence changed in a page (DOMAIN.md, "Turning evidence into
 * competence"): ALL their non-voided evidence loaded in one query, `rateFramework`, and every
 * node's rating written in one multi-row statement. Ratings depend on the evidence set only (the
 * rating methods order evidence by `timestamp`, ties by statement id), so late statements give
 * the same ratings as in-order arrival.
 */
import type { Knex } from '@tln/db'
import { flattenFramework } from '../framework/flatten-framework.ts'
import type { NodeLevel } from '../framework/types.ts'
import { rateFramework } from '../rating/rate-framework.ts'
import type { RatedEvidence } from '../rating/types.ts'
import type { ValidatedCompetenceConfig } from '../config/validate-config.ts'
import { jsonParam } from './projection-writes.ts'

export interface RatingContext {
  readonly config: ValidatedCompetenceConfig
  readonly version: number
  /** Level of every framework code. */
  readonly levels: ReadonlyMap<string, NodeLevel>
}

export function ratingContext(config: ValidatedCompetenceConfig, version: number): RatingContext {
  return { config, version, levels: new Map(flattenFramework(config.framework).map((n) => [n.code, n.level])) }
}

/**
 * What a rating row says, comparable between a computed rating and a stored one (`real` is float32).
 * `evidence` is the ids joined by commas: the stored rows send it so (`array_to_string`), which
 * saves parsing every row's uuid[] into an array only to join it again.
 */
function fingerprint(r: { rating: number; proficient: boolean; method: string; evidence: string }): string {
  return `${Math.fround(r.rating)}|${r.proficient}|${r.method}|${r.evidence}`
}

/**
 * The learners' stored ratings, so that only rows that change are written: new evidence for one
 * indicator changes it, its sub-competence and its competence, not the learner's other nodes.
 */
async function storedRatings(trx: Knex, tenantId: string, learners: readonly string[]): Promise<Map<string, string>> {
  const rows = (await trx('competence_rating').select('learner_key', 'code', 'rating', 'proficient', 'method', trx.raw(`array_to_string(evidence, ',') as evidence`))
    .where({ tenant_id: tenantId }).whereRaw('learner_key = any(?::text[])', [[...learners]] as never)) as Array<{ learner_key: string; code: string; rating: number; proficient: boolean; method: string; evidence: string }>
  return new Map(rows.map((r) => [`${r.learner_key}\u0000${r.code}`, fingerprint({ ...r, rating: Number(r.rating) })]))
}

interface EvidenceRow { learner_key: string; indicator: string; statement_id: string; source: string; score: number; at: string; weight: number }

/**
 * Recomputes and stores the ratings of `learners`. Only nodes with evidence get a row (a node
 * without evidence has rating 0, and no row says the same at a fifth of the writes); evidence only
 * grows between rebuilds except by voiding, so the rows of `retracted` learners are replaced whole.
 */
export async function rateLearners(trx: Knex, tenantId: string, learners: readonly string[], retracted: readonly string[], ctx: RatingContext): Promise<void> {
  if (learners.length === 0) return
  // `at` as the canonical UTC string the rating methods order by, written by PostgreSQL: the driver
  // would parse each into a Date only for toISOString to print it again (milliseconds, as Date keeps).
  const rows = (await trx('competence_evidence').select('learner_key', 'indicator', 'statement_id', 'source', 'score', trx.raw(`to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at`), 'weight')
    .where({ tenant_id: tenantId, voided: false }).whereRaw('learner_key = any(?::text[])', [[...learners]] as never)) as EvidenceRow[]
  const byLearner = new Map<string, Map<string, RatedEvidence[]>>()
  for (const row of rows) {
    const indicators = byLearner.get(row.learner_key) ?? new Map<string, RatedEvidence[]>()
    byLearner.set(row.learner_key, indicators)
    const list = indicators.get(row.indicator) ?? []
    indicators.set(row.indicator, list)
    list.push({ statementId: row.statement_id, source: row.source, score: Number(row.score), at: row.at, weight: Number(row.weight) })
  }
  const replaced = new Set(retracted)
  const kept = learners.filter((l) => !replaced.has(l))
  const stored = kept.length === 0 ? new Map<string, string>() : await storedRatings(trx, tenantId, kept)
  const out: Array<Record<string, unknown>> = []
  for (const [learner, evidence] of byLearner) {
    for (const [code, rating] of rateFramework(ctx.config.framework, evidence, ctx.config.rating)) {
      if (rating.evidence.length === 0 || stored.get(`${learner}\u0000${code}`) === fingerprint({ rating: rating.rating, proficient: rating.proficient, method: rating.method, evidence: rating.evidence.join(',') })) continue
      out.push({ learner_key: learner, code, level: ctx.levels.get(code), rating: rating.rating, proficient: rating.proficient, method: rating.method, evidence: rating.evidence })
    }
  }
  if (retracted.length > 0) await trx('competence_rating').where({ tenant_id: tenantId }).whereRaw('learner_key = any(?::text[])', [[...retracted]] as never).delete()
  if (out.length === 0) return
  await trx.raw(
    `insert into competence_rating (tenant_id, learner_key, code, level, rating, proficient, method, config_version, evidence, updated_at)
     select ?, r.learner_key, r.code, r.level, r.rating, r.proficient, r.method, ?, r.evidence, now()
       from jsonb_to_recordset(?::jsonb) as r(learner_key text, code text, level text, rating real, proficient boolean, method text, evidence uuid[])
     on conflict (tenant_id, learner_key, code) do update set
       level = excluded.level, rating = excluded.rating, proficient = excluded.proficient, method = excluded.method,
       config_version = excluded.config_version, evidence = excluded.evidence, updated_at = excluded.updated_at`,
    [tenantId, ctx.version, jsonParam(out)],
  )
}
