/**
 * Errors of the TLN LTI tool (the app side; protocol errors are the library's `LtiError`). One
 * base class with a stable `code`; HTTP statuses live only in `http/error-page.ts`.
 */
export type LtiToolErrorCode =
  /** A launch without `sub` (LTI Core 1.3 §5.3.6 anonymous launch): TLN records people, so it needs one. */
  | 'ERR_TOOL_ANONYMOUS_LAUNCH'
  /** A login or launch for a registration still waiting for an operator's activation. */
  | 'ERR_TOOL_PLATFORM_PENDING'
  /** No session cookie, or the session expired. */
  | 'ERR_TOOL_NOT_SIGNED_IN'
  /** The "open in a new window" ticket is unknown, used or expired. */
  | 'ERR_TOOL_TICKET_INVALID'
  /** A session hand-off link (`/lti/session/handoff`) unknown, used, expired, or minted for another tenant. */
  | 'ERR_TOOL_HANDOFF_INVALID'
  /** The platform-storage check token does not match the login. */
  | 'ERR_TOOL_STORAGE_CHECK_FAILED'
  /** A request the tool cannot act on (missing registration parameters, bad form). */
  | 'ERR_TOOL_BAD_REQUEST'
  /** A command names a tenant or registration that does not exist. */
  | 'ERR_TOOL_NOT_FOUND'
  /** A registration (issuer, client_id) exists already; a grade on a version no longer the latest. */
  | 'ERR_TOOL_CONFLICT'
  /** A signed-in person without the role the page needs (grading: facilitator or admin). */
  | 'ERR_TOOL_FORBIDDEN'
  /** An upload over the size limit (10 MB), or more bytes than announced. */
  | 'ERR_TOOL_FILE_TOO_LARGE'
  /** An upload whose content (magic bytes, not its name) is no type the task takes. */
  | 'ERR_TOOL_UNSUPPORTED_FILE'
  /** A chunk sent at another offset than the server's; the answer carries the server's offset. */
  | 'ERR_TOOL_UPLOAD_OFFSET'
  /** A blog or article address that is not an absolute http(s) URL. */
  | 'ERR_TOOL_INVALID_URL'
  /** A form posted without the CSRF token of this browser (`accounts/csrf.ts`). */
  | 'ERR_TOOL_CSRF'
  /** E-mail or password wrong (which one is not said), or the account has no password yet. */
  | 'ERR_TOOL_LOGIN_FAILED'
  /** Too many failed logins: the account is locked for a while (`accounts/accounts.ts`). */
  | 'ERR_TOOL_ACCOUNT_LOCKED'
  /** A CSV import with problems: nothing was stored; the report lists them (`org/org-import.ts`). */
  | 'ERR_TOOL_IMPORT_REJECTED'
  /** Too many requests from one address on an open route that costs the server (`/lti/register`). */
  | 'ERR_TOOL_RATE_LIMITED'
  /** A text field with a NUL character (U+0000), which PostgreSQL cannot store (`isUnstorableText`). */
  | 'ERR_TOOL_INVALID_TEXT'
  /** A JSON API called with a body of another media type (a form, text): 415, RFC 9110 §15.5.16. */
  | 'ERR_TOOL_UNSUPPORTED_MEDIA_TYPE'
  /** The database did not answer in time (pool exhausted, connection lost: `isDatabaseUnavailable`); nothing was changed, retry. */
  | 'ERR_TOOL_UNAVAILABLE'

export class LtiToolError extends Error {
  constructor(
    readonly code: LtiToolErrorCode,
    message: string,
    /** For the log only; never shown to users. */
    readonly detail?: Readonly<Record<string, unknown>>,
  ) {
    super(message)
    this.name = 'LtiToolError'
  }
}

/** `ERR_TOOL_RATE_LIMITED` with the seconds the client must wait (the `Retry-After` header, RFC 6585 §4). */
export class RateLimitedError extends LtiToolError {
  constructor(readonly retryAfterS: number, message: string) {
    super('ERR_TOOL_RATE_LIMITED', message, { retryAfterS })
  }
}
