/**
 * `@tln/lti-v1p3`: the LTI 1.3 protocol for a tool, on `jose` — OIDC login initiation, launch
 * validation, tool keys and JWKS, Deep Linking 2.0, AGS 2.0 and NRPS 2.0 clients, Dynamic
 * Registration 1.0, a passport strategy and optional Express handlers. Nothing TLN-specific;
 * storage behind the interfaces in `stores/`. In-memory stores and a platform double for tests
 * are exported from `testing/index.ts`, not from here.
 */
export { LtiError, LtiServiceError, LtiStateNotBoundError, type LtiErrorCode } from './errors.ts'
export { CLAIM, SCOPE, MEDIA_TYPE, LTI_VERSION, MESSAGE_TYPES, ACTIVITY_PROGRESS, GRADING_PROGRESS, type LtiMessageType } from './claims.ts'
export { ROLE, normaliseRole, normaliseRoles } from './roles.ts'
export type { Platform } from './platform.ts'
export type { Clock, FetchLike } from './fetch-like.ts'

export type { PlatformStore } from './stores/platform-store.ts'
export type { LoginState, LoginStateStore } from './stores/login-state-store.ts'
export type { NonceStore } from './stores/nonce-store.ts'
export type { KeyStore, ToolKey } from './stores/key-store.ts'
export type { AccessToken, AccessTokenCache } from './stores/access-token-cache.ts'

export { createLoginRequest, authenticationRequestUrl, type LoginOptions, type LoginRequest, type PlatformStorageLogin } from './login/create-login-request.ts'
export { resumeLoginRequest } from './login/resume-login-request.ts'
export { parseLoginParams, type LoginParams } from './login/login-params.ts'
export { newStateCookie, expiredStateCookie, hostCookieName, cookiesWork, cookiesWorkCookie, COOKIES_WORK_COOKIE, stateCookieAttributes, stateCookieHash, stateCookieMatches, stateCookieName, type StateCookie } from './login/state-cookie.ts'
export { platformStorageKeys, renderPlatformStoragePage, PLATFORM_STORAGE_SCRIPT, type PlatformStorageKeys, type PlatformStoragePage } from './login/platform-storage.ts'

export { validateLaunch, type LaunchOptions } from './launch/validate-launch.ts'
export { readLaunchForm, type LaunchForm } from './launch/read-launch-form.ts'
export { readUnverifiedHeader, type UnverifiedHeader } from './launch/read-unverified-header.ts'
export { checkState, consumeState } from './launch/check-state.ts'
export { checkBrowserBinding, loginRestart, type LaunchBinding } from './launch/check-browser-binding.ts'
export { findPlatform } from './launch/find-platform.ts'
export { verifySignature } from './launch/verify-signature.ts'
export { checkIssuer } from './launch/check-issuer.ts'
export { checkAudience } from './launch/check-audience.ts'
export { checkTimes, DEFAULT_CLOCK_TOLERANCE_S } from './launch/check-times.ts'
export { checkDeployment, requireKnownDeployment } from './launch/check-deployment.ts'
export { checkMessageType, checkVersion } from './launch/check-message-type.ts'
export { checkRequiredClaims, REQUIRED_CLAIMS } from './launch/check-required-claims.ts'
export { checkClaimValues, LIMITED_IDS, MAX_LTI_ID_LENGTH, SERVICE_URLS } from './launch/check-claim-values.ts'
export { consumeNonce } from './launch/consume-nonce.ts'
export { toLaunch, type LtiLaunch, type LtiUser, type DeepLinkingSettings } from './launch/lti-launch.ts'
export type { VerifiedClaims } from './launch/id-token-claims.ts'

export { createPlatformJwks, DEFAULT_MAX_STALE_MS, type PlatformJwks, type PlatformJwksOptions, type PlatformJwksStaleEvent, type PlatformJwksLastGood } from './keys/platform-jwks.ts'
export { generateToolKey, importSigningKey, publicJwkOf } from './keys/tool-key.ts'
export { toolJwks } from './keys/tool-jwks.ts'
export { rotateToolKeys, currentToolKey, type RotateOptions } from './keys/rotate-tool-keys.ts'
export { sealPrivateKey, openPrivateKey } from './keys/sealed-private-key.ts'

export { createDeepLinkingResponse, type DeepLinkingResponse, type DeepLinkingResponseOptions } from './deep-linking/create-deep-linking-response.ts'
export { renderAutoSubmitForm, AUTO_SUBMIT_SCRIPT, type AutoSubmitForm } from './deep-linking/auto-submit-form.ts'
export type { ContentItem, LtiResourceLinkItem, OtherContentItem } from './deep-linking/content-item.ts'

export type { ServiceContext } from './services/service-context.ts'
export { assertionAudiences, getAccessToken } from './services/access-token.ts'
export { findOrCreateLineItem, lineItemReadScope, listLineItems, type LineItem, type LineItemGrants, type LineItemSpec } from './services/ags-line-items.ts'
export { postScore, type Score, type ActivityProgress, type GradingProgress } from './services/ags-scores.ts'
export { getResults, type Result } from './services/ags-results.ts'
export { getMemberships, type Member, type Membership } from './services/nrps-memberships.ts'
export { nextLink } from './services/authorized-request.ts'
export { lineItemSubUrl } from './services/service-url.ts'

export { startRegistration, type StartRegistrationInput, type Registration } from './registration/start-registration.ts'
export { buildClientRegistration, DEFAULT_SCOPES, DEFAULT_DEEP_LINKING_PLACEMENTS, type ToolConfiguration } from './registration/tool-registration.ts'
export { parsePlatformConfiguration, checkPlatformUrl, type PlatformConfiguration, type PlatformUrlPolicy, type SupportedMessage } from './registration/platform-configuration.ts'
export { platformUrlRule, isLoopbackHost, MAX_PLATFORM_URL_LENGTH, type PlatformUrlRule } from './registration/platform-url-rules.ts'
export { createGuardedFetch, type GuardedFetchOptions, type ResolveHost } from './outbound/guarded-fetch.ts'
export { checkOutboundAddress, parsePrivateAddressAllowance, type OutboundAddressPolicy, type PrivateAddressAllowance, type PrivateAddressErrorCode } from './outbound/address-policy.ts'
export { specialPurposeRangeOf, type SpecialPurposeKind, type SpecialPurposeRange } from './outbound/special-purpose-address.ts'
export { renderRegistrationClosePage, REGISTRATION_CLOSE_SCRIPT, REGISTRATION_CLOSE_MESSAGE } from './registration/close-page.ts'

export { checkAuthenticationRequest, type AuthenticationProblem, type AuthenticationRequest, type ExpectedAuthentication } from './platform-side/authentication-request.ts'
export { resourceLinkClaims, deepLinkingRequestClaims, signPlatformMessage, type PlatformMessageInput, type PlatformServices } from './platform-side/platform-messages.ts'
export { checkDeepLinkingResponse, type DeepLinkingResponseCheck, type DeepLinkingResponseProblem, type ExpectedDeepLinkingResponse } from './platform-side/deep-linking-response.ts'
export { checkTokenRequest, JWT_BEARER, type ExpectedTokenRequest, type TokenRequestProblem, type TokenRequestResult } from './platform-side/token-request.ts'
export { checkScore, type CheckedScore, type ScoreCheck, type ScoreProblem } from './platform-side/score-body.ts'
export { repeatedParameter } from './platform-side/repeated-parameter.ts'

export { LtiStrategy, type LtiAuthenticateOptions, type LtiVerify, type LtiVerifyDone } from './passport/lti-strategy.ts'
export { createLtiHandlers, type LtiHandlersOptions } from './express/lti-handlers.ts'
export { LTI_ERROR_STATUS } from './express/error-status.ts'
