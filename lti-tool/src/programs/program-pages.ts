/**
 * The program pages at `/lti/admin/programs` (server-rendered, Bahasa Indonesia first, mobile:
 * lists, no tables, no script). Every form carries the session's CSRF token; a refused form comes
 * back with the values typed and each broken rule under its field.
 */
import { both, escapeHtml as e, signedInPage } from '../http/html.ts'
import { field, noticeBox, selected } from '../meetings/page-parts.ts'
import { PHASE_KINDS, TIER_LEVELS, type FieldProblem, type Program, type ProgramModule, type ProgramPhase, type ProgramSummary, type ProgramTier, type Text } from './types.ts'

/** A form as typed, with what was wrong with it. */
export interface FormState {
  readonly values: Readonly<Record<string, string>>
  readonly problems: readonly FieldProblem[]
}

export interface KecamatanQuota {
  readonly id: string
  readonly code: string
  readonly name: string
  /** May this administrator plan this kecamatan's quota (it is under their grant)? */
  readonly editable: boolean
  readonly participants: number | null
}

const BASE = '/lti/admin/programs'
const LEVEL_NAMES: Record<string, Text> = { dasar: { id: 'Dasar', en: 'Basic' }, lanjut: { id: 'Lanjut', en: 'Intermediate' }, mahir: { id: 'Mahir', en: 'Advanced' } }
const KIND_NAMES: Record<string, Text> = { 'in-service': { id: 'In-service (tatap muka)', en: 'In-service (face to face)' }, 'on-the-job': { id: 'On-the-job (di sekolah)', en: 'On-the-job (at school)' } }

const csrfInput = (token: string) => `<input type="hidden" name="csrf" value="${e(token)}">`
const v = (state: FormState | undefined, name: string, fallback = '') => state?.values[name] ?? fallback
const problemOf = (state: FormState | undefined, name: string): Text | undefined => {
  const mine = state?.problems.filter((p) => p.field === name) ?? []
  return mine.length === 0 ? undefined : { id: mine.map((p) => p.message.id).join(' '), en: mine.map((p) => p.message.en).join(' ') }
}

/** The box above a refused form; problems of fields the form does not show (a document path) are listed in it. */
function refused(state: FormState | undefined, shown: readonly string[]): string {
  if (state === undefined || state.problems.length === 0) return ''
  const rest = state.problems.filter((p) => !shown.includes(p.field))
  const list = rest.length === 0 ? '' : `<ul>${rest.map((p) => `<li data-rule="${e(p.rule)}"><code>${e(p.field)}</code>: ${both(p.message)}</li>`).join('')}</ul>`
  return `<div class="box error" role="alert" id="tln-form-problems"><p>Belum disimpan: tidak ada yang berubah. Perbaiki isian yang ditandai.</p><p lang="en">Not saved: nothing changed. Fix the marked fields.</p>${list}</div>`
}

function text(form: string, state: FormState | undefined, name: string, label: Text, options: { type?: 'text' | 'number'; value?: string; min?: number; max?: number; hint?: Text } = {}): string {
  const type = options.type ?? 'text'
  const limits = type === 'number' ? ` inputmode="numeric" min="${options.min ?? 0}" max="${options.max ?? 1000}"` : ' maxlength="200"'
  const error = problemOf(state, name)
  return field({
    id: `${form}-${name}`, label, ...(error !== undefined && { error }), ...(options.hint !== undefined && { hint: options.hint }),
    control: (attrs) => `<input ${attrs} name="${e(name)}" type="${type}"${limits} value="${e(v(state, name, options.value ?? ''))}">`,
  })
}

function choice(form: string, state: FormState | undefined, name: string, label: Text, options: ReadonlyArray<[value: string, text: Text]>, current = ''): string {
  const error = problemOf(state, name)
  const chosen = v(state, name, current)
  return field({
    id: `${form}-${name}`, label, ...(error !== undefined && { error }),
    control: (attrs) => `<select ${attrs} name="${e(name)}"><option value="">—</option>${options.map(([value, t]) => `<option value="${e(value)}"${selected(value, chosen)}>${e(t.id)} / ${e(t.en)}</option>`).join('')}</select>`,
  })
}

function checkbox(form: string, state: FormState | undefined, name: string, label: Text, checked: boolean): string {
  const on = state === undefined ? checked : state.values[name] === 'on'
  return `<p><input type="checkbox" id="${form}-${name}" name="${e(name)}"${on ? ' checked' : ''}> <label for="${form}-${name}">${both(label)}</label></p>`
}

const notice = (n: Text | undefined) => noticeBox(n)
const frame = (title: string, crumbs: ReadonlyArray<[href: string, label: string]>, body: string) => signedInPage(`TLN — ${title}`, `
<nav aria-label="Jejak / Breadcrumb"><p>${[[BASE, 'Program'] as const, ...crumbs].map(([href, label]) => `<a href="${e(href)}">${e(label)}</a>`).join(' › ')}</p></nav>
${body}`)

const nameFields = (form: string, state: FormState | undefined, name?: Text) =>
  text(form, state, 'nameId', { id: 'Nama (Bahasa Indonesia)', en: 'Name (Indonesian)' }, { value: name?.id ?? '' })
  + text(form, state, 'nameEn', { id: 'Nama (Bahasa Inggris)', en: 'Name (English)' }, { value: name?.en ?? '' })

function programForm(csrf: string, action: string, state: FormState | undefined, current?: ProgramSummary): string {
  return `${refused(state, ['code', 'nameId', 'nameEn'])}<form method="post" action="${e(action)}" id="tln-program-form" novalidate>${csrfInput(csrf)}
${text('program', state, 'code', { id: 'Kode program', en: 'Program code' }, { value: current?.code ?? '', hint: { id: 'huruf kecil, angka, tanda hubung; contoh diklat-berjenjang-2026', en: 'lower-case letters, digits, hyphens; e.g. diklat-berjenjang-2026' } })}
${nameFields('program', state, current?.name)}
${checkbox('program', state, 'active', { id: 'Aktif (tahap dan kuotanya dipakai laporan kompetensi)', en: 'Active (its phases and quotas feed the competence reports)' }, current?.active ?? true)}
<p><button type="submit">${both({ id: 'Simpan program', en: 'Save program' })}</button></p>
</form>`
}

/** `/lti/admin/programs`: the tenant's programs, a new program form, and the JSON import. */
export function programsPage(input: { csrf: string; programs: readonly ProgramSummary[]; notice?: Text; create?: FormState; importing?: FormState }): string {
  const list = input.programs.length === 0
    ? '<p id="tln-no-programs">Belum ada program. <span lang="en">No programs yet.</span></p>'
    : `<ul class="queue" id="tln-programs">${input.programs.map((p) => `<li data-program="${e(p.code)}"><a href="${BASE}/${e(p.id)}">${e(p.name.id)}</a> <span lang="en">/ ${e(p.name.en)}</span><br>
<code>${e(p.code)}</code> — ${p.tiers.length === 0 ? 'belum ada jenjang / no tiers yet' : p.tiers.map((l) => e(LEVEL_NAMES[l]!.id)).join(', ')} — ${p.active ? '<strong>aktif / active</strong>' : 'nonaktif / inactive'}</li>`).join('\n')}</ul>`
  const importError = problemOf(input.importing, 'document')
  return frame('Program diklat', [], `
<h1>${both({ id: 'Program, jenjang dan modul', en: 'Programs, tiers and modules' })}</h1>
${notice(input.notice)}
${list}
<p><a href="/lti/api/programs">JSON</a></p>
<h2 id="new">${both({ id: 'Program baru', en: 'New program' })}</h2>
${programForm(input.csrf, BASE, input.create)}
<h2 id="import">${both({ id: 'Impor program (JSON)', en: 'Import a program (JSON)' })}</h2>
<p>Tempel dokumen <code>tln-program/1</code> (hasil ekspor). Program dengan kode yang sama diperbarui; yang tidak ada di dokumen dihapus.</p>
<p lang="en">Paste a <code>tln-program/1</code> document (as exported). A program with the same code is updated; what the document leaves out is removed.</p>
${refused(input.importing, ['document'])}<form method="post" action="${BASE}/import" id="tln-import-form" novalidate>${csrfInput(input.csrf)}
${field({ id: 'import-document', label: { id: 'Dokumen JSON', en: 'JSON document' }, ...(importError !== undefined && { error: importError }), control: (attrs) => `<textarea ${attrs} name="document" rows="6">${e(v(input.importing, 'document'))}</textarea>` })}
<p><button type="submit">${both({ id: 'Impor', en: 'Import' })}</button></p>
</form>`)
}

function completionText(t: ProgramTier): string {
  const parts: string[] = []
  if (t.completion.allModules) parts.push('semua modul selesai / all modules completed')
  if (t.completion.postTestMinPercent !== null) parts.push(`post-tes ≥ ${t.completion.postTestMinPercent}% / post-test ≥ ${t.completion.postTestMinPercent}%`)
  if (t.completion.tasksAccepted) parts.push('tugas kinerja diterima / performance tasks accepted')
  if (t.completion.minAttendancePercent !== null) parts.push(`kehadiran ≥ ${t.completion.minAttendancePercent}% / attendance ≥ ${t.completion.minAttendancePercent}%`)
  return parts.length === 0 ? 'tanpa syarat / no condition' : parts.map(e).join(' + ')
}

function tierForm(csrf: string, action: string, state: FormState | undefined, current?: ProgramTier): string {
  return `${refused(state, ['level', 'nameId', 'nameEn', 'hours', 'postTestMinPercent', 'minAttendancePercent'])}<form method="post" action="${e(action)}" id="tln-tier-form" novalidate>${csrfInput(csrf)}
${choice('tier', state, 'level', { id: 'Jenjang', en: 'Level' }, TIER_LEVELS.map((l) => [l, LEVEL_NAMES[l]!]), current?.level)}
${nameFields('tier', state, current?.name)}
${text('tier', state, 'hours', { id: 'Jam pelajaran (JP)', en: 'Hours (JP)' }, { type: 'number', min: 1, value: current === undefined ? '' : String(current.hours) })}
<fieldset><legend>${both({ id: 'Syarat kelulusan', en: 'Completion rule' })}</legend>
${checkbox('tier', state, 'allModules', { id: 'Semua modul selesai', en: 'All modules completed' }, current?.completion.allModules ?? true)}
${text('tier', state, 'postTestMinPercent', { id: 'Nilai minimal post-tes (%, kosong = tanpa post-tes)', en: 'Post-test minimum (%, empty = no post-test)' }, { type: 'number', max: 100, value: current?.completion.postTestMinPercent?.toString() ?? '' })}
${checkbox('tier', state, 'tasksAccepted', { id: 'Semua tugas kinerja diterima fasilitator', en: 'All performance tasks accepted by a facilitator' }, current?.completion.tasksAccepted ?? true)}
${text('tier', state, 'minAttendancePercent', { id: 'Kehadiran pertemuan minimal (%, kosong = tanpa syarat)', en: 'Minimum meeting attendance (%, empty = none)' }, { type: 'number', max: 100, value: current?.completion.minAttendancePercent?.toString() ?? '' })}
</fieldset>
<p><button type="submit">${both({ id: 'Simpan jenjang', en: 'Save tier' })}</button></p>
</form>`
}

/** `/lti/admin/programs/:id`: the program's fields, its tiers, a new tier, the quotas, the export. */
export function programPage(input: { csrf: string; program: Program; kecamatan: readonly KecamatanQuota[]; notice?: Text; edit?: FormState; tier?: FormState; quota?: FormState }): string {
  const p = input.program
  const base = `${BASE}/${e(p.id)}`
  const tiers = p.tierList.length === 0
    ? '<p id="tln-no-tiers">Belum ada jenjang. <span lang="en">No tiers yet.</span></p>'
    : `<ul class="queue" id="tln-tiers">${p.tierList.map((t) => `<li data-tier="${e(t.level)}"><a href="${base}/tiers/${e(t.id)}">${e(t.name.id)}</a> <span lang="en">/ ${e(t.name.en)}</span><br>
${e(LEVEL_NAMES[t.level]!.id)} — ${t.hours} JP — ${t.phases.length} fase / phases — ${t.phases.reduce((n, ph) => n + ph.modules.length, 0)} modul / modules<br><small>${completionText(t)}</small></li>`).join('\n')}</ul>`
  const editable = input.kecamatan.filter((k) => k.editable)
  const quotaFields = input.kecamatan.map((k) => k.editable
    ? text('quota', input.quota, `quota.${k.id}`, { id: `${k.name} (${k.code})`, en: 'participants' }, { type: 'number', max: 100000, value: k.participants?.toString() ?? '' })
    : `<p>${e(k.name)} (${e(k.code)}): ${k.participants ?? '—'}</p>`).join('\n')
  const total = input.kecamatan.reduce((n, k) => n + (k.participants ?? 0), 0)
  return frame(p.name.id, [[base, p.code]], `
<h1>${both(p.name)}</h1>
${notice(input.notice)}
<p><strong>Kode</strong> <small lang="en">/ Code</small>: <code>${e(p.code)}</code> — ${p.active ? 'aktif / active' : 'nonaktif / inactive'}</p>
<p><strong>ID aktivitas xAPI</strong> <small lang="en">/ xAPI activity id</small>:<br><code id="tln-program-iri">${e(p.activityId)}</code></p>
<p><a href="${base}/export.json" id="tln-export">${both({ id: 'Ekspor JSON', en: 'Export JSON' })}</a></p>
<h2>${both({ id: 'Jenjang', en: 'Tiers' })}</h2>
${tiers}
<h2 id="new-tier">${both({ id: 'Jenjang baru', en: 'New tier' })}</h2>
${tierForm(input.csrf, `${base}/tiers`, input.tier)}
<h2 id="quotas">${both({ id: 'Kuota peserta per kecamatan', en: 'Participants planned per kecamatan' })}</h2>
<p>Jumlah: <strong id="tln-quota-total">${total}</strong>. Kosongkan untuk tanpa kuota. <span lang="en">Total shown; leave empty for no quota.</span></p>
${input.kecamatan.length === 0 ? '<p>Belum ada kecamatan di pohon organisasi. <span lang="en">No kecamatan in the organisation tree yet.</span></p>' : `${refused(input.quota, editable.map((k) => `quota.${k.id}`))}<form method="post" action="${base}/quotas" id="tln-quota-form" novalidate>${csrfInput(input.csrf)}
${quotaFields}
${editable.length === 0 ? '' : `<p><button type="submit">${both({ id: 'Simpan kuota', en: 'Save quotas' })}</button></p>`}
</form>`}
<h2 id="edit">${both({ id: 'Ubah program', en: 'Edit the program' })}</h2>
${programForm(input.csrf, base, input.edit, p)}`)
}

function phaseForm(csrf: string, action: string, state: FormState | undefined, next: number, current?: ProgramPhase): string {
  return `${refused(state, ['code', 'position', 'nameId', 'nameEn', 'kind', 'hours'])}<form method="post" action="${e(action)}" id="tln-phase-form" novalidate>${csrfInput(csrf)}
${text('phase', state, 'position', { id: 'Urutan', en: 'Order' }, { type: 'number', min: 1, max: 50, value: String(current?.position ?? next) })}
${text('phase', state, 'code', { id: 'Kode fase', en: 'Phase code' }, { value: current?.code ?? '', hint: { id: 'contoh in-service-1', en: 'e.g. in-service-1' } })}
${nameFields('phase', state, current?.name)}
${choice('phase', state, 'kind', { id: 'Jenis', en: 'Kind' }, PHASE_KINDS.map((k) => [k, KIND_NAMES[k]!]), current?.kind)}
${text('phase', state, 'hours', { id: 'Jam pelajaran (JP)', en: 'Hours (JP)' }, { type: 'number', value: current === undefined ? '' : String(current.hours) })}
<p><button type="submit">${both({ id: 'Simpan fase', en: 'Save phase' })}</button></p>
</form>`
}

function moduleForm(csrf: string, action: string, state: FormState | undefined, phases: readonly ProgramPhase[], current?: ProgramModule): string {
  const lms = problemOf(state, 'lmsActivityIds')
  return `${refused(state, ['phase', 'code', 'position', 'nameId', 'nameEn', 'hours', 'lmsActivityIds'])}<form method="post" action="${e(action)}" id="tln-module-form" novalidate>${csrfInput(csrf)}
${choice('module', state, 'phase', { id: 'Fase', en: 'Phase' }, phases.map((ph) => [ph.id, ph.name]), current?.phaseId ?? (phases.length === 1 ? phases[0]!.id : ''))}
${text('module', state, 'position', { id: 'Urutan dalam fase', en: 'Order in the phase' }, { type: 'number', min: 1, max: 100, value: String(current?.position ?? 1) })}
${text('module', state, 'code', { id: 'Kode modul', en: 'Module code' }, { value: current?.code ?? '' })}
${nameFields('module', state, current?.name)}
${text('module', state, 'hours', { id: 'Jam pelajaran (JP)', en: 'Hours (JP)' }, { type: 'number', value: current === undefined ? '' : String(current.hours) })}
${field({ id: 'module-lmsActivityIds', label: { id: 'ID aktivitas e-training/LMS yang dihitung sebagai modul ini (satu per baris)', en: 'E-training/LMS activity ids that count as this module (one per line)' }, ...(lms !== undefined && { error: lms }),
    control: (attrs) => `<textarea ${attrs} name="lmsActivityIds" rows="3">${e(v(state, 'lmsActivityIds', current?.lmsActivityIds.join('\n') ?? ''))}</textarea>` })}
<p><button type="submit">${both({ id: 'Simpan modul', en: 'Save module' })}</button></p>
</form>`
}

/** `/lti/admin/programs/:id/tiers/:tierId`: the tier's fields, its phases in order with their modules, a new phase, a new module. */
export function tierPage(input: { csrf: string; program: Program; tier: ProgramTier; notice?: Text; edit?: FormState; phase?: FormState; module?: FormState }): string {
  const { program: p, tier: t } = input
  const base = `${BASE}/${e(p.id)}/tiers/${e(t.id)}`
  const phases = t.phases.length === 0
    ? '<p id="tln-no-phases">Belum ada fase. <span lang="en">No phases yet.</span></p>'
    : `<ol id="tln-phases">${t.phases.map((ph) => `<li data-phase="${e(ph.code)}"><a href="${base}/phases/${e(ph.id)}">${e(ph.name.id)}</a> <span lang="en">/ ${e(ph.name.en)}</span> — ${both(KIND_NAMES[ph.kind]!)} — ${ph.hours} JP
${ph.modules.length === 0 ? '<br><small>belum ada modul / no modules yet</small>' : `<ul class="queue">${ph.modules.map((m) => `<li data-module="${e(m.code)}"><a href="${base}/modules/${e(m.id)}">${e(m.name.id)}</a> <span lang="en">/ ${e(m.name.en)}</span> — ${m.hours} JP<br><small><code>${e(m.activityId)}</code>${m.lmsActivityIds.length === 0 ? '' : ` + ${m.lmsActivityIds.length} LMS`}</small></li>`).join('')}</ul>`}</li>`).join('\n')}</ol>`
  const phaseHours = t.phases.reduce((n, ph) => n + ph.hours, 0)
  return frame(t.name.id, [[`${BASE}/${e(p.id)}`, p.code], [base, LEVEL_NAMES[t.level]!.id]], `
<h1>${both(t.name)}</h1>
${notice(input.notice)}
<p><strong>Program</strong>: ${e(p.name.id)}</p>
<p><strong>Jam</strong> <small lang="en">/ Hours</small>: ${t.hours} JP (fase / phases: ${phaseHours} JP)</p>
<p><strong>Syarat lulus</strong> <small lang="en">/ Completion</small>: ${completionText(t)}</p>
<p><strong>ID aktivitas xAPI</strong> <small lang="en">/ xAPI activity id</small>:<br><code>${e(t.activityId)}</code></p>
<h2>${both({ id: 'Fase dan modul', en: 'Phases and modules' })}</h2>
${phases}
<h2 id="new-phase">${both({ id: 'Fase baru', en: 'New phase' })}</h2>
${phaseForm(input.csrf, `${base}/phases`, input.phase, (t.phases.at(-1)?.position ?? 0) + 1)}
<h2 id="new-module">${both({ id: 'Modul baru', en: 'New module' })}</h2>
${t.phases.length === 0 ? '<p>Tambahkan fase dahulu. <span lang="en">Add a phase first.</span></p>' : moduleForm(input.csrf, `${base}/modules`, input.module, t.phases)}
<h2 id="edit">${both({ id: 'Ubah jenjang', en: 'Edit the tier' })}</h2>
${tierForm(input.csrf, base, input.edit, t)}`)
}

/** `/lti/admin/programs/:id/tiers/:tierId/phases/:phaseId`: edit one phase. */
export function phasePage(input: { csrf: string; program: Program; tier: ProgramTier; phase: ProgramPhase; edit?: FormState }): string {
  const { program: p, tier: t, phase } = input
  const tierHref = `${BASE}/${e(p.id)}/tiers/${e(t.id)}`
  return frame(phase.name.id, [[`${BASE}/${e(p.id)}`, p.code], [tierHref, LEVEL_NAMES[t.level]!.id]], `
<h1>${both(phase.name)}</h1>
<p>${both({ id: 'ID aktivitas xAPI', en: 'xAPI activity id' })}: <code>${e(phase.activityId)}</code></p>
${phaseForm(input.csrf, `${tierHref}/phases/${e(phase.id)}`, input.edit, phase.position, phase)}`)
}

/** `/lti/admin/programs/:id/tiers/:tierId/modules/:moduleId`: edit one module (or move it to another phase). */
export function modulePage(input: { csrf: string; program: Program; tier: ProgramTier; module: ProgramModule; edit?: FormState }): string {
  const { program: p, tier: t, module: m } = input
  const tierHref = `${BASE}/${e(p.id)}/tiers/${e(t.id)}`
  return frame(m.name.id, [[`${BASE}/${e(p.id)}`, p.code], [tierHref, LEVEL_NAMES[t.level]!.id]], `
<h1>${both(m.name)}</h1>
<p>${both({ id: 'ID aktivitas xAPI', en: 'xAPI activity id' })}: <code>${e(m.activityId)}</code></p>
${moduleForm(input.csrf, `${tierHref}/modules/${e(m.id)}`, input.edit, t.phases, m)}`)
}
