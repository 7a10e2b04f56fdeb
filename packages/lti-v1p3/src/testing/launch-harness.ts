import type { VerifiedClaims } from '../launch/id-token-claims.ts'
import { createLoginRequest } from '../login/create-login-request.ts'
import { createPlatformJwks } from '../keys/platform-jwks.ts'
import type { LaunchOptions } from '../launch/validate-launch.ts'
import type { LaunchBinding } from '../launch/check-browser-binding.ts'
import { createPlatformDouble, type PlatformDoubleOptions } from './platform-double.ts'
import { MemoryLoginStateStore, MemoryNonceStore, MemoryPlatformStore } from './memory-stores.ts'

/** Frozen test time: 2025-01-15T08:00:00Z. */
export const T0 = Date.UTC(2025, 0, 15, 8, 0, 0)

/**
 * Everything a launch test needs: a platform double registered with in-memory stores, a frozen
 * clock (`clock.now`, movable), and `login()` which runs a real login initiation and returns the
 * state and nonce the platform would echo. `browser` is the `LaunchBinding` of the browser that
 * ran those logins: it sends back every state cookie they set, as a browser does.
 */
export async function createLaunchHarness(options: PlatformDoubleOptions = {}) {
  const clock = { now: T0 }
  const now = () => clock.now
  const double = await createPlatformDouble({ now, ...options })
  const platforms = new MemoryPlatformStore()
  platforms.add(double.platform, [double.deploymentId])
  const loginStates = new MemoryLoginStateStore()
  const nonces = new MemoryNonceStore()
  const platformJwks = createPlatformJwks({ fetch: double.fetch, now })
  const redirectUri = 'https://tln.example/lti/launch'
  const launchOptions: LaunchOptions = { platforms, loginStates, nonces, platformJwks, now, redirectUri }

  const cookies = new Map<string, string>()
  const browser: LaunchBinding = { get cookieHeader() { return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } }
  const login = async (extra: Readonly<Record<string, string>> = {}) => {
    const request = await createLoginRequest(
      { iss: double.issuer, login_hint: 'user-17', target_link_uri: 'https://tln.example/lti/launch', client_id: double.clientId, lti_message_hint: 'hint-1', ...extra },
      { platforms, loginStates, redirectUri, now },
    )
    cookies.set(request.stateCookie.name, request.stateCookie.value)
    return { state: request.state, nonce: request.nonce, request }
  }

  return { clock, now, double, platforms, loginStates, nonces, platformJwks, launchOptions, redirectUri, login, browser }
}

/** Treat a plain object as verified claims, for unit tests of the claim checks. */
export function verified(claims: Record<string, unknown>): VerifiedClaims {
  return claims as VerifiedClaims
}
