import { localDateTimeField, parseLocalDateTime } from '../http/local-time.ts'
import { DOCUMENT_TYPES, IMAGE_TYPES, type SniffedType } from './sniff.ts'
import { checkRubric, takesUrl, type Rubric, type RubricCriterion, type RubricLevel, type TaskType, type Text } from './types.ts'

/**
 * The task editor's form (create or edit a task with its rubric), checked field by field: every
 * problem names its field, and nothing is stored while one remains. Pure: the caller passes the
 * competence indicator codes of the tenant's active framework and the nodes the editor may use.
 *
 * Rubric rules (stated here, shown on the page):
 * - 1 to {@link MAX_CRITERIA} criteria; each has a code (lowercase letters, digits, dashes; the
 *   key of the rubric-levels result extension), an indicator code of the active competence
 *   framework, a title, and a weight: a whole number 1–100. Weights are **relative**: a
 *   criterion counts weight ÷ Σ weights of the score (the page shows the share in percent), so
 *   they need not add up to 100 (the default rubrics use 1–3).
 * - One scale of 2 to {@link MAX_LEVELS} levels for every criterion, lowest first: whole points
 *   0–100, distinct and increasing, each with a label.
 */
export const MAX_CRITERIA = 10
export const MAX_LEVELS = 6
export const TASK_TYPES: readonly TaskType[] = ['PROTA', 'PROMES', 'RPPM', 'RPPH', 'MEDIA', 'BLOG', 'ARTICLE']
/** The ceiling of a task's size limit (also the multipart body limit of the upload route). */
export const MAX_TASK_MB = 10

/** The media types a task type may take at most (the editor picks a subset). */
export function typesOfTaskType(type: TaskType): readonly SniffedType[] {
  if (type === 'MEDIA') return IMAGE_TYPES
  if (takesUrl(type)) return []
  return [...DOCUMENT_TYPES, ...IMAGE_TYPES]
}

/** What the editor saves. */
export interface TaskInput {
  readonly taskType: TaskType
  readonly title: Text
  readonly description: Text
  readonly dueAt?: Date
  /** undefined = every type the task type takes. */
  readonly acceptedTypes?: readonly SniffedType[]
  /** undefined = 10 MB. */
  readonly maxBytes?: number
  readonly passThreshold: number
  /** undefined = the whole tenant. */
  readonly nodeId?: string
  readonly rubric: Rubric
}

/** Field name → message (Bahasa Indonesia and English). Rubric fields: `c<i>.<part>`, `l<j>.<part>`, and `rubric`. */
export type TaskFormErrors = Record<string, Text>

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '')
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [])
const CODE = /^[a-z0-9][a-z0-9-]{0,39}$/u
const WHOLE = /^\d{1,3}$/u

/**
 * The form fields of a task, to fill the editor (a new task: defaults; an existing one: its
 * values). The due date is shown on the deployment's clock (`timeZone`), as the form reads it back.
 */
export function formValuesOf(task: Partial<TaskInput> & { taskType?: TaskType }, timeZone: string): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {
    type: task.taskType ?? 'RPPH', title_id: task.title?.id ?? '', title_en: task.title?.en ?? '',
    description_id: task.description?.id ?? '', description_en: task.description?.en ?? '',
    due: task.dueAt === undefined ? '' : localDateTimeField(task.dueAt, timeZone),
    types: [...(task.acceptedTypes ?? (task.taskType === undefined ? [] : typesOfTaskType(task.taskType)))],
    max_mb: task.maxBytes === undefined ? String(MAX_TASK_MB) : String(Math.round((task.maxBytes / 1024 / 1024) * 10) / 10),
    pass: String(Math.round((task.passThreshold ?? 0.75) * 100)), node: task.nodeId ?? '',
  }
  task.rubric?.criteria.forEach((c, i) => {
    values[`c${i}.code`] = c.code; values[`c${i}.indicator`] = c.indicator; values[`c${i}.weight`] = String(c.weight)
    values[`c${i}.title_id`] = c.title.id; values[`c${i}.title_en`] = c.title.en
  })
  task.rubric?.criteria[0]?.levels.forEach((l, j) => {
    values[`l${j}.points`] = String(l.points); values[`l${j}.label_id`] = l.label.id; values[`l${j}.label_en`] = l.label.en
  })
  return values
}

/**
 * Checks the editor's form. `nodes` are the node ids the editor may give the task (their grants'
 * subtrees); `tenantWide` whether they may leave it for the whole tenant; `fixedType` the type when
 * the task has submissions already (a file task cannot become a URL task under its teachers). The
 * due date's `datetime-local` field is read on the deployment's clock (`timeZone`, named `zoneName`
 * in the message when it names no time on that clock).
 */
export function checkTaskForm(body: Readonly<Record<string, unknown>>, rules: {
  indicatorCodes: ReadonlySet<string>; nodes: ReadonlySet<string>; tenantWide: boolean; fixedType?: TaskType
  timeZone: string; zoneName: string
}): { ok: true; value: TaskInput } | { ok: false; errors: TaskFormErrors } {
  const errors: TaskFormErrors = {}
  const type = str(body.type) as TaskType
  if (!TASK_TYPES.includes(type)) errors.type = { id: 'Pilih jenis tugas.', en: 'Choose the task type.' }
  else if (rules.fixedType !== undefined && type !== rules.fixedType) errors.type = { id: `Jenis tugas tidak dapat diubah: sudah ada kiriman (${rules.fixedType}).`, en: `The task type cannot change: there are submissions already (${rules.fixedType}).` }
  const title = { id: str(body.title_id), en: str(body.title_en) }
  if (title.id === '' || title.id.length > 200) errors.title_id = { id: 'Tulis judul (paling panjang 200 karakter).', en: 'Write the title (at most 200 characters).' }
  if (title.en === '' || title.en.length > 200) errors.title_en = { id: 'Tulis judul bahasa Inggris (paling panjang 200 karakter).', en: 'Write the English title (at most 200 characters).' }
  const description = { id: str(body.description_id), en: str(body.description_en) }
  if (description.id === '' || description.id.length > 4000) errors.description_id = { id: 'Tulis petunjuk untuk guru (paling panjang 4000 karakter).', en: 'Write the instructions for teachers (at most 4000 characters).' }
  if (description.en.length > 4000) errors.description_en = { id: 'Petunjuk bahasa Inggris paling panjang 4000 karakter.', en: 'The English instructions are at most 4000 characters.' }
  const dueText = str(body.due)
  const dueAt = dueText === '' ? undefined : parseLocalDateTime(dueText, rules.timeZone)
  if (dueText !== '' && dueAt === undefined) errors.due = { id: `Batas waktu: tanggal dan jam yang ada (${rules.zoneName}), atau kosongkan.`, en: `Due date: an existing date and time (${rules.zoneName}), or leave it empty.` }

  let acceptedTypes: SniffedType[] | undefined
  let maxBytes: number | undefined
  if (errors.type === undefined && !takesUrl(type)) {
    const allowed = typesOfTaskType(type)
    const chosen = list(body.types)
    const unknown = chosen.filter((t) => !allowed.includes(t as SniffedType))
    if (chosen.length === 0) errors.types = { id: 'Pilih setidaknya satu jenis berkas.', en: 'Choose at least one file type.' }
    else if (unknown.length > 0) errors.types = { id: `Jenis tugas ini tidak menerima: ${unknown.join(', ')}.`, en: `This task type does not take: ${unknown.join(', ')}.` }
    else acceptedTypes = allowed.filter((t) => chosen.includes(t))
    const mb = Number(str(body.max_mb))
    if (!/^\d{1,2}(\.\d)?$/u.test(str(body.max_mb)) || !(mb >= 0.1 && mb <= MAX_TASK_MB)) errors.max_mb = { id: `Ukuran berkas paling besar: 0,1 sampai ${MAX_TASK_MB} MB (titik untuk desimal).`, en: `Largest file: 0.1 to ${MAX_TASK_MB} MB.` }
    else maxBytes = Math.round(mb * 1024 * 1024)
  }
  const passText = str(body.pass)
  if (!WHOLE.test(passText) || Number(passText) < 1 || Number(passText) > 100) errors.pass = { id: 'Batas lulus: bilangan bulat 1 sampai 100.', en: 'Pass mark: a whole number from 1 to 100.' }
  const node = str(body.node)
  if (node === '' ? !rules.tenantWide : !rules.nodes.has(node)) errors.node = { id: 'Pilih kelompok TLN atau wilayah yang menjadi hak Anda.', en: 'Choose a TLN group or area you hold a grant on.' }

  const rubric = checkRubricFields(body, rules.indicatorCodes, errors)
  if (Object.keys(errors).length > 0 || rubric === undefined) return { ok: false, errors }
  return {
    ok: true,
    value: {
      taskType: type, title, description, // an empty English text: the pages show the Indonesian one alone
      passThreshold: Number(passText) / 100, rubric,
      ...(dueAt !== undefined && { dueAt }), ...(acceptedTypes !== undefined && { acceptedTypes }), ...(maxBytes !== undefined && { maxBytes }),
      ...(node !== '' && { nodeId: node }),
    },
  }
}

function checkRubricFields(body: Readonly<Record<string, unknown>>, indicatorCodes: ReadonlySet<string>, errors: TaskFormErrors): Rubric | undefined {
  const before = Object.keys(errors).length
  const levels: RubricLevel[] = []
  for (let j = 0; j < MAX_LEVELS; j++) {
    const points = str(body[`l${j}.points`])
    const label = { id: str(body[`l${j}.label_id`]), en: str(body[`l${j}.label_en`]) }
    if (points === '' && label.id === '' && label.en === '') continue
    if (!WHOLE.test(points) || Number(points) > 100) { errors[`l${j}.points`] = { id: 'Poin: bilangan bulat 0 sampai 100.', en: 'Points: a whole number from 0 to 100.' }; continue }
    if (levels.length > 0 && Number(points) <= levels[levels.length - 1]!.points) { errors[`l${j}.points`] = { id: 'Poin tiap tingkat harus lebih besar dari tingkat sebelumnya (terendah dahulu).', en: 'Each level needs more points than the one before (lowest first).' }; continue }
    if (label.id === '' || label.id.length > 80) { errors[`l${j}.label_id`] = { id: 'Tulis label tingkat (paling panjang 80 karakter).', en: 'Write the level label (at most 80 characters).' }; continue }
    if (label.en.length > 80) { errors[`l${j}.label_en`] = { id: 'Label bahasa Inggris paling panjang 80 karakter.', en: 'The English label is at most 80 characters.' }; continue }
    levels.push({ points: Number(points), label: { id: label.id, en: label.en === '' ? label.id : label.en } })
  }
  if (levels.length < 2 && Object.keys(errors).length === before) errors.levels = { id: `Isi 2 sampai ${MAX_LEVELS} tingkat skala, terendah dahulu.`, en: `Fill in 2 to ${MAX_LEVELS} scale levels, lowest first.` }

  const criteria: RubricCriterion[] = []
  const codes = new Set<string>()
  for (let i = 0; i < MAX_CRITERIA; i++) {
    const title = { id: str(body[`c${i}.title_id`]), en: str(body[`c${i}.title_en`]) }
    const indicator = str(body[`c${i}.indicator`])
    const weight = str(body[`c${i}.weight`])
    let code = str(body[`c${i}.code`])
    if (title.id === '' && title.en === '' && indicator === '' && code === '') continue
    if (code === '') code = slug(title.id)
    let bad = false
    const fail = (field: string, message: Text) => { errors[`c${i}.${field}`] = message; bad = true }
    if (!CODE.test(code)) fail('code', { id: 'Kode kriteria: huruf kecil, angka dan tanda hubung (paling panjang 40).', en: 'Criterion code: lowercase letters, digits and dashes (at most 40).' })
    else if (codes.has(code)) fail('code', { id: `Kode ${code} dipakai dua kali.`, en: `Code ${code} is used twice.` })
    if (title.id === '' || title.id.length > 200) fail('title_id', { id: 'Tulis nama kriteria (paling panjang 200 karakter).', en: 'Write the criterion (at most 200 characters).' })
    if (title.en.length > 200) fail('title_en', { id: 'Nama bahasa Inggris paling panjang 200 karakter.', en: 'The English name is at most 200 characters.' })
    if (indicator === '') fail('indicator', { id: 'Pilih indikator kompetensi.', en: 'Choose the competence indicator.' })
    else if (!indicatorCodes.has(indicator)) fail('indicator', { id: `${indicator} bukan indikator kerangka kompetensi yang berlaku.`, en: `${indicator} is not an indicator of the active competence framework.` })
    if (!WHOLE.test(weight) || Number(weight) < 1 || Number(weight) > 100) fail('weight', { id: 'Bobot: bilangan bulat 1 sampai 100.', en: 'Weight: a whole number from 1 to 100.' })
    codes.add(code)
    if (!bad) criteria.push({ code, indicator, weight: Number(weight), title: { id: title.id, en: title.en === '' ? title.id : title.en }, levels })
  }
  if (criteria.length === 0 && Object.keys(errors).every((k) => !/^c\d/u.test(k))) errors.criteria = { id: `Isi 1 sampai ${MAX_CRITERIA} kriteria rubrik.`, en: `Fill in 1 to ${MAX_CRITERIA} rubric criteria.` }
  if (Object.keys(errors).length > before) return undefined
  return checkRubric({ criteria })
}

function slug(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/gu, '').toLowerCase().replace(/[^a-z0-9]+/gu, '-').replace(/^-|-$/gu, '').slice(0, 40).replace(/-$/u, '')
}

/** Are two rubrics the same (criteria, levels, weights, indicators, titles)? */
export function sameRubric(a: Rubric, b: Rubric): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))
}

function canonical(r: Rubric) {
  return r.criteria.map((c) => [c.code, c.indicator, c.weight, c.title.id, c.title.en, c.levels.map((l) => [l.points, l.label.id, l.label.en])])
}
