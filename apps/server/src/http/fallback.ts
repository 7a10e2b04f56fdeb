import type { ErrorRequestHandler, RequestHandler } from 'express'
import { isDatabaseUnavailable, isUnstorableText, unavailableMessage, UNSTORABLE_TEXT_MESSAGE } from '@tln/db'
import type { Logger } from '../logger.ts'

/**
 * 404 for every path no router claimed, as JSON in the shape the LRS uses for its errors, so
 * clients parse one error format.
 */
export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'ERR_NOT_FOUND', message: `no resource at ${req.path}`, path: req.path } })
}

/**
 * The last error handler, for errors outside the LRS router (which has its own). Client errors
 * that express raises (a status below 500) keep their message; anything else is logged with its
 * stack and answered with a generic message (STYLE.md rule 3).
 */
export function lastErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (isDatabaseUnavailable(error)) {
      logger.warn({ err: error, method: req.method, url: req.originalUrl }, 'database unavailable')
      if (res.headersSent) return
      res.status(503).set('Retry-After', '5').json({ error: { code: 'ERR_UNAVAILABLE', message: unavailableMessage(error, 'changed') } })
      return
    }
    if (isUnstorableText(error)) {
      logger.debug({ message: (error as Error).message, url: req.originalUrl }, 'request rejected')
      if (res.headersSent) return
      res.status(400).json({ error: { code: 'ERR_BAD_REQUEST', message: UNSTORABLE_TEXT_MESSAGE, rule: 'no-nul' } })
      return
    }
    const status = (error as { status?: unknown }).status
    const clientError = typeof status === 'number' && status >= 400 && status < 500
    if (clientError) logger.debug({ status, message: (error as Error).message, url: req.originalUrl }, 'request rejected')
    else logger.error({ err: error, method: req.method, url: req.originalUrl }, 'request failed')
    if (res.headersSent) return
    res.status(clientError ? status : 500).json({
      error: clientError
        ? { code: 'ERR_BAD_REQUEST', message: (error as Error).message }
        : { code: 'ERR_INTERNAL', message: 'internal error; the incident was logged' },
    })
  }
}
