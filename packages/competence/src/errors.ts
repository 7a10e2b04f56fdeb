/**
 * Errors of the competence model. One base class with a stable `code` (STYLE.md rule 1); HTTP
 * statuses are mapped at the edge, never here (STYLE.md rule 3).
 */
export type CompetenceErrorCode =
  | 'ERR_COMPETENCE_INVALID_FRAMEWORK'
  | 'ERR_COMPETENCE_INVALID_CASE'
  | 'ERR_COMPETENCE_INVALID_CSV'
  | 'ERR_COMPETENCE_INVALID_RULE'
  | 'ERR_COMPETENCE_INVALID_CONFIG'

/** One broken rule: where, which rule, and a sentence naming both. */
export interface CompetenceIssue {
  /**
   * Where the problem is: a JSON path into the document (`competences[0].subCompetences[2].code`,
   * `CFItems[4].humanCodingScheme`), or `row 5, title_en` for CSV.
   */
  readonly path: string
  /** Stable short rule name: `required`, `code-unique`, `parent-exists`, `semver`, … */
  readonly rule: string
  /** Human-readable sentence naming the field and the rule. */
  readonly message: string
  /** CSV only: the 1-based record number as a spreadsheet shows it (the header is row 1). */
  readonly row?: number
  /** CSV only: the column name. */
  readonly column?: string
}

export class CompetenceError extends Error {
  constructor(
    readonly code: CompetenceErrorCode,
    message: string,
    readonly issues: readonly CompetenceIssue[] = [],
  ) {
    super(message)
    this.name = 'CompetenceError'
  }
}
