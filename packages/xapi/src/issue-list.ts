/**
 * Collects every broken rule of one document, so a client learns all of them in one 400
 * (ARCHITECTURE.md: "a message that names the field and the rule"), then throws them as one
 * `XapiError`.
 */
import { XapiError, type XapiErrorCode, type XapiIssue } from './errors.ts'
import type { XapiVersion } from './types.ts'

/** A JSON path to a property: `actor.mbox`, `result.extensions["http://x"]`, `[2].verb.id`. */
export function childPath(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/u.test(key)) return path === '' ? key : `${path}.${key}`
  return `${path}[${JSON.stringify(key)}]`
}

/** A JSON path to an array element: `context.contextActivities.parent[0]`. */
export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`
}

/**
 * The most issues one 400 lists. Every issue was kept before: a 9 MB batch of three million `{}`
 * made nine million issues, 4 GB of memory and a server that answered nothing for minutes. A
 * client fixing its statements needs the first ones; the message says how many there were.
 */
export const MAX_ISSUES = 100

export class IssueList {
  readonly issues: XapiIssue[] = []
  /** Issues recorded past `MAX_ISSUES`: counted, not kept. */
  private unlisted = 0
  /** Set by a caller that stopped validating once `full`: the count of issues is then a lower bound. */
  stopped = false

  constructor(readonly version: XapiVersion) {}

  /** True once `MAX_ISSUES` are kept: a caller walking many documents may stop there (and set `stopped`). */
  get full(): boolean {
    return this.issues.length >= MAX_ISSUES
  }

  /**
   * Records that the value at `path` breaks `rule`. `requirement` completes the sentence
   * "<path> ...", `section` is the Data section of the spec, e.g. `2.4.2.3`.
   */
  add(path: string, rule: string, requirement: string, section: string): void {
    if (this.full) {
      this.unlisted++
      return
    }
    const subject = path === '' ? 'the statement' : path
    this.issues.push({
      path: path === '' ? '$' : path,
      rule,
      message: `${subject} ${requirement} (xAPI ${this.version} Data ${section})`,
    })
  }

  /** Throws an `XapiError` with every issue if there is any; the message summarises them. */
  throwIfAny(code: XapiErrorCode): void {
    const [first] = this.issues
    if (first === undefined) return
    const more = this.issues.length - 1 + this.unlisted
    const count = this.stopped ? `at least ${more}` : String(more)
    let summary = more === 0 ? first.message : `${first.message}; and ${count} more issue${more === 1 ? '' : 's'}`
    if (this.unlisted > 0 || this.stopped) summary += ` (the first ${this.issues.length} are listed${this.stopped ? '; validation stopped there' : ''})`
    throw new XapiError(code, summary, [...this.issues])
  }
}
