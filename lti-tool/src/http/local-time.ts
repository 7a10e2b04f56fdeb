import { escapeHtml } from './html.ts'

/**
 * Times on TLN's pages as the people reading them count time: Lombok's clock (WITA, UTC+8 all
 * year), which is also the clock the task and meeting forms read their fields on. A teacher who
 * submits at 07:00 in Praya reads 07:00 WITA, not 23:00 UTC of the day before. The exact instant
 * stays in `<time datetime>` for machines. Reports pass their own zone (`TLN_REPORT_TIME_ZONE`).
 */

/** Lombok Tengah's zone: Waktu Indonesia Tengah. */
export const LOMBOK_TIME_ZONE = 'Asia/Makassar'

const formatters = new Map<string, { clock: Intl.DateTimeFormat; zoneName: Intl.DateTimeFormat }>()

function formattersOf(timeZone: string) {
  let f = formatters.get(timeZone)
  if (f === undefined) {
    f = {
      // sv-SE writes dates as ISO 8601 does (2026-12-01 06:21), unambiguous in both languages.
      clock: new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
      // id-ID names Indonesia's zones as Indonesians write them: WIB, WITA, WIT.
      zoneName: new Intl.DateTimeFormat('id-ID', { timeZone, timeZoneName: 'short' }),
    }
    formatters.set(timeZone, f)
  }
  return f
}

/** `2026-12-01 06:21 WITA`: an instant on the zone's clock, with the zone's short name. */
export function localTimeText(at: Date, timeZone: string = LOMBOK_TIME_ZONE): string {
  const f = formattersOf(timeZone)
  const zone = f.zoneName.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? timeZone
  return `${f.clock.format(at)} ${zone}`
}

/** `2026-12-01`: the day an instant falls on, on the zone's clock (a badge's date, a report's file name). */
export function localDateText(at: Date, timeZone: string = LOMBOK_TIME_ZONE): string {
  return formattersOf(timeZone).clock.format(at).slice(0, 10)
}

/** {@link localTimeText} in a `<time>` element whose `datetime` is the exact instant (UTC). */
export function localTimeHtml(at: Date, timeZone: string = LOMBOK_TIME_ZONE): string {
  return `<time datetime="${at.toISOString()}">${escapeHtml(localTimeText(at, timeZone))}</time>`
}
