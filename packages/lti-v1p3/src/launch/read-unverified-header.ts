import { decodeProtectedHeader } from 'jose'
import { LtiError } from '../errors.ts'

/** The only parts of a token read before its signature is verified: they pick the key. */
export interface UnverifiedHeader {
  readonly kid: string
  readonly alg: 'RS256'
}

/**
 * Read `alg` and `kid` from the JOSE header — nothing from the payload. Rejects any `alg` but
 * RS256 before a key is even looked up (LTI Core 1.3 §5.1.3 / Security Framework 1.0 §5.1.3 step
 * 1 and §6.1: "MUST use RS256"), so `none` and HS256 never reach verification; requires `kid`
 * (Security Framework 1.0 §6.3: the platform's JWT header carries the `kid` of its JWKS key).
 */
export function readUnverifiedHeader(idToken: string): UnverifiedHeader {
  let header: ReturnType<typeof decodeProtectedHeader>
  try {
    if (idToken.split('.').length !== 3) throw new Error('not a compact JWS')
    header = decodeProtectedHeader(idToken)
  } catch (cause) {
    throw new LtiError('ERR_LTI_MALFORMED_TOKEN', 'id_token is not a compact JWS', undefined, { cause })
  }
  if (header.alg !== 'RS256') {
    throw new LtiError('ERR_LTI_ALG_NOT_ALLOWED', 'id_token alg must be RS256 (Security Framework 1.0 §6.1)', { alg: header.alg })
  }
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw new LtiError('ERR_LTI_MISSING_KID', 'id_token header has no kid (Security Framework 1.0 §6.3)', { claim: 'kid', rule: 'is REQUIRED in the JWT header: it names the platform key that signed the token (Security Framework 1.0 §6.3)' })
  }
  return { kid: header.kid, alg: 'RS256' }
}
