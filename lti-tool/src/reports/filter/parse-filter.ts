import type { ReportFilter } from '@tln/competence'
import { isUuid } from '../../org/org-store.ts'
import { ReportInputError } from './report-input-error.ts'

/** The filter a request asks for, before the viewer's tenant and scope are added. */
export type ParsedFilter = Omit<ReportFilter, 'tenantId' | 'scopePath'>

export type ReportFormat = 'html' | 'csv' | 'pdf'

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/u
const MAX_IRI = 2048

/** One query value: absent and empty (an untouched form field) are the same; repeated is refused. */
function single(query: Readonly<Record<string, unknown>>, field: string): string | undefined {
  const value = query[field]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new ReportInputError(field, 'single-value', `${field}: give one value, not several`)
  const trimmed = value.trim()
  return trimmed === '' ? undefined : trimmed
}

/** A real calendar day `YYYY-MM-DD` (ISO 8601 calendar date, complete representation). */
export function isDay(value: string): boolean {
  const m = DAY.exec(value)
  if (m === null) return false
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return date.toISOString().startsWith(value)
}

/** An absolute IRI (RFC 3987 §2.2 `IRI` has a scheme), as activity ids are (xAPI Data 2.4.4.1). */
function isAbsoluteIri(value: string): boolean {
  if (value.length > MAX_IRI || /\s/u.test(value)) return false
  try {
    return new URL(value).protocol.length > 1
  } catch {
    return false
  }
}

function day(query: Readonly<Record<string, unknown>>, field: 'from' | 'to'): string | undefined {
  const value = single(query, field)
  if (value !== undefined && !isDay(value)) throw new ReportInputError(field, 'day', `${field}: must be a calendar day YYYY-MM-DD, got "${value.slice(0, 40)}"`)
  return value
}

function iri(query: Readonly<Record<string, unknown>>, field: 'program' | 'tier'): string | undefined {
  const value = single(query, field)
  if (value !== undefined && !isAbsoluteIri(value)) throw new ReportInputError(field, 'absolute-iri', `${field}: must be an absolute IRI (the activity id, e.g. https://…) of at most ${MAX_IRI} characters`)
  return value
}

function nodeId(query: Readonly<Record<string, unknown>>, field: 'kecamatan' | 'school'): string | undefined {
  const value = single(query, field)
  if (value !== undefined && !isUuid(value)) throw new ReportInputError(field, 'uuid', `${field}: must be the id (UUID) of a ${field} node`)
  return value
}

/**
 * The report filter from a query string (issue 6: "Filters by program, tier, period, kecamatan,
 * school"): `program`, `tier` (absolute IRIs), `from`, `to` (days, `from` ≤ `to`), `kecamatan`,
 * `school` (node ids; that they exist in the viewer's scope is checked by the router). Unknown
 * parameters are ignored.
 * @throws ReportInputError naming the field and the rule
 */
export function parseFilter(query: Readonly<Record<string, unknown>>): ParsedFilter {
  const from = day(query, 'from')
  const to = day(query, 'to')
  if (from !== undefined && to !== undefined && from > to) throw new ReportInputError('to', 'from-not-after-to', `to: must not be before from (${from} > ${to})`)
  const program = iri(query, 'program')
  const tier = iri(query, 'tier')
  const kecamatanId = nodeId(query, 'kecamatan')
  const schoolId = nodeId(query, 'school')
  return {
    ...(program !== undefined && { program }), ...(tier !== undefined && { tier }),
    ...(from !== undefined && { from }), ...(to !== undefined && { to }),
    ...(kecamatanId !== undefined && { kecamatanId }), ...(schoolId !== undefined && { schoolId }),
  }
}

/** `format`: `html` (default), `csv` or `pdf`. */
export function parseFormat(query: Readonly<Record<string, unknown>>): ReportFormat {
  const value = single(query, 'format') ?? 'html'
  if (value !== 'html' && value !== 'csv' && value !== 'pdf') throw new ReportInputError('format', 'one-of', 'format: must be one of html, csv, pdf')
  return value
}

const PAGE = /^[1-9]\d{0,8}$/u

/**
 * `page` of a paged HTML report: a whole number from 1 (absent or empty = 1). Whether the report
 * has that many pages is known only once it is read (`teacherPaging`).
 */
export function parsePage(query: Readonly<Record<string, unknown>>): number {
  const value = single(query, 'page')
  if (value === undefined) return 1
  if (!PAGE.test(value)) throw new ReportInputError('page', 'positive-integer', `page: must be a whole number from 1, got "${value.slice(0, 40)}"`)
  return Number(value)
}

/** The filter back as a query string (`?from=…`), for links that keep it; empty without a filter. */
export function filterQuery(filter: ParsedFilter): string {
  const params = new URLSearchParams()
  const pairs: [string, string | undefined][] = [['program', filter.program], ['tier', filter.tier], ['from', filter.from], ['to', filter.to], ['kecamatan', filter.kecamatanId], ['school', filter.schoolId]]
  for (const [k, v] of pairs) if (v !== undefined) params.set(k, v)
  const text = params.toString()
  return text === '' ? '' : `?${text}`
}
