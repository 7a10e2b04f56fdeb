/**
 * A competence configuration is an administrator's data: checked whole at the boundary (STYLE.md
 * rule 4) before it is stored, every issue reported at once with its path (`framework.…`,
 * `rules[3].indicator`, `rating.method.weight`, `program.tierType`) and rule.
 */
import { CompetenceError, type CompetenceIssue } from '../errors.ts'
import { frameworkIssues } from '../framework/validate-framework.ts'
import type { ValidatedFramework } from '../framework/types.ts'
import { childPath, indexPath, isNonEmptyString, isObject, IssueList } from '../issue-list.ts'
import { ratingMethodFromConfig, type RatingMethodConfig } from '../rating/rating-config.ts'
import { validateEvidenceRules } from '../rules/validate-evidence-rules.ts'
import type { CompetenceConfig } from './types.ts'

/** A configuration that passed `validateCompetenceConfig`. */
export type ValidatedCompetenceConfig = CompetenceConfig & { readonly framework: ValidatedFramework }

const CONFIG_KEYS = new Set(['framework', 'rules', 'rating', 'program'])
const VOCABULARY_STRINGS = ['tierType', 'phaseType', 'taskType', 'meetingType', 'programType', 'npsnExtension', 'kecamatanExtension'] as const
const VOCABULARY_LISTS = ['moduleTypes', 'assessmentTypes'] as const
const VOCABULARY_KEYS = new Set<string>([...VOCABULARY_STRINGS, ...VOCABULARY_LISTS, 'phases', 'quotas'])

function prefixed(prefix: string, issues: readonly CompetenceIssue[]): CompetenceIssue[] {
  return issues.map((issue) => {
    const path = issue.path === '$' ? prefix : issue.path.startsWith('[') ? `${prefix}${issue.path}` : `${prefix}.${issue.path}`
    return { ...issue, path, message: `${path}${issue.message.slice(issue.path.length)}` }
  })
}

function issuesOf(run: () => unknown): CompetenceIssue[] {
  try {
    run()
    return []
  } catch (error) {
    if (error instanceof CompetenceError) return [...error.issues]
    throw error
  }
}

function checkRollUp(rollUp: unknown, issues: IssueList): void {
  const path = 'rating.rollUp'
  if (!isObject(rollUp)) return issues.add(path, 'required', 'must be an object with `rule` allChildrenProficient or points')
  if (rollUp['rule'] === 'allChildrenProficient') {
    for (const key of Object.keys(rollUp)) if (key !== 'rule') issues.add(childPath(path, key), 'unknown-property', 'is not a setting of allChildrenProficient')
    return
  }
  if (rollUp['rule'] !== 'points') return issues.add(childPath(path, 'rule'), 'enum', 'must be allChildrenProficient or points')
  for (const key of Object.keys(rollUp)) if (!['rule', 'points', 'required', 'pointsRequired'].includes(key)) issues.add(childPath(path, key), 'unknown-property', 'is not a setting of points (known: points, required, pointsRequired)')
  for (const key of ['points', 'pointsRequired']) {
    const record = rollUp[key]
    if (record === undefined) continue
    if (!isObject(record)) issues.add(childPath(path, key), 'object', 'must be an object of code → number')
    else for (const [code, n] of Object.entries(record)) if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) issues.add(childPath(childPath(path, key), code), 'non-negative', 'must be a finite number ≥ 0')
  }
  const required = rollUp['required']
  if (required !== undefined && (!Array.isArray(required) || !required.every(isNonEmptyString))) issues.add(childPath(path, 'required'), 'array', 'must be an array of codes')
}

function checkRating(rating: unknown, issues: IssueList): void {
  if (!isObject(rating)) return issues.add('rating', 'required', 'must be an object with `method` and `rollUp`')
  for (const key of Object.keys(rating)) if (key !== 'method' && key !== 'rollUp') issues.add(childPath('rating', key), 'unknown-property', 'is not a rating setting (known: method, rollUp)')
  if (!isObject(rating['method'])) issues.add('rating.method', 'required', 'must be an object naming a rating method')
  else issues.addAll(prefixed('rating', issuesOf(() => ratingMethodFromConfig(rating['method'] as RatingMethodConfig))))
  checkRollUp(rating['rollUp'], issues)
}

function checkPhases(phases: unknown, issues: IssueList): void {
  if (phases === undefined) return
  if (!Array.isArray(phases)) return issues.add('program.phases', 'array', 'must be an array of { id, name: { id, en } }')
  phases.forEach((phase, i) => {
    const path = indexPath('program.phases', i)
    if (!isObject(phase)) return issues.add(path, 'required', 'must be an object { id, name }')
    if (!isNonEmptyString(phase['id'])) issues.add(childPath(path, 'id'), 'required', 'must be the phase activity id')
    const name = phase['name']
    if (!isObject(name) || !isNonEmptyString(name['id']) || !isNonEmptyString(name['en'])) issues.add(childPath(path, 'name'), 'required', 'must give an Indonesian `id` and an English `en` name')
  })
}

function checkVocabulary(program: unknown, issues: IssueList): void {
  if (!isObject(program)) return issues.add('program', 'required', 'must be an object (the program vocabulary)')
  for (const key of Object.keys(program)) if (!VOCABULARY_KEYS.has(key)) issues.add(childPath('program', key), 'unknown-property', 'is not part of the program vocabulary')
  for (const key of VOCABULARY_STRINGS) if (!isNonEmptyString(program[key])) issues.add(childPath('program', key), 'required', 'must be a non-empty string (an IRI)')
  for (const key of VOCABULARY_LISTS) {
    const list = program[key]
    if (!Array.isArray(list) || !list.every(isNonEmptyString)) issues.add(childPath('program', key), 'array', 'must be an array of activity type IRIs')
  }
  checkPhases(program['phases'], issues)
  const quotas = program['quotas']
  if (quotas === undefined) return
  if (!isObject(quotas)) return issues.add('program.quotas', 'object', 'must be an object of kecamatan code → participants')
  for (const [code, n] of Object.entries(quotas)) if (!Number.isInteger(n) || (n as number) < 0) issues.add(childPath('program.quotas', code), 'non-negative-integer', 'must be a whole number ≥ 0')
}

/**
 * Checks a whole competence configuration: the framework (`validateFramework`'s rules), the
 * evidence rules against it (`validateEvidenceRules`), the rating method and roll-up, and the
 * program vocabulary.
 * @throws CompetenceError `ERR_COMPETENCE_INVALID_CONFIG` with every issue, paths from the config root.
 */
export function validateCompetenceConfig(data: unknown): ValidatedCompetenceConfig {
  const issues = new IssueList()
  if (!isObject(data)) {
    issues.add('', 'required', 'must be an object with framework, rules, rating and program')
    issues.throwIfAny('ERR_COMPETENCE_INVALID_CONFIG')
  }
  const config = data as Record<string, unknown>
  for (const key of Object.keys(config)) if (!CONFIG_KEYS.has(key)) issues.add(key, 'unknown-property', 'is not part of a competence configuration (known: framework, rules, rating, program)')
  const frameworkProblems = frameworkIssues(config['framework'])
  issues.addAll(prefixed('framework', frameworkProblems))
  const framework = frameworkProblems.length === 0 ? (config['framework'] as ValidatedFramework) : undefined
  issues.addAll(prefixed('rules', issuesOf(() => validateEvidenceRules(config['rules'], framework))))
  checkRating(config['rating'], issues)
  checkVocabulary(config['program'], issues)
  issues.throwIfAny('ERR_COMPETENCE_INVALID_CONFIG')
  return data as ValidatedCompetenceConfig
}
