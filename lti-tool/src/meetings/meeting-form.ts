import { parseLocalDateTime } from '../http/local-time.ts'
import type { MeetingKind } from './meeting-statements.ts'

export type Text = { readonly id: string; readonly en: string }

/** A meeting as the form gives it, checked. `startsAt` is the instant (the form's date and time are on the deployment's clock). */
export interface MeetingInput {
  readonly kind: MeetingKind
  readonly title: string
  readonly startsAt: Date
  readonly place: string
}

export type MeetingField = 'kind' | 'title' | 'date' | 'time' | 'place'
export type FieldErrors = Partial<Record<MeetingField, Text>>

/**
 * A new meeting may lie this far in the past: facilitators record attendance after the fact
 * (a meeting held where there was no signal), by marking it; its check-in code has closed then.
 * Older than this, a meeting is a data-entry mistake more often than a late record.
 */
export const PAST_LIMIT_DAYS = 60
/** And this far ahead: a semester's schedule. */
export const FUTURE_LIMIT_DAYS = 366

const KINDS: readonly MeetingKind[] = ['routine', 'workshop']

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '')

/**
 * Checks the meeting form, every field at once (per-field messages in Bahasa Indonesia and English).
 * The date and time are on the deployment's clock (`timeZone`, `TLN_TIME_ZONE`: WITA in Lombok),
 * named `zoneName` in the messages. Pure: `now` is the caller's clock (epoch ms).
 */
export function checkMeetingForm(body: Readonly<Record<string, unknown>>, clock: { now: number; timeZone: string; zoneName: string }): { ok: true; value: MeetingInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {}
  const kind = text(body.kind) as MeetingKind
  if (!KINDS.includes(kind)) errors.kind = { id: 'Pilih jenis pertemuan.', en: 'Choose the kind of meeting.' }
  const title = text(body.title)
  if (title === '') errors.title = { id: 'Tulis judul pertemuan.', en: 'Write a title.' }
  else if (title.length > 200) errors.title = { id: 'Judul paling panjang 200 karakter.', en: 'The title is at most 200 characters.' }
  const place = text(body.place)
  if (place.length > 200) errors.place = { id: 'Tempat paling panjang 200 karakter.', en: 'The place is at most 200 characters.' }
  const date = text(body.date)
  const time = text(body.time)
  const dateOk = /^\d{4}-\d{2}-\d{2}$/u.test(date) && !Number.isNaN(Date.parse(`${date}T00:00:00Z`)) && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date)
  if (!dateOk) errors.date = { id: 'Tulis tanggal yang valid (tahun-bulan-hari).', en: 'Give a valid date (year-month-day).' }
  const timeOk = /^([01]\d|2[0-3]):[0-5]\d$/u.test(time)
  if (!timeOk) errors.time = { id: 'Tulis jam yang valid (jam:menit).', en: 'Give a valid time (hours:minutes).' }
  let startsAt: Date | undefined
  if (dateOk && timeOk) {
    startsAt = parseLocalDateTime(`${date}T${time}`, clock.timeZone)
    // Only a zone with daylight saving skips times (the hour the clock is put forward).
    if (startsAt === undefined) errors.time = { id: `Jam ini tidak ada pada tanggal itu menurut jam ${clock.zoneName} (jam dimajukan); pilih jam lain.`, en: `This time does not exist on that date on the ${clock.zoneName} clock (the clock is put forward); choose another.` }
  }
  if (startsAt !== undefined) {
    const days = (startsAt.getTime() - clock.now) / 86_400_000
    if (days < -PAST_LIMIT_DAYS) errors.date = { id: `Tanggal paling lama ${PAST_LIMIT_DAYS} hari yang lalu (untuk mencatat kehadiran sesudahnya).`, en: `The date may be at most ${PAST_LIMIT_DAYS} days ago (to record attendance after the fact).` }
    else if (days > FUTURE_LIMIT_DAYS) errors.date = { id: 'Tanggal paling jauh satu tahun lagi.', en: 'The date may be at most a year ahead.' }
  }
  if (Object.keys(errors).length > 0 || startsAt === undefined) return { ok: false, errors }
  return { ok: true, value: { kind, title, startsAt, place } }
}
