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
  /** The platform-storage check token does not match the login. */
  | 'ERR_TOOL_STORAGE_CHECK_FAILED'
  /** A request the tool cannot act on (missing registration parameters, bad form). */
  | 'ERR_TOOL_BAD_REQUEST'
  /** A command names a tenant or registration that does not exist. */
  | 'ERR_TOOL_NOT_FOUND'
  /** A registration (issuer, client_id) exists already. */
  | 'ERR_TOOL_CONFLICT'

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
