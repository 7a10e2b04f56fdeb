/**
 * @tln/lti-tool: the TLN tool people reach from their LMS by LTI 1.3 — PostgreSQL stores behind
 * `@tln/lti-v1p3`'s interfaces, launch → TLN user and session, every launch an xAPI statement,
 * Deep Linking picker, grade passback queue and worker (AGS), roster sync (NRPS), and the `/lti`
 * router. May depend on @tln/lti-v1p3, @tln/lrs, @tln/xapi, @tln/db.
 */
export { createLtiTool, toolConfiguration, type LtiTool, type LtiToolOptions } from './create-lti-tool.ts'
export type { LtiToolConfig } from './config.ts'
export { LtiToolError, type LtiToolErrorCode } from './errors.ts'
export type { ToolLogger } from './logger.ts'
export { DbPlatformStore, toPlatform, type PlatformRecord, type NewPlatform, type PlatformStatus } from './stores/platform-store.ts'
export { DbLoginStateStore } from './stores/login-state-store.ts'
export { DbNonceStore } from './stores/nonce-store.ts'
export { DbKeyStore } from './stores/key-store.ts'
export { DbAccessTokenCache } from './stores/access-token-cache.ts'
export { deleteExpired } from './stores/cleanup.ts'
export { tlnRoleOf, type TlnRole } from './session/roles.ts'
export { UserStore, type TlnUser } from './session/user-store.ts'
export { SessionStore, type Session, type LaunchSummary } from './session/session-store.ts'
export { SESSION_COOKIE } from './http/cookies.ts'
export { TOOL_ERROR_STATUS } from './http/error-page.ts'
export { launchStatement, launchRegistration, ltiActivityIds, LAUNCHED } from './xapi/launch-statement.ts'
export { toolCredentialKey, ToolCredentials } from './xapi/tool-credentials.ts'
export { scoreStatement, scoredStatementId, SCORED } from './xapi/score-statement.ts'
export { ScoreRecorder } from './xapi/score-recorder.ts'
export { CATALOGUE, catalogueItem, type CatalogueItem, type CatalogueModule, type CatalogueTask, type TaskType } from './catalogue.ts'
export { contentItemsFor, itemUrl, CUSTOM } from './deep-linking/content-items.ts'
export { DeepLinkingStore, type PendingDeepLinking } from './deep-linking/deep-linking-store.ts'
export {
  enqueueScore, PassbackStore, type Passback, type PassbackStatus, type PassbackTarget, type ScoreToPass, type ClaimedPassback, type PassbackError,
} from './ags/passback-store.ts'
export { PassbackWorker, type PassbackWorkerOptions, type PassbackOutcome } from './ags/passback-worker.ts'
export { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './ags/backoff.ts'
export { passbackTargetOf } from './ags/passback-target.ts'
export { RosterSync, type RosterSyncResult, type RosterSyncDeps } from './nrps/roster-sync.ts'
