/**
 * The time zone report days and months are counted in (issue 6: a district in Lombok reads its
 * months in WITA, UTC+8, not UTC). The engine buckets `learner_month` in it and records it in the
 * partition row (`competence_engine.time_zone`); the report queries read it from there, so a
 * report's day and month boundaries always agree with the buckets it sums.
 */

/** Lombok Tengah's zone (WITA, UTC+8, no daylight saving): the default of `TLN_TIME_ZONE`. */
export const DEFAULT_REPORT_TIME_ZONE = 'Asia/Makassar'

const formatters = new Map<string, Intl.DateTimeFormat>()
/** Per zone and UTC day: the zone's offset (ms), NaN on a day the offset changes. */
const offsets = new Map<string, Map<number, number>>()
const DAY_MS = 86_400_000
const SLOT_MS = 15 * 60_000

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23', era: 'short' })
    formatters.set(zone, f)
  }
  return f
}

/** True for an IANA time zone name this runtime knows (`Asia/Makassar`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  if (zone.trim() === '' || zone !== zone.trim()) return false
  try {
    formatter(zone)
    return true
  } catch (error) {
    if (error instanceof RangeError) return false
    throw error
  }
}

/** The zone's offset from UTC (ms) at an instant, from Intl (slow: tens of µs a call). */
function offsetFromIntl(ms: number, zone: string): number {
  const parts = formatter(zone).formatToParts(new Date(ms))
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)!.value)
  const era = parts.find((p) => p.type === 'era')?.value
  const local = new Date(0)
  local.setUTCFullYear(era === 'BC' || era === 'B' ? 1 - n('year') : n('year'), n('month') - 1, n('day'))
  local.setUTCHours(n('hour'), n('minute'), n('second'), 0)
  return local.getTime() - Math.floor(ms / 1000) * 1000
}

/**
 * The zone's offset from UTC at an instant. Cached per UTC day when the offset is the same at both
 * ends of the day (almost every day); on a day with a change, per quarter hour (every zone changes
 * offset on a quarter hour).
 */
function offsetAt(ms: number, zone: string): number {
  let byZone = offsets.get(zone)
  if (byZone === undefined) {
    if (!isTimeZone(zone)) throw new TypeError(`unknown time zone ${JSON.stringify(zone)}`)
    byZone = new Map()
    offsets.set(zone, byZone)
  }
  const day = Math.floor(ms / DAY_MS)
  let offset = byZone.get(day)
  if (offset === undefined) {
    const first = offsetFromIntl(day * DAY_MS, zone)
    offset = first === offsetFromIntl((day + 1) * DAY_MS - 1000, zone) ? first : Number.NaN
    if (byZone.size > 100_000) byZone.clear()
    byZone.set(day, offset)
  }
  return Number.isNaN(offset) ? offsetFromIntl(Math.floor(ms / SLOT_MS) * SLOT_MS, zone) : offset
}

/**
 * The local calendar day `YYYY-MM-DD` of an instant in `zone`.
 * @throws TypeError for an unknown zone (a caller's bug: zones are checked when configured)
 */
export function dayIn(instant: string | Date, zone: string): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime()
  if (Number.isNaN(ms)) throw new TypeError(`not an instant: ${JSON.stringify(instant)}`)
  // Kept within the years 1 to 9999 that PostgreSQL dates and `YYYY` keys can hold: a statement at
  // 9999-12-31T23:59Z (valid xAPI) falls in year 10000 in WITA, which the database refused, and
  // that stopped the tenant's projections for good.
  const local = Math.min(Math.max(ms + offsetAt(ms, zone), FIRST_DAY_MS), LAST_DAY_MS)
  return new Date(local).toISOString().slice(0, 10)
}

const FIRST_DAY_MS = Date.parse('0001-01-01T00:00:00.000Z')
const LAST_DAY_MS = Date.parse('9999-12-31T00:00:00.000Z')

/** `YYYY-MM-01`: the first day of the local month of an instant in `zone` (the `learner_month` key). */
export function monthIn(instant: string | Date, zone: string): string {
  return `${dayIn(instant, zone).slice(0, 7)}-01`
}

/**
 * The instant (ISO 8601, UTC) at which local day `YYYY-MM-DD` starts in `zone`: report periods
 * are local days, so `from=2026-02-01` in WITA starts at 2026-01-31T16:00:00.000Z.
 */
export function startOfDayIn(day: string, zone: string): string {
  const wall = Date.parse(`${day}T00:00:00.000Z`)
  if (Number.isNaN(wall)) throw new TypeError(`not a day YYYY-MM-DD: ${JSON.stringify(day)}`)
  // Two steps: the offset at the first guess may differ from the offset at the answer near a change.
  const guess = wall - offsetAt(wall, zone)
  return new Date(wall - offsetAt(guess, zone)).toISOString()
}
