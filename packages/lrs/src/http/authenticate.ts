import type { Credential, CredentialStore } from '../credentials/credential-store.ts'
import { LrsError } from '../errors.ts'

/**
 * HTTP Basic authentication (RFC 7617) of an LRS client (xAPI 1.0.3 Communication 4.1: the LRS
 * MUST support HTTP Basic). Missing or wrong credentials are a 401.
 */
export async function authenticate(authorization: string | undefined, credentials: CredentialStore): Promise<Credential> {
  const match = /^Basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i.exec(authorization ?? '')
  if (match === null) throw new LrsError('ERR_LRS_UNAUTHORIZED', 'this resource needs HTTP Basic credentials (Authorization: Basic …)', 'Authorization')
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) throw new LrsError('ERR_LRS_UNAUTHORIZED', 'the Basic credentials must be key:secret', 'Authorization')
  const credential = await credentials.verify(decoded.slice(0, colon), decoded.slice(colon + 1))
  if (credential === undefined) throw new LrsError('ERR_LRS_UNAUTHORIZED', 'the key or secret is wrong, or the credential was revoked', 'Authorization')
  return credential
}
