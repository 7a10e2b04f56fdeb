/**
 * Average (Canvas outcomes "Average"), weighted by each piece of evidence's weight; with equal
 * weights it is Canvas's plain mean.
 */
import { checkThreshold, chronological, DEFAULT_THRESHOLD, ids, reaches, unrated, weightedMean } from './evidence-order.ts'
import type { RatingMethod } from './types.ts'

export function average(options: { threshold?: number } = {}): RatingMethod {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD
  checkThreshold(threshold)
  const method = `average(threshold=${threshold})`
  return (evidence) => {
    const used = chronological(evidence)
    if (used.length === 0) return unrated(method)
    const rating = weightedMean(used)
    return { rating, proficient: reaches(rating, threshold), evidence: ids(used), method }
  }
}
