/**
 * Ratings of the learners whose evidence changed in a page (DOMAIN.md, "Turning evidence into
 * competence"). Ratings depend on the evidence set only (the rating methods order evidence by
 * `timestamp`, ties by statement id), so late statements give the same ratings as in-order arrival.
 *
 * Incremental: an indicator's rating depends on its own evidence alone, and its parents only on
 * their children's ratings. So only the indicators a page gave evidence are rated again, from all
 * of THEIR non-voided evidence; only their competences are rolled up again, from the stored rows of
 * the indicators and sub-competences the page did not touch (the same ratings of the same evidence;
 * `double precision`, so exactly the numbers a full rating gives, see migration 20261130003400).
 * What a page costs then grows with the history of the indicators it touches, not with each
 * teacher's whole history (docs/performance-notes.md, session 13: 2.8× less CPU per page at 62
 * evidence rows per teacher). Only the stored rows the roll-ups take as they are are read; the
 * touched path is written unread and the upsert skips equal rows (session 14: the read 35 → 16 ms
 * per page). A learner who lost evidence (voiding) is rated from all of their evidence and their
 * rows replaced, as a rebuild does.
 * `test/engine/incremental-rating.int.test.ts` holds it to the rule: the stored rows are those of
 * rating everyone in full. Every node's changed rating is written in one statement.
 */
import type { Knex } from '@tln/db'
import { flattenFramework } from '../framework/flatten-framework.ts'
import type { NodeLevel } from '../framework/types.ts'
import { rateFramework, type KnownRatings } from '../rating/rate-framework.ts'
import type { RatedEvidence, Rating } from '../rating/types.ts'
import type { ValidatedCompetenceConfig } from '../config/validate-config.ts'
import { jsonParam } from './projection-writes.ts'

export interface RatingContext {
  readonly config: ValidatedCompetenceConfig
  readonly version: number
  /** Level of every framework code. */
  readonly levels: ReadonlyMap<string, NodeLevel>
  /** The competence each indicator belongs to. */
  readonly competenceOf: ReadonlyMap<string, string>
  /** The sub-competence each indicator belongs to. */
  readonly subCompetenceOf: ReadonlyMap<string, string>
  /** The children of each competence (its sub-competences) and sub-competence (its indicators). */
  readonly childrenOf: ReadonlyMap<string, readonly string[]>
}

export function ratingContext(config: ValidatedCompetenceConfig, version: number): RatingContext {
  const nodes = flattenFramework(config.framework)
  const parentOf = new Map(nodes.map((n) => [n.code, n.parentCode]))
  const indicators = nodes.filter((n) => n.level === 'indicator')
  const competenceOf = new Map(indicators.map((n) => [n.code, parentOf.get(n.parentCode!)!]))
  const subCompetenceOf = new Map(indicators.map((n) => [n.code, n.parentCode!]))
  const childrenOf = new Map<string, string[]>()
  for (const n of nodes) {
    if (n.parentCode === undefined) continue
    const children = childrenOf.get(n.parentCode) ?? []
    childrenOf.set(n.parentCode, children)
    children.push(n.code)
  }
  return { config, version, levels: new Map(nodes.map((n) => [n.code, n.level])), competenceOf, subCompetenceOf, childrenOf }
}

/** What changed in a page: the indicators each learner got new evidence for, and the learners who lost some. */
export interface RatingChanges {
  /** Learner key → indicator codes with new evidence in the page. */
  readonly touched: ReadonlyMap<string, ReadonlySet<string>>
  /** Learners whose evidence a voiding statement retracted: rated from all their evidence, rows replaced whole. */
  readonly retracted: readonly string[]
}

/** `evidence`: the ids joined by commas. */
interface StoredRating { rating: number; proficient: boolean; method: string; evidence: string; configVersion: number }

function storedRating(row: StoredRating | undefined): Rating | undefined {
  return row === undefined ? undefined : { rating: row.rating, proficient: row.proficient, method: row.method, evidence: row.evidence === '' ? [] : row.evidence.split(',') }
}

/**
 * The stored ratings a roll-up takes as they are, by learner and code (`keys`: learner and code
 * pairs): the sub-competences a page did not touch in the competences it touched, and the
 * untouched indicators of the sub-competences it touched. Nothing else is read: the touched path
 * (touched indicators, their sub-competences and competences) is rated again and, with new
 * evidence, always changes, so its rows (a competence's lists all its indicators' evidence ids)
 * would only be read to be compared unequal; the upsert compares them instead.
 */
async function storedRatings(trx: Knex, tenantId: string, keys: ReadonlyArray<readonly [string, string]>): Promise<Map<string, Map<string, StoredRating>>> {
  const { rows } = (await trx.raw(
    `select r.learner_key, r.code, r.rating, r.proficient, r.method, r.config_version, array_to_string(r.evidence, ',') as evidence
       from unnest(?::text[], ?::text[]) as p(learner_key, code)
       join competence_rating r on r.tenant_id = ? and r.learner_key = p.learner_key and r.code = p.code`,
    [keys.map((k) => k[0]), keys.map((k) => k[1]), tenantId] as never,
  )) as { rows: Array<{ learner_key: string; code: string; rating: number; proficient: boolean; method: string; config_version: number; evidence: string }> }
  const byLearner = new Map<string, Map<string, StoredRating>>()
  for (const r of rows) {
    const codes = byLearner.get(r.learner_key) ?? new Map<string, StoredRating>()
    byLearner.set(r.learner_key, codes)
    codes.set(r.code, { rating: Number(r.rating), proficient: r.proficient, method: r.method, evidence: r.evidence, configVersion: Number(r.config_version) })
  }
  return byLearner
}

interface EvidenceRow { learner_key: string; indicator: string; statement_id: string; source: string; score: number; at: string; weight: number }

// `at` as the canonical UTC string the rating methods order by, written by PostgreSQL: the driver
// would parse each into a Date only for toISOString to print it again (milliseconds, as Date keeps).
const EVIDENCE_COLUMNS = `e.learner_key, e.indicator, e.statement_id, e.source, e.score, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, e.weight`

/** All non-voided evidence of `learners`. */
async function allEvidence(trx: Knex, tenantId: string, learners: readonly string[]): Promise<EvidenceRow[]> {
  if (learners.length === 0) return []
  const { rows } = (await trx.raw(`select ${EVIDENCE_COLUMNS} from competence_evidence e where e.tenant_id = ? and e.learner_key = any(?::text[]) and not e.voided`, [tenantId, [...learners]] as never)) as { rows: EvidenceRow[] }
  return rows
}

/** The non-voided evidence of the given (learner, indicator) pairs. */
async function pairEvidence(trx: Knex, tenantId: string, pairs: ReadonlyArray<readonly [string, string]>): Promise<EvidenceRow[]> {
  if (pairs.length === 0) return []
  const { rows } = (await trx.raw(
    `select ${EVIDENCE_COLUMNS} from unnest(?::text[], ?::text[]) as p(learner_key, indicator)
       join competence_evidence e on e.tenant_id = ? and e.learner_key = p.learner_key and e.indicator = p.indicator and not e.voided`,
    [pairs.map((p) => p[0]), pairs.map((p) => p[1]), tenantId] as never,
  )) as { rows: EvidenceRow[] }
  return rows
}

/**
 * Recomputes and stores the ratings of the learners in `changes`. Only nodes with evidence get a
 * row (a node without evidence has rating 0, and no row says the same at a fifth of the writes);
 * the rows of retracted learners are replaced whole.
 */
export async function rateLearners(trx: Knex, tenantId: string, changes: RatingChanges, ctx: RatingContext): Promise<void> {
  const replaced = new Set(changes.retracted)
  const kept = [...changes.touched.keys()].filter((l) => !replaced.has(l))
  if (kept.length === 0 && replaced.size === 0) return
  const competencesOf = new Map<string, Set<string>>()
  // The touched path per learner: rated again, and not read (see storedRatings).
  const pathOf = new Map<string, Set<string>>()
  const keys: Array<readonly [string, string]> = []
  for (const learner of kept) {
    const competences = new Set<string>()
    const subs = new Set<string>()
    const indicators = changes.touched.get(learner)!
    for (const indicator of indicators) {
      const competence = ctx.competenceOf.get(indicator)
      if (competence === undefined) continue
      competences.add(competence)
      subs.add(ctx.subCompetenceOf.get(indicator)!)
    }
    competencesOf.set(learner, competences)
    pathOf.set(learner, new Set([...competences, ...subs, ...indicators]))
    for (const competence of competences) {
      for (const sub of ctx.childrenOf.get(competence) ?? []) {
        if (!subs.has(sub)) keys.push([learner, sub])
        else for (const indicator of ctx.childrenOf.get(sub) ?? []) if (!indicators.has(indicator)) keys.push([learner, indicator])
      }
    }
  }
  const stored = keys.length === 0 ? new Map<string, Map<string, StoredRating>>() : await storedRatings(trx, tenantId, keys)
  // Rows of another config version are never there: a page under a new version first resets the
  // tenant's projections (resetPartition, under the partition lock). Were one read all the same,
  // rolling up from it would mix rules, so its learner is rated in full and their rows replaced
  // whole, as a rebuild does.
  const full = new Set(replaced)
  for (const [learner, rows] of stored) {
    for (const row of rows.values()) {
      if (row.configVersion === ctx.version) continue
      full.add(learner)
      stored.delete(learner)
      break
    }
  }
  const pairs: Array<readonly [string, string]> = []
  for (const learner of kept) if (!full.has(learner)) for (const indicator of changes.touched.get(learner)!) pairs.push([learner, indicator])

  const evidence = new Map<string, Map<string, RatedEvidence[]>>()
  // A touched indicator is rated from what the query finds, even nothing, never from its stored row.
  for (const [learner, indicator] of pairs) {
    const indicators = evidence.get(learner) ?? new Map<string, RatedEvidence[]>()
    evidence.set(learner, indicators)
    indicators.set(indicator, [])
  }
  for (const learner of full) evidence.set(learner, new Map())
  const rows = [...await allEvidence(trx, tenantId, [...full]), ...await pairEvidence(trx, tenantId, pairs)]
  for (const row of rows) {
    const indicators = evidence.get(row.learner_key)!
    const list = indicators.get(row.indicator) ?? []
    indicators.set(row.indicator, list)
    list.push({ statementId: row.statement_id, source: row.source, score: Number(row.score), at: row.at, weight: Number(row.weight) })
  }

  const out: Array<Record<string, unknown>> = []
  // Nodes whose rating lost all its evidence (a points roll-up whose proficient children are no
  // longer): their row goes, as a node without evidence has none. The touched path was not read,
  // so such a node there is deleted whether or not it had a row (a full learner's rows all went).
  const emptied: Array<readonly [string, string]> = []
  for (const [learner, indicators] of evidence) {
    // Only the rows of learners rated incrementally were kept: the others' are replaced whole.
    const storedRows = stored.get(learner)
    const path = full.has(learner) ? undefined : pathOf.get(learner)
    const known: KnownRatings = path === undefined ? {} : { competences: competencesOf.get(learner), stored: (code) => storedRating(storedRows?.get(code)) }
    // What rateFramework returns is the touched path (and untouched indicators without a stored
    // row, rated from no evidence), none of it read: written, and the upsert skips equal rows.
    for (const [code, rating] of rateFramework(ctx.config.framework, indicators, ctx.config.rating, known)) {
      if (rating.evidence.length === 0) {
        if (path?.has(code) === true) emptied.push([learner, code])
        continue
      }
      out.push({ learner_key: learner, code, level: ctx.levels.get(code), rating: rating.rating, proficient: rating.proficient, method: rating.method, evidence: rating.evidence })
    }
  }
  if (full.size > 0) await trx('competence_rating').where({ tenant_id: tenantId }).whereRaw('learner_key = any(?::text[])', [[...full]] as never).delete()
  if (emptied.length > 0) {
    await trx.raw(
      `delete from competence_rating r using unnest(?::text[], ?::text[]) as x(learner_key, code)
        where r.tenant_id = ? and r.learner_key = x.learner_key and r.code = x.code`,
      [emptied.map((e) => e[0]), emptied.map((e) => e[1]), tenantId] as never,
    )
  }
  if (out.length === 0) return
  await trx.raw(
    `insert into competence_rating (tenant_id, learner_key, code, level, rating, proficient, method, config_version, evidence, updated_at)
     select ?, r.learner_key, r.code, r.level, r.rating, r.proficient, r.method, ?, r.evidence, now()
       from jsonb_to_recordset(?::jsonb) as r(learner_key text, code text, level text, rating double precision, proficient boolean, method text, evidence uuid[])
     on conflict (tenant_id, learner_key, code) do update set
       level = excluded.level, rating = excluded.rating, proficient = excluded.proficient, method = excluded.method,
       config_version = excluded.config_version, evidence = excluded.evidence, updated_at = excluded.updated_at
     -- The touched path is sent unread (see storedRatings): an equal row is left as it is, no new tuple.
     where (competence_rating.level, competence_rating.rating, competence_rating.proficient, competence_rating.method, competence_rating.config_version, competence_rating.evidence)
       is distinct from (excluded.level, excluded.rating, excluded.proficient, excluded.method, excluded.config_version, excluded.evidence)`,
    [tenantId, ctx.version, jsonParam(out)],
  )
}
