/**
 * Performance tasks (DOMAIN.md "Entities": PerformanceTask → Submission → Grade). Plain values;
 * storage is `task-store.ts`, HTTP is `router.ts`.
 */

import type { SniffedType } from './sniff.ts'

export type TaskType = 'PROTA' | 'PROMES' | 'RPPM' | 'RPPH' | 'MEDIA' | 'BLOG' | 'ARTICLE'

export interface Text { readonly id: string; readonly en: string }

/** One level of a criterion: its label (Bahasa Indonesia and English) and the points it is worth. */
export interface RubricLevel {
  readonly label: Text
  readonly points: number
}

/**
 * A rubric criterion. `code` is its key in the rubric-levels result extension (stable); `indicator`
 * the competence indicator it evidences (e.g. `PED.C.2`, Permendikbud 137/2014 Lampiran II).
 */
export interface RubricCriterion {
  readonly code: string
  readonly indicator: string
  readonly title: Text
  readonly weight: number
  /** Lowest first. */
  readonly levels: readonly RubricLevel[]
}

export interface Rubric {
  readonly criteria: readonly RubricCriterion[]
}

export interface PerformanceTask {
  readonly id: string
  readonly tenantId: string
  /** The catalogue item id (`task-rpph`): stable, it travels to the LMS. */
  readonly key: string
  readonly taskType: TaskType
  readonly title: Text
  readonly description: Text
  readonly dueAt?: Date
  /** Scaled score from which an accepted submission counts as passed; default 0.75. */
  readonly passThreshold: number
  readonly rubric: Rubric
  /** The version of `rubric`: a version that graded a submission is never changed in place. */
  readonly rubricVersion: number
  /** The org node whose teachers the task is for (kecamatan, district, school); undefined = the whole tenant. */
  readonly nodeId?: string
  /** Media types a submission may have (a subset of what the type takes); undefined = all the type takes. */
  readonly acceptedTypes?: readonly SniffedType[]
  /** Largest file in bytes; undefined = 10 MB. */
  readonly maxBytes?: number
}

export type AssignmentStatus = 'not_submitted' | 'submitted' | 'returned' | 'accepted'

/** Whether a task takes a URL (blog, article) or a file or photo. */
export function takesUrl(type: TaskType): boolean {
  return type === 'BLOG' || type === 'ARTICLE'
}

/** Checks a rubric (data an administrator may edit): a caller's mistake is a `TypeError`. */
export function checkRubric(rubric: Rubric): Rubric {
  if (rubric.criteria.length === 0) throw new TypeError('a rubric needs at least one criterion')
  const codes = new Set<string>()
  for (const c of rubric.criteria) {
    if (!/^[a-z0-9][a-z0-9-]*$/u.test(c.code)) throw new TypeError(`criterion code ${c.code} must be lowercase letters, digits and dashes`)
    if (codes.has(c.code)) throw new TypeError(`criterion code ${c.code} appears twice`)
    codes.add(c.code)
    if (!(Number.isFinite(c.weight) && c.weight > 0)) throw new TypeError(`criterion ${c.code}: weight must be > 0`)
    if (c.levels.length < 2) throw new TypeError(`criterion ${c.code}: at least two levels`)
    if (c.levels.some((l) => !(Number.isFinite(l.points) && l.points >= 0))) throw new TypeError(`criterion ${c.code}: points must be ≥ 0`)
    if (new Set(c.levels.map((l) => l.points)).size !== c.levels.length) throw new TypeError(`criterion ${c.code}: levels must have distinct points`)
  }
  return rubric
}
