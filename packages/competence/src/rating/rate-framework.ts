/**
 * Rates one learner on a whole framework: each indicator by the framework's rating method, each
 * sub-competence and competence by its roll-up rule (DOMAIN.md, "Turning evidence into
 * competence"). Pure: the aggregation engine calls it with the evidence it holds.
 */
import type { ValidatedFramework } from '../framework/types.ts'
import { ratingMethodFromConfig, type RatingConfig, type RollUpConfig } from './rating-config.ts'
import { allChildrenProficient, points, type ChildRating } from './roll-up.ts'
import type { RatedEvidence, Rating } from './types.ts'

function rollUp(config: RollUpConfig, parent: string, children: readonly ChildRating[]): Rating {
  if (config.rule === 'allChildrenProficient') return allChildrenProficient(children)
  const weighted = children.map((c) => ({ ...c, points: config.points?.[c.code] ?? 1, required: config.required?.includes(c.code) ?? false }))
  const required = config.pointsRequired?.[parent] ?? weighted.reduce((sum, c) => sum + c.points, 0)
  return points(weighted, required)
}

/** What the engine already knows when a page touched only some of a learner's indicators. */
export interface KnownRatings {
  /**
   * A node's rating as already stored from the same evidence and rules, or undefined if it has
   * none. Asked for the indicators without an entry in `evidence` and for the sub-competences none
   * of whose indicators has one: such a node cannot have changed, so it is taken as it is (and
   * left out of the result) and only the parents of what changed are rolled up again.
   */
  readonly stored?: (code: string) => Rating | undefined
  /**
   * The competences to rate; the others are left out of the result (a competence's ratings depend
   * on its own indicators only, so one whose indicators did not change keeps its stored ratings).
   */
  readonly competences?: ReadonlySet<string>
}

/**
 * A rating for every code of the framework; with `known`, for the codes it rated (those of
 * `known.competences`, but what `known.stored` gave).
 * @param evidence the learner's evidence per indicator code (voided evidence already removed);
 *   evidence for codes that are not indicators of the framework is ignored. An indicator with no
 *   entry here and no stored rating is rated from no evidence.
 */
export function rateFramework(framework: ValidatedFramework, evidence: ReadonlyMap<string, readonly RatedEvidence[]>, config: RatingConfig, known: KnownRatings = {}): Map<string, Rating> {
  const rate = ratingMethodFromConfig(config.method)
  const ratings = new Map<string, Rating>()
  for (const competence of framework.competences) {
    if (known.competences !== undefined && !known.competences.has(competence.code)) continue
    const subs: ChildRating[] = []
    for (const sub of competence.subCompetences) {
      const storedSub = known.stored !== undefined && !sub.indicators.some((i) => evidence.has(i.code)) ? known.stored(sub.code) : undefined
      if (storedSub !== undefined) {
        subs.push({ code: sub.code, rating: storedSub })
        continue
      }
      const indicators: ChildRating[] = sub.indicators.map((indicator) => {
        const given = evidence.get(indicator.code)
        const storedIndicator = given === undefined ? known.stored?.(indicator.code) : undefined
        if (storedIndicator !== undefined) return { code: indicator.code, rating: storedIndicator }
        const rating = rate(given ?? [])
        ratings.set(indicator.code, rating)
        return { code: indicator.code, rating }
      })
      const rating = rollUp(config.rollUp, sub.code, indicators)
      ratings.set(sub.code, rating)
      subs.push({ code: sub.code, rating })
    }
    ratings.set(competence.code, rollUp(config.rollUp, competence.code, subs))
  }
  return ratings
}
