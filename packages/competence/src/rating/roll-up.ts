/**
 * Roll-ups from children to their parent: indicator → sub-competence → competence (Moodle
 * competencies, parent rules "Complete when all children are complete" and "Complete when the
 * sum of points of completed children reaches the required points"; DOMAIN.md: parent rules "all
 * children" or "points"). Both return the same shape as the rating methods.
 */
import type { Rating } from './types.ts'

export interface ChildRating {
  readonly code: string
  readonly rating: Rating
}

function evidenceOf(children: readonly ChildRating[]): string[] {
  // A loop, not flatMap: the engine rolls up every changed learner's nodes on each page.
  const ids = new Set<string>()
  for (const child of children) for (const id of child.rating.evidence) ids.add(id)
  return [...ids]
}

/**
 * Proficient when every child is (Moodle: "Complete when all children are complete"); a parent
 * without children is not. The rating is the mean of the children's ratings, so progress shows
 * before the last child is done.
 */
export function allChildrenProficient(children: readonly ChildRating[]): Rating {
  const method = 'allChildrenProficient'
  if (children.length === 0) return { rating: 0, proficient: false, evidence: [], method }
  const rating = children.reduce((sum, c) => sum + c.rating.rating, 0) / children.length
  return { rating: Math.min(1, Math.max(0, rating)), proficient: children.every((c) => c.rating.proficient), evidence: evidenceOf(children), method }
}

export interface PointsChild extends ChildRating {
  /** Points the child is worth when proficient (Moodle default 1… the administrator sets them). */
  readonly points: number
  /** Moodle's "required": the parent cannot be complete without this child. */
  readonly required?: boolean
}

/**
 * Moodle's points rule: each proficient child earns its points; the parent is proficient when the
 * points earned reach `pointsRequired` and every required child is proficient. The rating is the
 * share of all points earned.
 */
export function points(children: readonly PointsChild[], pointsRequired: number): Rating {
  if (!Number.isFinite(pointsRequired) || pointsRequired < 0) throw new TypeError(`pointsRequired must be a finite number ≥ 0, got ${pointsRequired}`)
  for (const c of children) if (!Number.isFinite(c.points) || c.points < 0) throw new TypeError(`points of ${c.code} must be a finite number ≥ 0, got ${c.points}`)
  const method = `points(required=${pointsRequired})`
  const total = children.reduce((sum, c) => sum + c.points, 0)
  const earned = children.reduce((sum, c) => sum + (c.rating.proficient ? c.points : 0), 0)
  const requiredMet = children.every((c) => c.required !== true || c.rating.proficient)
  return {
    rating: total === 0 ? 0 : earned / total,
    proficient: children.length > 0 && earned >= pointsRequired && requiredMet,
    evidence: evidenceOf(children.filter((c) => c.rating.proficient)),
    method,
  }
}
