/**
 * Decaying average (Canvas outcomes "Decaying Average": "splits the total percentage between the
 * most recent assessment item and an average of all prior assessment items"; Canvas's default is
 * 65/35): rating = latest × weight + (weighted) average of the rest × (1 − weight). With one piece
 * of evidence the rating is its score.
 */
import { checkThreshold, chronological, DEFAULT_THRESHOLD, ids, reaches, unrated, weightedMean } from './evidence-order.ts'
import type { RatingMethod } from './types.ts'

export function decayingAverage(weight: number, options: { threshold?: number } = {}): RatingMethod {
  checkThreshold(weight, 'weight')
  const threshold = options.threshold ?? DEFAULT_THRESHOLD
  checkThreshold(threshold)
  const method = `decayingAverage(weight=${weight},threshold=${threshold})`
  return (evidence) => {
    const used = chronological(evidence)
    const last = used.at(-1)
    if (last === undefined) return unrated(method)
    const rest = used.slice(0, -1)
    const raw = rest.length === 0 ? last.score : last.score * weight + weightedMean(rest) * (1 - weight)
    // Keep within the scores seen, against rounding.
    const scores = used.map((e) => e.score)
    const rating = Math.min(Math.max(...scores), Math.max(Math.min(...scores), raw))
    return { rating, proficient: reaches(rating, threshold), evidence: ids(used), method }
  }
}
