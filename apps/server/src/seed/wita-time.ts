/**
 * Demo timestamps in Central Indonesia Time (WITA, UTC+08:00), Lombok's time zone, written with
 * their offset as a participant's device would (ISO 8601, xAPI 1.0.3 Data 4.5).
 */
export function wita(date: string, minutesOfDay: number): string {
  const hh = String(Math.floor(minutesOfDay / 60)).padStart(2, '0')
  const mm = String(minutesOfDay % 60).padStart(2, '0')
  return `${date}T${hh}:${mm}:00+08:00`
}

/** `date` (YYYY-MM-DD) moved by `days`. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}
