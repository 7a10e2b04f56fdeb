import type { ErrorRequestHandler } from 'express'
import { isDatabaseUnavailable, unavailableMessage } from '@tln/db'
import { XapiError, type XapiErrorCode, type XapiIssue } from '@tln/xapi'
import { LrsError, type LrsErrorCode } from '../errors.ts'
import { AuthThrottledError } from './authenticate.ts'

/** The one table from error codes to HTTP statuses (STYLE.md rule 3). */
const STATUS: Record<LrsErrorCode | XapiErrorCode, number> = {
  ERR_LRS_BAD_REQUEST: 400,
  ERR_LRS_UNAUTHORIZED: 401,
  ERR_LRS_FORBIDDEN: 403,
  ERR_LRS_NOT_FOUND: 404,
  ERR_LRS_METHOD_NOT_ALLOWED: 405,
  ERR_LRS_CONFLICT: 409,
  ERR_LRS_PRECONDITION_FAILED: 412,
  ERR_LRS_PAYLOAD_TOO_LARGE: 413,
  ERR_LRS_UNSUPPORTED_MEDIA_TYPE: 415,
  ERR_LRS_UNAVAILABLE: 503,
  ERR_LRS_BUSY: 503,
  ERR_LRS_INVALID_MULTIPART: 400,
  ERR_LRS_INVALID_ATTACHMENT: 400,
  ERR_LRS_INVALID_SIGNATURE: 400,
  ERR_LRS_NOT_CONFIGURED: 409,
  ERR_LRS_TOO_MANY_REQUESTS: 429,
  ERR_XAPI_INVALID_STATEMENT: 400,
  ERR_XAPI_INVALID_PARAMETER: 400,
  ERR_XAPI_MISSING_VERSION: 400,
  ERR_XAPI_UNSUPPORTED_VERSION: 400,
}

export interface ErrorBody {
  error: { code: string; message: string; path?: string; issues?: readonly XapiIssue[] }
}

export interface ErrorLogger {
  debug(object: object, message: string): void
  error(object: object, message: string): void
}

/**
 * Maps errors to responses. Client errors (< 500) show their message, which names the field and
 * the rule; anything else is logged with its stack and answered with a generic message.
 */
export function errorHandler(logger: ErrorLogger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const body = toResponse(error)
    // The path only: query strings carry agent filters, which name people (UU 27/2022).
    const path = req.originalUrl.split('?')[0]
    // A busy LRS refusing work is load, not a fault: no stack trace per refused request.
    if (body.status >= 500 && body.body.error.code !== 'ERR_LRS_BUSY') logger.error({ err: error, method: req.method, path }, 'request failed')
    else logger.debug({ code: body.body.error.code, message: body.body.error.message, method: req.method, path }, 'request rejected')
    if (res.headersSent) return
    if (body.status === 401) res.set('WWW-Authenticate', 'Basic realm="TLN LRS", charset="UTF-8"')
    if (body.status === 503) res.set('Retry-After', '5')
    if (error instanceof AuthThrottledError) res.set('Retry-After', String(error.retryAfterS))
    res.status(body.status).json(body.body)
  }
}

export function toResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof XapiError || error instanceof LrsError) {
    const issues = error instanceof XapiError ? error.issues : undefined
    const path = error instanceof LrsError ? error.path : issues?.[0]?.path
    return {
      status: STATUS[error.code],
      body: { error: { code: error.code, message: error.message, ...(path !== undefined ? { path } : {}), ...(issues?.length ? { issues } : {}) } },
    }
  }
  const http = error as { type?: string; status?: number; code?: string; limit?: number }
  if (http.type === 'entity.too.large') {
    return { status: 413, body: { error: { code: 'ERR_LRS_PAYLOAD_TOO_LARGE', message: `the request body is larger than the limit of ${http.limit} bytes` } } }
  }
  if (isDatabaseUnavailable(error)) {
    return { status: 503, body: { error: { code: 'ERR_LRS_UNAVAILABLE', message: unavailableMessage(error, 'stored') } } }
  }
  if (typeof http.status === 'number' && http.status >= 400 && http.status < 500) {
    return { status: http.status, body: { error: { code: 'ERR_LRS_BAD_REQUEST', message: (error as Error).message } } }
  }
  return { status: 500, body: { error: { code: 'ERR_INTERNAL', message: 'internal error; the incident was logged' } } }
}
