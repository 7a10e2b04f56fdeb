/**
 * Most recent score (Canvas outcomes "Most Recent Score"; Moodle competencies: the latest rating
 * wins). Recency is the evidence time (`at`, the statement's timestamp), not arrival order, so a
 * late statement about an old event does not override newer evidence.
 */
import { checkThreshold, chronological, DEFAULT_THRESHOLD, reaches, unrated } from './evidence-order.ts'
import type { RatingMethod } from './types.ts'

export function latest(options: { threshold?: number } = {}): RatingMethod {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD
  checkThreshold(threshold)
  const method = `latest(threshold=${threshold})`
  return (evidence) => {
    const last = chronological(evidence).at(-1)
    if (last === undefined) return unrated(method)
    return { rating: last.score, proficient: reaches(last.score, threshold), evidence: [last.statementId], method }
  }
}
