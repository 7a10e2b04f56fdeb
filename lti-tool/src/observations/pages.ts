import { both, escapeHtml as e, signedInPage } from '../http/html.ts'
import { CSS_LINK } from '../meetings/pages.ts'
import { field, problemBox, selected } from '../meetings/page-parts.ts'
import type { Person } from '../org/org-types.ts'
import type { InstrumentErrors } from './instrument-form.ts'
import { recordScore, type RecordErrors } from './record-form.ts'
import type { EvaluationRecord, Instrument, InstrumentKind, Text } from './types.ts'

const KIND: Readonly<Record<InstrumentKind, Text>> = {
  observation: { id: 'Observasi', en: 'Observation' },
  interview: { id: 'Wawancara', en: 'Interview' },
}
const checkMarked = (errors: object) => (Object.keys(errors).length === 0 ? '' : problemBox({ id: 'Periksa kolom yang ditandai; tidak ada yang disimpan.', en: 'Check the marked fields; nothing was saved.' }))

/** Instruments to fill in, the latest records of the actor's teachers, and (for admins) the link to define an instrument. */
export function observationsHome(input: { instruments: readonly Instrument[]; records: readonly EvaluationRecord[]; canDefine: boolean; canRecord: boolean; notice?: Text }): string {
  const names = new Map(input.instruments.map((i) => [i.id, i.name]))
  const instruments = input.instruments.length === 0
    ? '<p id="tln-no-instruments">Belum ada instrumen. <span lang="en">No instruments yet.</span></p>'
    : `<ul class="queue" id="tln-instruments">${input.instruments.map((i) => `<li>${e(i.name)} <small>(${both(KIND[i.kind])}, ${i.indicators.length} ${both({ id: 'indikator', en: 'indicators' })}, 1–${i.scale.max})</small>${input.canRecord ? `<br><a href="/lti/observations/new?instrument=${e(i.id)}">${both({ id: 'Isi untuk seorang guru', en: 'Fill in for a teacher' })}</a>` : ''}</li>`).join('\n')}</ul>`
  const records = input.records.length === 0 ? '' : `<h2>${both({ id: 'Catatan terbaru', en: 'Latest records' })}</h2>
<ul class="queue" id="tln-records">${input.records.map((r) => `<li><a href="/lti/observations/records/${e(r.id)}">${e(r.teacherName)} — ${e(names.get(r.instrumentId) ?? '')}</a> <small>${e(r.observedOn)}</small></li>`).join('\n')}</ul>`
  const notice = input.notice === undefined ? '' : `<div class="box ok" role="status" id="tln-notice"><p>${e(input.notice.id)}</p><p lang="en">${e(input.notice.en)}</p></div>`
  return signedInPage('TLN — Observasi', `${CSS_LINK}
<h1>${both({ id: 'Observasi dan wawancara', en: 'Observations and interviews' })}</h1>
${notice}
<h2>${both({ id: 'Instrumen', en: 'Instruments' })}</h2>
${instruments}
${input.canDefine ? `<p><a href="/lti/observations/instruments/new">${both({ id: 'Buat instrumen baru', en: 'Define a new instrument' })}</a></p>` : ''}
${records}`)
}

export interface InstrumentValues { name?: string; kind?: string; top?: string; labels?: string; indicators?: string }

/** The administrator's form for a new instrument. */
export function instrumentFormPage(input: { csrf: string; values?: InstrumentValues; errors?: InstrumentErrors }): string {
  const { values = {}, errors = {} } = input
  const opt = (k: InstrumentKind) => `<option value="${k}"${selected(k, values.kind ?? 'observation')}>${e(KIND[k].id)} / ${e(KIND[k].en)}</option>`
  return signedInPage('TLN — Instrumen baru', `${CSS_LINK}
<p><a href="/lti/observations">← ${both({ id: 'Observasi', en: 'Observations' })}</a></p>
<h1>${both({ id: 'Instrumen baru', en: 'New instrument' })}</h1>
${checkMarked(errors)}
<form method="post" action="/lti/observations/instruments" id="tln-instrument-form" novalidate>
<input type="hidden" name="csrf" value="${e(input.csrf)}">
${field({ id: 'name', label: { id: 'Nama', en: 'Name' }, ...(errors.name !== undefined && { error: errors.name }), control: (a) => `<input ${a} name="name" type="text" maxlength="200" required value="${e(values.name ?? '')}">` })}
${field({ id: 'kind', label: { id: 'Jenis', en: 'Kind' }, ...(errors.kind !== undefined && { error: errors.kind }), control: (a) => `<select ${a} name="kind">${opt('observation')}${opt('interview')}</select>` })}
${field({ id: 'top', label: { id: 'Nilai tertinggi skala (mulai dari 1)', en: 'Top of the rating scale (from 1)' }, ...(errors.top !== undefined && { error: errors.top }), control: (a) => `<input ${a} name="top" type="number" min="2" max="10" step="1" required value="${e(values.top ?? '4')}">` })}
${field({ id: 'labels', label: { id: 'Label skala, satu per baris, dari 1', en: 'Scale labels, one per line, from 1' }, ...(errors.labels !== undefined && { error: errors.labels }), control: (a) => `<textarea ${a} name="labels" rows="4">${e(values.labels ?? 'Belum tampak\nMulai berkembang\nBerkembang sesuai harapan\nSangat baik')}</textarea>` })}
${field({ id: 'indicators', label: { id: 'Indikator, satu per baris: KODE | kode kompetensi | uraian', en: 'Indicators, one per line: CODE | competence code | description' }, hint: { id: 'Contoh: OBS1 | PED.C.2 | Guru menyiapkan RPPH sebelum kegiatan', en: 'Example: OBS1 | PED.C.2 | The teacher prepares the daily plan beforehand' }, ...(errors.indicators !== undefined && { error: errors.indicators }), control: (a) => `<textarea ${a} name="indicators" rows="8">${e(values.indicators ?? '')}</textarea>` })}
<button type="submit">${both({ id: 'Simpan instrumen', en: 'Save instrument' })}</button>
</form>`)
}

export interface RecordValues { teacher?: string; date?: string; notes?: string; ratings?: Readonly<Record<string, string>> }

/** Fill in an instrument for a teacher (or correct an earlier record: `action` posts to the correction). */
export function recordFormPage(input: { instrument: Instrument; teachers: readonly Person[]; csrf: string; action: string; values?: RecordValues; errors?: RecordErrors; correcting?: EvaluationRecord }): string {
  const { instrument: i, values = {}, errors = {} } = input
  const teacherControl = input.correcting !== undefined
    ? (a: string) => `<select ${a} name="teacher"><option value="${e(input.correcting!.teacherPersonId)}" selected>${e(input.correcting!.teacherName)}</option></select>`
    : (a: string) => `<select ${a} name="teacher" required><option value="">—</option>${input.teachers.map((t) => `<option value="${e(t.id)}"${selected(t.id, values.teacher)}>${e(t.name)}</option>`).join('')}</select>`
  const scale = i.scale.labels.map((label, k) => ({ value: i.scale.min + k, label }))
  const indicators = i.indicators.map((x) => {
    const name = `rating.${x.code}`
    const error = errors[name as keyof RecordErrors]
    // aria-describedby only when its error is on the page: a reference to no element is invalid ARIA (WAI-ARIA 1.2 §6.2.2).
    return `<fieldset${error !== undefined ? ` aria-invalid="true" aria-describedby="${e(name)}-error"` : ''}>
<legend>${e(x.code)} — ${e(x.text)} <small>(${e(x.competence)})</small></legend>
${scale.map((s) => { const id = `r-${x.code}-${s.value}`; return `<div><input type="radio" id="${e(id)}" name="${e(name)}" value="${s.value}"${values.ratings?.[x.code] === String(s.value) ? ' checked' : ''}> <label for="${e(id)}">${s.value} — ${e(s.label)}</label></div>` }).join('\n')}
${error !== undefined ? `<strong class="field-error" id="${e(name)}-error">${both(error)}</strong>` : ''}
</fieldset>`
  }).join('\n')
  return signedInPage(`TLN — ${i.name}`, `${CSS_LINK}
<p><a href="/lti/observations">← ${both({ id: 'Observasi', en: 'Observations' })}</a></p>
<h1>${e(i.name)}</h1>
<p>${both(KIND[i.kind])}${input.correcting !== undefined ? ` · <strong>${both({ id: `Koreksi catatan ${input.correcting.observedOn}`, en: 'Correction' })}</strong>` : ''}</p>
${checkMarked(errors)}
<form method="post" action="${e(input.action)}" id="tln-record-form" novalidate>
<input type="hidden" name="csrf" value="${e(input.csrf)}">
<input type="hidden" name="instrument" value="${e(i.id)}">
${field({ id: 'teacher', label: { id: 'Guru', en: 'Teacher' }, ...(errors.teacher !== undefined && { error: errors.teacher }), control: teacherControl })}
${field({ id: 'date', label: { id: 'Tanggal', en: 'Date' }, ...(errors.date !== undefined && { error: errors.date }), control: (a) => `<input ${a} name="date" type="date" required value="${e(values.date ?? '')}">` })}
${indicators}
${field({ id: 'notes', label: { id: 'Catatan (hanya tersimpan di TLN)', en: 'Notes (kept in TLN only)' }, ...(errors.notes !== undefined && { error: errors.notes }), control: (a) => `<textarea ${a} name="notes" rows="5" maxlength="4000">${e(values.notes ?? '')}</textarea>` })}
<button type="submit">${both({ id: 'Simpan', en: 'Save' })}</button>
</form>`)
}

/** A record: ratings, score, notes, and the link to correct it (unless corrected already). */
export function recordPage(input: { record: EvaluationRecord; instrument: Instrument; notice?: Text }): string {
  const { record: r, instrument: i } = input
  const score = recordScore(i, r.ratings)
  const notice = input.notice === undefined ? '' : `<div class="box ok" role="status" id="tln-notice"><p>${e(input.notice.id)}</p><p lang="en">${e(input.notice.en)}</p></div>`
  return signedInPage(`TLN — ${i.name}`, `${CSS_LINK}
<p><a href="/lti/observations">← ${both({ id: 'Observasi', en: 'Observations' })}</a></p>
<h1 id="tln-record" data-record="${e(r.id)}">${e(i.name)}</h1>
${notice}
<dl><dt>${both({ id: 'Guru', en: 'Teacher' })}</dt><dd>${e(r.teacherName)}</dd><dt>${both({ id: 'Tanggal', en: 'Date' })}</dt><dd>${e(r.observedOn)}</dd>
<dt>${both({ id: 'Nilai', en: 'Score' })}</dt><dd id="tln-score">${Math.round(score.scaled * 100)} / 100</dd></dl>
<ul class="queue" id="tln-ratings">${i.indicators.map((x) => `<li>${e(x.code)} — ${e(x.text)}: <strong>${r.ratings[x.code] ?? '–'}</strong> <small>(${e(i.scale.labels[(r.ratings[x.code] ?? i.scale.min) - i.scale.min] ?? '')})</small></li>`).join('\n')}</ul>
${r.notes !== '' ? `<h2>${both({ id: 'Catatan', en: 'Notes' })}</h2><blockquote>${e(r.notes)}</blockquote>` : ''}
${r.superseded ? '<p class="box" id="tln-superseded">Catatan ini sudah dikoreksi. <span lang="en">This record was corrected.</span></p>' : `<p><a href="/lti/observations/records/${e(r.id)}/correct">${both({ id: 'Koreksi', en: 'Correct' })}</a></p>`}`)
}
