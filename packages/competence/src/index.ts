/**
 * @tln/competence: competence frameworks (CASE and CSV exchange), evidence rules that map xAPI
 * statements to indicators, the pure rating methods and roll-ups, and the aggregation engine that
 * keeps the competence projections in step with the LRS statement stream (the engine and the config
 * store use the database; the rest does no I/O).
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

export { CompetenceConfigStore, sameCompetenceConfig } from './config/config-store.ts'
export { validateCompetenceConfig, type ValidatedCompetenceConfig } from './config/validate-config.ts'
export { DEFAULT_COMPETENCE_CONFIG, DEFAULT_PROGRAM_VOCABULARY, DEFAULT_RATING } from './config/default-config.ts'
export { CompetenceEngine, PROJECTION_TABLES, type CompetenceEngineOptions, type EngineLogger, type RetrySkippedResult } from './engine/competence-engine.ts'
export { listSkipped, type SkippedStatement } from './engine/skipped-statements.ts'
export { factFromStatement, preferredName, FACT_VERBS, type Fact } from './engine/fact-from-statement.ts'
export { DEFAULT_REPORT_TIME_ZONE, isTimeZone } from './engine/report-time-zone.ts'

export type * from './badges/types.ts'
export { BadgeError, type BadgeErrorCode } from './badges/badge-error.ts'
export { badgeUrls, isBadgeId, BADGE_ALG, OB_V3_CONTEXT, VC_V2_CONTEXT, OB_CREDENTIAL_SCHEMA, CLR_V2_CONTEXT, CLR_CREDENTIAL_SCHEMA } from './badges/badge-urls.ts'
export { buildAchievement, tierCoverage, alignmentsOf, achievementId, type TierInfo } from './badges/achievement.ts'
export { buildCredential, issuerProfile, subjectId, type CredentialInput } from './badges/credential.ts'
export { hashedIdentity, identityHash, identityMatches, identifierOf } from './badges/identity-hash.ts'
export { encodeStatusList, statusAt, statusListCredential, MIN_STATUS_LIST_BITS } from './badges/status-list.ts'
export { signCredential, verifyCredentialJwt, type Check, type CheckName, type JwtVerification, type SignableCredential } from './badges/vc-jwt.ts'
export { generateIssuerKey, publishedJwk, sealPrivateJwk, openPrivateJwk, type IssuerKey } from './badges/issuer-keys.ts'
export { IssuerKeyStore, type PublicIssuerKey, type IssuerKeyInfo, type RotatedKeys } from './badges/issuer-key-store.ts'
export { BadgeStore, type BadgeRecord, type BadgeSummary, type IssuedBatch, type PendingCompletion } from './badges/badge-store.ts'
export { ActiveFrameworks, type ActiveFramework } from './badges/active-framework.ts'
export { BadgeIssuer, type BadgeIssuerOptions, type BadgeIssuerLogger, type PassResult } from './badges/badge-issuer.ts'
export { verifyBadge, issuerJwks, type BadgeVerification } from './badges/badge-verify.ts'
export { buildClrCredential, competenceAchievement, competenceAchievementId, type ClrInput, type ProficientRating } from './badges/clr.ts'
export { ClrIssuer, type ClrIssuerOptions, type ClrVerification } from './badges/clr-issuer.ts'

export { CompetenceReports, type ActiveConfigSource } from './reports/competence-reports.ts'
export { checkReportFilter } from './reports/report-scope.ts'
export type { EvidenceItem } from './reports/teacher-report.ts'
