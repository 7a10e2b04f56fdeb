import { randomUUID } from 'node:crypto'
import type { RequestHandler } from 'express'
import type { Logger } from '../logger.ts'

/** Paths polled by load balancers and orchestrators every few seconds: logged at debug only. */
const PROBES = new Set(['/healthz', '/readyz'])

/** A client-supplied request id is echoed only when it is short and plain (it ends up in logs). */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/

/**
 * Query parameters whose values are secrets (compared lower-case, after decoding): the OIDC login
 * state (`s` of the cookie check `/lti/launch/check`, `state`; OIDC Core 1.0 §3.1.2.1 binds it to
 * the browser), an `id_token` or `code` should a platform send one by query, bearer tokens
 * (`token`, `registration_token` of LTI Dynamic Registration 1.0 §3.3), the new-window `ticket`,
 * and the platform's opaque login hints (`login_hint`, `lti_message_hint`: Moodle's names the launch).
 */
const SECRET_PARAMS = new Set(['s', 'state', 'id_token', 'code', 'token', 'registration_token', 'ticket', 'login_hint', 'lti_message_hint', 'csrf', 'password'])

/** Paths whose next segment is a credential: an invitation link, a peer's confirmation link. */
const SECRET_PATH = /^(\/invite|\/lti\/mentoring\/confirm)\/[^/?#]+/u

/**
 * `url` (path and query, as `req.originalUrl`) with the values of secret query parameters and the
 * token of a secret link replaced by `[redacted]`, for logs (STYLE.md rule 10). The app's logger
 * applies it to every `url` field (`logger.ts`), so refused requests logged at debug with their
 * URL (by the LTI tool, the reports, the fallback handler) keep no state or token either.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?')
  const path = (q < 0 ? url : url.slice(0, q)).replace(SECRET_PATH, '$1/[redacted]')
  if (q < 0) return path
  const query = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=')
    if (eq < 0) return pair
    return SECRET_PARAMS.has(decodeName(pair.slice(0, eq)).toLowerCase()) ? `${pair.slice(0, eq)}=[redacted]` : pair
  })
  return `${path}?${query.join('&')}`
}

function decodeName(name: string): string {
  try { return decodeURIComponent(name.replace(/\+/gu, ' ')) } catch { return name }
}

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
