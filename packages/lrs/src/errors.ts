/**
 * Errors of the LRS, with stable codes. HTTP statuses live in one table at the edge
 * (`http/error-handler.ts`); nothing below the router knows about HTTP.
 */
export type LrsErrorCode =
  | 'ERR_LRS_BAD_REQUEST'
  | 'ERR_LRS_UNAUTHORIZED'
  | 'ERR_LRS_FORBIDDEN'
  | 'ERR_LRS_NOT_FOUND'
  | 'ERR_LRS_CONFLICT'
  | 'ERR_LRS_UNSUPPORTED_MEDIA_TYPE'
  | 'ERR_LRS_PAYLOAD_TOO_LARGE'
  | 'ERR_LRS_UNAVAILABLE'

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
