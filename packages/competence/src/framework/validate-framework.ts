/**
 * Framework validation (DOMAIN.md, "Standards and structures": stable codes such as `PED.C.2`, a
 * versioned framework). Validated once at the boundary (STYLE.md rule 4); every broken rule is
 * reported at once, each with its path and rule name.
 */
import { isTimestamp } from '@tln/xapi'
import { CompetenceError, type CompetenceIssue } from '../errors.ts'
import { childPath, indexPath, isNonEmptyString, isObject, IssueList } from '../issue-list.ts'
import { compareSemver, isSemver } from '../semver.ts'
import type { NodeLevel, ValidatedFramework } from './types.ts'

/** A code segment: letters, digits, `_` or `-`; segments joined by dots (`PED.C.2`). */
const CODE = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/u

const FRAMEWORK_KEYS = new Set(['id', 'title', 'version', 'source', 'creator', 'lastChangeDateTime', 'competences', 'rubrics'])
const CHILDREN: Record<NodeLevel, string | undefined> = { competence: 'subCompetences', 'sub-competence': 'indicators', indicator: undefined }
const NEXT: Record<NodeLevel, NodeLevel | undefined> = { competence: 'sub-competence', 'sub-competence': 'indicator', indicator: undefined }

function checkUnknown(value: Record<string, unknown>, allowed: ReadonlySet<string>, path: string, issues: IssueList): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) issues.add(childPath(path, key), 'unknown-property', `is not a property of this object (allowed: ${[...allowed].join(', ')})`)
  }
}

function checkText(value: unknown, path: string, issues: IssueList): void {
  if (!isObject(value)) {
    issues.add(path, 'required', 'must be an object with an Indonesian `id` and an English `en` title')
    return
  }
  checkUnknown(value, new Set(['id', 'en']), path, issues)
  for (const lang of ['id', 'en'] as const) {
    if (!isNonEmptyString(value[lang])) issues.add(childPath(path, lang), 'required', `must be a non-empty string (the ${lang === 'id' ? 'Indonesian' : 'English'} title)`)
  }
}

function checkVersion(value: unknown, path: string, frameworkVersion: string | undefined, issues: IssueList): void {
  if (!isSemver(value)) {
    issues.add(path, 'semver', 'must be a semantic version such as 1.0.0 (semver.org)')
    return
  }
  if (frameworkVersion !== undefined && compareSemver(value, frameworkVersion) > 0) {
    issues.add(path, 'version-not-after-framework', `must not be later than the framework version ${frameworkVersion} (a node's version is the framework version in which it last changed)`)
  }
}

interface Walk {
  readonly issues: IssueList
  readonly codes: Map<string, string>
  readonly levels: Map<string, NodeLevel>
  readonly frameworkVersion: string | undefined
}

function checkNode(value: unknown, path: string, level: NodeLevel, parentCode: string | undefined, walk: Walk): void {
  const { issues } = walk
  if (!isObject(value)) {
    issues.add(path, 'required', `must be an object (a ${level})`)
    return
  }
  const childrenKey = CHILDREN[level]
  checkUnknown(value, new Set(['code', 'title', 'version', 'verify', ...(childrenKey === undefined ? [] : [childrenKey])]), path, issues)
  const code = value['code']
  if (typeof code !== 'string' || !CODE.test(code)) {
    issues.add(childPath(path, 'code'), 'code-format', 'must be a code of letters, digits, `_` or `-` segments joined by dots, such as PED.C.2')
  } else {
    const first = walk.codes.get(code)
    if (first !== undefined) issues.add(childPath(path, 'code'), 'code-unique', `repeats the code ${code} already used at ${first}; codes must be unique in a framework`)
    else {
      walk.codes.set(code, childPath(path, 'code'))
      walk.levels.set(code, level)
    }
    if (parentCode !== undefined && !code.startsWith(`${parentCode}.`)) {
      issues.add(childPath(path, 'code'), 'code-under-parent', `must start with its parent's code and a dot (${parentCode}.…), so codes stay readable and stable`)
    }
  }
  checkText(value['title'], childPath(path, 'title'), issues)
  checkVersion(value['version'], childPath(path, 'version'), walk.frameworkVersion, issues)
  if (value['verify'] !== undefined && typeof value['verify'] !== 'boolean') issues.add(childPath(path, 'verify'), 'boolean', 'must be true or false when present')
  if (childrenKey === undefined) return
  const children = value[childrenKey]
  const childPathStr = childPath(path, childrenKey)
  if (!Array.isArray(children)) {
    issues.add(childPathStr, 'required', `must be an array (the ${NEXT[level]}s)`)
    return
  }
  children.forEach((child, i) => checkNode(child, indexPath(childPathStr, i), NEXT[level]!, typeof code === 'string' ? code : undefined, walk))
}

function checkRubrics(value: unknown, walk: Walk): void {
  const { issues } = walk
  if (value === undefined) return
  if (!Array.isArray(value)) {
    issues.add('rubrics', 'array', 'must be an array when present')
    return
  }
  const ids = new Set<string>()
  value.forEach((rubric, i) => {
    const path = indexPath('rubrics', i)
    if (!isObject(rubric)) {
      issues.add(path, 'required', 'must be an object (a rubric)')
      return
    }
    checkUnknown(rubric, new Set(['id', 'title', 'criteria']), path, issues)
    const id = rubric['id']
    if (!isNonEmptyString(id)) issues.add(childPath(path, 'id'), 'required', 'must be a non-empty string')
    else if (ids.has(id)) issues.add(childPath(path, 'id'), 'rubric-unique', `repeats the rubric id ${id}`)
    else ids.add(id)
    checkText(rubric['title'], childPath(path, 'title'), issues)
    const criteria = rubric['criteria']
    if (!Array.isArray(criteria)) {
      issues.add(childPath(path, 'criteria'), 'required', 'must be an array of criteria')
      return
    }
    const criterionIds = new Set<string>()
    criteria.forEach((criterion, j) => checkCriterion(criterion, indexPath(childPath(path, 'criteria'), j), criterionIds, walk))
  })
}

function checkCriterion(criterion: unknown, path: string, ids: Set<string>, walk: Walk): void {
  const { issues } = walk
  if (!isObject(criterion)) {
    issues.add(path, 'required', 'must be an object (a rubric criterion)')
    return
  }
  checkUnknown(criterion, new Set(['id', 'indicator', 'description', 'weight', 'levels']), path, issues)
  const id = criterion['id']
  if (!isNonEmptyString(id)) issues.add(childPath(path, 'id'), 'required', 'must be a non-empty string')
  else if (ids.has(id)) issues.add(childPath(path, 'id'), 'criterion-unique', `repeats the criterion id ${id} in this rubric`)
  else ids.add(id)
  const indicator = criterion['indicator']
  if (typeof indicator !== 'string' || !walk.levels.has(indicator)) {
    issues.add(childPath(path, 'indicator'), 'indicator-exists', 'must be the code of an indicator of this framework')
  } else if (walk.levels.get(indicator) !== 'indicator') {
    issues.add(childPath(path, 'indicator'), 'criterion-targets-indicator', `must name an indicator, not a ${walk.levels.get(indicator)}`)
  }
  if (!isNonEmptyString(criterion['description'])) issues.add(childPath(path, 'description'), 'required', 'must be a non-empty string')
  const weight = criterion['weight']
  if (weight !== undefined && (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0)) issues.add(childPath(path, 'weight'), 'non-negative', 'must be a finite number ≥ 0 when present')
  const levels = criterion['levels']
  if (!Array.isArray(levels) || levels.length === 0) {
    issues.add(childPath(path, 'levels'), 'required', 'must be a non-empty array of levels')
    return
  }
  levels.forEach((level, k) => {
    const lp = indexPath(childPath(path, 'levels'), k)
    if (!isObject(level)) return issues.add(lp, 'required', 'must be an object with `quality` and `score`')
    checkUnknown(level, new Set(['quality', 'score']), lp, issues)
    if (!isNonEmptyString(level['quality'])) issues.add(childPath(lp, 'quality'), 'required', 'must be a non-empty string')
    const score = level['score']
    if (typeof score !== 'number' || !Number.isFinite(score) || score < 0) issues.add(childPath(lp, 'score'), 'non-negative', 'must be a finite number ≥ 0')
  })
  if (!levels.some((level) => isObject(level) && typeof level['score'] === 'number' && level['score'] > 0)) {
    issues.add(childPath(path, 'levels'), 'positive-top-level', 'must have at least one level worth more than 0 points, so a level can be scaled to 0..1')
  }
}

/**
 * The issues of a framework document, without throwing; `validateFramework` throws them. Used by
 * the CSV and CASE readers to translate paths back to rows and CASE fields.
 */
export function frameworkIssues(data: unknown): CompetenceIssue[] {
  const issues = new IssueList()
  if (!isObject(data)) {
    issues.add('', 'required', 'must be an object (a competence framework)')
    return issues.issues
  }
  checkUnknown(data, FRAMEWORK_KEYS, '', issues)
  if (!isNonEmptyString(data['id']) || /\s/u.test(data['id'])) issues.add('id', 'required', 'must be a non-empty string without spaces (CASE identifiers derive from it)')
  checkText(data['title'], 'title', issues)
  checkVersion(data['version'], 'version', undefined, issues)
  if (!isNonEmptyString(data['source'])) issues.add('source', 'required', 'must cite the regulation or document the framework comes from')
  if (data['creator'] !== undefined && !isNonEmptyString(data['creator'])) issues.add('creator', 'required', 'must be a non-empty string when present')
  const changed = data['lastChangeDateTime']
  if (changed !== undefined && !(typeof changed === 'string' && isTimestamp(changed, '2.0.0'))) issues.add('lastChangeDateTime', 'timestamp', 'must be an RFC 3339 date and time with a zone when present')
  const walk: Walk = { issues, codes: new Map(), levels: new Map(), frameworkVersion: isSemver(data['version']) ? data['version'] : undefined }
  const competences = data['competences']
  if (!Array.isArray(competences)) issues.add('competences', 'required', 'must be an array (the competences)')
  else competences.forEach((c, i) => checkNode(c, indexPath('competences', i), 'competence', undefined, walk))
  checkRubrics(data['rubrics'], walk)
  return issues.issues
}

/**
 * Checks a competence framework: the shape (framework → competences → sub-competences →
 * indicators, titles in Indonesian and English), codes well-formed and unique, every child's code
 * under its parent's (`PED.C.2` under `PED.C`), versions semantic and no node newer than the
 * framework, rubric criteria aimed at existing indicators. Unknown properties are rejected, so a
 * typo in seed data cannot silently drop a node.
 *
 * @throws CompetenceError `ERR_COMPETENCE_INVALID_FRAMEWORK` with every issue (path + rule).
 */
export function validateFramework(data: unknown): ValidatedFramework {
  const issues = frameworkIssues(data)
  if (issues.length > 0) {
    const [first] = issues
    const more = issues.length - 1
    throw new CompetenceError('ERR_COMPETENCE_INVALID_FRAMEWORK', `${first!.message}${more > 0 ? `; and ${more} more issue${more === 1 ? '' : 's'}` : ''}`, issues)
  }
  return data as ValidatedFramework
}

