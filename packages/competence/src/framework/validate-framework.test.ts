import { describe, expect, it } from 'vitest'
import { SMALL } from '../../test/fixtures/small-framework.ts'
import { CompetenceError } from '../errors.ts'
import { validateFramework } from './validate-framework.ts'

function issuesOf(data: unknown): { path: string; rule: string }[] {
  try {
    validateFramework(data)
  } catch (error) {
    expect(error).toBeInstanceOf(CompetenceError)
    expect((error as CompetenceError).code).toBe('ERR_COMPETENCE_INVALID_FRAMEWORK')
    return (error as CompetenceError).issues.map(({ path, rule }) => ({ path, rule }))
  }
  return []
}

const clone = (): any => structuredClone(SMALL)

describe('validateFramework (DOMAIN.md, "Standards and structures")', () => {
  it('accepts a well-formed framework and returns it', () => {
    expect(validateFramework(SMALL)).toBe(SMALL)
  })

  it('rejects a code used twice (codes are stable identifiers)', () => {
    const f = clone()
    f.competences[0].subCompetences[0].indicators[1].code = 'PED.C.1'
    expect(issuesOf(f)).toEqual([
      { path: 'competences[0].subCompetences[0].indicators[1].code', rule: 'code-unique' },
      { path: 'rubrics[0].criteria[0].indicator', rule: 'indicator-exists' }, // PED.C.2 is gone
    ])
  })

  it("rejects a code that is not under its parent's code (PED.C.2 belongs under PED.C)", () => {
    const f = clone()
    f.competences[0].subCompetences[0].indicators[0].code = 'SOS.B.9'
    expect(issuesOf(f)).toEqual([{ path: 'competences[0].subCompetences[0].indicators[0].code', rule: 'code-under-parent' }])
  })

  it('rejects malformed codes', () => {
    const f = clone()
    f.competences[1].code = 'SOS B'
    expect(issuesOf(f)).toContainEqual({ path: 'competences[1].code', rule: 'code-format' })
  })

  it('requires semantic versions, and no node newer than its framework', () => {
    const f = clone()
    f.version = '1.2'
    f.competences[1].subCompetences[0].version = 'v1'
    expect(issuesOf(f)).toEqual([
      { path: 'version', rule: 'semver' },
      { path: 'competences[1].subCompetences[0].version', rule: 'semver' },
    ])
    const g = clone()
    g.competences[0].version = '2.0.0'
    expect(issuesOf(g)).toEqual([{ path: 'competences[0].version', rule: 'version-not-after-framework' }])
  })

  it('requires both the Indonesian and the English title', () => {
    const f = clone()
    f.competences[0].title = { id: 'Kompetensi Pedagogik' }
    f.title.id = ' '
    expect(issuesOf(f)).toEqual([{ path: 'title.id', rule: 'required' }, { path: 'competences[0].title.en', rule: 'required' }])
  })

  it('rejects unknown properties, so a typo cannot drop a level silently', () => {
    const f = clone()
    f.competences[1].subcompetences = f.competences[1].subCompetences
    delete f.competences[1].subCompetences
    expect(issuesOf(f)).toEqual([
      { path: 'competences[1].subcompetences', rule: 'unknown-property' },
      { path: 'competences[1].subCompetences', rule: 'required' },
    ])
  })

  it('requires rubric criteria to target an existing indicator (CASE CFRubricCriterion.CFItemURI)', () => {
    const f = clone()
    f.rubrics[0].criteria[0].indicator = 'PED.C'
    f.rubrics[0].criteria.push({ ...f.rubrics[0].criteria[0], id: 'x', indicator: 'NOPE.1' })
    expect(issuesOf(f)).toEqual([
      { path: 'rubrics[0].criteria[0].indicator', rule: 'criterion-targets-indicator' },
      { path: 'rubrics[0].criteria[1].indicator', rule: 'indicator-exists' },
    ])
  })

  it('reports every issue at once, with path and rule in the message', () => {
    const f = clone()
    f.id = ''
    f.source = ''
    f.competences[0].verify = 'yes'
    const issues = issuesOf(f)
    expect(issues.map((i) => i.rule)).toEqual(['required', 'required', 'boolean'])
    expect(() => validateFramework(f)).toThrow(/^id must be .*; and 2 more issues$/)
  })
})
