/**
 * Collects every broken rule of one document so an administrator learns all of them at once
 * (ARCHITECTURE.md: "a clear error that names the field and the rule"), then throws them as one
 * `CompetenceError`.
 *
 * The paths are written as `@tln/xapi` writes them (`childPath`, `indexPath`), so every 400 of TLN
 * names a field the same way. The list itself stays apart from xAPI's: a competence issue carries
 * the CSV row and column it came from and cites no xAPI Data section.
 */
import { childPath, indexPath } from '@tln/xapi'
import { CompetenceError, type CompetenceErrorCode, type CompetenceIssue } from './errors.ts'

export { childPath, indexPath }

export class IssueList {
  readonly issues: CompetenceIssue[] = []

  /** Records that the value at `path` breaks `rule`; `requirement` completes "<path> …". */
  add(path: string, rule: string, requirement: string, extra: Pick<CompetenceIssue, 'row' | 'column'> = {}): void {
    const where = path === '' ? '$' : path
    this.issues.push({ path: where, rule, message: `${where} ${requirement}`, ...extra })
  }

  /** Adds issues found elsewhere (e.g. by `validateFramework` on a document built from CSV). */
  addAll(issues: readonly CompetenceIssue[]): void {
    this.issues.push(...issues)
  }

  get empty(): boolean {
    return this.issues.length === 0
  }

  /** Throws a `CompetenceError` with every issue if there is any; the message summarises them. */
  throwIfAny(code: CompetenceErrorCode): void {
    const [first] = this.issues
    if (first === undefined) return
    const more = this.issues.length - 1
    const summary = more === 0 ? first.message : `${first.message}; and ${more} more issue${more === 1 ? '' : 's'}`
    throw new CompetenceError(code, summary, [...this.issues])
  }
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** True for a string with at least one non-space character. */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== ''
}
