/**
 * A competence framework as data (DOMAIN.md, "Standards and structures": four competences, each
 * with lettered sub-competences and numbered indicators, stable codes such as `PED.C.2`, the
 * framework versioned). Frameworks are seed data an administrator can correct, never code.
 */

/** A title in Bahasa Indonesia (`id`, the language of the regulation) and English (`en`). */
export interface BilingualText {
  readonly id: string
  readonly en: string
}

/** The three levels below a framework, top-down. */
export type NodeLevel = 'competence' | 'sub-competence' | 'indicator'

/** What every competence, sub-competence and indicator has. */
export interface FrameworkNode {
  /** Stable code: `PED`, `PED.C`, `PED.C.2`. A child's code is its parent's code, a dot, a segment. */
  readonly code: string
  readonly title: BilingualText
  /** The framework version in which this node last changed (semantic version). */
  readonly version: string
  /**
   * True when the Indonesian title is not yet checked against the source (DOMAIN.md: facts marked
   * *(verify)* are kept as data so an administrator can correct them).
   */
  readonly verify?: boolean
}

export type Indicator = FrameworkNode

export interface SubCompetence extends FrameworkNode {
  readonly indicators: readonly Indicator[]
}

export interface Competence extends FrameworkNode {
  readonly subCompetences: readonly SubCompetence[]
}

/** One level of a rubric criterion: a quality label and the points it is worth. */
export interface RubricLevel {
  readonly quality: string
  readonly score: number
}

/**
 * A rubric criterion aligned to one indicator (1EdTech CASE 1.0 CFRubricCriterion with its
 * `CFItemURI`): the facilitator's level on this criterion is evidence for that indicator.
 */
export interface RubricCriterion {
  /** The key the TLN tool uses for this criterion in the rubric-levels result extension. */
  readonly id: string
  /** Code of the indicator this criterion evidences. */
  readonly indicator: string
  readonly description: string
  readonly weight?: number
  readonly levels: readonly RubricLevel[]
}

/** A rubric of performance tasks (CASE 1.0 CFRubric). */
export interface Rubric {
  readonly id: string
  readonly title: BilingualText
  readonly criteria: readonly RubricCriterion[]
}

export interface Framework {
  /** Stable identifier, e.g. `permendikbud-137-2014-guru-paud`; CASE identifiers derive from it. */
  readonly id: string
  readonly title: BilingualText
  /** Semantic version of the framework. */
  readonly version: string
  /** Citation of the regulation or document the framework comes from. */
  readonly source: string
  /** The body that promulgates the framework (CASE `creator`). */
  readonly creator?: string
  /** When the framework data last changed (ISO 8601; CASE `lastChangeDateTime`). */
  readonly lastChangeDateTime?: string
  readonly competences: readonly Competence[]
  readonly rubrics?: readonly Rubric[]
}

/**
 * A framework that passed `validateFramework` (STYLE.md rule 4: what passes gets a type that says
 * so). Exports and the rating of a framework take only this type.
 */
export type ValidatedFramework = Framework & { readonly __validatedFramework: unique symbol }

/** A node with its place in the tree, as CSV rows and CASE items list them. */
export interface FlatNode {
  readonly code: string
  readonly parentCode: string | undefined
  readonly level: NodeLevel
  readonly title: BilingualText
  readonly version: string
  readonly verify: boolean
  /** 1-based position among its siblings. */
  readonly position: number
}
