/**
 * The CSV form of a framework for administrators (issue 6: "a CSV form for administrators"): one
 * row per node, parents before children, so a framework can be corrected in a spreadsheet (DOMAIN.md:
 * facts marked *(verify)* are kept as data "so an administrator can correct them").
 *
 * Columns: `code, parent_code, level, title_id, title_en, verify, version`. `level` is
 * `competence`, `sub-competence` or `indicator`; `verify` is `true` or empty (also read: `false`,
 * `ya`/`tidak`, `yes`/`no`, `1`/`0`); `version` may be empty (= the framework version). The
 * framework's own id, titles, version and source are not in the rows: they are passed in.
 *
 * A cell a spreadsheet would run as a formula (a title starting with `=`, `+`, `-`, `@`, tab or CR;
 * OWASP "CSV Injection") is written with a leading single quote, and reading takes that quote off
 * again (`@tln/lrs`'s `restoreFormula`), so export → edit → import gives back the same framework.
 */
import { neutraliseFormula, restoreFormula } from '@tln/lrs'
import { CompetenceError, type CompetenceIssue } from '../errors.ts'
import { buildTree, originOf, type TreeInput } from '../framework/build-tree.ts'
import { flattenFramework } from '../framework/flatten-framework.ts'
import type { Framework, NodeLevel, ValidatedFramework } from '../framework/types.ts'
import { frameworkIssues } from '../framework/validate-framework.ts'
import { parseCsv, writeCsv } from './rfc4180.ts'

export const CSV_COLUMNS = ['code', 'parent_code', 'level', 'title_id', 'title_en', 'verify', 'version'] as const
type Column = (typeof CSV_COLUMNS)[number]
const REQUIRED: readonly Column[] = ['code', 'parent_code', 'level', 'title_id', 'title_en']
const LEVELS: readonly NodeLevel[] = ['competence', 'sub-competence', 'indicator']
const TRUE = new Set(['true', 'ya', 'yes', '1', 'y'])
const FALSE = new Set(['', 'false', 'tidak', 'no', '0', 'n'])

/** The framework without its tree: what the CSV rows do not carry. */
export type FrameworkHeader = Omit<Framework, 'competences'>

/** The framework as CSV text, one row per node, with a header row; no cell starts a formula. */
export function writeFrameworkCsv(framework: ValidatedFramework): string {
  const rows = flattenFramework(framework).map((n) => [n.code, n.parentCode ?? '', n.level, n.title.id, n.title.en, n.verify ? 'true' : '', n.version].map(neutraliseFormula))
  return writeCsv([[...CSV_COLUMNS], ...rows])
}

function issue(row: number, column: Column | undefined, rule: string, requirement: string): CompetenceIssue {
  const path = column === undefined ? `row ${row}` : `row ${row}, ${column}`
  return { path, rule, message: `${path} ${requirement}`, row, ...(column === undefined ? {} : { column }) }
}

/**
 * Reads the CSV form into a validated framework. Every problem is reported at once, each with its
 * row number (as a spreadsheet shows it), its column and the rule.
 * @throws CompetenceError `ERR_COMPETENCE_INVALID_CSV`.
 */
export function parseFrameworkCsv(text: string, header: FrameworkHeader): ValidatedFramework {
  const issues: CompetenceIssue[] = []
  const fail = (): never => {
    const [first] = issues
    throw new CompetenceError('ERR_COMPETENCE_INVALID_CSV', `${first!.message}${issues.length > 1 ? `; and ${issues.length - 1} more issue${issues.length === 2 ? '' : 's'}` : ''}`, issues)
  }
  const { records, errors } = parseCsv(text)
  for (const e of errors) issues.push({ path: `row ${e.line}`, rule: e.rule, message: e.message, row: e.line })
  const [head, ...rows] = records
  if (head === undefined) {
    issues.push(issue(1, undefined, 'header', `must be a header row: ${CSV_COLUMNS.join(',')}`))
    return fail()
  }
  const index = new Map<string, number>()
  head.fields.forEach((name, i) => {
    const column = name.trim().toLowerCase()
    if (!(CSV_COLUMNS as readonly string[]).includes(column)) issues.push(issue(head.line, undefined, 'unknown-column', `names an unknown column "${name}" (known: ${CSV_COLUMNS.join(', ')})`))
    else if (index.has(column)) issues.push(issue(head.line, undefined, 'duplicate-column', `names the column ${column} twice`))
    else index.set(column, i)
  })
  for (const column of REQUIRED) if (!index.has(column)) issues.push(issue(head.line, undefined, 'missing-column', `lacks the column ${column}`))
  if (issues.length > 0) return fail()

  const inputs: TreeInput<number>[] = []
  rows.forEach((record, order) => {
    const row = record.line
    if (record.fields.length !== head.fields.length) {
      issues.push(issue(row, undefined, 'field-count', `has ${record.fields.length} fields where the header has ${head.fields.length} (RFC 4180 §2.4: every record has the same number of fields)`))
      return
    }
    const get = (column: Column): string => {
      const i = index.get(column)
      // The quote `writeFrameworkCsv` put before a formula comes off here.
      return i === undefined ? '' : restoreFormula(record.fields[i]!.trim())
    }
    const level = get('level').toLowerCase()
    if (!(LEVELS as readonly string[]).includes(level)) issues.push(issue(row, 'level', 'level', `must be one of ${LEVELS.join(', ')}`))
    const verify = get('verify').toLowerCase()
    if (!TRUE.has(verify) && !FALSE.has(verify)) issues.push(issue(row, 'verify', 'boolean', 'must be true or empty (or ya/tidak, yes/no, 1/0)'))
    const parent = get('parent_code')
    // Reported here, on parent_code, rather than by buildTree as a level mismatch.
    if (level === 'competence' && parent !== '') return void issues.push(issue(row, 'parent_code', 'level-matches-parent', 'must be empty for a competence (competences are the top level)'))
    if ((level === 'sub-competence' || level === 'indicator') && parent === '') return void issues.push(issue(row, 'parent_code', 'required', `must name the parent of a ${level}`))
    inputs.push({
      code: get('code'),
      parentCode: parent === '' ? undefined : parent,
      ...((LEVELS as readonly string[]).includes(level) ? { level: level as NodeLevel } : {}),
      title: { id: get('title_id'), en: get('title_en') },
      version: get('version') === '' ? header.version : get('version'),
      verify: TRUE.has(verify),
      order,
      origin: row,
    })
  })
  const tree = buildTree(inputs)
  for (const p of tree.problems) issues.push(issue(p.origin, p.field === 'parent' ? 'parent_code' : 'level', p.rule, p.requirement))
  const framework: Framework = { ...header, competences: tree.competences }
  const columnOf: Record<string, Column> = { code: 'code', 'title.id': 'title_id', 'title.en': 'title_en', version: 'version', verify: 'verify' }
  for (const found of frameworkIssues(framework)) {
    const node = originOf(tree.origins, found.path)
    const requirement = found.message.slice(found.path.length + 1)
    if (node === undefined) issues.push(found)
    else issues.push(issue(node.origin, columnOf[node.field], found.rule, requirement))
  }
  if (issues.length > 0) fail()
  return framework as ValidatedFramework
}
