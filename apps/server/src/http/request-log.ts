import { randomUUID } from 'node:crypto'
import type { RequestHandler } from 'express'
import { redactUrl, type Logger } from '../logger.ts'

/** Paths polled by load balancers and orchestrators every few seconds: logged at debug only. */
const PROBES = new Set(['/healthz', '/readyz'])

/** A client-supplied request id is echoed only when it is short and plain (it ends up in logs). */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/

/**
 * An access log line per request, written when the response finishes (or the client goes
 * away): method, path, status, duration, request id. Headers are never logged, so credentials
 * in `Authorization` cannot leak (STYLE.md rule 10); the query string is left out too, because
 * xAPI agent filters in it can name a person; a path that is itself a credential (an invitation
 * link) is logged with its token redacted (`redactUrl`).
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint()
    // What `req.get` and `res.set` do for these two headers, without their per-call work (issue 7).
    const offered = req.headers['x-request-id']
    const id = typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID()
    res.setHeader('X-Request-Id', id)
    let logged = false
    const log = (): void => {
      if (logged) return
      logged = true
      const path = req.originalUrl.split('?')[0]!
      const level = res.statusCode >= 500 ? 'warn' : PROBES.has(path) ? 'debug' : 'info'
      // A line the logger's level drops is not built (a server run at LOG_LEVEL=warn answers many requests a
      // second). Loggers without `isLevelEnabled` (test doubles) get every line.
      if (typeof logger.isLevelEnabled === 'function' && !logger.isLevelEnabled(level)) return
      const fields = {
        reqId: id,
        method: req.method,
        path: redactUrl(path),
        status: res.writableFinished ? res.statusCode : undefined,
        aborted: !res.writableFinished,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      }
      logger[level](fields, 'request')
    }
    res.on('finish', log)
    res.on('close', log)
    next()
  }
}
