/**
 * @tln/competence: competence frameworks (CASE and CSV exchange), evidence rules that map xAPI
 * statements to indicators, and the pure rating methods and roll-ups. No I/O.
 * Public API of the package: nothing outside imports from other files here.
 */
export * from './errors.ts'
export { compareSemver, isSemver } from './semver.ts'

export type * from './framework/types.ts'
export { validateFramework } from './framework/validate-framework.ts'
export { flattenFramework } from './framework/flatten-framework.ts'
export { PAUD_EDUCATOR_COMPETENCES } from './seed/paud-competences.ts'

export type * from './case/types.ts'
export { toCasePackage, CASE_ITEM_TYPES, type ToCaseOptions } from './case/to-case-package.ts'
export { fromCasePackage } from './case/from-case-package.ts'
export { uuidV5, TLN_CASE_NAMESPACE } from './case/uuid-v5.ts'

export { parseFrameworkCsv, writeFrameworkCsv, CSV_COLUMNS, type FrameworkHeader } from './csv/framework-csv.ts'
export { parseCsv, writeCsv, type CsvRecord, type CsvSyntaxError } from './csv/rfc4180.ts'

export type * from './rating/types.ts'
export { DEFAULT_THRESHOLD } from './rating/evidence-order.ts'
export { latest } from './rating/latest.ts'
export { highest } from './rating/highest.ts'
export { average } from './rating/average.ts'
export { decayingAverage } from './rating/decaying-average.ts'
export { nMastery } from './rating/n-mastery.ts'
export { weightedTriangulation } from './rating/weighted-triangulation.ts'
export { allChildrenProficient, points, type ChildRating, type PointsChild } from './rating/roll-up.ts'
export { ratingMethodFromConfig, type RatingConfig, type RatingMethodConfig, type RollUpConfig } from './rating/rating-config.ts'
export { rateFramework } from './rating/rate-framework.ts'

export type * from './rules/types.ts'
export { evidenceFromStatement } from './rules/evidence-from-statement.ts'
export {
  ACTIVITY_TYPES, CMI5_CATEGORY, CMI5_TEMPLATES, DEFAULT_RULE_TEMPLATES, MOODLE_LOGSTORE_TEMPLATES,
  TLN_RUBRIC_LEVELS_EXTENSION, TLN_TEMPLATES, VERBS,
} from './rules/default-rules.ts'
export { alignRules, type ActivityAlignment } from './rules/align-rules.ts'
export { rubricRules, type RubricRuleOptions } from './rules/rubric-rules.ts'
export { validateEvidenceRules } from './rules/validate-evidence-rules.ts'

export type * from './config/types.ts'
export type * from './reports/types.ts'
