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

export class IssueList {
  readonly issues: XapiIssue[] = []

  constructor(readonly version: XapiVersion) {}

  /**
   * Records that the value at `path` breaks `rule`. `requirement` completes the sentence
   * "<path> ...", `section` is the Data section of the spec, e.g. `2.4.2.3`.
   */
  add(path: string, rule: string, requirement: string, section: string): void {
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
    const more = this.issues.length - 1
    const summary = more === 0 ? first.message : `${first.message}; and ${more} more issue${more === 1 ? '' : 's'}`
    throw new XapiError(code, summary, [...this.issues])
  }
}
