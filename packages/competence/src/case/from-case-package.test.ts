import { describe, expect, it } from 'vitest'
import { SMALL } from '../../test/fixtures/small-framework.ts'
import { CompetenceError } from '../errors.ts'
import { validateFramework } from '../framework/validate-framework.ts'
import { fromCasePackage } from './from-case-package.ts'
import { toCasePackage } from './to-case-package.ts'

const pkg = (): any => JSON.parse(JSON.stringify(toCasePackage(validateFramework(SMALL))))

function issuesOf(json: unknown): { path: string; rule: string }[] {
  try {
    fromCasePackage(json)
  } catch (error) {
    expect((error as CompetenceError).code).toBe('ERR_COMPETENCE_INVALID_CASE')
    return (error as CompetenceError).issues.map(({ path, rule }) => ({ path, rule }))
  }
  return []
}

describe('fromCasePackage (1EdTech CASE 1.0)', () => {
  it('requires a CFDocument (CASE: a CFPackage holds one)', () => {
    expect(issuesOf({ CFItems: [] })).toEqual([{ path: 'CFDocument', rule: 'required' }])
    expect(issuesOf(null)).toEqual([{ path: '$', rule: 'required' }])
  })

  it('requires humanCodingScheme on every item, naming the CASE path', () => {
    const p = pkg()
    delete p.CFItems[3].humanCodingScheme
    expect(issuesOf(p)).toEqual([
      { path: 'CFItems[3].humanCodingScheme', rule: 'required' },
      { path: 'CFAssociations[3].originNodeURI.identifier', rule: 'origin-exists' },
      { path: 'CFRubrics[0].CFRubricCriteria[0].CFItemURI', rule: 'indicator-exists' }, // the item it linked is unreadable
    ])
  })

  it('reports an isChildOf whose destination is neither the document nor an item', () => {
    const p = pkg()
    p.CFAssociations[1].destinationNodeURI.identifier = '00000000-0000-5000-8000-000000000000'
    expect(issuesOf(p)).toEqual([{ path: 'CFAssociations[1].destinationNodeURI.identifier', rule: 'parent-exists' }, { path: 'CFItems[1]', rule: 'parent-required' }])
  })

  it('reports a second parent: a TLN framework is a tree', () => {
    const p = pkg()
    p.CFAssociations.push({ ...p.CFAssociations[2], identifier: 'x' })
    expect(issuesOf(p)).toEqual([{ path: 'CFAssociations[7]', rule: 'single-parent' }])
  })

  it('reports nesting deeper than three levels', () => {
    const p = pkg()
    const indicator = p.CFItems[3]
    p.CFItems.push({ ...indicator, identifier: 'deep', humanCodingScheme: 'PED.C.2.a' })
    p.CFAssociations.push({ ...p.CFAssociations[3], identifier: 'deep-a', originNodeURI: { ...indicator, identifier: 'deep' }, destinationNodeURI: { title: 'x', identifier: indicator.identifier, uri: indicator.uri } })
    expect(issuesOf(p)).toEqual([{ path: 'CFItems[7]', rule: 'depth' }])
  })

  it('translates framework rules to CASE paths (duplicate code → CFItems[i].humanCodingScheme)', () => {
    const p = pkg()
    p.CFItems[3].humanCodingScheme = 'PED.C.1'
    const issues = issuesOf(p)
    expect(issues).toContainEqual({ path: 'CFItems[3].humanCodingScheme', rule: 'code-unique' })
  })

  it('requires a semantic version on the CFDocument', () => {
    const p = pkg()
    p.CFDocument.version = '2014'
    expect(issuesOf(p)).toEqual([{ path: 'CFDocument.version', rule: 'semver' }])
  })

  it('reads a foreign package: items ordered by sequenceNumber, versions from the document, English-language statements', () => {
    const doc = { identifier: 'd0000000-0000-4000-8000-000000000000', uri: 'urn:x:d', creator: 'Someone', title: 'Framework', language: 'en', version: '2.0.0', lastChangeDateTime: '2020-01-01T00:00:00Z' }
    const item = (id: string, code: string, text: string) => ({ identifier: id, uri: `urn:x:${id}`, fullStatement: text, humanCodingScheme: code, lastChangeDateTime: doc.lastChangeDateTime })
    const link = (id: string) => ({ title: id, identifier: id, uri: `urn:x:${id}` })
    const childOf = (id: string, origin: string, dest: string, seq: number) => ({ identifier: id, uri: `urn:x:${id}`, associationType: 'isChildOf', sequenceNumber: seq, originNodeURI: link(origin), destinationNodeURI: link(dest), lastChangeDateTime: doc.lastChangeDateTime })
    const f = fromCasePackage({
      CFDocument: doc,
      CFItems: [item('b', 'B', 'Second'), item('a', 'A', 'First'), item('a1', 'A.1', 'Sub'), item('a11', 'A.1.1', 'Indicator')],
      CFAssociations: [childOf('1', 'b', doc.identifier, 2), childOf('2', 'a', doc.identifier, 1), childOf('3', 'a1', 'a', 1), childOf('4', 'a11', 'a1', 1), { ...childOf('5', 'a', 'b', 1), associationType: 'isRelatedTo' }],
    })
    expect(f.id).toBe(doc.identifier)
    expect(f.competences.map((c) => c.code)).toEqual(['A', 'B'])
    expect(f.competences[0]!.subCompetences[0]!.indicators[0]).toEqual({ code: 'A.1.1', version: '2.0.0', title: { id: 'Indicator', en: 'Indicator' } })
  })
})
