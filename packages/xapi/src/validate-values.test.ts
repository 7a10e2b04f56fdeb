import { describe, expect, it } from 'vitest'
import { IssueList } from './issue-list.ts'
import { closeObject, readIri, readIrl, readLanguageMap } from './validate-values.ts'

// The readers build issue paths only when there is an issue (issue 7: most values have none).
// These tests pin the paths, rules and sections they report, so that the lazy paths stay right.

const issuesOf = (read: (list: IssueList) => unknown) => {
  const list = new IssueList('1.0.3')
  const value = read(list)
  return { value, issues: list.issues.map(({ path, rule, message }) => ({ path, rule, message })) }
}

describe('value readers (xAPI 1.0.3 Data 2.2, 4.2, 4.3)', () => {
  it('reads an absolute IRI and records nothing (xAPI 1.0.3 Data 4.3)', () => {
    expect(issuesOf((list) => readIri({ id: 'http://example.com/a' }, 'id', 'verb', list, { section: '2.4.3' }))).toEqual({ value: 'http://example.com/a', issues: [] })
  })
  it('rejects an IRI without a scheme, naming the path, rule and section (xAPI 1.0.3 Data 2.2.s4.b1.b8)', () => {
    expect(issuesOf((list) => readIri({ id: 'example.com/a' }, 'id', 'verb', list, { section: '2.4.3' }))).toEqual({
      value: undefined,
      issues: [{ path: 'verb.id', rule: 'iri', message: 'verb.id must be an absolute IRI (xAPI 1.0.3 Data 2.4.3)' }],
    })
  })
  it('rejects an IRL that a URL parser cannot resolve (xAPI 1.0.3 Data 4.3)', () => {
    expect(issuesOf((list) => readIrl({ homePage: 'http://' }, 'homePage', 'actor.account', list, { section: '2.4.2.2' })).issues).toEqual([
      { path: 'actor.account.homePage', rule: 'irl', message: 'actor.account.homePage must be an absolute IRL (xAPI 1.0.3 Data 2.4.2.2)' },
    ])
  })
  it('reports a required IRI that is missing as required, not as a format issue (xAPI 1.0.3 Data 2.4.3)', () => {
    expect(issuesOf((list) => readIri({}, 'id', 'verb', list, { section: '2.4.3', required: true })).issues.map((i) => i.rule)).toEqual(['required'])
  })
  it('rejects unknown properties and null values with the path of each key (xAPI 1.0.3 Data 2.2.s4.b1.b7, 2.2.s4.b1.b1)', () => {
    const { issues } = issuesOf((list) => closeObject({ id: 'x', 'not allowed': 1, display: null }, ['id', 'display'], 'verb', list))
    expect(issues.map(({ path, rule }) => ({ path, rule }))).toEqual([
      { path: 'verb["not allowed"]', rule: 'unknown-property' },
      { path: 'verb.display', rule: 'not-null' },
    ])
  })
  it('rejects a language map entry with a bad tag or a non-string value at the entry path (xAPI 1.0.3 Data 4.2)', () => {
    const { issues } = issuesOf((list) => readLanguageMap({ display: { 'en-US': 'ok', 'not a tag': 'x', de: 1 } }, 'display', 'verb', list, { section: '2.4.3' }))
    expect(issues.map(({ path, rule }) => ({ path, rule }))).toEqual([
      { path: 'verb.display["not a tag"]', rule: 'language-tag' },
      { path: 'verb.display.de', rule: 'type' },
    ])
  })
  it('rejects an empty language map at the map path (xAPI 1.0.3 Data 4.2)', () => {
    expect(issuesOf((list) => readLanguageMap({ display: {} }, 'display', 'verb', list, { section: '2.4.3' })).issues.map(({ path, rule }) => ({ path, rule }))).toEqual([
      { path: 'verb.display', rule: 'language-map-empty' },
    ])
  })
})
