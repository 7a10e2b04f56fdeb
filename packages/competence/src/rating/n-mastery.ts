/**
 * n Number of Times (Canvas outcomes "n Number of Times"): proficient once the learner has scored
 * at or above the threshold at least `n` times. The rating is then the average of those mastery
 * scores (Canvas leaves scores below mastery out); before that it is the average of all evidence
 * so far, and not proficient however high it is.
 */
import { checkThreshold, chronological, ids, reaches, unrated, weightedMean } from './evidence-order.ts'
import type { RatingMethod } from './types.ts'

export function nMastery(n: number, threshold: number): RatingMethod {
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`n must be a whole number ≥ 1, got ${n}`)
  checkThreshold(threshold)
  const method = `nMastery(n=${n},threshold=${threshold})`
  return (evidence) => {
    const used = chronological(evidence)
    if (used.length === 0) return unrated(method)
    const mastered = used.filter((e) => reaches(e.score, threshold))
    if (mastered.length >= n) return { rating: weightedMean(mastered), proficient: true, evidence: ids(mastered), method }
    return { rating: weightedMean(used), proficient: false, evidence: ids(used), method }
  }
}
