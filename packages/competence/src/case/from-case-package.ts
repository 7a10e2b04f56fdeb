/**
 * Import of a 1EdTech CASE 1.0 CFPackage as a framework (DOMAIN.md, "Exchange formats"). Reads
 * what `toCasePackage` writes (see its mapping) and any CASE package whose items carry a
 * `humanCodingScheme` and hang under the document by `isChildOf` associations (at most three
 * levels). Every problem is reported with its path in the CASE JSON (`CFItems[4].humanCodingScheme`).
 *
 * Not imported: association types other than `isChildOf` (CASE `isPeerOf`, `exactMatchOf`, … have
 * no place in the TLN model yet), CFDefinitions.
 */
import { buildTree, originOf, type TreeInput } from '../framework/build-tree.ts'
import type { BilingualText, Framework, Rubric, RubricCriterion, ValidatedFramework } from '../framework/types.ts'
import { frameworkIssues } from '../framework/validate-framework.ts'
import { childPath, indexPath, isNonEmptyString, isObject, IssueList } from '../issue-list.ts'
import { isSemver } from '../semver.ts'
import { readTlnLines } from './tln-lines.ts'

interface ItemInfo {
  readonly index: number
  readonly code: string
  readonly title: BilingualText
  readonly version: string | undefined
  readonly verify: boolean
  readonly enFirst: boolean
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

/** Indonesian/English titles from one statement and its alternative, by the object's language. */
function bilingual(statement: string, alternative: string | undefined, language: string | undefined): { title: BilingualText; enFirst: boolean } {
  const enFirst = language !== undefined && /^en(?:-|$)/iu.test(language)
  // CASE 1.0 holds one language per object: without an alternative, both titles get the one text.
  const other = alternative !== undefined && alternative.trim() !== '' ? alternative : statement
  return { title: enFirst ? { id: other, en: statement } : { id: statement, en: other }, enFirst }
}

/**
 * Reads a CFPackage into a validated framework.
 * @throws CompetenceError `ERR_COMPETENCE_INVALID_CASE` with every issue, each naming its CASE path.
 */
export function fromCasePackage(json: unknown): ValidatedFramework {
  const issues = new IssueList()
  if (!isObject(json)) {
    issues.add('', 'required', 'must be a CASE CFPackage object')
    issues.throwIfAny('ERR_COMPETENCE_INVALID_CASE')
  }
  const pkg = json as Record<string, unknown>
  const doc = pkg['CFDocument']
  if (!isObject(doc)) {
    issues.add('CFDocument', 'required', 'must be an object (CASE 1.0: a CFPackage holds one CFDocument)')
    issues.throwIfAny('ERR_COMPETENCE_INVALID_CASE')
  }
  const document = doc as Record<string, unknown>
  for (const key of ['identifier', 'title', 'lastChangeDateTime'] as const) {
    if (!isNonEmptyString(document[key])) issues.add(childPath('CFDocument', key), 'required', 'must be a non-empty string (required by CASE 1.0)')
  }
  if (!isSemver(document['version'])) issues.add('CFDocument.version', 'semver', 'must be a semantic version such as 1.0.0 (TLN versions every framework)')
  const items = Array.isArray(pkg['CFItems']) ? pkg['CFItems'] : []
  if (!Array.isArray(pkg['CFItems'])) issues.add('CFItems', 'required', 'must be an array')
  const associations = Array.isArray(pkg['CFAssociations']) ? pkg['CFAssociations'] : []
  if (!Array.isArray(pkg['CFAssociations'])) issues.add('CFAssociations', 'required', 'must be an array')

  const docLanguage = str(document['language'])
  const docId = str(document['identifier'])
  const byIdentifier = new Map<string, ItemInfo>()
  items.forEach((item, i) => {
    const path = indexPath('CFItems', i)
    if (!isObject(item)) return issues.add(path, 'required', 'must be an object (a CFItem)')
    const identifier = item['identifier']
    const code = item['humanCodingScheme']
    const statement = item['fullStatement']
    if (!isNonEmptyString(identifier)) issues.add(childPath(path, 'identifier'), 'required', 'must be a non-empty string (required by CASE 1.0)')
    else if (byIdentifier.has(identifier) || identifier === docId) issues.add(childPath(path, 'identifier'), 'identifier-unique', `repeats the identifier ${identifier}`)
    if (!isNonEmptyString(code)) issues.add(childPath(path, 'humanCodingScheme'), 'required', 'must be a non-empty string: TLN identifies nodes by their code')
    if (!isNonEmptyString(statement)) issues.add(childPath(path, 'fullStatement'), 'required', 'must be a non-empty string (required by CASE 1.0)')
    if (!isNonEmptyString(identifier) || !isNonEmptyString(code) || !isNonEmptyString(statement) || byIdentifier.has(identifier)) return
    const { entries } = readTlnLines(str(item['notes']))
    const { title, enFirst } = bilingual(statement, str(item['alternativeLabel']), str(item['language']) ?? docLanguage)
    byIdentifier.set(identifier, { index: i, code, title, version: entries.version, verify: entries.verify !== undefined && /^true\b/u.test(entries.verify), enFirst })
  })

  const parentOf = new Map<string, { parent: string | undefined; order: number; path: string }>()
  associations.forEach((association, i) => {
    const path = indexPath('CFAssociations', i)
    if (!isObject(association) || association['associationType'] !== 'isChildOf') return
    const origin = isObject(association['originNodeURI']) ? str(association['originNodeURI']['identifier']) : undefined
    const destination = isObject(association['destinationNodeURI']) ? str(association['destinationNodeURI']['identifier']) : undefined
    if (origin === undefined || !byIdentifier.has(origin)) return issues.add(`${path}.originNodeURI.identifier`, 'origin-exists', 'must be the identifier of a CFItem of this package')
    if (destination === undefined || (destination !== docId && !byIdentifier.has(destination))) return issues.add(`${path}.destinationNodeURI.identifier`, 'parent-exists', 'must be the identifier of the CFDocument or of a CFItem of this package')
    if (parentOf.has(origin)) return issues.add(path, 'single-parent', `gives CFItems[${byIdentifier.get(origin)!.index}] a second parent; a TLN framework is a tree`)
    const sequence = association['sequenceNumber']
    parentOf.set(origin, { parent: destination === docId ? undefined : byIdentifier.get(destination)!.code, order: typeof sequence === 'number' ? sequence : Number.MAX_SAFE_INTEGER, path })
  })

  const version = str(document['version'])
  const inputs: TreeInput<number>[] = []
  const unplaced = new Set<string>()
  for (const [identifier, info] of byIdentifier) {
    const placed = parentOf.get(identifier)
    if (placed === undefined) {
      issues.add(indexPath('CFItems', info.index), 'parent-required', 'is not the origin of any isChildOf association; every item must hang under the CFDocument or another item')
      unplaced.add(info.code)
      continue
    }
    inputs.push({ code: info.code, parentCode: placed.parent, title: info.title, version: info.version ?? version ?? '', verify: info.verify, order: placed.order, origin: info.index })
  }
  const tree = buildTree(inputs)
  const parentCodeOf = new Map(inputs.map((input) => [input.origin, input.parentCode]))
  for (const p of tree.problems) {
    // The children of an item already reported as unplaced are not reported again.
    if (p.rule === 'parent-exists' && unplaced.has(parentCodeOf.get(p.origin) ?? '')) continue
    issues.add(indexPath('CFItems', p.origin), p.rule, p.requirement)
  }

  const docNotes = readTlnLines(str(document['notes']))
  const docTitle = bilingual(str(document['title']) ?? '', str(document['description']), docLanguage).title
  const enFirst = new Map([...byIdentifier.values()].map((info) => [info.index, info.enFirst]))
  const rubrics = readRubrics(pkg['CFRubrics'], byIdentifier, issues)
  const framework: Framework = {
    id: docNotes.entries.framework ?? docId ?? '',
    title: docTitle,
    version: version ?? '',
    source: docNotes.text ?? str(document['officialSourceURL']) ?? str(document['title']) ?? '',
    ...(isNonEmptyString(document['creator']) ? { creator: document['creator'] } : {}),
    ...(isNonEmptyString(document['lastChangeDateTime']) ? { lastChangeDateTime: document['lastChangeDateTime'] } : {}),
    competences: tree.competences,
    ...(rubrics === undefined ? {} : { rubrics }),
  }
  if (issues.empty) {
    for (const issue of frameworkIssues(framework)) {
      const path = casePath(issue.path, tree.origins, (index) => enFirst.get(index) ?? false)
      issues.add(path, issue.rule, issue.message.slice(issue.path.length + 1))
    }
  }
  issues.throwIfAny('ERR_COMPETENCE_INVALID_CASE')
  return framework as ValidatedFramework
}

/** The CASE field a framework field was read from. */
function casePath(path: string, origins: ReadonlyMap<string, number>, enFirst: (index: number) => boolean): string {
  const node = originOf(origins, path)
  if (node !== undefined) {
    const en = enFirst(node.origin)
    const fields: Record<string, string> = { code: 'humanCodingScheme', 'title.id': en ? 'alternativeLabel' : 'fullStatement', 'title.en': en ? 'fullStatement' : 'alternativeLabel', version: 'notes', verify: 'notes' }
    const field = fields[node.field]
    return `CFItems[${node.origin}]${field === undefined ? (node.field === '' ? '' : `.${node.field}`) : `.${field}`}`
  }
  const header: Record<string, string> = { id: 'CFDocument.notes', 'title.id': 'CFDocument.title', 'title.en': 'CFDocument.description', version: 'CFDocument.version', source: 'CFDocument.notes', creator: 'CFDocument.creator', lastChangeDateTime: 'CFDocument.lastChangeDateTime' }
  if (header[path] !== undefined) return header[path]
  return path
    .replace(/^rubrics\[/u, 'CFRubrics[')
    .replace(/\.criteria\[/u, '.CFRubricCriteria[')
    .replace(/\.levels\[/u, '.CFRubricCriterionLevels[')
    .replace(/\.indicator$/u, '.CFItemURI')
}

function readRubrics(value: unknown, items: ReadonlyMap<string, ItemInfo>, issues: IssueList): Rubric[] | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value)) {
    issues.add('CFRubrics', 'array', 'must be an array when present')
    return undefined
  }
  return value.flatMap((rubric, i): Rubric[] => {
    const path = indexPath('CFRubrics', i)
    if (!isObject(rubric)) {
      issues.add(path, 'required', 'must be an object (a CFRubric)')
      return []
    }
    const description = readTlnLines(str(rubric['description']))
    const title = str(rubric['title']) ?? ''
    const criteria = Array.isArray(rubric['CFRubricCriteria']) ? rubric['CFRubricCriteria'] : []
    return [{
      id: description.entries.rubric ?? str(rubric['identifier']) ?? '',
      title: { id: title, en: description.text ?? title },
      criteria: criteria.map((criterion, j): RubricCriterion => {
        const cPath = `${path}.CFRubricCriteria[${j}]`
        const c = isObject(criterion) ? criterion : {}
        const link = isObject(c['CFItemURI']) ? str(c['CFItemURI']['identifier']) : undefined
        const indicator = link === undefined ? undefined : items.get(link)?.code
        if (indicator === undefined) issues.add(`${cPath}.CFItemURI`, 'indicator-exists', 'must link to a CFItem of this package (the indicator the criterion evidences)')
        const levels = Array.isArray(c['CFRubricCriterionLevels']) ? c['CFRubricCriterionLevels'] : []
        const weight = c['weight']
        return {
          id: str(c['category']) ?? str(c['identifier']) ?? '',
          indicator: indicator ?? '',
          description: str(c['description']) ?? '',
          ...(typeof weight === 'number' ? { weight } : {}),
          levels: [...levels]
            .map((level, k) => ({ level: isObject(level) ? level : {}, k }))
            .sort((a, b) => (Number(a.level['position'] ?? a.k) - Number(b.level['position'] ?? b.k)))
            .map(({ level }) => ({ quality: str(level['quality']) ?? str(level['description']) ?? '', score: typeof level['score'] === 'number' ? level['score'] : Number.NaN })),
        }
      }),
    }]
  })
}
