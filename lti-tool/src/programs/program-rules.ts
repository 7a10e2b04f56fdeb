/**
 * The rules of a program's fields, checked whole at the boundary before anything is stored: every
 * broken rule at once, each with its field (form field name, or document path) and a stable rule
 * name. Pure. The rules that need the stored program (a code or position taken, hours over the
 * tier's) live in `program-store.ts`.
 */
import {
  PHASE_KINDS, PROGRAM_DOCUMENT_FORMAT, TIER_LEVELS,
  type CompletionRule, type FieldProblem, type ModuleFields, type PhaseFields, type PhaseKind, type ProgramDocument, type ProgramFields, type Text, type TierFields, type TierLevel,
} from './types.ts'

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] }

/** Program codes: lower-case letters, digits and hyphens (they end up in IRIs), 2–63 characters. */
export const PROGRAM_CODE = /^[a-z0-9][a-z0-9-]{1,62}$/u
/** Phase and module codes: the same alphabet, 1–63 characters. */
export const PART_CODE = /^[a-z0-9][a-z0-9-]{0,62}$/u
export const MAX_HOURS = 1000
export const MAX_LMS_IDS = 50
export const MAX_QUOTA = 100_000

const TEXT_MAX = 200
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '')

class Problems {
  readonly list: FieldProblem[] = []
  add(field: string, rule: string, id: string, en: string): void {
    this.list.push({ field, rule, message: { id, en } })
  }
}

function code(p: Problems, field: string, value: unknown, pattern: RegExp): string {
  const v = str(value)
  if (v === '') p.add(field, 'required', 'Kode wajib diisi.', 'A code is required.')
  else if (!pattern.test(v)) p.add(field, 'code-format', 'Kode: huruf kecil, angka dan tanda hubung (-), diawali huruf atau angka, paling panjang 63 karakter.', 'Code: lower-case letters, digits and hyphens (-), starting with a letter or digit, at most 63 characters.')
  return v
}

function name(p: Problems, field: string, value: unknown, lang: 'id' | 'en'): string {
  const v = str(value)
  if (v === '' || v.length > TEXT_MAX) {
    if (lang === 'id') p.add(field, 'required', 'Tulis nama dalam Bahasa Indonesia (paling panjang 200 karakter).', 'Give the Indonesian name (at most 200 characters).')
    else p.add(field, 'required', 'Tulis nama dalam Bahasa Inggris (paling panjang 200 karakter).', 'Give the English name (at most 200 characters).')
  }
  return v
}

function wholeNumber(p: Problems, field: string, value: unknown, min: number, max: number, what: Text): number {
  const v = str(value)
  const n = /^\d{1,7}$/u.test(v) ? Number(v) : Number.NaN
  if (!Number.isInteger(n) || n < min || n > max) p.add(field, 'whole-number-range', `${what.id}: bilangan bulat ${min} sampai ${max}.`, `${what.en}: a whole number from ${min} to ${max}.`)
  return n
}

/** A percentage that may be left empty (not required): `null`. */
function optionalPercent(p: Problems, field: string, value: unknown, what: Text): number | null {
  if (value === null || value === undefined || str(value) === '') return null
  return wholeNumber(p, field, value, 0, 100, what)
}

/** An activity IRI given by an importer: an absolute http(s) URL (xAPI 1.0.3 Data 4.1.4.1: IRIs; TLN's are URLs). */
export function isActivityIri(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048 || /\s/u.test(value)) return false
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}

const HOURS: Text = { id: 'Jam pelajaran (JP)', en: 'Hours (JP)' }
const ORDER: Text = { id: 'Urutan', en: 'Order' }

function programFields(p: Problems, input: { code: unknown; nameId: unknown; nameEn: unknown; active: boolean }, prefix = ''): ProgramFields {
  return {
    code: code(p, `${prefix}code`, input.code, PROGRAM_CODE),
    name: { id: name(p, `${prefix}nameId`, input.nameId, 'id'), en: name(p, `${prefix}nameEn`, input.nameEn, 'en') },
    active: input.active,
  }
}

function tierFields(p: Problems, input: Record<string, unknown>, prefix = ''): TierFields {
  const level = str(input.level)
  if (!(TIER_LEVELS as readonly string[]).includes(level)) p.add(`${prefix}level`, 'enum', 'Pilih jenjang: dasar, lanjut atau mahir.', 'Choose the level: dasar, lanjut or mahir.')
  const completion: CompletionRule = {
    allModules: input.allModules === true || input.allModules === 'on',
    postTestMinPercent: optionalPercent(p, `${prefix}postTestMinPercent`, input.postTestMinPercent, { id: 'Nilai minimal post-tes (%)', en: 'Post-test minimum (%)' }),
    tasksAccepted: input.tasksAccepted === true || input.tasksAccepted === 'on',
    minAttendancePercent: optionalPercent(p, `${prefix}minAttendancePercent`, input.minAttendancePercent, { id: 'Kehadiran minimal (%)', en: 'Minimum attendance (%)' }),
  }
  return {
    level: level as TierLevel,
    name: { id: name(p, `${prefix}nameId`, input.nameId, 'id'), en: name(p, `${prefix}nameEn`, input.nameEn, 'en') },
    hours: wholeNumber(p, `${prefix}hours`, input.hours, 1, MAX_HOURS, HOURS),
    completion,
  }
}

function phaseFields(p: Problems, input: Record<string, unknown>, prefix = ''): PhaseFields {
  const kind = str(input.kind)
  if (!(PHASE_KINDS as readonly string[]).includes(kind)) p.add(`${prefix}kind`, 'enum', 'Pilih jenis fase: in-service atau on-the-job.', 'Choose the kind of phase: in-service or on-the-job.')
  return {
    code: code(p, `${prefix}code`, input.code, PART_CODE),
    position: input.position === undefined ? 0 : wholeNumber(p, `${prefix}position`, input.position, 1, 50, ORDER),
    name: { id: name(p, `${prefix}nameId`, input.nameId, 'id'), en: name(p, `${prefix}nameEn`, input.nameEn, 'en') },
    kind: kind as PhaseKind,
    hours: wholeNumber(p, `${prefix}hours`, input.hours, 0, MAX_HOURS, HOURS),
  }
}

function lmsIds(p: Problems, field: string, value: unknown): string[] {
  const list = Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : '')) : str(value).split(/\r?\n/u).map((l) => l.trim()).filter((l) => l !== '')
  const bad = list.filter((id) => !isActivityIri(id))
  if (bad.length > 0) p.add(field, 'activity-iri', `Setiap baris harus alamat aktivitas lengkap (http:// atau https://); bermasalah: ${bad.slice(0, 3).join(', ') || '(kosong)'}.`, `Each line must be a full activity address (http:// or https://); wrong: ${bad.slice(0, 3).join(', ') || '(empty)'}.`)
  else if (list.length > MAX_LMS_IDS) p.add(field, 'max-items', `Paling banyak ${MAX_LMS_IDS} ID aktivitas.`, `At most ${MAX_LMS_IDS} activity ids.`)
  else if (new Set(list).size !== list.length) p.add(field, 'duplicate', 'Ada ID aktivitas yang ditulis dua kali.', 'An activity id is listed twice.')
  return list
}

function moduleFields(p: Problems, input: Record<string, unknown>, prefix = ''): ModuleFields {
  return {
    code: code(p, `${prefix}code`, input.code, PART_CODE),
    position: input.position === undefined ? 0 : wholeNumber(p, `${prefix}position`, input.position, 1, 100, ORDER),
    name: { id: name(p, `${prefix}nameId`, input.nameId, 'id'), en: name(p, `${prefix}nameEn`, input.nameEn, 'en') },
    hours: wholeNumber(p, `${prefix}hours`, input.hours, 0, MAX_HOURS, HOURS),
    lmsActivityIds: lmsIds(p, `${prefix}lmsActivityIds`, input.lmsActivityIds),
  }
}

const done = <T>(p: Problems, value: T): Checked<T> => (p.list.length === 0 ? { ok: true, value } : { ok: false, problems: p.list })

/** The program form: `code`, `nameId`, `nameEn`, `active` (a checkbox: present = on). */
export function checkProgramForm(body: Readonly<Record<string, unknown>>): Checked<ProgramFields> {
  const p = new Problems()
  return done(p, programFields(p, { code: body.code, nameId: body.nameId, nameEn: body.nameEn, active: body.active === 'on' }))
}

/** The tier form: `level`, `nameId`, `nameEn`, `hours`, `allModules`, `postTestMinPercent`, `tasksAccepted`, `minAttendancePercent`. */
export function checkTierForm(body: Readonly<Record<string, unknown>>): Checked<TierFields> {
  const p = new Problems()
  return done(p, tierFields(p, { ...body, allModules: body.allModules === 'on', tasksAccepted: body.tasksAccepted === 'on' }))
}

/** The phase form: `code`, `position`, `nameId`, `nameEn`, `kind`, `hours`. */
export function checkPhaseForm(body: Readonly<Record<string, unknown>>): Checked<PhaseFields> {
  const p = new Problems()
  return done(p, phaseFields(p, { ...body, position: body.position ?? '' }))
}

/** The module form: `phase` (a phase id of the tier), `code`, `position`, `nameId`, `nameEn`, `hours`, `lmsActivityIds` (one per line). */
export function checkModuleForm(body: Readonly<Record<string, unknown>>, phaseIds: ReadonlySet<string>): Checked<ModuleFields & { phaseId: string }> {
  const p = new Problems()
  const phaseId = str(body.phase)
  if (!phaseIds.has(phaseId)) p.add('phase', 'required', 'Pilih fase modul ini.', 'Choose the phase of this module.')
  const fields = moduleFields(p, { ...body, position: body.position ?? '' })
  return done(p, { ...fields, phaseId })
}

/**
 * The quota form: one field `quota.<kecamatan id>` per kecamatan the administrator may plan;
 * empty means "no quota". @returns kecamatan id → participants (null = remove the quota)
 */
export function checkQuotaForm(body: Readonly<Record<string, unknown>>, kecamatanIds: readonly string[]): Checked<Map<string, number | null>> {
  const p = new Problems()
  const quotas = new Map<string, number | null>()
  for (const id of kecamatanIds) {
    const raw = str(body[`quota.${id}`])
    quotas.set(id, raw === '' ? null : wholeNumber(p, `quota.${id}`, raw, 0, MAX_QUOTA, { id: 'Kuota peserta', en: 'Participant quota' }))
  }
  return done(p, quotas)
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function optionalIri(p: Problems, path: string, value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (!isActivityIri(value)) p.add(path, 'activity-iri', 'ID aktivitas harus alamat lengkap http:// atau https://.', 'The activity id must be a full http:// or https:// address.')
  return value as string
}

function textOf(v: unknown): { nameId: unknown; nameEn: unknown } {
  return isObject(v) ? { nameId: v.id, nameEn: v.en } : { nameId: undefined, nameEn: undefined }
}

function duplicates(p: Problems, path: string, values: readonly string[], what: Text): void {
  const seen = new Set<string>()
  for (const v of values) {
    if (seen.has(v) && v !== '') p.add(path, 'unique', `${what.id} "${v}" dipakai dua kali.`, `${what.en} "${v}" is used twice.`)
    seen.add(v)
  }
}

/**
 * A program document (JSON import, the demo seed), `format` `tln-program/1`: the same field rules
 * as the forms, paths such as `tiers[0].phases[1].modules[2].code`, codes unique where the
 * database wants them (levels in the program, phase codes in the tier, module codes in the tier).
 */
export function checkProgramDocument(doc: unknown): Checked<ProgramDocument> {
  const p = new Problems()
  if (!isObject(doc)) {
    p.add('$', 'object', 'Dokumen program harus objek JSON.', 'A program document must be a JSON object.')
    return done(p, doc as never)
  }
  if (doc.format !== PROGRAM_DOCUMENT_FORMAT) p.add('format', 'enum', `format harus "${PROGRAM_DOCUMENT_FORMAT}".`, `format must be "${PROGRAM_DOCUMENT_FORMAT}".`)
  if (typeof doc.active !== 'boolean') p.add('active', 'boolean', 'active harus true atau false.', 'active must be true or false.')
  const program = programFields(p, { code: doc.code, ...textOf(doc.name), active: doc.active === true })
  const activityId = optionalIri(p, 'activityId', doc.activityId)
  const tiersIn = Array.isArray(doc.tiers) ? doc.tiers : (p.add('tiers', 'array', 'tiers harus larik (array).', 'tiers must be an array.'), [])
  const tiers = tiersIn.map((t: unknown, ti: number) => {
    const tp = `tiers[${ti}]`
    const tier = isObject(t) ? t : {}
    if (!isObject(t)) p.add(tp, 'object', 'Jenjang harus objek.', 'A tier must be an object.')
    const completion = isObject(tier.completion) ? tier.completion : {}
    for (const key of ['allModules', 'tasksAccepted'] as const) if (typeof completion[key] !== 'boolean') p.add(`${tp}.completion.${key}`, 'boolean', `${key} harus true atau false.`, `${key} must be true or false.`)
    const fields = tierFields(p, { level: tier.level, ...textOf(tier.name), hours: tier.hours, ...completion }, `${tp}.`)
    const phasesIn = Array.isArray(tier.phases) ? tier.phases : (p.add(`${tp}.phases`, 'array', 'phases harus larik (array).', 'phases must be an array.'), [])
    const phases = phasesIn.map((ph: unknown, pi: number) => {
      const pp = `${tp}.phases[${pi}]`
      const phase = isObject(ph) ? ph : {}
      const { position: _position, ...phaseRest } = phaseFields(p, { code: phase.code, ...textOf(phase.name), kind: phase.kind, hours: phase.hours }, `${pp}.`)
      const modulesIn = Array.isArray(phase.modules) ? phase.modules : (p.add(`${pp}.modules`, 'array', 'modules harus larik (array).', 'modules must be an array.'), [])
      const modules = modulesIn.map((m: unknown, mi: number) => {
        const mp = `${pp}.modules[${mi}]`
        const mod = isObject(m) ? m : {}
        const { position: _p, ...moduleRest } = moduleFields(p, { code: mod.code, ...textOf(mod.name), hours: mod.hours, lmsActivityIds: mod.lmsActivityIds ?? [] }, `${mp}.`)
        const iri = optionalIri(p, `${mp}.activityId`, mod.activityId)
        return { ...moduleRest, ...(iri !== undefined && { activityId: iri }) }
      })
      const iri = optionalIri(p, `${pp}.activityId`, phase.activityId)
      return { ...phaseRest, modules, ...(iri !== undefined && { activityId: iri }) }
    })
    duplicates(p, `${tp}.phases`, phases.map((x) => x.code), { id: 'Kode fase', en: 'Phase code' })
    duplicates(p, `${tp}.phases`, phases.flatMap((x) => x.modules.map((m) => m.code)), { id: 'Kode modul', en: 'Module code' })
    duplicates(p, `${tp}.phases`, phases.flatMap((x) => x.modules.flatMap((m) => m.lmsActivityIds)), { id: 'ID aktivitas LMS', en: 'LMS activity id' })
    const iri = optionalIri(p, `${tp}.activityId`, tier.activityId)
    return { ...fields, phases, ...(iri !== undefined && { activityId: iri }) }
  })
  duplicates(p, 'tiers', tiers.map((t) => t.level), { id: 'Jenjang', en: 'Level' })
  const quotas: Record<string, number> = {}
  if (doc.quotas !== undefined && !isObject(doc.quotas)) p.add('quotas', 'object', 'quotas harus objek: kode kecamatan → jumlah peserta.', 'quotas must be an object: kecamatan code → participants.')
  else for (const [k, v] of Object.entries(doc.quotas ?? {})) quotas[k] = wholeNumber(p, `quotas.${k}`, typeof v === 'number' ? v : Number.NaN, 0, MAX_QUOTA, { id: 'Kuota peserta', en: 'Participant quota' })
  return done(p, { format: PROGRAM_DOCUMENT_FORMAT, ...program, ...(activityId !== undefined && { activityId }), tiers, quotas })
}
