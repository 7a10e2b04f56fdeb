/**
 * Errors of the xAPI model. One base class with a stable `code`; HTTP statuses are mapped at the
 * edge (packages/lrs router), never here.
 */
export type XapiErrorCode =
  | 'ERR_XAPI_INVALID_STATEMENT'
  | 'ERR_XAPI_INVALID_PARAMETER'
  | 'ERR_XAPI_UNSUPPORTED_VERSION'
  | 'ERR_XAPI_MISSING_VERSION'

/** One broken rule: where (JSON path such as `actor.mbox` or `[2].verb.id`) and which rule. */
export interface XapiIssue {
  /** JSON path of the offending property, `$` for the whole document. */
  readonly path: string
  /** Stable short rule name, e.g. `iri`, `required`, `unknown-property`, `exactly-one-ifi`. */
  readonly rule: string
  /** Human-readable sentence naming the field and the rule, with the spec section. */
  readonly message: string
}

export class XapiError extends Error {
  constructor(
    readonly code: XapiErrorCode,
    message: string,
    readonly issues: readonly XapiIssue[] = [],
  ) {
    super(message)
    this.name = 'XapiError'
  }
}
