import { emptyChart, fitText, percentText, ratingColour, round, type Chart, type Shape } from './scene.ts'

export interface HeatmapInput {
  readonly title: string
  readonly columns: readonly { readonly label: string; readonly title?: string }[]
  readonly rows: readonly {
    readonly label: string
    readonly href?: string
    /** One per column: a rating 0..1 (null = no evidence), where the number links, what a tooltip says. */
    readonly cells: readonly { readonly value: number | null; readonly href?: string; readonly title?: string; readonly key?: string }[]
  }[]
  /** Width of one cell; the row labels take what is left of a phone's width. */
  readonly cellWidth?: number
}

const LABEL_W = 120
const HEAD_H = 28
const ROW_H = 28

/**
 * Heatmap of rows × columns (district: kecamatan × competence; kecamatan: teachers × indicators).
 * Each cell is coloured by its rating and prints the rating as a percentage (or "–" without
 * evidence), so colour is never the only cue (WCAG 2.2 SC 1.4.1), and links to what it was
 * computed from. More than eight columns make a wide chart that scrolls sideways on a phone.
 */
export function heatmap(input: HeatmapInput): Chart {
  if (input.rows.length === 0 || input.columns.length === 0) return emptyChart(input.title)
  const cw = input.cellWidth ?? 56
  const width = LABEL_W + cw * input.columns.length
  const height = HEAD_H + ROW_H * input.rows.length
  const shapes: Shape[] = []
  input.columns.forEach((column, c) => {
    shapes.push({ kind: 'text', x: round(LABEL_W + cw * c + cw / 2), y: HEAD_H - 10, text: fitText(column.label, cw - 4, 11), size: 11, anchor: 'middle', bold: true })
  })
  input.rows.forEach((row, r) => {
    const y = HEAD_H + ROW_H * r
    shapes.push({ kind: 'text', x: 4, y: y + ROW_H / 2 + 4, text: fitText(row.label, LABEL_W - 8, 12), size: 12, ...(row.href !== undefined && { href: row.href }) })
    row.cells.slice(0, input.columns.length).forEach((cell, c) => {
      const x = LABEL_W + cw * c
      const colour = ratingColour(cell.value)
      const number = cell.value === null ? '–' : percentText(cell.value)
      const title = cell.title ?? `${row.label} · ${input.columns[c]!.title ?? input.columns[c]!.label}: ${cell.value === null ? 'belum ada bukti / no evidence' : `${number}%`}`
      shapes.push({ kind: 'rect', x: x + 1, y: y + 1, w: cw - 2, h: ROW_H - 2, fill: colour.fill, title, ...(cell.href !== undefined && { href: cell.href }), ...(cell.key !== undefined && { data: cell.key }) })
      shapes.push({ kind: 'text', x: round(x + cw / 2), y: y + ROW_H / 2 + 4, text: number, size: 12, anchor: 'middle', fill: colour.text, ...(cell.href !== undefined && { href: cell.href }) })
    })
  })
  return {
    width, height, title: input.title, shapes, wide: input.columns.length > 8,
    description: `${input.rows.length} baris × ${input.columns.length} kolom; angka = rata-rata nilai (%). / ${input.rows.length} rows × ${input.columns.length} columns; number = mean rating (%).`,
  }
}
