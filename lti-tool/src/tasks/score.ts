import type { Rubric } from './types.ts'

/** A facilitator's choice: points of the chosen level per criterion code. */
export type RubricLevels = Readonly<Record<string, number>>

export interface RubricScore {
  /** 0..1, the weighted mean of each criterion's points ÷ its top points. */
  readonly scaled: number
  /** Out of 100, two decimals (the LMS line item's scoreMaximum is 100). */
  readonly raw: number
  readonly passed: boolean
}

/**
 * The score of a rubric grading: Σ wᵢ·(pointsᵢ ÷ maxᵢ) ÷ Σ wᵢ, scaled 0..1, raw out of 100.
 * Every criterion must have a level that exists in it.
 * @throws TypeError for a missing or unknown level (the router validates user input first)
 */
export function rubricScore(rubric: Rubric, levels: RubricLevels, passThreshold: number): RubricScore {
  let sum = 0
  let weights = 0
  for (const c of rubric.criteria) {
    const points = levels[c.code]
    if (points === undefined || !c.levels.some((l) => l.points === points)) throw new TypeError(`criterion ${c.code} has no valid level`)
    const max = Math.max(...c.levels.map((l) => l.points))
    sum += c.weight * (max === 0 ? 0 : points / max)
    weights += c.weight
  }
  const scaled = Math.round((sum / weights) * 10_000) / 10_000
  return { scaled, raw: Math.round(scaled * 10_000) / 100, passed: scaled >= passThreshold }
}

/** Reads `level.<code>` form fields into levels; undefined entries for criteria left blank. */
export function levelsFromForm(rubric: Rubric, body: Record<string, unknown>): { levels: Record<string, number>; missing: string[] } {
  const levels: Record<string, number> = {}
  const missing: string[] = []
  for (const c of rubric.criteria) {
    const raw = body[`level.${c.code}`]
    const points = typeof raw === 'string' && /^\d+(\.\d+)?$/u.test(raw) ? Number(raw) : undefined
    if (points !== undefined && c.levels.some((l) => l.points === points)) levels[c.code] = points
    else missing.push(c.code)
  }
  return { levels, missing }
}
