import { describe, expect, it } from 'vitest'
import { CompetenceError } from '../errors.ts'
import { DEFAULT_COMPETENCE_CONFIG } from './default-config.ts'
import { validateCompetenceConfig } from './validate-config.ts'

function issuesOf(data: unknown): Array<{ path: string; rule: string }> {
  try {
    validateCompetenceConfig(data)
  } catch (error) {
    expect(error).toBeInstanceOf(CompetenceError)
    expect((error as CompetenceError).code).toBe('ERR_COMPETENCE_INVALID_CONFIG')
    return (error as CompetenceError).issues.map(({ path, rule }) => ({ path, rule }))
  }
  return []
}

describe('validateCompetenceConfig (STYLE.md rule 4: every issue with path and rule)', () => {
  it('accepts the default configuration', () => {
    expect(issuesOf(DEFAULT_COMPETENCE_CONFIG)).toEqual([])
  })

  it('reports framework, rule, rating and vocabulary issues at once, with paths from the config root', () => {
    const bad = {
      ...DEFAULT_COMPETENCE_CONFIG,
      framework: { ...DEFAULT_COMPETENCE_CONFIG.framework, version: 'one' },
      rules: [{ id: 'r', version: '1.0.0', indicator: '', match: { verb: 'v' }, source: 'observation', weight: 1 }],
      rating: { method: { method: 'decayingAverage', weight: 2 }, rollUp: { rule: 'most' } },
      program: { ...DEFAULT_COMPETENCE_CONFIG.program, tierType: '', quotas: { '52.02.01': -1 } },
    }
    expect(issuesOf(bad)).toEqual(expect.arrayContaining([
      { path: 'framework.version', rule: 'semver' },
      { path: 'rules[0].indicator', rule: 'required' },
      { path: 'rating.method', rule: 'range' },
      { path: 'rating.rollUp.rule', rule: 'enum' },
      { path: 'program.tierType', rule: 'required' },
      { path: 'program.quotas["52.02.01"]', rule: 'non-negative-integer' },
    ]))
  })

  it('checks rule indicators against the framework of the same config (indicator-exists)', () => {
    const bad = { ...DEFAULT_COMPETENCE_CONFIG, rules: [{ id: 'r', version: '1.0.0', indicator: 'PED.Z.9', match: { verb: 'v' }, source: 'observation', weight: 1 }] }
    expect(issuesOf(bad)).toEqual([{ path: 'rules[0].indicator', rule: 'indicator-exists' }])
  })

  it('rejects unknown properties at the root and in the vocabulary', () => {
    expect(issuesOf({ ...DEFAULT_COMPETENCE_CONFIG, extra: 1, program: { ...DEFAULT_COMPETENCE_CONFIG.program, tierTyp: 'x' } })).toEqual([
      { path: 'extra', rule: 'unknown-property' },
      { path: 'program.tierTyp', rule: 'unknown-property' },
    ])
  })
})
