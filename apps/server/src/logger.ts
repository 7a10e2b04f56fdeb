import { pino, type DestinationStream, type Logger } from 'pino'
import type { LogLevel } from './config.ts'
import { redactUrl } from './http/request-log.ts'

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
 * The app's logger: JSON lines (one object per event, for log shippers) to stdout, or to
 * `destination` (tests pass a buffer). `pino.stdSerializers.err` keeps stacks of 5xx errors; the
 * `url` serializer redacts secrets in URLs.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'tln' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // A logged `url` (refused requests log theirs at debug) keeps no login state or token (`redactUrl`).
    serializers: { err: pino.stdSerializers.err, url: (url: unknown) => (typeof url === 'string' ? redactUrl(url) : url) },
  }
  return destination === undefined ? pino(options) : pino(options, destination)
}
