import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import { repeatedParameter } from './repeated-parameter.ts'

/**
 * The platform's side of the LTI Advantage token request (Security Framework 1.0 §4.1; RFC 6749
 * §4.4 client credentials with an RFC 7523 §2.2 JWT client assertion), for a platform TLN itself
 * plays (the demo LMS). Checks in order; the assertion's `jti` is consumed last, once everything
 * else passed, so that a refused request burns nothing.
 */

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

/** What the platform expects of a tool's token request. */
export interface ExpectedTokenRequest {
  readonly clientId: string
  /** The token endpoint's URL: the assertion's `aud` MUST contain it (RFC 7523 §3, item 3). */
  readonly tokenEndpoint: string
  /** The tool's JWKS: the assertion is signed by one of its keys (Security Framework 1.0 §4.1). */
  readonly toolJwks: JSONWebKeySet
  /** The scopes the platform grants this tool; a request for another is `invalid_scope`. */
  readonly scopes: readonly string[]
  readonly now: number
  /** Records the assertion's `jti` until `expiresAt`; false when it was used already (RFC 7523 §3, item 7). */
  readonly consumeJti: (jti: string, expiresAt: number) => Promise<boolean>
}

/** An OAuth 2.0 error response (RFC 6749 §5.2) and its status: 401 for a failed client authentication, else 400. */
export interface TokenRequestProblem {
  readonly status: 400 | 401
  readonly error: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope'
  readonly errorDescription: string
}

export type TokenRequestResult = { readonly ok: true; readonly scopes: readonly string[] } | { readonly ok: false; readonly problem: TokenRequestProblem }

const refuse = (status: 400 | 401, error: TokenRequestProblem['error'], errorDescription: string): TokenRequestResult => ({ ok: false, problem: { status, error, errorDescription } })

/** The parameters of a token request (RFC 6749 §4.4.2, RFC 7523 §2.2). */
const PARAMETERS = ['grant_type', 'client_assertion_type', 'client_assertion', 'scope'] as const
/** The longest assertion lifetime accepted from now: the `jti` is kept until `exp` (RFC 7523 §3, item 4: "unreasonably far in the future" MAY be rejected). */
const MAX_ASSERTION_LIFETIME_S = 3600
/** The longest `jti` kept: it is a key in the platform's store (and a B-tree entry), so it is bounded. */
const MAX_JTI_LENGTH = 255

/** Checks a token request's form: grant type, assertion type, the signed assertion, the scopes, then the `jti`. */
export async function checkTokenRequest(form: URLSearchParams, expected: ExpectedTokenRequest): Promise<TokenRequestResult> {
  // RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than once" (§5.2 invalid_request).
  const repeated = repeatedParameter(form, PARAMETERS)
  if (repeated !== undefined) return refuse(400, 'invalid_request', `${repeated} is repeated: a parameter MUST NOT be included more than once (RFC 6749 §3.2)`)
  if (form.get('grant_type') !== 'client_credentials') return refuse(400, 'unsupported_grant_type', 'grant_type must be client_credentials (Security Framework 1.0 §4.1)')
  if (form.get('client_assertion_type') !== JWT_BEARER) return refuse(400, 'invalid_request', `client_assertion_type must be ${JWT_BEARER} (RFC 7523 §2.2)`)
  const assertion = form.get('client_assertion') ?? ''
  if (assertion === '') return refuse(400, 'invalid_request', 'client_assertion is required (RFC 7523 §2.2)')
  let payload
  try {
    // RFC 7523 §3: iss and sub the client id, aud the token endpoint, exp required; RS256 only (Security Framework 1.0 §5.4).
    ;({ payload } = await jwtVerify(assertion, createLocalJWKSet(expected.toolJwks), {
      algorithms: ['RS256'], issuer: expected.clientId, subject: expected.clientId, audience: expected.tokenEndpoint,
      requiredClaims: ['exp', 'jti'], currentDate: new Date(expected.now), clockTolerance: 5,
    }))
  } catch (error) {
    return refuse(401, 'invalid_client', `the client assertion does not verify: ${(error as Error).message}`)
  }
  const requested = (form.get('scope') ?? '').split(' ').filter(Boolean)
  if (requested.length === 0) return refuse(400, 'invalid_scope', 'scope is required: name the services asked for (Security Framework 1.0 §4.1)')
  const unknown = requested.filter((s) => !expected.scopes.includes(s))
  if (unknown.length > 0) return refuse(400, 'invalid_scope', `not granted to this tool: ${unknown.join(' ')}`)
  if (typeof payload.jti !== 'string' || payload.jti === '') return refuse(401, 'invalid_client', 'the client assertion has no jti (RFC 7523 §3)')
  if (payload.jti.length > MAX_JTI_LENGTH || /[\u0000-\u001f]/u.test(payload.jti)) return refuse(401, 'invalid_client', `the client assertion's jti must be at most ${MAX_JTI_LENGTH} characters, without control characters`)
  if (payload.exp! * 1000 > expected.now + MAX_ASSERTION_LIFETIME_S * 1000) return refuse(401, 'invalid_client', `the client assertion's exp is more than ${MAX_ASSERTION_LIFETIME_S} s ahead (RFC 7523 §3, item 4)`)
  if (!(await expected.consumeJti(payload.jti, payload.exp! * 1000))) return refuse(401, 'invalid_client', 'the client assertion\'s jti was used already (RFC 7523 §3: a JWT is not replayed)')
  return { ok: true, scopes: [...new Set(requested)] }
}
