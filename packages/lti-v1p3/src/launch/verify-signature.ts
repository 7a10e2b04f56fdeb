import { compactVerify, errors } from 'jose'
import { LtiError } from '../errors.ts'
import type { PlatformJwks } from '../keys/platform-jwks.ts'
import type { Platform } from '../platform.ts'
import { isObject, type VerifiedClaims } from './id-token-claims.ts'
import type { UnverifiedHeader } from './read-unverified-header.ts'

/**
 * Verify the id_token signature with the platform's public key (Security Framework 1.0 §5.1.3
 * step 1: "The Tool MUST Validate the signature of the ID Token according to JSON Web Signature
 * [RFC7515], Section 5.2 using the Public Key from the Platform"). `algorithms` is fixed to
 * RS256, so `alg: none` and HS256 signed with the public key as HMAC secret fail here too.
 * Claims are checked by the steps that follow; only the returned payload is trusted.
 */
export async function verifySignature(idToken: string, header: UnverifiedHeader, platform: Platform, jwks: PlatformJwks): Promise<VerifiedClaims> {
  const key = await jwks.getKey(platform.jwksUri, { alg: header.alg, kid: header.kid }, platform)
  let payload: Uint8Array
  try {
    ;({ payload } = await compactVerify(idToken, key, { algorithms: ['RS256'] }))
  } catch (cause) {
    if (cause instanceof errors.JOSEAlgNotAllowed) throw new LtiError('ERR_LTI_ALG_NOT_ALLOWED', 'id_token alg must be RS256', undefined, { cause })
    if (cause instanceof errors.JWSSignatureVerificationFailed) throw new LtiError('ERR_LTI_SIGNATURE_INVALID', 'id_token signature does not verify with the platform key', { kid: header.kid }, { cause })
    throw new LtiError('ERR_LTI_MALFORMED_TOKEN', 'id_token cannot be verified', undefined, { cause })
  }
  let claims: unknown
  try {
    claims = JSON.parse(new TextDecoder().decode(payload))
  } catch (cause) {
    throw new LtiError('ERR_LTI_MALFORMED_TOKEN', 'id_token payload is not JSON', undefined, { cause })
  }
  if (!isObject(claims)) throw new LtiError('ERR_LTI_MALFORMED_TOKEN', 'id_token payload is not a JSON object')
  return claims as VerifiedClaims
}
