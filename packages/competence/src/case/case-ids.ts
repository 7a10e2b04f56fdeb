/**
 * Stable CASE identifiers and URIs of a framework's objects: UUID v5 of the framework id and the
 * node code (DOMAIN.md: stable codes; CASE 1.0: identifiers are globally unique), so exporting the
 * same framework again gives the same identifiers, and another framework never collides.
 */
import { uuidV5 } from './uuid-v5.ts'

export const caseIds = {
  document: (frameworkId: string): string => uuidV5(`${frameworkId}`),
  item: (frameworkId: string, code: string): string => uuidV5(`${frameworkId}#${code}`),
  childOf: (frameworkId: string, code: string): string => uuidV5(`${frameworkId}#${code}#isChildOf`),
  rubric: (frameworkId: string, rubricId: string): string => uuidV5(`${frameworkId}#rubric:${rubricId}`),
  criterion: (frameworkId: string, rubricId: string, criterionId: string): string => uuidV5(`${frameworkId}#rubric:${rubricId}#criterion:${criterionId}`),
  level: (frameworkId: string, rubricId: string, criterionId: string, position: number): string =>
    uuidV5(`${frameworkId}#rubric:${rubricId}#criterion:${criterionId}#level:${position}`),
}

/** The CASE REST collection each object lives in (CASE 1.0 REST binding, `/ims/case/v1p0/…`). */
export type CaseCollection = 'CFDocuments' | 'CFItems' | 'CFAssociations' | 'CFRubrics' | 'CFRubricCriteria' | 'CFRubricCriterionLevels'

/**
 * The `uri` of an object: `<baseUri>/<collection>/<identifier>` when the framework is served (e.g.
 * `https://tln.example/ims/case/v1p0`), else `urn:uuid:<identifier>` (a valid URI, not resolvable).
 */
export function caseUri(baseUri: string | undefined, collection: CaseCollection, identifier: string): string {
  return baseUri === undefined ? `urn:uuid:${identifier}` : `${baseUri.replace(/\/+$/u, '')}/${collection}/${identifier}`
}
