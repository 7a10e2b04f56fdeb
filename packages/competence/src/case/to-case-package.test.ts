import { describe, expect, it } from 'vitest'
import { SMALL } from '../../test/fixtures/small-framework.ts'
import { validateFramework } from '../framework/validate-framework.ts'
import { PAUD_EDUCATOR_COMPETENCES } from '../seed/paud-competences.ts'
import { fromCasePackage } from './from-case-package.ts'
import { toCasePackage } from './to-case-package.ts'
import { uuidV5 } from './uuid-v5.ts'

const small = validateFramework(SMALL)

describe('toCasePackage (1EdTech CASE 1.0 CFPackage)', () => {
  const pkg = toCasePackage(small, { baseUri: 'https://tln.example/ims/case/v1p0/' })

  it('writes the CFDocument with the CASE 1.0 required fields (identifier, uri, creator, title, lastChangeDateTime)', () => {
    expect(pkg.CFDocument).toMatchObject({
      identifier: uuidV5('test-framework'),
      uri: `https://tln.example/ims/case/v1p0/CFDocuments/${uuidV5('test-framework')}`,
      creator: 'TLN tests',
      title: 'Kerangka uji',
      description: 'Test framework',
      language: 'id',
      version: '1.2.0',
      lastChangeDateTime: '2026-03-01T00:00:00.000Z',
      adoptionStatus: 'Draft',
    })
  })

  it('gives every node a CFItem with humanCodingScheme = code and an identifier derived from framework id + code', () => {
    const item = pkg.CFItems.find((i) => i.humanCodingScheme === 'PED.C.2')!
    expect(item).toMatchObject({
      identifier: uuidV5('test-framework#PED.C.2'),
      fullStatement: 'Membuat rancangan kegiatan bermain\nharian',
      alternativeLabel: 'Drafts play plans',
      CFItemType: 'Indicator',
      language: 'id',
      listEnumeration: '2',
      notes: 'TLN version: 1.0.0',
    })
    expect(pkg.CFItems.find((i) => i.humanCodingScheme === 'PED.C.1')!.notes).toMatch(/^TLN version: 1\.1\.0\nTLN verify: true/)
    expect(pkg.CFItems).toHaveLength(7)
  })

  it('links each node to its parent by isChildOf, competences to the CFDocument (CASE CFAssociation)', () => {
    const byOrigin = new Map(pkg.CFAssociations.map((a) => [a.originNodeURI.identifier, a]))
    expect(pkg.CFAssociations.every((a) => a.associationType === 'isChildOf')).toBe(true)
    expect(byOrigin.get(uuidV5('test-framework#PED'))!.destinationNodeURI.identifier).toBe(pkg.CFDocument.identifier)
    expect(byOrigin.get(uuidV5('test-framework#PED.C.2'))).toMatchObject({ sequenceNumber: 2, destinationNodeURI: { identifier: uuidV5('test-framework#PED.C'), title: 'Merancang kegiatan, "berdasarkan" kurikulum' } })
  })

  it('writes rubrics as CFRubrics whose criteria link the indicator CFItem', () => {
    const criterion = pkg.CFRubrics![0]!.CFRubricCriteria![0]!
    expect(criterion).toMatchObject({ category: 'kegiatan-bermain', weight: 2, CFItemURI: { identifier: uuidV5('test-framework#PED.C.2') } })
    expect(criterion.CFRubricCriterionLevels!.map((l) => [l.quality, l.score, l.position])).toEqual([['Kurang', 1, 1], ['Cukup', 2, 2], ['Baik', 3, 3], ['Sangat baik', 4, 4]])
  })

  it('is deterministic: the same framework gives the same JSON', () => {
    expect(JSON.stringify(toCasePackage(small, { baseUri: 'https://tln.example/ims/case/v1p0' }))).toBe(JSON.stringify(pkg))
  })

  it('uses urn:uuid URIs when no base URI is given', () => {
    const p = toCasePackage(small)
    expect(p.CFItems[0]!.uri).toBe(`urn:uuid:${p.CFItems[0]!.identifier}`)
  })

  it('refuses to invent a lastChangeDateTime (CASE requires one; "now" would not be deterministic)', () => {
    expect(() => toCasePackage(validateFramework(PAUD_EDUCATOR_COMPETENCES))).toThrow(TypeError)
  })
})

describe('CASE round trip', () => {
  it('fromCasePackage(toCasePackage(f)) gives f back', () => {
    expect(fromCasePackage(toCasePackage(small))).toEqual(SMALL)
  })

  it('round-trips the seed framework, verify flags included', () => {
    const seed = validateFramework(PAUD_EDUCATOR_COMPETENCES)
    const back = fromCasePackage(JSON.parse(JSON.stringify(toCasePackage(seed, { lastChangeDateTime: '2026-01-01T00:00:00Z' }))))
    expect(back).toEqual({ ...PAUD_EDUCATOR_COMPETENCES, lastChangeDateTime: '2026-01-01T00:00:00Z' })
  })
})
