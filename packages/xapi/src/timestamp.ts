/**
 * Timestamp checks and UTC normalisation (xAPI 1.0.3 Data 4.5; xAPI 2.0.0 Data 4.5).
 *
 * - 1.0.3: "A Timestamp MUST be formatted according to ISO 8601"; RFC 3339 and a time zone are
 *   only SHOULD*. Accepted: ISO 8601 extended (`2015-11-18T12:17:00.123+00:00`, minutes-only time,
 *   `Z`, `±hh`, `±hhmm`, `±hh:mm`, or no offset) and basic (`20151118T121700Z`) combined
 *   date-time representations; a space instead of `T` is accepted as RFC 3339 §5.6 allows, so
 *   one timestamp is valid under both versions.
 * - 2.0.0: the SHOULD*s became requirements: RFC 3339 `date-time` (seconds and offset required);
 *   `T`, `t` or a space (RFC 3339 §5.6 note) between date and time.
 * - Both: offsets `-00`, `-0000` and `-00:00` are rejected (RFC 3339 §4.3 "unknown local offset";
 *   the ADL conformance suites for 1.0.3 and 2.0 both expect 400).
 * Field ranges are checked (month 1-12, day within the month, hour 0-23, minute 0-59, second 0-60).
 */
import type { XapiVersion } from './types.ts'

const OFFSET = '(Z|z|[+-]\\d{2}(?::?\\d{2})?)'
const ISO_EXTENDED = new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})([.,]\\d+)?)?${OFFSET}?$`, 'u')
const ISO_BASIC = new RegExp(`^(\\d{4})(\\d{2})(\\d{2})[Tt](\\d{2})(\\d{2})(?:(\\d{2})([.,]\\d+)?)?${OFFSET}?$`, 'u')
const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|z|[+-]\d{2}:\d{2})$/u

/** A timestamp split into its fields; `offsetMinutes` is undefined when no offset was given. */
export interface TimestampParts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: string
  fraction: string
  offsetMinutes: number | undefined
}

/** Parses a timestamp under the rules of `version`; undefined if it is not one. */
export function parseTimestamp(value: unknown, version: XapiVersion): TimestampParts | undefined {
  if (typeof value !== 'string') return undefined
  const match = version === '2.0.0' ? RFC_3339.exec(value) : (ISO_EXTENDED.exec(value) ?? ISO_BASIC.exec(value))
  if (!match) return undefined
  const [, y = '', mo = '', d = '', h = '', mi = '', s = '00', fraction = '', offset] = match
  const parts: TimestampParts = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: s,
    fraction: fraction.replace(',', '.'),
    offsetMinutes: offset === undefined ? undefined : offsetToMinutes(offset),
  }
  return fieldsInRange(parts) ? parts : undefined
}

/** True if `value` is a valid timestamp for `version` (see the module comment for the rules). */
export function isTimestamp(value: unknown, version: XapiVersion): value is string {
  return parseTimestamp(value, version) !== undefined && !hasNegativeZeroOffset(value as string)
}

/** True if the offset is a negative zero (`-00`, `-0000`, `-00:00`), which both versions reject. */
export function hasNegativeZeroOffset(value: string): boolean {
  return /-00(?::?00)?$/u.test(value) && /[Tt ]\d/u.test(value)
}

/**
 * The same instant as `YYYY-MM-DDThh:mm:ss[.fraction]Z`, keeping the fractional digits as given
 * (xAPI Data 4.5.s1.b6: "The LRS SHOULD* return the Timestamp in UTC timezone"). A timestamp
 * without an offset (1.0.3 only) is read as UTC. Undefined if `value` is not a timestamp.
 */
export function toUtcTimestamp(value: string, version: XapiVersion): string | undefined {
  const parts = parseTimestamp(value, version)
  if (!parts || hasNegativeZeroOffset(value)) return undefined
  // Offsets are whole minutes, so only the date, hour and minute shift; seconds (even a leap 60) stay.
  const instant = new Date(0)
  instant.setUTCFullYear(parts.year, parts.month - 1, parts.day)
  instant.setUTCHours(parts.hour, parts.minute - (parts.offsetMinutes ?? 0), 0, 0)
  const year = instant.getUTCFullYear()
  if (year < 0 || year > 9999) return undefined
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0')
  const date = `${pad(year, 4)}-${pad(instant.getUTCMonth() + 1)}-${pad(instant.getUTCDate())}`
  return `${date}T${pad(instant.getUTCHours())}:${pad(instant.getUTCMinutes())}:${parts.second}${parts.fraction}Z`
}

/** Signed minutes east of UTC; NaN when the hours or minutes are out of range. */
function offsetToMinutes(offset: string): number {
  if (offset === 'Z' || offset === 'z') return 0
  const digits = offset.slice(1).replace(':', '')
  const hours = Number(digits.slice(0, 2))
  const minutes = Number(digits.slice(2, 4) || '0')
  if (hours > 23 || minutes > 59) return Number.NaN
  const total = hours * 60 + minutes
  return offset.startsWith('-') ? -total : total
}

function fieldsInRange(p: TimestampParts): boolean {
  const daysInMonth = new Date(Date.UTC(2000, p.month, 0)).getUTCDate() // leap-year-agnostic upper bound
  const leapOk = p.month !== 2 || p.day <= 28 || isLeapYear(p.year)
  const offsetOk = p.offsetMinutes === undefined || Number.isFinite(p.offsetMinutes)
  return (
    p.month >= 1 && p.month <= 12 && p.day >= 1 && p.day <= daysInMonth && leapOk &&
    p.hour <= 23 && p.minute <= 59 && Number(p.second) <= 60 && offsetOk
  )
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}
