/**
 * Evidence and ratings (DOMAIN.md, "Turning evidence into competence": UserCompetency (rating,
 * proficient, rule version) ← Evidence (append-only, each pointing at a statement)).
 */

/**
 * Where a piece of evidence comes from (DOMAIN.md: "a weight per source (facilitator rubric,
 * observation, e-training test, mentoring, self-report)"). Open: rules may name other kinds, such
 * as `e-training-completion`.
 */
export type EvidenceSource = 'facilitator-rubric' | 'observation' | 'e-training-test' | 'mentoring' | 'self-report' | (string & {})

/** One statement counting for one indicator, as an evidence rule read it. */
export interface Evidence {
  /** The statement the evidence points at (voiding it retracts the evidence). */
  readonly statementId: string
  /** Whose evidence: the IFI key of the statement's actor (`ifiKey` of @tln/xapi). */
  readonly learner: string
  /** Code of the indicator, e.g. `PED.C.2`. */
  readonly indicator: string
  readonly source: EvidenceSource
  /** Score scaled to 0..1. */
  readonly score: number
  /** When it happened: the statement's `timestamp` as a canonical UTC instant. */
  readonly at: string
  /** Relative weight of this evidence (0 switches it off). */
  readonly weight: number
  /** The rule that produced it, `id@version` (DOMAIN.md: every rating records the rule version). */
  readonly rule: string
}

/** What the rating methods read of a piece of evidence. */
export type RatedEvidence = Pick<Evidence, 'statementId' | 'source' | 'score' | 'at' | 'weight'>

/** A rating of one indicator (or, rolled up, of a sub-competence or competence). */
export interface Rating {
  /** 0..1; 0 with no evidence. */
  readonly rating: number
  readonly proficient: boolean
  /** Statement ids of the evidence the rating used, oldest first, each once. */
  readonly evidence: readonly string[]
  /** The method and parameters that produced it, e.g. `decayingAverage(weight=0.65,threshold=0.75)`. */
  readonly method: string
}

/** A rating method: evidence of one learner for one indicator in, a rating out. Pure. */
export type RatingMethod = (evidence: readonly RatedEvidence[]) => Rating
