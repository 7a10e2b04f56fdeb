/**
 * Export of a framework as a 1EdTech CASE 1.0 CFPackage (DOMAIN.md, "Exchange formats": CASE for
 * frameworks and rubrics).
 *
 * Mapping (CASE 1.0 has one language per object and no extensions):
 * - CFDocument: `title` = Indonesian title, `description` = English title, `language` = `id`,
 *   `version`, `creator`, `adoptionStatus` = `Draft` while any title still needs verifying else
 *   `Adopted`, `notes` = the source citation + `TLN framework: <id>`.
 * - CFItem per node: `humanCodingScheme` = the code, `fullStatement` = Indonesian title,
 *   `alternativeLabel` = English title, `language` = `id`, `CFItemType` = `Competence` /
 *   `Sub-competence` / `Indicator`, `listEnumeration` = position among siblings, `notes` =
 *   `TLN version: …` (+ `TLN verify: …`).
 * - CFAssociation `isChildOf` from each node to its parent (competences to the CFDocument), with
 *   `sequenceNumber` = position.
 * - CFRubric per rubric, each criterion linked to its indicator's CFItem by `CFItemURI`,
 *   `category` = the criterion id.
 */
import type { NodeLevel, ValidatedFramework } from '../framework/types.ts'
import { flattenFramework } from '../framework/flatten-framework.ts'
import { caseIds, caseUri } from './case-ids.ts'
import { VERIFY_NOTE, withTlnLines } from './tln-lines.ts'
import type { CaseAssociation, CaseItem, CaseLinkUri, CasePackage, CaseRubric } from './types.ts'

export const CASE_ITEM_TYPES: Record<NodeLevel, string> = { competence: 'Competence', 'sub-competence': 'Sub-competence', indicator: 'Indicator' }

export interface ToCaseOptions {
  /** Where the framework is served, e.g. `https://tln.example/ims/case/v1p0`; else `urn:uuid:` URIs. */
  readonly baseUri?: string
  /** CASE `lastChangeDateTime` of every object; defaults to the framework's. */
  readonly lastChangeDateTime?: string
}

/**
 * The CFPackage of a framework, deterministic: the same framework and options give the same JSON.
 * @throws TypeError when neither the options nor the framework give a `lastChangeDateTime`
 *   (CASE 1.0 requires it on every object; inventing "now" would break determinism).
 */
export function toCasePackage(framework: ValidatedFramework, options: ToCaseOptions = {}): CasePackage {
  const changed = options.lastChangeDateTime ?? framework.lastChangeDateTime
  if (changed === undefined) throw new TypeError('toCasePackage needs a lastChangeDateTime (in the options or the framework)')
  const base = options.baseUri
  const docId = caseIds.document(framework.id)
  const nodes = flattenFramework(framework)
  const docLink: CaseLinkUri = { title: framework.title.id, identifier: docId, uri: caseUri(base, 'CFDocuments', docId) }
  const links = new Map<string, CaseLinkUri>()
  const items: CaseItem[] = nodes.map((node) => {
    const identifier = caseIds.item(framework.id, node.code)
    const uri = caseUri(base, 'CFItems', identifier)
    links.set(node.code, { title: node.title.id, identifier, uri })
    const notes = withTlnLines(undefined, { version: node.version, verify: node.verify ? VERIFY_NOTE : undefined })
    return {
      identifier,
      fullStatement: node.title.id,
      alternativeLabel: node.title.en,
      CFItemType: CASE_ITEM_TYPES[node.level],
      uri,
      humanCodingScheme: node.code,
      listEnumeration: String(node.position),
      ...(notes === undefined ? {} : { notes }),
      language: 'id',
      lastChangeDateTime: changed,
    }
  })
  const associations: CaseAssociation[] = nodes.map((node) => {
    const identifier = caseIds.childOf(framework.id, node.code)
    return {
      identifier,
      associationType: 'isChildOf',
      sequenceNumber: node.position,
      uri: caseUri(base, 'CFAssociations', identifier),
      originNodeURI: links.get(node.code)!,
      destinationNodeURI: node.parentCode === undefined ? docLink : links.get(node.parentCode)!,
      lastChangeDateTime: changed,
    }
  })
  const anyToVerify = nodes.some((n) => n.verify)
  const pkg: CasePackage = {
    CFDocument: {
      identifier: docId,
      uri: docLink.uri,
      creator: framework.creator ?? 'TLN',
      title: framework.title.id,
      lastChangeDateTime: changed,
      description: framework.title.en,
      language: 'id',
      version: framework.version,
      adoptionStatus: anyToVerify ? 'Draft' : 'Adopted',
      notes: withTlnLines(framework.source, { framework: framework.id })!,
    },
    CFItems: items,
    CFAssociations: associations,
  }
  if (framework.rubrics !== undefined && framework.rubrics.length > 0) pkg.CFRubrics = framework.rubrics.map((rubric) => toCaseRubric(framework, rubric, links, base, changed))
  return pkg
}

function toCaseRubric(framework: ValidatedFramework, rubric: NonNullable<ValidatedFramework['rubrics']>[number], links: ReadonlyMap<string, CaseLinkUri>, base: string | undefined, changed: string): CaseRubric {
  const rubricId = caseIds.rubric(framework.id, rubric.id)
  return {
    identifier: rubricId,
    uri: caseUri(base, 'CFRubrics', rubricId),
    title: rubric.title.id,
    description: withTlnLines(rubric.title.en, { rubric: rubric.id })!,
    lastChangeDateTime: changed,
    CFRubricCriteria: rubric.criteria.map((criterion, j) => {
      const criterionId = caseIds.criterion(framework.id, rubric.id, criterion.id)
      return {
        identifier: criterionId,
        uri: caseUri(base, 'CFRubricCriteria', criterionId),
        category: criterion.id,
        description: criterion.description,
        CFItemURI: links.get(criterion.indicator)!,
        ...(criterion.weight === undefined ? {} : { weight: criterion.weight }),
        position: j + 1,
        rubricId,
        lastChangeDateTime: changed,
        CFRubricCriterionLevels: criterion.levels.map((level, k) => {
          const levelId = caseIds.level(framework.id, rubric.id, criterion.id, k + 1)
          return { identifier: levelId, uri: caseUri(base, 'CFRubricCriterionLevels', levelId), quality: level.quality, score: level.score, position: k + 1, rubricCriterionId: criterionId, lastChangeDateTime: changed }
        }),
      }
    }),
  }
}
