import { randomUUID } from 'node:crypto'
import type { RequestHandler } from 'express'
import type { Logger } from '../logger.ts'

/** Paths polled by load balancers and orchestrators every few seconds: logged at debug only. */
const PROBES = new Set(['/healthz', '/readyz'])

/** A client-supplied request id is echoed only when it is short and plain (it ends up in logs). */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/

/**
 * An access log line per request, written when the response finishes (or the client goes
 * away): method, path, status, duration, request id. Headers are never logged, so credentials
 * in `Authorization` cannot leak (STYLE.md rule 10); the query string is left out too, because
 * xAPI agent filters in it can name a person.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint()
    const offered = req.get('x-request-id')
    const id = offered !== undefined && REQUEST_ID.test(offered) ? offered : randomUUID()
    res.set('X-Request-Id', id)
    let logged = false
    const log = (): void => {
      if (logged) return
      logged = true
      const fields = {
        reqId: id,
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.writableFinished ? res.statusCode : undefined,
        aborted: !res.writableFinished,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      }
      if (res.statusCode >= 500) logger.warn(fields, 'request')
      else if (PROBES.has(fields.path ?? '')) logger.debug(fields, 'request')
      else logger.info(fields, 'request')
    }
    res.on('finish', log)
    res.on('close', log)
    next()
  }
}
