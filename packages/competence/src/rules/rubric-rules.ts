/**
 * Rules from a framework's rubrics: a facilitator's level on each criterion is evidence for the
 * criterion's indicator (DOMAIN.md: facilitator grade = `scored` on the task with "rubric levels
 * in a result extension"; CASE 1.0 CFRubricCriterion `CFItemURI` names the indicator).
 */
import type { ValidatedFramework } from '../framework/types.ts'
import { ACTIVITY_TYPES, TLN_RUBRIC_LEVELS_EXTENSION, VERBS } from './default-rules.ts'
import type { EvidenceRule } from './types.ts'

export interface RubricRuleOptions {
  readonly extension?: string
  readonly weight?: number
}

/**
 * One rule per rubric criterion: `scored` on a TLN task with a level for the criterion. The level
 * is scaled by the criterion's top level score. Rule id `tln-rubric:<rubric>:<criterion>`, version
 * = the framework version (a criterion changes only with its framework).
 */
export function rubricRules(framework: ValidatedFramework, options: RubricRuleOptions = {}): EvidenceRule[] {
  return (framework.rubrics ?? []).flatMap((rubric) =>
    rubric.criteria.map((criterion) => ({
      id: `tln-rubric:${rubric.id}:${criterion.id}`,
      version: framework.version,
      indicator: criterion.indicator,
      match: { verb: VERBS.scored, activityType: ACTIVITY_TYPES.task, rubricCriterion: criterion.id },
      source: 'facilitator-rubric',
      weight: options.weight ?? criterion.weight ?? 1,
      rubric: { extension: options.extension ?? TLN_RUBRIC_LEVELS_EXTENSION, maxLevel: Math.max(...criterion.levels.map((l) => l.score)) },
    })),
  )
}
