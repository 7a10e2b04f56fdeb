import { LtiError } from '../errors.ts'
import type { Clock } from '../fetch-like.ts'
import { requireKnownDeployment } from '../launch/check-deployment.ts'
import type { Platform } from '../platform.ts'
import { randomToken } from '../random.ts'
import type { LoginStateStore } from '../stores/login-state-store.ts'
import type { PlatformStore } from '../stores/platform-store.ts'
import { parseLoginParams } from './login-params.ts'
import { platformStorageKeys, type PlatformStorageKeys } from './platform-storage.ts'
import { newStateCookie, stateCookieHash, type StateCookie } from './state-cookie.ts'

export interface LoginOptions {
  readonly platforms: PlatformStore
  readonly loginStates: LoginStateStore
  /** The tool's launch URL, registered at the platform and matched exactly (e.g. `https://tln.example/lti/launch`). */
  readonly redirectUri: string
  /**
   * Whether the tool will serve this `target_link_uri`. Defaults to "same origin as
   * `redirectUri`", so a forged login cannot turn the tool into an open redirect.
   */
  readonly isAllowedTargetLinkUri?: (uri: string) => boolean
  /** Lifetime of a login state; default 5 minutes. */
  readonly stateTtlMs?: number
  readonly now?: Clock
}

/** What the tool page needs to put state and nonce into platform storage before redirecting. */
export interface PlatformStorageLogin extends PlatformStorageKeys {
  /** Frame name from `lti_storage_target` (`_parent` means the parent window itself). */
  readonly target: string
  /** Target origin for postMessage: the origin of the platform's OIDC authorization endpoint. */
  readonly platformOrigin: string
}

export interface LoginRequest {
  /** The authentication request to send the browser to (HTTP 302 or a page that navigates). */
  readonly redirectUrl: string
  readonly state: string
  readonly nonce: string
  readonly platform: Platform
  /**
   * Set it on the response (`header` is the whole `Set-Cookie` value): the launch is accepted only
   * from the browser that sends it back, or that passes the platform-storage check.
   */
  readonly stateCookie: StateCookie
  /** Present when the platform offered `lti_storage_target`. */
  readonly platformStorage?: PlatformStorageLogin
}

/**
 * Handle an OIDC third-party initiated login (Security Framework 1.0 §5.1.1.1–5.1.1.2; LTI Core
 * 1.3 §4.1): validate the parameters, find the registration, refuse an `lti_deployment_id` it does
 * not list (`ERR_LTI_UNKNOWN_DEPLOYMENT`, as the launch would), store a fresh state and nonce
 * server-side (single use, short-lived) with the hash of a fresh state cookie that binds the login
 * to this browser (`state-cookie.ts`), and build the authentication request with exactly the
 * parameters the spec names — no others (Moodle rejects unknown ones such as `repost`).
 *
 * @param input - the query (GET) or form body (POST) of the initiation request, untrusted.
 */
export async function createLoginRequest(input: Readonly<Record<string, unknown>>, options: LoginOptions): Promise<LoginRequest> {
  const params = parseLoginParams(input)
  const allowed = options.isAllowedTargetLinkUri ?? ((uri: string) => new URL(uri).origin === new URL(options.redirectUri).origin)
  if (!allowed(params.targetLinkUri)) {
    throw new LtiError('ERR_LTI_INVALID_LOGIN_REQUEST', 'target_link_uri is not a URL of this tool', { targetLinkUri: params.targetLinkUri })
  }
  const platform = await findLoginPlatform(options.platforms, params.iss, params.clientId)
  // LTI Core 1.3 §4.1.2: lti_deployment_id, if included, "MUST contain the same deployment id that
  // would be passed in the deployment_id claim for the subsequent LTI message launch". One the
  // launch would refuse (`checkDeployment`) is refused here, with the same error, before the
  // browser goes to the platform and back.
  if (params.ltiDeploymentId !== undefined) await requireKnownDeployment(params.ltiDeploymentId, platform, options.platforms, { param: 'lti_deployment_id' })
  const now = (options.now ?? Date.now)()
  const state = randomToken()
  const nonce = randomToken()
  const ttlMs = options.stateTtlMs ?? 5 * 60_000
  const stateCookie = newStateCookie(state, options.redirectUri, ttlMs / 1000)
  await options.loginStates.save(state, {
    nonce,
    iss: platform.issuer,
    clientId: platform.clientId,
    targetLinkUri: params.targetLinkUri,
    expiresAt: now + ttlMs,
    cookieHash: stateCookieHash(stateCookie.value),
    loginHint: params.loginHint,
    ...(params.ltiMessageHint !== undefined && { ltiMessageHint: params.ltiMessageHint }),
    ...(params.ltiDeploymentId !== undefined && { ltiDeploymentId: params.ltiDeploymentId }),
  })

  const url = new URL(authenticationRequestUrl(platform, options.redirectUri, { loginHint: params.loginHint, ltiMessageHint: params.ltiMessageHint }, state, nonce))
  const platformStorage = params.ltiStorageTarget === undefined
    ? undefined
    : { target: params.ltiStorageTarget, platformOrigin: url.origin, ...platformStorageKeys(state, nonce) }
  return { redirectUrl: url.href, state, nonce, platform, stateCookie, ...(platformStorage && { platformStorage }) }
}

/**
 * The OIDC authentication request (Security Framework 1.0 §5.1.1.2) with exactly the parameters the
 * spec names, `lti_message_hint` unaltered.
 */
export function authenticationRequestUrl(
  platform: Platform, redirectUri: string, hints: { readonly loginHint: string; readonly ltiMessageHint?: string | undefined }, state: string, nonce: string,
): string {
  const url = new URL(platform.authorizationEndpoint)
  const query: [string, string | undefined][] = [
    ['scope', 'openid'],
    ['response_type', 'id_token'],
    ['response_mode', 'form_post'],
    ['prompt', 'none'],
    ['client_id', platform.clientId],
    ['redirect_uri', redirectUri],
    ['login_hint', hints.loginHint],
    ['lti_message_hint', hints.ltiMessageHint],
    ['state', state],
    ['nonce', nonce],
  ]
  for (const [name, value] of query) if (value !== undefined) url.searchParams.set(name, value)
  return url.href
}

async function findLoginPlatform(platforms: PlatformStore, iss: string, clientId: string | undefined): Promise<Platform> {
  if (clientId !== undefined) {
    const platform = await platforms.find(iss, clientId)
    if (platform) return platform
  } else {
    // client_id is optional in the initiation; without it the issuer must identify one registration.
    const candidates = await platforms.findByIssuer(iss)
    if (candidates.length === 1 && candidates[0]) return candidates[0]
  }
  throw new LtiError('ERR_LTI_UNKNOWN_PLATFORM', 'no registration for this issuer and client_id', { iss, clientId })
}
