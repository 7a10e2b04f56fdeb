import { neutraliseFormula } from '@tln/lrs'
import { both, type Cell, type Table } from '../tables/table.ts'

/** UTF-8 byte order mark: without it Excel reads UTF-8 CSV as the local code page and breaks names. */
export const BOM = '\uFEFF'

/**
 * A text cell that a spreadsheet would run as a formula gets a leading single quote (OWASP "CSV
 * Injection": cells starting with `=`, `+`, `-`, `@`, tab or carriage return): `@tln/lrs`'s
 * rule, shared with the statement export and the framework CSV. Numbers are data and stay as they are, so a negative number
 * is still a number.
 */
export { neutraliseFormula }

/** One field, quoted when it holds a comma, a quote, CR or LF, quotes doubled (RFC 4180 §2.5–2.7). */
export function csvField(value: Cell['value']): string {
  if (value === null) return ''
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  const text = neutraliseFormula(value)
  return /[",\r\n]/u.test(text) ? `"${text.replace(/"/gu, '""')}"` : text
}

/**
 * A report table as CSV (RFC 4180): a header record of "Indonesian / English" column names, then
 * one record per row, every record ended by CRLF (§2.1–2.3), UTF-8 with a BOM for Excel. Values
 * are data (ratings 0..1, counts), not the page's percentages.
 */
export function tableCsv(table: Table): string {
  const header = table.columns.map((c) => csvField(both(c))).join(',')
  const rows = table.rows.map((row) => row.map((c) => csvField(c.value)).join(','))
  return `${BOM}${[header, ...rows].map((line) => `${line}\r\n`).join('')}`
}

/** The file name of an export: `tln-<report>-<table>-<day>.csv`, ASCII only. */
export function exportFileName(report: string, table: string, generatedAt: string, extension: 'csv' | 'pdf'): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9-]+/gu, '-').slice(0, 40)
  return `tln-${safe(report)}${table === '' ? '' : `-${safe(table)}`}-${generatedAt.slice(0, 10)}.${extension}`
}
