/**
 * Weighted evidence with triangulation (DOMAIN.md: "weighted evidence with triangulation (e.g.
 * proficient at ≥ 0.75 with evidence from at least two kinds of source)"): the rating is the mean
 * of all evidence weighted by its weight (so a facilitator's rubric can count more than a
 * self-report), and proficiency needs both the threshold and evidence from at least
 * `minSourceKinds` different sources, so no single kind of evidence suffices on its own.
 */
import { checkThreshold, chronological, ids, reaches, unrated, weightedMean } from './evidence-order.ts'
import type { RatingMethod } from './types.ts'

export function weightedTriangulation(options: { threshold?: number; minSourceKinds?: number } = {}): RatingMethod {
  const threshold = options.threshold ?? 0.75
  const minSourceKinds = options.minSourceKinds ?? 2
  checkThreshold(threshold)
  if (!Number.isInteger(minSourceKinds) || minSourceKinds < 1) throw new TypeError(`minSourceKinds must be a whole number ≥ 1, got ${minSourceKinds}`)
  const method = `weightedTriangulation(threshold=${threshold},minSourceKinds=${minSourceKinds})`
  return (evidence) => {
    const used = chronological(evidence)
    if (used.length === 0) return unrated(method)
    const rating = weightedMean(used)
    const kinds = new Set(used.map((e) => e.source)).size
    return { rating, proficient: reaches(rating, threshold) && kinds >= minSourceKinds, evidence: ids(used), method }
  }
}
