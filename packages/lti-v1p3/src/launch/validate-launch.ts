import type { Clock } from '../fetch-like.ts'
import type { PlatformJwks } from '../keys/platform-jwks.ts'
import type { LoginStateStore } from '../stores/login-state-store.ts'
import type { NonceStore } from '../stores/nonce-store.ts'
import type { PlatformStore } from '../stores/platform-store.ts'
import { checkAudience } from './check-audience.ts'
import { checkClaimValues } from './check-claim-values.ts'
import { checkDeployment } from './check-deployment.ts'
import { checkIssuer } from './check-issuer.ts'
import { checkMessageType, checkVersion } from './check-message-type.ts'
import { checkRequiredClaims } from './check-required-claims.ts'
import { checkBrowserBinding, type LaunchBinding } from './check-browser-binding.ts'
import { checkState, consumeState } from './check-state.ts'
import { checkTimes, DEFAULT_CLOCK_TOLERANCE_S } from './check-times.ts'
import { consumeNonce } from './consume-nonce.ts'
import { findPlatform } from './find-platform.ts'
import { toLaunch, type LtiLaunch } from './lti-launch.ts'
import { readLaunchForm } from './read-launch-form.ts'
import { readUnverifiedHeader } from './read-unverified-header.ts'
import { verifySignature } from './verify-signature.ts'

export interface LaunchOptions {
  readonly platforms: PlatformStore
  readonly loginStates: LoginStateStore
  readonly nonces: NonceStore
  readonly platformJwks: PlatformJwks
  /**
   * The tool's launch URL (`LoginOptions.redirectUri`): over https the state cookie is read only
   * under its `__Host-` name (RFC 6265bis §4.1.3.2; `state-cookie.ts`).
   */
  readonly redirectUri: string
  readonly now?: Clock
  /** Seconds of clock skew allowed on exp/iat/nbf; default 5, at most 60. */
  readonly clockToleranceS?: number
}

/**
 * Validate an LTI launch (Security Framework 1.0 §5.1.3; LTI Core 1.3 §5) as an ordered list of
 * named checks, run one after the other — never concurrently — with the nonce consumed last:
 *
 * `readLaunchForm → readUnverifiedHeader → checkState → checkBrowserBinding → consumeState →
 * findPlatform → verifySignature → checkIssuer → checkAudience → checkTimes → checkDeployment → checkMessageType → checkVersion →
 * checkRequiredClaims → checkClaimValues → consumeNonce`.
 *
 * The state is checked before the signature because the login state — not the unverified token —
 * names the registration whose keys verify it; a request without a live state is thus refused
 * before any JWKS is fetched. The state must be bound to this browser (its state cookie, or a
 * verified platform-storage check) before it is consumed: a launch posted from another browser
 * leaves it in place.
 *
 * @param body - the form posted to the redirect URI (`id_token`, `state`), untrusted.
 * @param binding - what the request shows about the browser (its `Cookie` header, a platform-storage check).
 */
export async function validateLaunch(body: Readonly<Record<string, unknown>> | undefined, options: LaunchOptions, binding: LaunchBinding): Promise<LtiLaunch> {
  const now = options.now ?? Date.now
  const { idToken, state } = readLaunchForm(body)
  const header = readUnverifiedHeader(idToken)
  const login = await checkState(state, options.loginStates, now())
  checkBrowserBinding(state, login, binding, options.redirectUri)
  await consumeState(state, options.loginStates)
  const platform = await findPlatform(options.platforms, login)
  const claims = await verifySignature(idToken, header, platform, options.platformJwks)
  checkIssuer(claims, platform)
  checkAudience(claims, platform)
  checkTimes(claims, now(), options.clockToleranceS ?? DEFAULT_CLOCK_TOLERANCE_S)
  const deploymentId = await checkDeployment(claims, platform, options.platforms, login)
  const messageType = checkMessageType(claims)
  checkVersion(claims)
  checkRequiredClaims(claims, messageType)
  checkClaimValues(claims, platform)
  await consumeNonce(claims, login, options.nonces)
  return toLaunch(claims, messageType, platform, deploymentId)
}
