import { describe, expect, it } from 'vitest'
import { checkRule, checkStatementAgainstProfile, validateAgainstTemplate } from './statement-template.ts'
import type { Profile, StatementTemplate } from './types.ts'

const TASK = 'http://id.tincanapi.com/activitytype/school-assignment'
const PROFILE_TYPE = 'http://adlnet.gov/expapi/activities/profile'
const template: StatementTemplate = {
  id: 'https://p.example/templates/scored', type: 'StatementTemplate', inScheme: 'https://p.example/v1',
  prefLabel: { en: 'scored' }, definition: { en: 'a task scored' },
  verb: 'http://adlnet.gov/expapi/verbs/scored', objectActivityType: TASK, contextCategoryActivityType: [PROFILE_TYPE],
  rules: [{ location: '$.result.score.scaled', presence: 'included' }],
}
const scored = () => ({
  actor: { mbox: 'mailto:a@example.org' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/scored' },
  object: { id: 'https://t.example/task/1', definition: { type: TASK } },
  result: { score: { scaled: 0.5 } },
  context: { contextActivities: { category: { id: 'https://p.example/v1', definition: { type: PROFILE_TYPE } } } },
})

describe('Statement Template validation (xAPI Profiles 1.0, Part Two §Statement Templates, Part Three)', () => {
  it('a statement with every determining property and following the rules has no issue', () => {
    expect(validateAgainstTemplate(template, scored())).toEqual([])
  })
  it('normalises a singleton context activity to an array before checking context activity types', () => {
    expect(validateAgainstTemplate(template, scored()).filter((i) => i.rule === 'determining-property')).toEqual([])
  })
  it('reports a missing determining property (verb)', () => {
    const s = { ...scored(), verb: { id: 'http://adlnet.gov/expapi/verbs/passed' } }
    expect(validateAgainstTemplate(template, s).map((i) => i.location)).toContain('verb')
  })
  it('reports a missing determining property (objectActivityType)', () => {
    const s = { ...scored(), object: { id: 'https://t.example/x', definition: { type: 'https://other.example/type' } } }
    expect(validateAgainstTemplate(template, s).map((i) => i.location)).toContain('objectActivityType')
  })
  it('presence included: fails when the location selects nothing', () => {
    const { result: _omit, ...s } = scored()
    expect(checkRule('t', { location: '$.result.score.scaled', presence: 'included' }, s)?.rule).toBe('presence')
  })
  it('presence excluded: fails when the location selects a value', () => {
    expect(checkRule('t', { location: '$.result.score', presence: 'excluded' }, scored())?.rule).toBe('presence')
  })
  it('presence recommended: any/all/none apply only when the location is non-empty', () => {
    const { result: _omit, ...s } = scored()
    expect(checkRule('t', { location: '$.result.success', presence: 'recommended', all: [true] }, s)).toBeUndefined()
    expect(checkRule('t', { location: '$.result.score.scaled', presence: 'recommended', all: [1] }, scored())?.rule).toBe('all')
  })
  it('any: holds when one returned value is one of the listed values', () => {
    expect(checkRule('t', { location: '$.result.score.scaled', any: [0.5, 1] }, scored())).toBeUndefined()
    expect(checkRule('t', { location: '$.result.score.scaled', any: [1] }, scored())?.rule).toBe('any')
  })
  it('all: every returned value must be one of the listed values', () => {
    const s = { ...scored(), context: { contextActivities: { category: [{ id: 'a' }, { id: 'b' }] } } }
    expect(checkRule('t', { location: '$.context.contextActivities.category[*].id', all: ['a', 'b'] }, s)).toBeUndefined()
    expect(checkRule('t', { location: '$.context.contextActivities.category[*].id', all: ['a'] }, s)?.rule).toBe('all')
  })
  it('none: no returned value may be one of the listed values', () => {
    expect(checkRule('t', { location: '$.verb.id', none: ['http://adlnet.gov/expapi/verbs/scored'] }, scored())?.rule).toBe('none')
  })
  it('selector: a location member where the selector finds nothing is unmatchable, so included fails', () => {
    const s = { ...scored(), context: { contextActivities: { category: [{ id: 'a' }, { objectType: 'Activity' }] } } }
    expect(checkRule('t', { location: '$.context.contextActivities.category[*]', selector: '$.id', presence: 'included' }, s)?.rule).toBe('presence')
  })
  it('values compare by deep equality (objects and numbers, not only strings)', () => {
    expect(checkRule('t', { location: '$.result.score', any: [{ scaled: 0.5 }] }, scored())).toBeUndefined()
  })
  it('objectStatementRefTemplate: the object must be a StatementRef', () => {
    const refTemplate: StatementTemplate = { ...template, objectActivityType: undefined, objectStatementRefTemplate: [template.id], rules: [] }
    expect(validateAgainstTemplate(refTemplate, scored()).map((i) => i.rule)).toContain('statement-ref')
  })
  it('a profile check applies only the templates whose determining properties the statement has', () => {
    const other: StatementTemplate = { ...template, id: 'https://p.example/templates/passed', verb: 'http://adlnet.gov/expapi/verbs/passed', rules: [{ location: '$.result.success', presence: 'included' }] }
    const profile = { templates: [template, other], versions: [{ id: 'https://p.example/v1', generatedAtTime: '2026-01-01T00:00:00Z' }] } as unknown as Profile
    expect(checkStatementAgainstProfile(profile, scored())).toEqual({ templates: [template.id], issues: [] })
  })
})
