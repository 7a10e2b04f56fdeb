/**
 * Shared rules of the rating methods: which evidence counts, in what order, and how a weighted
 * mean is taken without floating-point drift.
 */
import { toInstant } from '@tln/xapi'
import type { RatedEvidence } from './types.ts'

/** Proficiency threshold when a method is given none (DOMAIN.md's example: "proficient at ≥ 0.75"). */
export const DEFAULT_THRESHOLD = 0.75

/** Tolerance when comparing a computed rating with a threshold (0.1 + 0.65 is 0.75000000000000001…). */
const EPSILON = 1e-9

export function reaches(rating: number, threshold: number): boolean {
  return rating + EPSILON >= threshold
}

export function checkThreshold(threshold: number, name = 'threshold'): void {
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) throw new TypeError(`${name} must be a number in 0..1, got ${threshold}`)
}

/**
 * Already canonical UTC with milliseconds, as the engine hands evidence over (`Date#toISOString`):
 * `toInstant` would give the string back unchanged (or, for an impossible date, nothing, and `at`
 * is used as it is), so the full parse is skipped; it took a tenth of rating a page's learners.
 */
const CANONICAL_MS = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/

/** The instant of `at` as a sortable string (canonical UTC), whatever zone it was written in. */
function instant(at: string): string {
  if (CANONICAL_MS.test(at)) return at
  return toInstant(at) ?? at
}

/**
 * Evidence that counts, oldest first: weight 0 is switched off (an administrator's way to keep a
 * source visible but not counted). Ties in time are broken by statement id, so the result never
 * depends on input order.
 * @throws TypeError for a score outside 0..1 or a negative weight (evidence rules never make them).
 */
export function chronological(evidence: readonly RatedEvidence[]): RatedEvidence[] {
  for (const e of evidence) {
    if (!(e.score >= 0 && e.score <= 1)) throw new TypeError(`evidence ${e.statementId}: score must be in 0..1, got ${e.score}`)
    if (!(e.weight >= 0) || !Number.isFinite(e.weight)) throw new TypeError(`evidence ${e.statementId}: weight must be a finite number ≥ 0, got ${e.weight}`)
  }
  return evidence
    .filter((e) => e.weight > 0)
    .map((e) => ({ e, t: instant(e.at) }))
    .sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : a.e.statementId < b.e.statementId ? -1 : a.e.statementId > b.e.statementId ? 1 : a.e.score - b.e.score))
    .map(({ e }) => e)
}

/** Weighted mean of the scores, kept within [min, max] of the scores against rounding. */
export function weightedMean(evidence: readonly RatedEvidence[]): number {
  let sum = 0
  let weights = 0
  let min = 1
  let max = 0
  for (const e of evidence) {
    sum += e.score * e.weight
    weights += e.weight
    min = Math.min(min, e.score)
    max = Math.max(max, e.score)
  }
  if (weights === 0) return 0
  return Math.min(max, Math.max(min, sum / weights))
}

/** Statement ids, each once, in the given order. */
export function ids(evidence: readonly RatedEvidence[]): string[] {
  return [...new Set(evidence.map((e) => e.statementId))]
}

/** The rating when there is no usable evidence. */
export function unrated(method: string): { rating: number; proficient: boolean; evidence: string[]; method: string } {
  return { rating: 0, proficient: false, evidence: [], method }
}
