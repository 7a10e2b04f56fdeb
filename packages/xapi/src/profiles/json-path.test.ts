import { describe, expect, it } from 'vitest'
import { compileJsonPath, JsonPathSyntaxError } from './json-path.ts'

const statement = {
  verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
  result: { score: { scaled: 0.8 }, extensions: { 'https://x.example/ext': { a: 1 } } },
  context: { contextActivities: { category: [{ id: 'c1' }, { id: 'c2' }], grouping: [{ id: 'g1' }] } },
}

describe('JSONPath subset of xAPI Profiles 1.0 (Part Two, Statement Template Rules)', () => {
  it('selects a child by dotted name', () => {
    expect(compileJsonPath('$.verb.id').evaluate(statement)).toEqual(['http://adlnet.gov/expapi/verbs/passed'])
  })
  it('selects a child by a bracketed string, for extension IRIs', () => {
    expect(compileJsonPath("$.result.extensions['https://x.example/ext'].a").evaluate(statement)).toEqual([1])
  })
  it('selects every array member with [*]', () => {
    expect(compileJsonPath('$.context.contextActivities.category[*].id').evaluate(statement)).toEqual(['c1', 'c2'])
  })
  it('selects by a non-negative index', () => {
    expect(compileJsonPath('$.context.contextActivities.category[1].id').evaluate(statement)).toEqual(['c2'])
  })
  it('returns the union of a comma expression inside brackets', () => {
    expect(compileJsonPath("$.context.contextActivities['category','grouping'][*].id").evaluate(statement)).toEqual(['c1', 'c2', 'g1'])
  })
  it('returns the union of several paths joined with |', () => {
    expect(compileJsonPath('$.verb.id | $.result.score.scaled').evaluate(statement)).toEqual(['http://adlnet.gov/expapi/verbs/passed', 0.8])
  })
  it('returns nothing for a missing location', () => {
    expect(compileJsonPath('$.result.duration').evaluate(statement)).toEqual([])
  })
  it('rejects filter expressions ("Filter and script expressions MUST NOT be used")', () => {
    expect(() => compileJsonPath('$.context.contextActivities.category[?(@.id)]')).toThrow(JsonPathSyntaxError)
  })
  it('rejects recursive descent, which the allowed grammar lacks', () => {
    expect(() => compileJsonPath('$..id')).toThrow(JsonPathSyntaxError)
  })
  it('rejects a path that does not start at the root', () => {
    expect(() => compileJsonPath('verb.id')).toThrow(JsonPathSyntaxError)
  })
})
