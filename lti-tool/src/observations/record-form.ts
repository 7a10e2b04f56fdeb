import { localDateText } from '../http/local-time.ts'
import type { Instrument, Text } from './types.ts'

export type RecordField = 'teacher' | 'date' | 'notes' | `rating.${string}`
export type RecordErrors = Partial<Record<RecordField, Text>>

export interface RecordInput {
  readonly teacherId: string
  readonly observedOn: string
  readonly ratings: Readonly<Record<string, number>>
  readonly notes: string
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '')
const DAY_MS = 86_400_000
/** How far back an observation may be dated (a monthly visit written up late). */
export const RECORD_PAST_LIMIT_DAYS = 366

/**
 * Checks a filled-in instrument: a teacher, the date (not in the future on the deployment's calendar, `TLN_TIME_ZONE`; at most a
 * year back), a whole-number rating within the scale for every indicator (each refusal names its
 * indicator), notes up to 4000 characters. Pure.
 */
export function checkRecordForm(instrument: Instrument, body: Readonly<Record<string, unknown>>, clock: { now: number; timeZone: string }): { ok: true; value: RecordInput } | { ok: false; errors: RecordErrors } {
  const errors: RecordErrors = {}
  const teacherId = text(body.teacher)
  if (teacherId === '') errors.teacher = { id: 'Pilih guru.', en: 'Choose the teacher.' }
  const observedOn = text(body.date)
  // Today on the deployment's calendar (TLN_TIME_ZONE), where the observation happened.
  const today = localDateText(new Date(clock.now), clock.timeZone)
  const valid = /^\d{4}-\d{2}-\d{2}$/u.test(observedOn) && !Number.isNaN(Date.parse(`${observedOn}T00:00:00Z`)) && new Date(`${observedOn}T00:00:00Z`).toISOString().startsWith(observedOn)
  if (!valid) errors.date = { id: 'Tulis tanggal yang valid (tahun-bulan-hari).', en: 'Give a valid date (year-month-day).' }
  else if (observedOn > today) errors.date = { id: 'Tanggal observasi tidak boleh di masa depan.', en: 'The date cannot be in the future.' }
  else if ((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${observedOn}T00:00:00Z`)) / DAY_MS > RECORD_PAST_LIMIT_DAYS) errors.date = { id: 'Tanggal paling lama satu tahun yang lalu.', en: 'The date may be at most a year ago.' }
  const { min, max } = instrument.scale
  const ratings: Record<string, number> = {}
  for (const indicator of instrument.indicators) {
    const raw = text(body[`rating.${indicator.code}`])
    const n = Number(raw)
    if (raw === '') errors[`rating.${indicator.code}`] = { id: `Beri nilai untuk indikator ${indicator.code}.`, en: `Rate indicator ${indicator.code}.` }
    else if (!Number.isInteger(n) || n < min || n > max) errors[`rating.${indicator.code}`] = { id: `Nilai indikator ${indicator.code} harus ${min} sampai ${max}.`, en: `The rating of indicator ${indicator.code} must be ${min} to ${max}.` }
    else ratings[indicator.code] = n
  }
  const notes = text(body.notes)
  if (notes.length > 4000) errors.notes = { id: 'Catatan paling panjang 4000 karakter.', en: 'Notes are at most 4000 characters.' }
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, value: { teacherId, observedOn, ratings, notes } }
}

/** The score of a record: scaled = mean rating ÷ top of the scale; raw = the sum, between n·min and n·max. */
export function recordScore(instrument: Instrument, ratings: Readonly<Record<string, number>>): { scaled: number; raw: number; min: number; max: number } {
  const values = instrument.indicators.map((i) => ratings[i.code] ?? 0)
  const raw = values.reduce((a, b) => a + b, 0)
  const mean = values.length === 0 ? 0 : raw / values.length
  return { scaled: Math.round((mean / instrument.scale.max) * 10_000) / 10_000, raw, min: values.length * instrument.scale.min, max: values.length * instrument.scale.max }
}
