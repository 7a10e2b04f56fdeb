/**
 * The body of POST /statements (xAPI 1.0.3 Communication 2.1.2): one statement or an array of
 * them, validated all-or-nothing (ARCHITECTURE.md: "A batch is all-or-nothing").
 */
import { IssueList, indexPath } from './issue-list.ts'
import { normaliseStatement } from './normalise-statement.ts'
import type { ValidatedStatement } from './types.ts'
import { collectStatementIssues, validateStatement, type ValidateOptions } from './validate-statement.ts'
import type { JsonObject } from './validate-values.ts'

/**
 * Validates a POST body: a statement object or an array of statements. Issue paths of array
 * elements are prefixed `[i].`. An empty array is valid and returns `[]`: the spec requires
 * nothing of its length, and storing no statements is harmless. Throws
 * `XapiError('ERR_XAPI_INVALID_STATEMENT')` listing the issues of every statement.
 */
export function validateStatementBatch(input: unknown, options: ValidateOptions): ValidatedStatement[] {
  if (!Array.isArray(input)) return [validateStatement(input, options)]
  const list = new IssueList(options.version)
  for (let index = 0; index < input.length; index++) {
    // Past MAX_ISSUES nothing more is listed, so the rest of a huge broken batch is not walked.
    if (list.full) {
      list.stopped = true
      break
    }
    collectStatementIssues(input[index], indexPath('', index), list)
  }
  list.throwIfAny('ERR_XAPI_INVALID_STATEMENT')
  return input.map((statement) => normaliseStatement(statement as JsonObject, options.version, options.handOver) as unknown as ValidatedStatement)
}
