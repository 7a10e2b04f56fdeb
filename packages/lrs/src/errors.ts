/**
 * Errors of the LRS, with stable codes. HTTP statuses live in one table at the edge
 * (`http/error-handler.ts`); nothing below the router knows about HTTP.
 */
export type LrsErrorCode =
  | 'ERR_LRS_BAD_REQUEST'
  | 'ERR_LRS_UNAUTHORIZED'
  | 'ERR_LRS_FORBIDDEN'
  | 'ERR_LRS_NOT_FOUND'
  /** A method the resource does not have, e.g. DELETE on the statements resource (answered with Allow). */
  | 'ERR_LRS_METHOD_NOT_ALLOWED'
  | 'ERR_LRS_CONFLICT'
  | 'ERR_LRS_PRECONDITION_FAILED'
  | 'ERR_LRS_UNSUPPORTED_MEDIA_TYPE'
  | 'ERR_LRS_PAYLOAD_TOO_LARGE'
  | 'ERR_LRS_UNAVAILABLE'
  /** The bodies being worked on fill the LRS's body budget, and this request waited too long for room. */
  | 'ERR_LRS_BUSY'
  /** A multipart/mixed body that breaks RFC 2046 or the xAPI part rules (Communication 1.5.2). */
  | 'ERR_LRS_INVALID_MULTIPART'
  /** Attachment content that does not match the Attachment Objects: missing, extra, wrong hash. */
  | 'ERR_LRS_INVALID_ATTACHMENT'
  /** A malformed signed statement (xAPI 1.0.3 Data 2.6). */
  | 'ERR_LRS_INVALID_SIGNATURE'
  /** A feature needs configuration the server lacks (e.g. the secret key that seals forwarding secrets). */
  | 'ERR_LRS_NOT_CONFIGURED'
  /** Too many failed authentication attempts from an address or against a key (RFC 6585 §4). */
  | 'ERR_LRS_TOO_MANY_REQUESTS'

export class LrsError extends Error {
  constructor(
    readonly code: LrsErrorCode,
    message: string,
    /** The field or parameter at fault, when there is one. */
    readonly path?: string,
  ) {
    super(message)
    this.name = 'LrsError'
  }
}
