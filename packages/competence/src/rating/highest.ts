/** Highest score (Canvas outcomes "Highest Score"): the best evidence so far. */
import { checkThreshold, chronological, DEFAULT_THRESHOLD, reaches, unrated } from './evidence-order.ts'
import type { RatingMethod } from './types.ts'

export function highest(options: { threshold?: number } = {}): RatingMethod {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD
  checkThreshold(threshold)
  const method = `highest(threshold=${threshold})`
  return (evidence) => {
    // Among equal scores the earliest wins: when the learner first showed it.
    const best = chronological(evidence).reduce<(typeof evidence)[number] | undefined>((b, e) => (b === undefined || e.score > b.score ? e : b), undefined)
    if (best === undefined) return unrated(method)
    return { rating: best.score, proficient: reaches(best.score, threshold), evidence: [best.statementId], method }
  }
}
