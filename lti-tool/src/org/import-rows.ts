import { parseCsv } from '@tln/competence'
import { SCHOOL_TYPES, type SchoolType } from './org-types.ts'

/** The rule a CSV row broke; stable, so the admin page and tests switch on it. */
export type ImportRule =
  | 'csv-syntax' | 'empty-file' | 'too-many-rows' | 'header-missing' | 'header-unknown' | 'header-duplicate' | 'field-count'
  | 'required' | 'too-long' | 'npsn-format' | 'school-type' | 'unknown-kecamatan' | 'ambiguous-kecamatan' | 'duplicate-npsn'
  | 'unknown-school' | 'email-format' | 'phone-format' | 'duplicate-id' | 'duplicate-email'

/** One problem of an import: the row (1 = header) and column it is in, the rule, a bilingual message. */
export interface ImportProblem {
  readonly row: number
  readonly column?: string
  readonly rule: ImportRule
  readonly message: string
}

export type Checked<T> = { readonly ok: true; readonly rows: readonly T[] } | { readonly ok: false; readonly problems: readonly ImportProblem[] }

/** The most rows one file may hold: larger rosters are split, so one mistake does not reject thousands. */
export const MAX_IMPORT_ROWS = 5_000
const MAX_FIELD = 200

export interface SchoolRow { readonly row: number; readonly npsn: string; readonly name: string; readonly type: SchoolType; readonly kecamatanId: string }
export interface TeacherRow {
  readonly row: number; readonly name: string; readonly schoolId: string
  readonly email?: string; readonly phone?: string; readonly externalId?: string
}

/** What validation needs to know of the tenant's tree (the database answers, the rules stay pure). */
export interface ImportLookup {
  /** A kecamatan by code, name or slug: its id, or why not. */
  kecamatan(value: string): { id: string } | 'unknown' | 'ambiguous'
  /** A school by NPSN: its id, or undefined. */
  school(npsn: string): { id: string } | undefined
}

const SCHOOL_COLUMNS = { required: ['npsn', 'name', 'type', 'kecamatan'], optional: [] } as const
const TEACHER_COLUMNS = { required: ['name', 'npsn'], optional: ['email', 'phone', 'id'] } as const

const NPSN = /^\d{8}$/u
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u
const PHONE = /^\+?[0-9][0-9 -]{5,19}$/u

/** Lowercase, everything but letters and digits as one hyphen: "Praya Barat Daya" = "praya-barat-daya". */
export function slugOf(value: string): string {
  return value.normalize('NFKD').replace(/[\u0300-\u036f]/gu, '').toLowerCase().replace(/[^a-z0-9]+/gu, '-').replace(/^-|-$/gu, '')
}

type Table = { ok: true; rows: Array<{ row: number; get(column: string): string }> } | { ok: false; problems: ImportProblem[] }

/**
 * CSV text → rows keyed by header name (case-insensitive), after the file-level checks. The text
 * is read by `@tln/competence`'s RFC 4180 reader, TLN's one CSV parser; every syntax error it finds
 * is a problem of its own.
 */
export function readTable(text: string, columns: { readonly required: readonly string[]; readonly optional: readonly string[] }): Table {
  const parsed = parseCsv(text)
  if (parsed.errors.length > 0) {
    return { ok: false, problems: parsed.errors.map((e) => ({ row: e.row, rule: 'csv-syntax', message: `CSV tidak valid: ${e.message} / Invalid CSV: ${e.message}` })) }
  }
  // The reader skips empty lines; a line of spaces only is blank here too.
  const [head, ...body] = parsed.records.filter((r) => !(r.fields.length === 1 && r.fields[0]!.trim() === ''))
  if (head === undefined) return { ok: false, problems: [{ row: 1, rule: 'empty-file', message: 'Berkas kosong / The file is empty' }] }
  if (body.length > MAX_IMPORT_ROWS) return { ok: false, problems: [{ row: MAX_IMPORT_ROWS + 2, rule: 'too-many-rows', message: `Paling banyak ${MAX_IMPORT_ROWS} baris per berkas / At most ${MAX_IMPORT_ROWS} rows per file` }] }
  const header = head.fields.map((h) => h.trim().toLowerCase())
  const problems: ImportProblem[] = []
  const known = new Set<string>([...columns.required, ...columns.optional])
  header.forEach((h, i) => {
    if (!known.has(h)) problems.push({ row: head.row, column: h, rule: 'header-unknown', message: `Kolom tidak dikenal "${h}"; kolom yang dikenal: ${[...known].join(', ')} / Unknown column` })
    else if (header.indexOf(h) !== i) problems.push({ row: head.row, column: h, rule: 'header-duplicate', message: `Kolom "${h}" muncul dua kali / Column appears twice` })
  })
  for (const c of columns.required) {
    if (!header.includes(c)) problems.push({ row: head.row, column: c, rule: 'header-missing', message: `Kolom wajib "${c}" tidak ada / Required column missing` })
  }
  if (problems.length > 0) return { ok: false, problems }
  // Row numbers are the spreadsheet's (the header is row 1, blank lines count): `CsvRecord.row`.
  const rows: Array<{ row: number; get(column: string): string }> = []
  for (const { row, fields } of body) {
    if (fields.length !== header.length) {
      problems.push({ row, rule: 'field-count', message: `Baris ini punya ${fields.length} kolom, header ${header.length} / This row has ${fields.length} fields, the header ${header.length}` })
      continue
    }
    rows.push({ row, get: (column) => { const i = header.indexOf(column); return i < 0 ? '' : fields[i]!.trim() } })
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows }
}

/**
 * Check a schools CSV (`npsn,name,type,kecamatan`): NPSN 8 digits and once per file, a known
 * type (TK, KB, TPA, SPS, RA), a kecamatan of the tenant by code, name or slug. Every row is
 * checked, so the report lists all problems at once.
 */
export function checkSchools(text: string, lookup: ImportLookup): Checked<SchoolRow> {
  const table = readTable(text, SCHOOL_COLUMNS)
  if (!table.ok) return table
  const problems: ImportProblem[] = []
  const rows: SchoolRow[] = []
  const seen = new Map<string, number>()
  for (const r of table.rows) {
    const before = problems.length
    const npsn = r.get('npsn')
    const name = r.get('name')
    const type = r.get('type').toUpperCase()
    const kecamatan = r.get('kecamatan')
    if (!NPSN.test(npsn)) problems.push({ row: r.row, column: 'npsn', rule: 'npsn-format', message: `NPSN harus 8 angka, tertulis "${npsn}" / NPSN must be 8 digits` })
    else if (seen.has(npsn)) problems.push({ row: r.row, column: 'npsn', rule: 'duplicate-npsn', message: `NPSN ${npsn} sudah ada di baris ${seen.get(npsn)} / NPSN repeated from row ${seen.get(npsn)}` })
    else seen.set(npsn, r.row)
    requireText(problems, r.row, 'name', name)
    if (!(SCHOOL_TYPES as readonly string[]).includes(type)) problems.push({ row: r.row, column: 'type', rule: 'school-type', message: `Jenis lembaga harus salah satu dari ${SCHOOL_TYPES.join(', ')} / School type must be one of them` })
    const found = kecamatan === '' ? 'unknown' : lookup.kecamatan(kecamatan)
    if (found === 'unknown') problems.push({ row: r.row, column: 'kecamatan', rule: 'unknown-kecamatan', message: `Kecamatan "${kecamatan}" tidak dikenal / Unknown kecamatan` })
    else if (found === 'ambiguous') problems.push({ row: r.row, column: 'kecamatan', rule: 'ambiguous-kecamatan', message: `Nama kecamatan "${kecamatan}" ada di lebih dari satu kabupaten; pakai kodenya / Ambiguous: use its code` })
    if (problems.length === before && typeof found === 'object') rows.push({ row: r.row, npsn, name, type: type as SchoolType, kecamatanId: found.id })
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows }
}

/**
 * Check a teachers CSV (`name,npsn[,email,phone,id]`): the school must exist in the tenant (import
 * schools first); e-mail and phone well-formed when given; `id` (the person's id elsewhere, e.g. on
 * the e-training app) and e-mail once per file.
 */
export function checkTeachers(text: string, lookup: ImportLookup): Checked<TeacherRow> {
  const table = readTable(text, TEACHER_COLUMNS)
  if (!table.ok) return table
  const problems: ImportProblem[] = []
  const rows: TeacherRow[] = []
  const ids = new Map<string, number>()
  const emails = new Map<string, number>()
  for (const r of table.rows) {
    const before = problems.length
    const name = r.get('name')
    const npsn = r.get('npsn')
    const email = r.get('email')
    const phone = r.get('phone')
    const id = r.get('id')
    requireText(problems, r.row, 'name', name)
    const school = NPSN.test(npsn) ? lookup.school(npsn) : undefined
    if (!NPSN.test(npsn)) problems.push({ row: r.row, column: 'npsn', rule: 'npsn-format', message: `NPSN harus 8 angka, tertulis "${npsn}" / NPSN must be 8 digits` })
    else if (school === undefined) problems.push({ row: r.row, column: 'npsn', rule: 'unknown-school', message: `Tidak ada lembaga dengan NPSN ${npsn}; impor lembaganya dulu / No school with this NPSN: import it first` })
    if (email !== '') {
      const key = email.toLowerCase()
      if (!EMAIL.test(email) || email.length > MAX_FIELD) problems.push({ row: r.row, column: 'email', rule: 'email-format', message: `Alamat email "${email}" tidak valid / Invalid e-mail address` })
      else if (emails.has(key)) problems.push({ row: r.row, column: 'email', rule: 'duplicate-email', message: `Email sudah ada di baris ${emails.get(key)} / E-mail repeated from row ${emails.get(key)}` })
      else emails.set(key, r.row)
    }
    if (phone !== '' && !PHONE.test(phone)) problems.push({ row: r.row, column: 'phone', rule: 'phone-format', message: `Nomor HP "${phone}" tidak valid / Invalid phone number` })
    if (id !== '') {
      if (id.length > MAX_FIELD) problems.push({ row: r.row, column: 'id', rule: 'too-long', message: `Paling banyak ${MAX_FIELD} karakter / At most ${MAX_FIELD} characters` })
      else if (ids.has(id)) problems.push({ row: r.row, column: 'id', rule: 'duplicate-id', message: `ID sudah ada di baris ${ids.get(id)} / Id repeated from row ${ids.get(id)}` })
      else ids.set(id, r.row)
    }
    if (problems.length === before && school !== undefined) {
      rows.push({ row: r.row, name, schoolId: school.id, ...(email !== '' && { email }), ...(phone !== '' && { phone }), ...(id !== '' && { externalId: id }) })
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows }
}

function requireText(problems: ImportProblem[], row: number, column: string, value: string): void {
  if (value === '') problems.push({ row, column, rule: 'required', message: `Kolom "${column}" wajib diisi / Required` })
  else if (value.length > MAX_FIELD) problems.push({ row, column, rule: 'too-long', message: `Paling banyak ${MAX_FIELD} karakter / At most ${MAX_FIELD} characters` })
}
