import type { InstrumentIndicator, InstrumentKind, RatingScale, Text } from './types.ts'

export type InstrumentField = 'name' | 'kind' | 'top' | 'labels' | 'indicators'
export type InstrumentErrors = Partial<Record<InstrumentField, Text>>

export interface InstrumentInput {
  readonly name: string
  readonly kind: InstrumentKind
  readonly scale: RatingScale
  readonly indicators: readonly InstrumentIndicator[]
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '')
const lines = (v: string) => v.split(/\r?\n/u).map((l) => l.trim()).filter((l) => l !== '')
const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/u

/**
 * Checks the instrument form, every field at once. The scale runs from 1 to `top` (2–10) with one
 * label per point; indicators are lines `CODE | competence indicator code | what to look for`, each
 * competence code one of `competenceCodes` (the tenant's framework). Pure.
 */
export function checkInstrumentForm(body: Readonly<Record<string, unknown>>, competenceCodes: ReadonlySet<string>): { ok: true; value: InstrumentInput } | { ok: false; errors: InstrumentErrors } {
  const errors: InstrumentErrors = {}
  const name = text(body.name)
  if (name === '' || name.length > 200) errors.name = { id: 'Tulis nama instrumen (paling panjang 200 karakter).', en: 'Give the instrument a name (at most 200 characters).' }
  const kind = text(body.kind) as InstrumentKind
  if (kind !== 'observation' && kind !== 'interview') errors.kind = { id: 'Pilih observasi atau wawancara.', en: 'Choose observation or interview.' }
  const top = Number(text(body.top))
  if (!Number.isInteger(top) || top < 2 || top > 10) errors.top = { id: 'Nilai tertinggi skala: bilangan bulat 2 sampai 10.', en: 'The top of the scale: a whole number from 2 to 10.' }
  const labels = lines(text(body.labels))
  if (errors.top === undefined && labels.length !== top) errors.labels = { id: `Tulis ${top} label, satu per baris (untuk nilai 1 sampai ${top}); ada ${labels.length}.`, en: `Write ${top} labels, one per line (for ratings 1 to ${top}); there are ${labels.length}.` }
  else if (labels.some((l) => l.length > 80)) errors.labels = { id: 'Setiap label paling panjang 80 karakter.', en: 'Each label is at most 80 characters.' }
  const indicators: InstrumentIndicator[] = []
  const problems: string[] = []
  lines(text(body.indicators)).forEach((line, i) => {
    const [code = '', competence = '', ...rest] = line.split('|').map((p) => p.trim())
    const what = rest.join('|').trim()
    if (!CODE.test(code)) problems.push(`${i + 1}: kode / code`)
    else if (indicators.some((x) => x.code === code)) problems.push(`${i + 1}: kode ganda / duplicate code ${code}`)
    else if (!competenceCodes.has(competence)) problems.push(`${i + 1}: ${competence === '' ? 'kode kompetensi / competence code' : `${competence} bukan indikator kerangka / not a framework indicator`}`)
    else if (what === '' || what.length > 500) problems.push(`${i + 1}: uraian / description`)
    else indicators.push({ code, competence, text: what })
  })
  if (problems.length > 0) errors.indicators = { id: `Baris bermasalah: ${problems.join('; ')}.`, en: `Lines with problems: ${problems.join('; ')}.` }
  else if (indicators.length === 0 || indicators.length > 50) errors.indicators = { id: 'Tulis 1 sampai 50 indikator, satu per baris: KODE | kode kompetensi | uraian.', en: 'Write 1 to 50 indicators, one per line: CODE | competence code | description.' }
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, value: { name, kind, scale: { min: 1, max: top, labels }, indicators } }
}
