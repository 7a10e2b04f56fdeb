/**
 * Rating methods and roll-ups as data, chosen per framework by an administrator (DOMAIN.md:
 * "Rules are per framework, chosen by an administrator, and every rating records the rule version
 * that produced it"), and the one place that turns such data into functions.
 */
import { CompetenceError } from '../errors.ts'
import { average } from './average.ts'
import { decayingAverage } from './decaying-average.ts'
import { highest } from './highest.ts'
import { latest } from './latest.ts'
import { nMastery } from './n-mastery.ts'
import type { RatingMethod } from './types.ts'
import { weightedTriangulation } from './weighted-triangulation.ts'

export type RatingMethodConfig =
  | { readonly method: 'latest'; readonly threshold?: number }
  | { readonly method: 'highest'; readonly threshold?: number }
  | { readonly method: 'average'; readonly threshold?: number }
  | { readonly method: 'decayingAverage'; readonly weight: number; readonly threshold?: number }
  | { readonly method: 'nMastery'; readonly n: number; readonly threshold: number }
  | { readonly method: 'weightedTriangulation'; readonly threshold?: number; readonly minSourceKinds?: number }

export type RollUpConfig =
  | { readonly rule: 'allChildrenProficient' }
  | {
      readonly rule: 'points'
      /** Points per child code; a child not listed is worth 1. */
      readonly points?: Readonly<Record<string, number>>
      /** Codes of children the parent cannot be proficient without. */
      readonly required?: readonly string[]
      /** Points required per parent code; a parent not listed needs all its children's points. */
      readonly pointsRequired?: Readonly<Record<string, number>>
    }

/** What a framework's administrator chooses. */
export interface RatingConfig {
  readonly method: RatingMethodConfig
  readonly rollUp: RollUpConfig
}

/**
 * The rating method a configuration names.
 * @throws CompetenceError `ERR_COMPETENCE_INVALID_RULE` for an unknown method or parameters out of
 *   range (the configuration is an administrator's data, not a programming mistake).
 */
export function ratingMethodFromConfig(config: RatingMethodConfig): RatingMethod {
  try {
    switch (config.method) {
      case 'latest': return latest(config)
      case 'highest': return highest(config)
      case 'average': return average(config)
      case 'decayingAverage': return decayingAverage(config.weight, config)
      case 'nMastery': return nMastery(config.n, config.threshold)
      case 'weightedTriangulation': return weightedTriangulation(config)
    }
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    throw new CompetenceError('ERR_COMPETENCE_INVALID_RULE', `method: ${error.message}`, [{ path: 'method', rule: 'range', message: `method ${error.message}` }])
  }
  const unknown = (config as { method?: unknown }).method
  throw new CompetenceError('ERR_COMPETENCE_INVALID_RULE', `method.method ${JSON.stringify(unknown)} is not a rating method`, [
    { path: 'method.method', rule: 'enum', message: 'method.method must be latest, highest, average, decayingAverage, nMastery or weightedTriangulation' },
  ])
}
