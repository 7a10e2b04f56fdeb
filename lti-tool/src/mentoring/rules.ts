import { LESSON_PLAN_TASKS, type FieldProblem, type LessonPlanTask } from './types.ts'

/**
 * The rules of the mentoring forms, pure: each check returns every problem at once (field, rule,
 * message in Bahasa Indonesia and English), so a form shows them all and nothing is stored.
 */

/**
 * Lombok is on WITA (UTC+8): "today" and "in the future" are judged on the teachers' calendar, not
 * UTC's. The service judges them on the deployment's zone (`TLN_TIME_ZONE`, `localDateText`); these
 * are Lombok's, for tests and scripts that know they run there.
 */
export const WITA_OFFSET_MS = 8 * 3_600_000
export const MIN_MINUTES = 5
export const MAX_MINUTES = 480
const MAX_TOPIC = 200
const MAX_NOTES = 2000
const MAX_NAME = 120

/** The calendar day (`YYYY-MM-DD`) in Lombok at epoch ms `now`. */
export function todayWita(now: number): string {
  return new Date(now + WITA_OFFSET_MS).toISOString().slice(0, 10)
}

/** Is `value` a real calendar day written `YYYY-MM-DD` (not 2026-02-30)? */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(value)) return false
  const d = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value
}

/** `days` after `date` (both `YYYY-MM-DD`). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

/** The last day of a window of `days` days starting on `start` (the start is day 1). */
export function windowEnd(start: string, days: number): string {
  return addDays(start, days - 1)
}

/** Sessions after the window are still taken, flagged "after the challenge". */
export function isAfterWindow(date: string, start: string, days: number): boolean {
  return date > windowEnd(start, days)
}

export interface SessionInput {
  readonly date: string
  readonly durationMinutes: number
  readonly topicTask?: LessonPlanTask
  readonly topicText: string
  readonly notes: string
}

type Checked<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] }

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '')

/**
 * A session form: date (a calendar day, not after today in Lombok, not before the relation
 * started), duration in whole minutes 5..480, topic (a lesson-plan task, or free text when
 * "other"), notes (at most 2000 characters).
 */
export function checkSession(form: Readonly<Record<string, unknown>>, ctx: { today: string; relationStart: string }): Checked<SessionInput> {
  const problems: FieldProblem[] = []
  const date = text(form.date)
  if (!isCalendarDate(date)) problems.push({ field: 'date', rule: 'date-format', message: { id: 'Isi tanggal sesi (tahun-bulan-tanggal).', en: 'Enter the date of the session (year-month-day).' } })
  else if (date > ctx.today) problems.push({ field: 'date', rule: 'date-in-future', message: { id: 'Tanggal sesi tidak boleh di masa depan.', en: 'The session date cannot be in the future.' } })
  else if (date < ctx.relationStart) problems.push({ field: 'date', rule: 'date-before-relation', message: { id: `Tanggal sesi tidak boleh sebelum pendampingan dimulai (${ctx.relationStart}).`, en: `The session date cannot be before the mentoring started (${ctx.relationStart}).` } })
  const rawMinutes = text(form.duration)
  const minutes = /^\d{1,4}$/u.test(rawMinutes) ? Number(rawMinutes) : NaN
  if (Number.isNaN(minutes)) problems.push({ field: 'duration', rule: 'duration-format', message: { id: 'Isi lama sesi dalam menit (angka bulat).', en: 'Enter the length of the session in whole minutes.' } })
  else if (minutes < MIN_MINUTES || minutes > MAX_MINUTES) problems.push({ field: 'duration', rule: 'duration-range', message: { id: `Lama sesi harus ${MIN_MINUTES} sampai ${MAX_MINUTES} menit.`, en: `The session must last ${MIN_MINUTES} to ${MAX_MINUTES} minutes.` } })
  const topic = text(form.topic)
  const topicTask = LESSON_PLAN_TASKS.find((t) => t === topic)
  const topicText = text(form.topicText)
  if (topic !== '' && topic !== 'OTHER' && topicTask === undefined) problems.push({ field: 'topic', rule: 'topic-unknown', message: { id: 'Pilih topik dari daftar.', en: 'Choose a topic from the list.' } })
  else if (topicTask === undefined && topicText === '') problems.push({ field: 'topicText', rule: 'topic-required', message: { id: 'Pilih topik atau tulis topik lain.', en: 'Choose a topic or write another one.' } })
  if (topicText.length > MAX_TOPIC) problems.push({ field: 'topicText', rule: 'topic-too-long', message: { id: `Topik paling panjang ${MAX_TOPIC} karakter.`, en: `The topic may have at most ${MAX_TOPIC} characters.` } })
  const notes = text(form.notes)
  if (notes.length > MAX_NOTES) problems.push({ field: 'notes', rule: 'notes-too-long', message: { id: `Catatan paling panjang ${MAX_NOTES} karakter.`, en: `Notes may have at most ${MAX_NOTES} characters.` } })
  if (problems.length > 0) return { ok: false, problems }
  return { ok: true, value: { date, durationMinutes: minutes, ...(topicTask !== undefined && { topicTask }), topicText: topicTask === undefined ? topicText : topicText.slice(0, MAX_TOPIC), notes } }
}

export type MenteeInput =
  | { readonly kind: 'existing'; readonly personId: string; readonly start: string }
  | { readonly kind: 'new'; readonly name: string; readonly phone?: string; readonly email?: string; readonly start: string }

/**
 * A relation form: a colleague picked from the school's teachers (`mentee` = person id), or a new
 * person by name with an optional phone (digits, spaces, `+ - ( )`) and e-mail; the start of the
 * window (default today, not in the future).
 */
export function checkMentee(form: Readonly<Record<string, unknown>>, ctx: { today: string }): Checked<MenteeInput> {
  const problems: FieldProblem[] = []
  const personId = text(form.mentee)
  const name = text(form.name)
  const phone = text(form.phone)
  const email = text(form.email)
  const start = text(form.start) === '' ? ctx.today : text(form.start)
  if (!isCalendarDate(start)) problems.push({ field: 'start', rule: 'date-format', message: { id: 'Isi tanggal mulai (tahun-bulan-tanggal).', en: 'Enter the start date (year-month-day).' } })
  else if (start > ctx.today) problems.push({ field: 'start', rule: 'date-in-future', message: { id: 'Tanggal mulai tidak boleh di masa depan.', en: 'The start date cannot be in the future.' } })
  if (personId !== '' && personId !== 'new') {
    if (problems.length > 0) return { ok: false, problems }
    return { ok: true, value: { kind: 'existing', personId, start } }
  }
  if (name === '') problems.push({ field: 'name', rule: 'name-required', message: { id: 'Pilih rekan dari daftar atau tulis nama rekan baru.', en: 'Pick a colleague from the list or write the name of a new one.' } })
  else if (name.length > MAX_NAME) problems.push({ field: 'name', rule: 'name-too-long', message: { id: `Nama paling panjang ${MAX_NAME} karakter.`, en: `The name may have at most ${MAX_NAME} characters.` } })
  if (phone !== '' && !/^\+?[0-9][0-9 ()-]{5,19}$/u.test(phone)) problems.push({ field: 'phone', rule: 'phone-format', message: { id: 'Nomor HP hanya angka (boleh diawali +), 6–20 karakter.', en: 'The phone number takes digits only (a leading + is fine), 6–20 characters.' } })
  if (email !== '' && (email.length > 200 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/u.test(email))) problems.push({ field: 'email', rule: 'email-format', message: { id: 'Alamat email tidak valid.', en: 'The e-mail address is not valid.' } })
  if (problems.length > 0) return { ok: false, problems }
  return { ok: true, value: { kind: 'new', name, start, ...(phone !== '' && { phone }), ...(email !== '' && { email }) } }
}

/** A note of the mentee or the verifier: trimmed, at most 2000 characters. */
export function checkNote(value: unknown, field: string, required: boolean): Checked<string> {
  const note = text(value)
  if (required && note === '') return { ok: false, problems: [{ field, rule: 'note-required', message: { id: 'Tulis alasannya agar guru tahu.', en: 'Write the reason so the teacher knows.' } }] }
  if (note.length > MAX_NOTES) return { ok: false, problems: [{ field, rule: 'note-too-long', message: { id: `Catatan paling panjang ${MAX_NOTES} karakter.`, en: `The note may have at most ${MAX_NOTES} characters.` } }] }
  return { ok: true, value: note }
}
