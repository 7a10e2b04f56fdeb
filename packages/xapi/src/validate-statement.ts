/**
 * Statement validation at the boundary (STYLE.md rule 4): raw JSON in, a `ValidatedStatement` out,
 * or an `XapiError('ERR_XAPI_INVALID_STATEMENT')` listing every violation.
 */
import { childPath, IssueList } from './issue-list.ts'
import { normaliseStatement } from './normalise-statement.ts'
import type { ValidatedStatement, XapiVersion } from './types.ts'
import { isUuid } from './uuid.ts'
import { validateActor } from './validate-actor.ts'
import { BODY_KEYS, validateBody, validateTimestamp } from './validate-statement-body.ts'
import { asObject, closeObject, isSet, readFormatted, type JsonObject } from './validate-values.ts'

export interface ValidateOptions {
  /** The negotiated xAPI version of the request (X-Experience-API-Version). */
  version: XapiVersion
  /**
   * The caller hands the parsed JSON over and will not use it again (a request body): it is
   * normalised in place instead of copied first, which saves a serialisation round trip per
   * statement on the ingest path.
   */
  handOver?: boolean
}

const STATEMENT_KEYS = ['id', ...BODY_KEYS, 'stored', 'authority', 'version']

/**
 * Statement `version` values accepted per request version. 1.0.3 Data 2.4.10: "An LRS MUST reject
 * all Statements with a version specified that does not start with 1.0." (the ADL suite also
 * accepts "1.0"). 2.0.0 Data 2.4.10 accepts 1.0.x and 2.0.x statements.
 */
const STATEMENT_VERSION: Record<XapiVersion, RegExp> = {
  '1.0.3': /^1\.0(?:\.\d+)?$/u,
  '2.0.0': /^[12]\.0(?:\.\d+)?$/u,
}

/**
 * Validates one statement (xAPI Data 2.2-2.4 and 4.x of `options.version`) and returns its
 * normalised deep copy (see `normaliseStatement`). Throws `XapiError('ERR_XAPI_INVALID_STATEMENT')`
 * whose `issues` list every violation, each with a JSON path such as `actor.mbox`.
 */
export function validateStatement(input: unknown, options: ValidateOptions): ValidatedStatement {
  const list = new IssueList(options.version)
  collectStatementIssues(input, '', list)
  list.throwIfAny('ERR_XAPI_INVALID_STATEMENT')
  return normaliseStatement(input as JsonObject, options.version, options.handOver) as unknown as ValidatedStatement
}

/** Records every issue of the statement at `path` ('' for a lone statement, `[i]` in a batch). */
export function collectStatementIssues(input: unknown, path: string, list: IssueList): void {
  const statement = asObject(input, path, list, '2.4')
  if (statement === undefined) return
  closeObject(statement, STATEMENT_KEYS, path, list)
  readFormatted(statement, 'id', path, list, { section: '2.4.1', rule: 'uuid', what: 'a UUID', test: isUuid })
  validateBody(statement, path, list, false)
  // "An LRS SHOULD validate and then MUST overwrite any value currently in the stored property" (2.4.8.s3.b2).
  validateTimestamp(statement, 'stored', path, list, '2.4.8')
  if (isSet(statement, 'authority') && statement.authority !== null) {
    validateActor(statement.authority, childPath(path, 'authority'), list, 'authority')
  }
  readFormatted(statement, 'version', path, list, {
    section: '2.4.10',
    rule: 'version',
    what: versionRequirement(list.version),
    test: (value) => STATEMENT_VERSION[list.version].test(value),
  })
}

function versionRequirement(version: XapiVersion): string {
  return version === '2.0.0' ? 'a 1.0.x or 2.0.x version' : 'a 1.0.x version'
}
