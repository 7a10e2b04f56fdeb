import type { BilingualText } from '@tln/competence'
import { localTimeText } from '../../http/local-time.ts'

/** One value of a report table: the data (CSV), what people read (page, PDF), where it links. */
export interface Cell {
  readonly value: string | number | boolean | null
  /** Shown on the page and in the PDF instead of `value` (e.g. `72%` for 0.72). */
  readonly display?: string
  /** Every number links to what it was computed from (issue 6, "every number traceable"). */
  readonly href?: string
}

/**
 * A report table, the one shape behind the page's tables, the CSV export (`?format=csv&table=`)
 * and the PDF: named columns and rows of cells.
 */
export interface Table {
  /** Stable name, the `table` parameter of the CSV export. */
  readonly name: string
  readonly title: BilingualText
  readonly columns: readonly BilingualText[]
  readonly rows: readonly (readonly Cell[])[]
}

/** A cell of plain text or a number, optionally linked. */
export const cell = (value: Cell['value'], href?: string): Cell => ({ value, ...(href !== undefined && { href }) })

/** A share 0..1 kept as data (4 decimals) and shown as a percentage; null shows "–". */
export function share(value: number | null, href?: string): Cell {
  if (value === null) return { value: null, display: '–', ...(href !== undefined && { href }) }
  return { value: Math.round(value * 10_000) / 10_000, display: `${Math.round(value * 100)}%`, ...(href !== undefined && { href }) }
}

/**
 * An instant kept as data (ISO 8601, UTC) and shown on the clock of the report's zone
 * (`2026-03-07 17:10 WITA`); null shows "–".
 */
export function instant(iso: string | null, timeZone: string, href?: string): Cell {
  if (iso === null) return { value: null, display: '–', ...(href !== undefined && { href }) }
  return { value: iso, display: localTimeText(new Date(iso), timeZone), ...(href !== undefined && { href }) }
}

const ONE_DECIMAL = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 1 })

/** A number of days kept as data to two decimals and shown to one, as Indonesians write it (`2,6`); null shows "–". */
export function days(value: number | null): Cell {
  if (value === null) return { value: null, display: '–' }
  return { value: Math.round(value * 100) / 100, display: ONE_DECIMAL.format(value) }
}

/** A heading "Indonesian / English" (the CSV header and the PDF column titles). */
export const both = (t: BilingualText): string => (t.id === t.en ? t.id : `${t.id} / ${t.en}`)

export const t = (id: string, en: string): BilingualText => ({ id, en })
