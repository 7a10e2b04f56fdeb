import { repeatedParameter } from './repeated-parameter.ts'

/**
 * The platform's side of the OIDC authentication request of an LTI launch (Security Framework 1.0
 * §5.1.1.2, OpenID Connect Core 1.0 §3.1.2.1), for a platform TLN itself plays (the demo LMS).
 * Pure: the caller says what it expects, the checks say what is wrong.
 */

/** What the platform registered for the tool and issued for this login. */
export interface ExpectedAuthentication {
  readonly clientId: string
  /** The tool's registered redirect URIs (Security Framework 1.0 §5.1.1.2: `redirect_uri` MUST be one). */
  readonly redirectUris: readonly string[]
  /** True when `login_hint` (and `lti_message_hint`) are ones this platform issued. */
  readonly hintIssued: (loginHint: string, ltiMessageHint: string | undefined) => boolean
}

/** A request that passed every check. */
export interface AuthenticationRequest {
  readonly clientId: string
  readonly redirectUri: string
  readonly loginHint: string
  readonly ltiMessageHint?: string
  readonly state: string
  readonly nonce: string
}

/** Which parameter broke which rule. */
export interface AuthenticationProblem {
  readonly field: string
  readonly rule: string
  readonly message: string
}

type Check = (params: URLSearchParams, expected: ExpectedAuthentication) => AuthenticationProblem | undefined

const exactly = (field: string, value: string, rule: string): Check => (params) =>
  params.get(field) === value ? undefined : { field, rule, message: `${field} must be "${value}"` }

const present = (field: string, rule: string): Check => (params) =>
  (params.get(field) ?? '') !== '' ? undefined : { field, rule, message: `${field} is required` }

/** The parameters of an authentication request (OIDC Core 1.0 §3.1.2.1, Security Framework 1.0 §5.1.1.2). */
const PARAMETERS = ['scope', 'response_type', 'response_mode', 'prompt', 'client_id', 'redirect_uri', 'login_hint', 'lti_message_hint', 'state', 'nonce'] as const

/** None of them given twice: which one would count is undefined (RFC 6749 §3.1: "MUST NOT be included more than once"). */
const once: Check = (params) => {
  const repeated = repeatedParameter(params, PARAMETERS)
  return repeated === undefined ? undefined : { field: repeated, rule: 'RFC 6749 §3.1', message: `${repeated} is repeated: a parameter MUST NOT be included more than once` }
}

/** The checks in order: no repeated parameter, the fixed values, then who the client is, where the answer goes, and whose login it is. */
const CHECKS: readonly Check[] = [
  once,
  exactly('scope', 'openid', 'OIDC Core 1.0 §3.1.2.1 (scope)'),
  exactly('response_type', 'id_token', 'Security Framework 1.0 §5.1.1.2 (response_type)'),
  exactly('response_mode', 'form_post', 'Security Framework 1.0 §5.1.1.2 (response_mode)'),
  exactly('prompt', 'none', 'Security Framework 1.0 §5.1.1.2 (prompt)'),
  (params, expected) => exactly('client_id', expected.clientId, 'Security Framework 1.0 §5.1.1.2 (client_id)')(params, expected),
  (params, expected) => expected.redirectUris.includes(params.get('redirect_uri') ?? '')
    ? undefined
    : { field: 'redirect_uri', rule: 'Security Framework 1.0 §5.1.1.2 (redirect_uri)', message: 'redirect_uri is not a redirect URI registered for this client' },
  present('login_hint', 'Security Framework 1.0 §5.1.1.2 (login_hint)'),
  (params, expected) => expected.hintIssued(params.get('login_hint')!, params.get('lti_message_hint') ?? undefined)
    ? undefined
    : { field: 'login_hint', rule: 'Security Framework 1.0 §5.1.1.2 (login_hint)', message: 'login_hint and lti_message_hint were not issued by this platform, or have expired' },
  present('state', 'OIDC Core 1.0 §3.1.2.1 (state)'),
  present('nonce', 'Security Framework 1.0 §5.1.1.2 (nonce)'),
]

/**
 * Checks an authentication request the tool sent (its query, or its form for a POST) in order and
 * returns the first problem, or the request. "The Platform MUST validate the redirect_uri"
 * against the registered ones (Security Framework 1.0 §5.1.1.2) comes before anything is signed.
 */
export function checkAuthenticationRequest(params: URLSearchParams, expected: ExpectedAuthentication): { ok: true; request: AuthenticationRequest } | { ok: false; problem: AuthenticationProblem } {
  for (const check of CHECKS) {
    const problem = check(params, expected)
    if (problem !== undefined) return { ok: false, problem }
  }
  const hint = params.get('lti_message_hint')
  return {
    ok: true,
    request: {
      clientId: params.get('client_id')!, redirectUri: params.get('redirect_uri')!, loginHint: params.get('login_hint')!,
      ...(hint !== null && { ltiMessageHint: hint }), state: params.get('state')!, nonce: params.get('nonce')!,
    },
  }
}
