import type { Credential, CredentialStore } from '../credentials/credential-store.ts'
import { LrsError } from '../errors.ts'

/**
 * Too many failed attempts from this client address or against this key: 429 with `Retry-After`
 * (RFC 6585 §4), answered without checking the secret.
 */
export class AuthThrottledError extends LrsError {
  constructor(readonly retryAfterS: number) {
    super('ERR_LRS_TOO_MANY_REQUESTS', `too many failed authentication attempts; try again in ${retryAfterS} s`, 'Authorization')
  }
}

/**
 * HTTP Basic authentication (RFC 7617) of an LRS client (xAPI 1.0.3 Communication 4.1: the LRS
 * MUST support HTTP Basic). Missing or wrong credentials are a 401; after too many failures from
 * `address` or against the key, a 429 (`AuthThrottledError`, see `AuthThrottle`).
 *
 * @param address the client address (`req.ip`: the socket, or the proxy's client when the
 *   operator set `TLN_TRUST_PROXY`)
 */
export async function authenticate(authorization: string | undefined, credentials: CredentialStore, address?: string): Promise<Credential> {
  const match = /^Basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i.exec(authorization ?? '')
  if (match === null) throw new LrsError('ERR_LRS_UNAUTHORIZED', 'this resource needs HTTP Basic credentials (Authorization: Basic …)', 'Authorization')
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) throw new LrsError('ERR_LRS_UNAUTHORIZED', 'the Basic credentials must be key:secret', 'Authorization')
  const checked = await credentials.check(decoded.slice(0, colon), decoded.slice(colon + 1), address)
  if (checked.outcome === 'throttled') throw new AuthThrottledError(checked.retryAfterS)
  if (checked.outcome === 'invalid') throw new LrsError('ERR_LRS_UNAUTHORIZED', 'the key or secret is wrong, or the credential was revoked', 'Authorization')
  return checked.credential
}
