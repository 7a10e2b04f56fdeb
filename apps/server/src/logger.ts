import { databaseErrorIn, loggableError } from '@tln/db'
import { pino, type DestinationStream, type Logger } from 'pino'
import type { LogLevel } from './config.ts'

export type { Logger }

/**
 * Paths pino censors wherever they appear in a log object. Credentials travel in the
 * Authorization header (xAPI HTTP Basic) and cookies; CLI results carry secrets. STYLE.md
 * rule 10: "Never log secrets, tokens or passwords."
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'cookie',
  'password',
  'secret',
  'token',
  '*.password',
  '*.secret',
  '*.token',
  '*.authorization',
]

/**
 * Query parameters whose values are secrets (compared lower-case, after decoding): the OIDC login
 * state (`s` of the cookie check `/lti/launch/check`, `state`; OIDC Core 1.0 §3.1.2.1 binds it to
 * the browser), an `id_token` or `code` should a platform send one by query, bearer tokens
 * (`token`, also the session hand-off's `/lti/session/handoff?token=`; `registration_token` of LTI
 * Dynamic Registration 1.0 §3.3), the new-window `ticket`,
 * and the platform's opaque login hints (`login_hint`, `lti_message_hint`: Moodle's names the launch).
 */
const SECRET_PARAMS = new Set(['s', 'state', 'id_token', 'code', 'token', 'registration_token', 'ticket', 'login_hint', 'lti_message_hint', 'csrf', 'password'])

/** Paths whose next segment is a credential: an invitation link, a peer's confirmation link. */
const SECRET_PATH = /^(\/invite|\/lti\/mentoring\/confirm)\/[^/?#]+/u

/**
 * `url` (path and query, as `req.originalUrl`) with the values of secret query parameters and the
 * token of a secret link replaced by `[redacted]`, for logs (STYLE.md rule 10). The app's logger
 * applies it to every `url` field (`createLogger`) and the access log to its `path`
 * (`http/request-log.ts`), so refused requests logged at debug with their URL (by the LTI tool,
 * the reports, the fallback handler) keep no state or token either.
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
 * A logged `err`: pino's standard serializer (type, message, stack, own fields), except for a
 * database error or an error caused by one. knex writes a query's bound values into the message
 * (an LRS insert binds whole statements), PostgreSQL's message quotes the value it refused, and its
 * `detail`/`where` fields repeat rows: personal data in a log no erasure reaches (UU 27/2022;
 * STYLE.md rule 10). Those go through `loggableError` (SQLSTATE, constraint, table, routine, the
 * message with quoted values redacted), the wrapper's message too, since it may quote its cause's.
 */
export function serializeError(error: unknown): unknown {
  const database = databaseErrorIn(error)
  if (database === undefined) return pino.stdSerializers.err(error as Error)
  if (database === error) return loggableError(error)
  return { ...loggableError(error), cause: loggableError(database) }
}

/**
 * The app's logger: JSON lines (one object per event, for log shippers) to stdout, or to
 * `destination` (tests pass a buffer). `serializeError` keeps stacks of 5xx errors, without the
 * values a database error carries; the `url` serializer redacts secrets in URLs.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'tln' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // A logged `url` (refused requests log theirs at debug) keeps no login state or token (`redactUrl`).
    serializers: { err: serializeError, url: (url: unknown) => (typeof url === 'string' ? redactUrl(url) : url) },
  }
  return destination === undefined ? pino(options) : pino(options, destination)
}
