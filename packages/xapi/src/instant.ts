/**
 * Timestamps as points in time (xAPI 1.0.3 Data §4.5 "ISO 8601 Timestamps"; xAPI 2.0.0 Data §4.5,
 * RFC 3339). The spec lets an LRS re-serialise a timestamp "in a different timezone ... so long as
 * the point in time referenced is not affected" (Data §2.3.1.b4), so comparisons and query bounds
 * work on the instant, never on the string as sent.
 */
import { toUtcTimestamp } from './timestamp.ts'
import type { XapiVersion } from './types.ts'

/**
 * The canonical UTC form of a timestamp, `YYYY-MM-DDThh:mm:ss.fffZ`: converted to UTC by
 * `toUtcTimestamp`, then the fraction written with at least three digits and no trailing zeros
 * beyond them, so every serialisation of one instant gives one string (`…:00+07:00`, `…:00.000Z` and
 * `…:00.0000Z` alike), sub-millisecond digits are kept, and strings sort in time order.
 *
 * @param version the rules the timestamp is read under; without it, any form either version
 *   accepts (for comparing stored statements, whose version is already settled).
 * @returns the canonical string, or `undefined` when `timestamp` is not a valid timestamp.
 */
export function toInstant(timestamp: string, version?: XapiVersion): string | undefined {
  const utc = version === undefined
    ? (toUtcTimestamp(timestamp, '1.0.3') ?? toUtcTimestamp(timestamp, '2.0.0'))
    : toUtcTimestamp(timestamp, version)
  const m = utc === undefined ? null : /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d*))?Z$/.exec(utc)
  if (m === null) return undefined
  const [, seconds, fraction = ''] = m
  return `${seconds}.${fraction.replace(/0+$/, '').padEnd(3, '0')}Z`
}
