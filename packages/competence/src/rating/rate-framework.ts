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

/**
 * A rating for every code of the framework.
 * @param evidence the learner's evidence per indicator code (voided evidence already removed);
 *   evidence for codes that are not indicators of the framework is ignored.
 */
export function rateFramework(framework: ValidatedFramework, evidence: ReadonlyMap<string, readonly RatedEvidence[]>, config: RatingConfig): Map<string, Rating> {
  const rate = ratingMethodFromConfig(config.method)
  const ratings = new Map<string, Rating>()
  for (const competence of framework.competences) {
    const subs: ChildRating[] = []
    for (const sub of competence.subCompetences) {
      const indicators: ChildRating[] = sub.indicators.map((indicator) => {
        const rating = rate(evidence.get(indicator.code) ?? [])
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
