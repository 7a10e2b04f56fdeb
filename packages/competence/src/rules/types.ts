/**
 * Evidence rules (DOMAIN.md, Entities: "EvidenceRule (which statements count for which indicator,
 * weight)"; issue 6: "An administrator maps statements to indicators: by verb, activity or
 * activity type, rubric criterion, result threshold, with a weight per source").
 */
import type { EvidenceSource } from '../rating/types.ts'

/** Which statements a rule applies to. Every field present must hold (AND); absent fields match anything. */
export interface EvidenceMatch {
  /** `verb.id`, exactly. */
  readonly verb?: string
  /** The object Activity's `id`, exactly. */
  readonly activity?: string
  /** The object Activity's `definition.type`, exactly. */
  readonly activityType?: string
  /** The object Activity's `id` starts with this. */
  readonly activityIdPrefix?: string
  /**
   * The object Activity, or any `contextActivities.parent` or `grouping` Activity, has this id:
   * a Moodle course aligns its quizzes and modules (logstore_xapi puts the course in `grouping`).
   */
  readonly within?: string
  /** Some `contextActivities.category` Activity has this id (e.g. the cmi5 category). */
  readonly category?: string
  /** `true`: the statement must carry `context.registration` (cmi5 statements always do). */
  readonly registration?: boolean
  /**
   * A rubric criterion id: the statement's rubric-levels result extension must hold a numeric level
   * for it, and the evidence score is that level scaled (see `EvidenceRule.rubric`).
   */
  readonly rubricCriterion?: string
}

/** Conditions on `result`. */
export interface EvidenceResultCondition {
  /** The evidence score (scaled 0..1) must be at least this. */
  readonly minScaled?: number
  /** `result.success` must equal this. */
  readonly success?: boolean
  /** `result.completion` must equal this. */
  readonly completion?: boolean
}

/** How rubric levels are read when `match.rubricCriterion` is set. */
export interface RubricLevels {
  /** Result extension IRI holding `{ "<criterion id>": <level> }`. */
  readonly extension: string
  /** The top level: a level is scaled as level ÷ maxLevel (as the task's scaled score is raw ÷ max). */
  readonly maxLevel: number
}

export interface EvidenceRule {
  readonly id: string
  /** Semantic version; evidence records `id@version`. Change it whenever the rule's meaning changes. */
  readonly version: string
  /** Code of the indicator the evidence counts for. */
  readonly indicator: string
  readonly match: EvidenceMatch
  readonly result?: EvidenceResultCondition
  readonly source: EvidenceSource
  /** Weight of the evidence (0 = recorded but not counted). */
  readonly weight: number
  readonly rubric?: RubricLevels
}

/**
 * A rule without an indicator: what counts from a source (default rules ship this way), made a
 * rule by aligning it to activities and indicators (`alignRules`).
 */
export type EvidenceRuleTemplate = Omit<EvidenceRule, 'indicator'>
