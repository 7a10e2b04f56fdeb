import { LtiError } from '../errors.ts'
import type { Platform } from '../platform.ts'
import type { LoginState } from '../stores/login-state-store.ts'
import type { PlatformStore } from '../stores/platform-store.ts'

/**
 * The registration the login was started for (issuer and client_id recorded in the login state),
 * which supplies the JWKS URL. Taking them from our own login state rather than from the
 * unverified token means no payload claim is trusted before the signature is checked.
 */
export async function findPlatform(platforms: PlatformStore, login: Pick<LoginState, 'iss' | 'clientId'>): Promise<Platform> {
  const platform = await platforms.find(login.iss, login.clientId)
  if (!platform) throw new LtiError('ERR_LTI_UNKNOWN_PLATFORM', 'the platform registration of this login no longer exists', { iss: login.iss, clientId: login.clientId })
  return platform
}
