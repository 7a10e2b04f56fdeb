import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose'
import { CLAIM, LTI_VERSION } from '../claims.ts'

/**
 * The platform's check of a Deep Linking response (Deep Linking 2.0 §4.5), a Tool-Originating
 * Message (Security Framework 1.0 §5.2), for a platform TLN itself plays (the demo LMS). Checks in
 * order, the signature first; the `nonce` is consumed last, once everything else passed, so that a
 * refused response burns nothing and the same response is accepted once.
 */

/** What the platform expects of a tool's Deep Linking response. */
export interface ExpectedDeepLinkingResponse {
  /** The tool's client id: the JWT's `iss` (Security Framework 1.0 §5.2.3, item 2). */
  readonly clientId: string
  /** The platform's issuer: the JWT's one `aud` (§5.2.3, item 3) and `azp` when present (item 5). */
  readonly issuer: string
  /** The deployment the request named: the response carries the same one (Deep Linking 2.0 §4.5). */
  readonly deploymentId: string
  /** The tool's JWKS: the response is signed by one of its keys, RS256 (§5.2.3, items 1 and 6). */
  readonly toolJwks: JSONWebKeySet
  readonly now: number
  /** The longest `exp − iat` accepted, in seconds (§5.2.3, item 8: it bounds how long a nonce is kept); 3600 unless given. */
  readonly maxLifetimeS?: number
  /** Records the response's `nonce` until `expiresAt`; false when it was received already (§5.2.3, item 9). */
  readonly consumeNonce: (nonce: string, expiresAt: number) => Promise<boolean>
}

/** Which claim broke which rule. */
export interface DeepLinkingResponseProblem {
  readonly field: string
  readonly rule: string
  readonly message: string
}

export type DeepLinkingResponseCheck = { readonly ok: true; readonly payload: JWTPayload } | { readonly ok: false; readonly problem: DeepLinkingResponseProblem }

/** Longest `nonce` kept: it is a key in the platform's store (and a B-tree entry), so it is bounded. */
const MAX_NONCE_LENGTH = 255
const DEFAULT_MAX_LIFETIME_S = 3600

const problem = (field: string, rule: string, message: string): DeepLinkingResponseCheck => ({ ok: false, problem: { field, rule, message } })

/**
 * Checks the `JWT` form parameter of a Deep Linking response: the signature, `iss`, `aud`, `exp`,
 * `iat` and `nonce` as Security Framework 1.0 §5.2.3 says a platform MUST, then the message's own
 * claims (Deep Linking 2.0 §4.5), then the nonce once. Returns the verified payload or the first problem.
 */
export async function checkDeepLinkingResponse(jwt: string, expected: ExpectedDeepLinkingResponse): Promise<DeepLinkingResponseCheck> {
  let payload: JWTPayload
  try {
    // §5.2.2: iss, aud, exp, iat and nonce are REQUIRED; never decoded before the signature is verified.
    ;({ payload } = await jwtVerify(jwt, createLocalJWKSet(expected.toolJwks), {
      algorithms: ['RS256'], issuer: expected.clientId, audience: expected.issuer, requiredClaims: ['exp', 'iat', 'nonce'],
      currentDate: new Date(expected.now), clockTolerance: 5,
    }))
  } catch (error) {
    return problem('JWT', 'Security Framework 1.0 §5.2.3', `the response does not verify: ${(error as Error).message}`)
  }
  // §5.2.3, item 3: "reject the Tool JWT if it … contains additional audiences not trusted by the Platform".
  if (Array.isArray(payload.aud) && payload.aud.some((a) => a !== expected.issuer)) return problem('aud', 'Security Framework 1.0 §5.2.3, item 3', 'aud names another audience besides this platform')
  if (payload.azp !== undefined && payload.azp !== expected.issuer) return problem('azp', 'Security Framework 1.0 §5.2.3, item 5', 'azp must be this platform\'s issuer')
  const lifetime = payload.exp! - payload.iat!
  const maxLifetimeS = expected.maxLifetimeS ?? DEFAULT_MAX_LIFETIME_S
  if (!(lifetime >= 0 && lifetime <= maxLifetimeS)) return problem('exp', 'Security Framework 1.0 §5.2.3, item 8', `exp − iat must be between 0 and ${maxLifetimeS} seconds`)
  if (payload.iat! * 1000 > expected.now + 5_000) return problem('iat', 'Security Framework 1.0 §5.2.3, item 8', 'iat is in the future')
  const nonce = payload.nonce
  if (typeof nonce !== 'string' || nonce === '' || nonce.length > MAX_NONCE_LENGTH || /[\u0000-\u001f]/u.test(nonce)) {
    return problem('nonce', 'Security Framework 1.0 §5.2.2 (nonce)', `nonce must be a string of 1 to ${MAX_NONCE_LENGTH} characters without control characters`)
  }
  if (payload[CLAIM.messageType] !== 'LtiDeepLinkingResponse') return problem(CLAIM.messageType, 'Deep Linking 2.0 §4.5', 'message_type must be "LtiDeepLinkingResponse"')
  if (payload[CLAIM.version] !== LTI_VERSION) return problem(CLAIM.version, 'Deep Linking 2.0 §4.5', `version must be "${LTI_VERSION}"`)
  if (payload[CLAIM.deploymentId] !== expected.deploymentId) return problem(CLAIM.deploymentId, 'Deep Linking 2.0 §4.5', 'deployment_id must be the deployment of the Deep Linking request')
  // §5.2.3, item 9: "verify that it has not yet received this nonce value … to prevent replay attacks". Last, so a refused response burns nothing.
  if (!(await expected.consumeNonce(nonce, payload.exp! * 1000))) return problem('nonce', 'Security Framework 1.0 §5.2.3, item 9', 'this response was received already (its nonce is spent): a Deep Linking response is accepted once')
  return { ok: true, payload }
}
