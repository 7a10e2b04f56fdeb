import { describe, expect, it } from 'vitest'
import { SMALL } from '../../test/fixtures/small-framework.ts'
import { CompetenceError } from '../errors.ts'
import { validateFramework } from '../framework/validate-framework.ts'
import { alignRules } from './align-rules.ts'
import { DEFAULT_RULE_TEMPLATES } from './default-rules.ts'
import { rubricRules } from './rubric-rules.ts'
import { validateEvidenceRules } from './validate-evidence-rules.ts'

const f = validateFramework(SMALL)

function issuesOf(data: unknown): { path: string; rule: string }[] {
  try {
    validateEvidenceRules(data, f)
  } catch (error) {
    expect((error as CompetenceError).code).toBe('ERR_COMPETENCE_INVALID_RULE')
    return (error as CompetenceError).issues.map(({ path, rule }) => ({ path, rule }))
  }
  return []
}

describe('validateEvidenceRules (every rule has a version; DOMAIN.md)', () => {
  it('accepts the default templates aligned to indicators, and rubric rules', () => {
    const rules = [...rubricRules(f), ...alignRules(DEFAULT_RULE_TEMPLATES, [{ activity: 'https://x/course/1', indicators: ['PED.C.1', 'SOS.B.2'] }])]
    expect(validateEvidenceRules(rules, f)).toBe(rules)
  })

  it('requires a semantic version, an indicator of the framework, a non-empty match and a non-negative weight', () => {
    expect(issuesOf([{ id: 'r', version: '1', indicator: 'PED.C', match: {}, source: 'observation', weight: -1 }])).toEqual([
      { path: '[0].version', rule: 'semver' },
      { path: '[0].indicator', rule: 'indicator-exists' },
      { path: '[0].match', rule: 'match-not-empty' },
      { path: '[0].weight', rule: 'non-negative' },
    ])
  })

  it('rejects one id with two versions, unknown match conditions and a rubric match without rubric settings', () => {
    const rule = { id: 'r', version: '1.0.0', indicator: 'PED.C.1', match: { verb: 'http://adlnet.gov/expapi/verbs/scored' }, source: 'observation', weight: 1 }
    expect(issuesOf([rule, { ...rule, version: '1.1.0', match: { verbs: 'x', rubricCriterion: 'k' }, result: { minScaled: 2 } }])).toEqual([
      { path: '[1].version', rule: 'one-version-per-id' },
      { path: '[1].match.verbs', rule: 'unknown-property' },
      { path: '[1].rubric', rule: 'required' },
      { path: '[1].result.minScaled', rule: 'range' },
    ])
  })
})
