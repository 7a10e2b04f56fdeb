/**
 * Errors of the LTI protocol library. One base class with a stable `code`; code and tests switch
 * on `code`, never on message text. HTTP statuses are mapped in one table at the edge
 * (`express/error-status.ts`), never here.
 *
 * A caller's mistake (missing configuration, a negative score) is a `TypeError`; an `LtiError`
 * means untrusted input (a platform's request or answer) broke a rule.
 */
export type LtiErrorCode =
  // OIDC third-party initiated login (Security Framework 1.0 §5.1.1.1)
  | 'ERR_LTI_INVALID_LOGIN_REQUEST'
  | 'ERR_LTI_UNKNOWN_PLATFORM'
  // Launch (Security Framework 1.0 §5.1.3, LTI Core 1.3 §5)
  | 'ERR_LTI_MISSING_ID_TOKEN'
  | 'ERR_LTI_MALFORMED_TOKEN'
  | 'ERR_LTI_ALG_NOT_ALLOWED'
  | 'ERR_LTI_MISSING_KID'
  | 'ERR_LTI_UNKNOWN_KID'
  | 'ERR_LTI_SIGNATURE_INVALID'
  | 'ERR_LTI_JWKS_UNAVAILABLE'
  | 'ERR_LTI_ISS_MISMATCH'
  | 'ERR_LTI_AUD_MISMATCH'
  | 'ERR_LTI_AZP_MISMATCH'
  | 'ERR_LTI_TOKEN_EXPIRED'
  | 'ERR_LTI_TOKEN_NOT_YET_VALID'
  | 'ERR_LTI_IAT_IN_FUTURE'
  | 'ERR_LTI_STATE_MISSING'
  | 'ERR_LTI_STATE_UNKNOWN'
  | 'ERR_LTI_STATE_EXPIRED'
  | 'ERR_LTI_STATE_NOT_BOUND'
  | 'ERR_LTI_UNKNOWN_DEPLOYMENT'
  | 'ERR_LTI_DEPLOYMENT_MISMATCH'
  | 'ERR_LTI_UNSUPPORTED_MESSAGE_TYPE'
  | 'ERR_LTI_UNSUPPORTED_VERSION'
  | 'ERR_LTI_MISSING_CLAIM'
  | 'ERR_LTI_INVALID_CLAIM'
  | 'ERR_LTI_NONCE_MISMATCH'
  | 'ERR_LTI_NONCE_REPLAYED'
  | 'ERR_LTI_PLATFORM_ERROR_RESPONSE'
  // Services (AGS 2.0, NRPS 2.0, Security Framework 1.0 §4.1) and Dynamic Registration 1.0
  | 'ERR_LTI_SERVICE_HTTP'
  | 'ERR_LTI_SERVICE_NETWORK'
  | 'ERR_LTI_SERVICE_INVALID_RESPONSE'
  | 'ERR_LTI_REGISTRATION_INVALID_CONFIGURATION'
  | 'ERR_LTI_REGISTRATION_ISSUER_MISMATCH'
  | 'ERR_LTI_REGISTRATION_PRIVATE_ADDRESS'
  | 'ERR_LTI_REGISTRATION_FAILED'
  // A later request to a dynamically registered platform's URL (JWKS, token endpoint, AGS, NRPS)
  | 'ERR_LTI_PLATFORM_PRIVATE_ADDRESS'
  // Keys at rest
  | 'ERR_LTI_SEALED_KEY_INVALID'

/** Base error of `@tln/lti-v1p3`. `detail` is for logs (never shown to end users as-is). */
export class LtiError extends Error {
  constructor(
    readonly code: LtiErrorCode,
    message: string,
    readonly detail?: Readonly<Record<string, unknown>>,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'LtiError'
  }
}

/**
 * The launch's state is live but not bound to this browser: neither its state cookie came back nor
 * did platform storage confirm it (Security Framework 1.0 §5.1.1; RFC 6749 §10.12). The state is
 * left unconsumed. `restart` holds the login initiation parameters saved with the state, so the
 * app can offer to start the login again in a top-level window, where first-party cookies work.
 */
export class LtiStateNotBoundError extends LtiError {
  constructor(
    message: string,
    /** Login initiation parameters (Security Framework 1.0 §5.1.1.1 names), or undefined if not saved. */
    readonly restart: Readonly<Record<string, string>> | undefined,
  ) {
    super('ERR_LTI_STATE_NOT_BOUND', message)
    this.name = 'LtiStateNotBoundError'
  }
}

/**
 * A platform service call failed (token endpoint, AGS, NRPS, registration endpoint). Carries what
 * a caller needs to decide between retrying (`retryable`: network failure, 429 or 5xx) and
 * stopping (4xx, e.g. Moodle's 400 for a user who cannot be graded).
 */
export class LtiServiceError extends LtiError {
  constructor(
    code: 'ERR_LTI_SERVICE_HTTP' | 'ERR_LTI_SERVICE_NETWORK' | 'ERR_LTI_SERVICE_INVALID_RESPONSE',
    message: string,
    readonly url: string,
    /** HTTP status of the platform's answer; undefined on a network failure. */
    readonly status?: number,
    /** Body of the platform's answer (truncated to 4 KiB), for the log and the facilitator. */
    readonly body?: string,
    options?: { cause?: unknown; retryAfterS?: number },
  ) {
    super(code, message, { url, status }, options)
    this.name = 'LtiServiceError'
    this.retryAfterS = options?.retryAfterS
  }

  /** The platform's `Retry-After` (RFC 9110 §10.2.3; RFC 6585 §4 for 429), in seconds, at most a day; undefined when it sent none. */
  readonly retryAfterS: number | undefined

  /** True when the same request may succeed later: network failure, 408, 429 or 5xx. */
  get retryable(): boolean {
    if (this.status === undefined) return this.code === 'ERR_LTI_SERVICE_NETWORK'
    return this.status === 408 || this.status === 429 || this.status >= 500
  }
}
