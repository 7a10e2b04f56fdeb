/**
 * @tln/xapi: the xAPI data model and its rules, pure (no I/O).
 * Public API of the package: nothing outside imports from other files here.
 */
export * from './errors.ts'
export type * from './types.ts'
export { ABOUT_VERSIONS_1_0, negotiateVersion, SUPPORTED_VERSIONS } from './version.ts'
export { ifiKey, ifiKeysOfActor, normalizeMbox } from './ifi.ts'
export { toInstant } from './instant.ts'
export { statementsEqual } from './equality.ts'
export { parseAcceptLanguage, pickLanguage } from './language.ts'
export { formatStatement, type FormatOptions, type StatementFormat } from './format.ts'
export {
  DEFAULT_MAX_LIMIT, parseStatementQuery,
  type SingleStatementQuery, type StatementListQuery, type StatementQuery, type StatementQueryOptions,
} from './query.ts'
export { validateStatement, type ValidateOptions } from './validate-statement.ts'
export { VOIDED_VERB } from './validate-statement-body.ts'
export { validateStatementBatch } from './validate-statement-batch.ts'
export { validateAgentParameter } from './validate-actor.ts'
export { validateActivityId } from './validate-activity-id.ts'
export { childPath, indexPath, MAX_ISSUES } from './issue-list.ts'
export { isIri, isIrl, isMailtoIri } from './iri.ts'
export { isUuid } from './uuid.ts'
export { isTimestamp, toUtcTimestamp } from './timestamp.ts'
export { isDuration } from './duration.ts'
export { isLanguageTag } from './lang-tag.ts'
export { isSha1Hex, isSha2Hex } from './hex-digest.ts'
export { isMediaType } from './media-type.ts'
export { nameUuid } from './name-uuid.ts'
export type * from './profiles/types.ts'
export { compileJsonPath, JsonPathSyntaxError, type JsonPath } from './profiles/json-path.ts'
export { checkRule, checkStatementAgainstProfile, missingDeterminingProperties, usesProfile, validateAgainstTemplate, type ProfileCheck } from './profiles/statement-template.ts'
export { validateProfile, PROFILE_CONTEXT, PROFILES_1_0, type ProfileIssue } from './profiles/validate-profile.ts'
export { jsonNestsDeeperThan, MAX_JSON_DEPTH } from './json-depth.ts'
export { unpairedSurrogateAt } from './unpaired-surrogate.ts'
export { overflowingNumberPath } from './json-numbers.ts'
