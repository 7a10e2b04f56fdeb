/**
 * Evidence rules are an administrator's data: validated once at the boundary (STYLE.md rule 4),
 * every issue reported with its path and rule.
 */
import type { ValidatedFramework } from '../framework/types.ts'
import { flattenFramework } from '../framework/flatten-framework.ts'
import { childPath, indexPath, isNonEmptyString, isObject, IssueList } from '../issue-list.ts'
import { isSemver } from '../semver.ts'
import type { EvidenceRule } from './types.ts'

const MATCH_STRINGS = ['verb', 'activity', 'activityType', 'activityIdPrefix', 'within', 'category', 'rubricCriterion'] as const
const RULE_KEYS = new Set(['id', 'version', 'indicator', 'match', 'result', 'source', 'weight', 'rubric'])

/**
 * Checks a list of evidence rules: ids and semantic versions, an indicator of `framework` (when
 * given), a `match` that names at least one condition (a rule matching every statement is a
 * mistake), result conditions of the right types, a non-negative weight, and rubric settings when
 * a rubric criterion is matched. The same id may appear more than once (aligned templates) but
 * always with one version.
 *
 * @throws CompetenceError `ERR_COMPETENCE_INVALID_RULE`.
 */
export function validateEvidenceRules(data: unknown, framework?: ValidatedFramework): EvidenceRule[] {
  const issues = new IssueList()
  const indicators = framework === undefined ? undefined : new Set(flattenFramework(framework).filter((n) => n.level === 'indicator').map((n) => n.code))
  const versions = new Map<string, string>()
  if (!Array.isArray(data)) {
    issues.add('', 'array', 'must be an array of evidence rules')
    issues.throwIfAny('ERR_COMPETENCE_INVALID_RULE')
  }
  ;(data as unknown[]).forEach((rule, i) => {
    const path = indexPath('', i)
    if (!isObject(rule)) return issues.add(path, 'required', 'must be an object (an evidence rule)')
    for (const key of Object.keys(rule)) if (!RULE_KEYS.has(key)) issues.add(childPath(path, key), 'unknown-property', 'is not a property of an evidence rule')
    const id = rule['id']
    if (!isNonEmptyString(id)) issues.add(childPath(path, 'id'), 'required', 'must be a non-empty string')
    if (!isSemver(rule['version'])) issues.add(childPath(path, 'version'), 'semver', 'must be a semantic version such as 1.0.0 (evidence records id@version)')
    else if (isNonEmptyString(id)) {
      const seen = versions.get(id)
      if (seen !== undefined && seen !== rule['version']) issues.add(childPath(path, 'version'), 'one-version-per-id', `differs from version ${seen} given for ${id} earlier; one rule id has one version at a time`)
      versions.set(id, rule['version'])
    }
    const indicator = rule['indicator']
    if (!isNonEmptyString(indicator)) issues.add(childPath(path, 'indicator'), 'required', 'must be an indicator code')
    else if (indicators !== undefined && !indicators.has(indicator)) issues.add(childPath(path, 'indicator'), 'indicator-exists', `must be an indicator of framework ${framework!.id}`)
    const match = rule['match']
    const mPath = childPath(path, 'match')
    if (!isObject(match)) issues.add(mPath, 'required', 'must be an object')
    else {
      let conditions = 0
      for (const key of Object.keys(match)) {
        if ((MATCH_STRINGS as readonly string[]).includes(key)) {
          conditions++
          if (!isNonEmptyString(match[key])) issues.add(childPath(mPath, key), 'string', 'must be a non-empty string')
        } else if (key === 'registration') {
          conditions++
          if (typeof match[key] !== 'boolean') issues.add(childPath(mPath, key), 'boolean', 'must be true or false')
        } else issues.add(childPath(mPath, key), 'unknown-property', `is not a match condition (known: ${[...MATCH_STRINGS, 'registration'].join(', ')})`)
      }
      if (conditions === 0) issues.add(mPath, 'match-not-empty', 'must name at least one condition; a rule matching every statement is a mistake')
      if (match['rubricCriterion'] !== undefined) {
        const rubric = rule['rubric']
        if (!isObject(rubric) || !isNonEmptyString(rubric['extension']) || typeof rubric['maxLevel'] !== 'number' || !(rubric['maxLevel'] > 0)) {
          issues.add(childPath(path, 'rubric'), 'required', 'must give the rubric-levels `extension` IRI and a `maxLevel` > 0 when match.rubricCriterion is set')
        }
      }
    }
    const result = rule['result']
    if (result !== undefined) {
      const rPath = childPath(path, 'result')
      if (!isObject(result)) issues.add(rPath, 'object', 'must be an object when present')
      else {
        for (const key of Object.keys(result)) if (!['minScaled', 'success', 'completion'].includes(key)) issues.add(childPath(rPath, key), 'unknown-property', 'is not a result condition (known: minScaled, success, completion)')
        const min = result['minScaled']
        if (min !== undefined && (typeof min !== 'number' || !(min >= 0 && min <= 1))) issues.add(childPath(rPath, 'minScaled'), 'range', 'must be a number in 0..1')
        for (const key of ['success', 'completion']) if (result[key] !== undefined && typeof result[key] !== 'boolean') issues.add(childPath(rPath, key), 'boolean', 'must be true or false')
      }
    }
    if (!isNonEmptyString(rule['source'])) issues.add(childPath(path, 'source'), 'required', 'must name the kind of source (facilitator-rubric, observation, e-training-test, mentoring, self-report, …)')
    const weight = rule['weight']
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) issues.add(childPath(path, 'weight'), 'non-negative', 'must be a finite number ≥ 0')
  })
  issues.throwIfAny('ERR_COMPETENCE_INVALID_RULE')
  return data as EvidenceRule[]
}
