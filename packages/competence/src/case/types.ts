/**
 * 1EdTech CASE 1.0 (Competencies and Academic Standards Exchange) JSON binding: the package form,
 * field names as the CASE 1.0 information model spells them (CFPackage, CFDocument, CFItems,
 * CFAssociations, CFRubrics). Only what TLN reads or writes is typed; CASE 1.0 has no
 * `extensions` (they arrive in 1.1), so TLN's extra data rides in standard fields (see
 * `to-case-package.ts`).
 */

/** CASE LinkURI: a reference to another CASE object. */
export interface CaseLinkUri {
  title: string
  identifier: string
  uri: string
}

/** CASE CFPckgDocument (the CFDocument inside a CFPackage). */
export interface CaseDocument {
  identifier: string
  uri: string
  creator: string
  title: string
  lastChangeDateTime: string
  officialSourceURL?: string
  publisher?: string
  description?: string
  subject?: string[]
  language?: string
  version?: string
  adoptionStatus?: string
  notes?: string
}

/** CASE CFPckgItem. */
export interface CaseItem {
  identifier: string
  fullStatement: string
  alternativeLabel?: string
  CFItemType?: string
  uri: string
  humanCodingScheme?: string
  listEnumeration?: string
  abbreviatedStatement?: string
  notes?: string
  language?: string
  lastChangeDateTime: string
}

/** CASE 1.0 association types (extensible; TLN writes and reads `isChildOf`). */
export type CaseAssociationType =
  | 'isChildOf' | 'isPeerOf' | 'isPartOf' | 'exactMatchOf' | 'precedes' | 'isRelatedTo' | 'replacedBy' | 'exemplar' | 'hasSkillLevel'

/** CASE CFPckgAssociation. */
export interface CaseAssociation {
  identifier: string
  associationType: CaseAssociationType | string
  sequenceNumber?: number
  uri: string
  originNodeURI: CaseLinkUri
  destinationNodeURI: CaseLinkUri
  lastChangeDateTime: string
}

export interface CaseRubricCriterionLevel {
  identifier: string
  uri: string
  description?: string
  quality?: string
  score?: number
  feedback?: string
  position?: number
  rubricCriterionId?: string
  lastChangeDateTime: string
}

export interface CaseRubricCriterion {
  identifier: string
  uri: string
  category?: string
  description?: string
  CFItemURI?: CaseLinkUri
  weight?: number
  position?: number
  rubricId?: string
  lastChangeDateTime: string
  CFRubricCriterionLevels?: CaseRubricCriterionLevel[]
}

export interface CaseRubric {
  identifier: string
  uri: string
  title?: string
  description?: string
  lastChangeDateTime: string
  CFRubricCriteria?: CaseRubricCriterion[]
}

/** CASE CFPackage: the root CFDocument with all of its items, associations and rubrics. */
export interface CasePackage {
  CFDocument: CaseDocument
  CFItems: CaseItem[]
  CFAssociations: CaseAssociation[]
  CFRubrics?: CaseRubric[]
}
