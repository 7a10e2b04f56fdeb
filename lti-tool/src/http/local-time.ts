import { escapeHtml } from './html.ts'

/**
 * Times on TLN's pages as the people reading them count time: the deployment's clock
 * (`TLN_TIME_ZONE`, Lombok's WITA, UTC+8 all year, unless the operator sets another), which is
 * also the clock the task and meeting forms read their fields on. A teacher who submits at 07:00
 * in Praya reads 07:00 WITA, not 23:00 UTC of the day before. The exact instant stays in
 * `<time datetime>` for machines.
 *
 * Every function takes the zone: there is no process-wide default to set, so the server's
 * configured zone travels in the options of the routers and pages that show times.
 */

/** Lombok Tengah's zone: Waktu Indonesia Tengah. The default of `TLN_TIME_ZONE`. */
export const LOMBOK_TIME_ZONE = 'Asia/Makassar'

interface Formatters {
  clock: Intl.DateTimeFormat
  zoneName: Intl.DateTimeFormat
  /** Numeric parts of the zone's wall clock, to find its offset from UTC at an instant. */
  parts: Intl.DateTimeFormat
}

const formatters = new Map<string, Formatters>()

function formattersOf(timeZone: string): Formatters {
  let f = formatters.get(timeZone)
  if (f === undefined) {
    f = {
      // sv-SE writes dates as ISO 8601 does (2026-12-01 06:21), unambiguous in both languages.
      clock: new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
      // id-ID names Indonesia's zones as Indonesians write them: WIB, WITA, WIT.
      zoneName: new Intl.DateTimeFormat('id-ID', { timeZone, timeZoneName: 'short' }),
      parts: new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' }),
    }
    formatters.set(timeZone, f)
  }
  return f
}

/** `WITA`, `WIB`, `WIT`, `UTC`, `GMT+2`: the zone's short name (id-ID) at an instant (zones with daylight saving have two). */
export function localZoneName(timeZone: string, at: Date): string {
  return formattersOf(timeZone).zoneName.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? timeZone
}

/** `2026-12-01 06:21 WITA`: an instant on the zone's clock, with the zone's short name. */
export function localTimeText(at: Date, timeZone: string): string {
  return `${formattersOf(timeZone).clock.format(at)} ${localZoneName(timeZone, at)}`
}

/** `2026-12-01`: the day an instant falls on, on the zone's clock (a badge's date, a report's file name). */
export function localDateText(at: Date, timeZone: string): string {
  return formattersOf(timeZone).clock.format(at).slice(0, 10)
}

/** {@link localTimeText} in a `<time>` element whose `datetime` is the exact instant (UTC). */
export function localTimeHtml(at: Date, timeZone: string): string {
  return `<time datetime="${at.toISOString()}">${escapeHtml(localTimeText(at, timeZone))}</time>`
}

/**
 * `2026-12-01T23:59`: the value of an HTML `datetime-local` field (HTML §2.3.5.5, a "valid
 * normalized local date and time string" without seconds) showing an instant on the zone's clock,
 * for a form prefilled with a stored time. {@link parseLocalDateTime} reads it back to the same instant
 * (on a clock set back by daylight saving, to the first of the two it could name).
 */
export function localDateTimeField(at: Date, timeZone: string): string {
  return formattersOf(timeZone).clock.format(at).replace(' ', 'T')
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/u
const DAY_MS = 86_400_000

/** Milliseconds since the epoch of the zone's wall clock at `at` read as if it were UTC (to the second). */
function wallClockMs(at: number, timeZone: string): number {
  const parts = formattersOf(timeZone).parts.formatToParts(at)
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value)
  return utcMs(n('year'), n('month'), n('day'), n('hour'), n('minute'), n('second'))
}

/** `Date.UTC` without its two-digit-year rule (year 26 is year 26, not 1926); months 1–12. */
function utcMs(year: number, month: number, day: number, hour: number, minute: number, second = 0): number {
  const d = new Date(0)
  d.setUTCFullYear(year, month - 1, day)
  d.setUTCHours(hour, minute, second, 0)
  return d.getTime()
}

/**
 * Reads a `datetime-local` field's value (`YYYY-MM-DDTHH:MM`) as a time on the zone's clock, and
 * returns the instant, or `undefined` when the value names no time on that clock:
 *
 * - a date that does not exist (2026-02-31 is not read as 3 March);
 * - a time skipped when the clock is put forward (Europe/Berlin, 2026-03-29 02:30): refused, not
 *   moved, so the form asks again instead of storing an hour the person did not type;
 * - a time the clock shows twice when it is put back (Europe/Berlin, 2026-10-25 02:30) is the first
 *   of the two, as RFC 5545 §3.3.5 and Temporal's `compatible` disambiguation read it.
 *
 * The offset comes from Intl (the runtime's IANA database) at that local time, so it holds for any
 * zone; Indonesia's (WIB, WITA, WIT) have had no daylight saving since 1964.
 */
export function parseLocalDateTime(value: string, timeZone: string): Date | undefined {
  const m = LOCAL_DATE_TIME.exec(value)
  if (m === null) return undefined
  const [, year, month, day, hour, minute] = m.map(Number) as [number, number, number, number, number, number]
  if (hour > 23 || minute > 59) return undefined
  const wall = utcMs(year, month, day, hour, minute)
  // A day past the month's end rolls over in Date (2026-02-31 → 3 March): not a date the person typed.
  const check = new Date(wall)
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined
  // The offsets in force a day either side (and at) this wall time: a local time has at most one
  // transition near it, so each instant it can name is `wall - offset` for one of these offsets.
  const offsets = new Set([wall - DAY_MS, wall, wall + DAY_MS].map((t) => wallClockMs(t, timeZone) - t))
  const candidates = [...offsets].map((offset) => wall - offset).filter((t) => wallClockMs(t, timeZone) === wall)
  if (candidates.length === 0) return undefined
  return new Date(Math.min(...candidates))
}
