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
 * evidence rows per teacher). Only the stored rows of the touched competences are read, those on
 * the touched path without their evidence (the upsert compares them; session 14: a third less CPU
 * again). A learner who lost evidence (voiding), or with a stored row of another config version,
 * is rated from all of their evidence and their rows replaced, as a rebuild does.
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
}

export function ratingContext(config: ValidatedCompetenceConfig, version: number): RatingContext {
  const nodes = flattenFramework(config.framework)
  const parentOf = new Map(nodes.map((n) => [n.code, n.parentCode]))
  const indicators = nodes.filter((n) => n.level === 'indicator')
  const competenceOf = new Map(indicators.map((n) => [n.code, parentOf.get(n.parentCode!)!]))
  const subCompetenceOf = new Map(indicators.map((n) => [n.code, n.parentCode!]))
  return { config, version, levels: new Map(nodes.map((n) => [n.code, n.level])), competenceOf, subCompetenceOf }
}

/** What changed in a page: the indicators each learner got new evidence for, and the learners who lost some. */
export interface RatingChanges {
  /** Learner key → indicator codes with new evidence in the page. */
  readonly touched: ReadonlyMap<string, ReadonlySet<string>>
  /** Learners whose evidence a voiding statement retracted: rated from all their evidence, rows replaced whole. */
  readonly retracted: readonly string[]
}

/**
 * Whether `joined` (a stored row's evidence ids joined by commas, as `array_to_string` sends them)
 * lists exactly `ids`, in order: compared in place, as a page compares every node it rates and a
 * competence's list holds all its indicators' evidence.
 */
function sameIds(joined: string, ids: readonly string[]): boolean {
  let at = 0
  for (let i = 0; i < ids.length; i++) {
    if (i > 0) {
      if (joined.charCodeAt(at) !== 44 /* , */) return false
      at += 1
    }
    if (!joined.startsWith(ids[i]!, at)) return false
    at += ids[i]!.length
  }
  return at === joined.length
}

/**
 * Whether a stored row already says what `rating` says, under this config version. A row read
 * without its evidence (one on the touched path) is written, and the upsert skips it if equal.
 */
function unchanged(before: StoredRating | undefined, rating: Rating, version: number): boolean {
  return before !== undefined && before.evidence !== null && before.configVersion === version && before.rating === rating.rating && before.proficient === rating.proficient
    && before.method === rating.method && sameIds(before.evidence, rating.evidence)
}

/** `evidence`: the ids joined by commas, or null for a row on the touched path (not read: it is rated again). */
interface StoredRating { rating: number; proficient: boolean; method: string; evidence: string | null; configVersion: number }

function storedRating(code: string, row: StoredRating | undefined): Rating | undefined {
  if (row === undefined) return undefined
  // rateFramework asks only for nodes off the touched path, which are read with their evidence.
  if (row.evidence === null) throw new Error(`the stored rating of ${code} was read without its evidence, yet a roll-up asked for it`)
  return { rating: row.rating, proficient: row.proficient, method: row.method, evidence: row.evidence === '' ? [] : row.evidence.split(',') }
}

/**
 * The stored ratings a page needs, by learner and code: the rows of the competences the page
 * touched for that learner, and every row of another config version (which makes its learner
 * rated in full). A learner's rows in the competences the page did not touch are left in the
 * database. Rows on the touched path (`onPath`: the touched indicators, their sub-competences and
 * competences) come without their evidence: they are rated again, and with new evidence they all
 * change, so their evidence ids (a competence row lists all of its indicators') would only be read
 * to be compared unequal; the upsert compares them instead.
 */
async function storedRatings(trx: Knex, tenantId: string, touchedCompetences: ReadonlyArray<readonly [string, string]>, onPath: ReadonlyArray<readonly [string, string]>, version: number): Promise<Map<string, Map<string, StoredRating>>> {
  const { rows } = (await trx.raw(
    `select r.learner_key, r.code, r.rating, r.proficient, r.method, r.config_version,
            case when o.code is null then array_to_string(r.evidence, ',') end as evidence
       from competence_rating r
       left join unnest(?::text[], ?::text[]) as p(learner_key, competence)
         on p.learner_key = r.learner_key and (r.code = p.competence or starts_with(r.code, p.competence || '.'))
       left join unnest(?::text[], ?::text[]) as o(learner_key, code) on o.learner_key = r.learner_key and o.code = r.code
      where r.tenant_id = ? and r.learner_key = any(?::text[]) and (p.competence is not null or r.config_version <> ?)`,
    [touchedCompetences.map((p) => p[0]), touchedCompetences.map((p) => p[1]), onPath.map((p) => p[0]), onPath.map((p) => p[1]),
      tenantId, [...new Set(touchedCompetences.map((p) => p[0]))], version] as never,
  )) as { rows: Array<{ learner_key: string; code: string; rating: number; proficient: boolean; method: string; config_version: number; evidence: string | null }> }
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
  const touchedCompetences: Array<readonly [string, string]> = []
  const onPath: Array<readonly [string, string]> = []
  for (const learner of kept) {
    const competences = new Set<string>()
    const subs = new Set<string>()
    for (const indicator of changes.touched.get(learner)!) {
      const competence = ctx.competenceOf.get(indicator)
      if (competence === undefined) continue
      competences.add(competence)
      subs.add(ctx.subCompetenceOf.get(indicator)!)
      onPath.push([learner, indicator])
    }
    competencesOf.set(learner, competences)
    for (const competence of competences) {
      touchedCompetences.push([learner, competence])
      onPath.push([learner, competence])
    }
    for (const sub of subs) onPath.push([learner, sub])
  }
  const stored = touchedCompetences.length === 0 ? new Map<string, Map<string, StoredRating>>() : await storedRatings(trx, tenantId, touchedCompetences, onPath, ctx.version)
  // Rows of another config version are never there outside a rebuild (which deletes them first); if
  // they were, rolling up from them would mix rules, so such a learner is rated in full and their
  // rows replaced whole, as a rebuild does.
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
  // longer): their row goes, as a node without evidence has none.
  const emptied: Array<readonly [string, string]> = []
  for (const [learner, indicators] of evidence) {
    // Only the rows of learners rated incrementally were kept: the others' are replaced whole.
    const storedRows = stored.get(learner)
    const known: KnownRatings = full.has(learner) ? {} : { competences: competencesOf.get(learner), stored: (code) => storedRating(code, storedRows?.get(code)) }
    for (const [code, rating] of rateFramework(ctx.config.framework, indicators, ctx.config.rating, known)) {
      const before = storedRows?.get(code)
      if (rating.evidence.length === 0) {
        if (before !== undefined) emptied.push([learner, code])
        continue
      }
      if (unchanged(before, rating, ctx.version)) continue
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
     -- Rows on the touched path are sent without having been compared (their evidence was not read).
     where (competence_rating.level, competence_rating.rating, competence_rating.proficient, competence_rating.method, competence_rating.config_version, competence_rating.evidence)
       is distinct from (excluded.level, excluded.rating, excluded.proficient, excluded.method, excluded.config_version, excluded.evidence)`,
    [tenantId, ctx.version, jsonParam(out)],
  )
}
