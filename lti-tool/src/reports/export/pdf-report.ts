import type { EngineStatus } from '@tln/competence'
import { localTimeText } from '../../http/local-time.ts'
import { skippedNotice } from '../engine-status-text.ts'
import type { PlacedChart } from '../report-charts.ts'
import { both, type Table } from '../tables/table.ts'
import { chartHeight, drawChart, pdfText, type Pdf } from './pdf-chart.ts'

/** ISO 216 A4 in PostScript points (pdfkit's unit). */
const A4: [number, number] = [595.28, 841.89]
const MARGIN = 40
const ROW_H = 14
const FONT = 8

export interface PdfReportInput {
  readonly title: string
  readonly subtitle?: string
  /** "name: value" lines of the filter in force. */
  readonly filter: readonly string[]
  readonly generatedAt: string
  readonly engine: EngineStatus & { readonly timeZone: string }
  readonly charts: readonly PlacedChart[]
  readonly tables: readonly Table[]
  /** Deflate page contents (default true; tests read the text uncompressed). */
  readonly compress?: boolean
}

const ENGINE: Record<EngineStatus['state'], string> = {
  current: 'terkini / up to date',
  'catching-up': 'mengejar data baru / catching up',
  rebuilding: 'membangun ulang / rebuilding',
  'not-started': 'belum berjalan / not started',
}

/** The page's status box as one line (wrapped), skipped statements included: they are left out of every number below. */
function engineLine(e: EngineStatus): string {
  const progress = e.state === 'rebuilding' ? ` ${e.rebuildDone ?? 0}/${e.rebuildTotal ?? 0}` : ''
  const notice = skippedNotice(e)
  return `Status data / Data status: ${ENGINE[e.state]}${progress}; ${e.processed} pernyataan / statements${notice === undefined ? '' : `; ${both(notice)}`}`
}

const bottom = (doc: Pdf) => doc.page.height - MARGIN - 20

function ensureRoom(doc: Pdf, y: number, needed: number): number {
  if (y + needed <= bottom(doc)) return y
  doc.addPage()
  return MARGIN
}

function cut(doc: Pdf, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text
  let s = text
  while (s.length > 1 && doc.widthOfString(`${s}...`) > width) s = s.slice(0, -1)
  return `${s}...`
}

/** Column widths in proportion to their longest text, within the page width. */
function columnWidths(doc: Pdf, table: Table, total: number): number[] {
  doc.font('Helvetica').fontSize(FONT)
  const want = table.columns.map((c, i) => {
    const texts = [both(c), ...table.rows.map((r) => display(r[i]))]
    return Math.min(160, Math.max(30, ...texts.map((t) => doc.widthOfString(pdfText(t)) + 6)))
  })
  const sum = want.reduce((a, b) => a + b, 0)
  return want.map((w) => (w * total) / sum)
}

const display = (c: Table['rows'][number][number] | undefined): string => (c === undefined ? '' : c.display ?? (c.value === null ? '-' : String(c.value)))

function headerRow(doc: Pdf, table: Table, widths: number[], y: number): number {
  doc.rect(MARGIN, y, widths.reduce((a, b) => a + b, 0), ROW_H).fill('#eeeeee')
  doc.font('Helvetica-Bold').fontSize(FONT).fillColor('#1b1b1b')
  let x = MARGIN
  table.columns.forEach((c, i) => {
    doc.text(cut(doc, pdfText(both(c)), widths[i]! - 4), x + 2, y + 4, { lineBreak: false })
    x += widths[i]!
  })
  return y + ROW_H
}

function drawTable(doc: Pdf, table: Table, y0: number): number {
  const total = doc.page.width - 2 * MARGIN
  const widths = columnWidths(doc, table, total)
  let y = ensureRoom(doc, y0, 3 * ROW_H + 14)
  doc.font('Helvetica-Bold').fontSize(10).fillColor('#1b1b1b').text(pdfText(both(table.title)), MARGIN, y, { lineBreak: false })
  y = headerRow(doc, table, widths, y + 14)
  if (table.rows.length === 0) {
    doc.font('Helvetica').fontSize(FONT).text('Belum ada data / No data yet', MARGIN + 2, y + 4, { lineBreak: false })
    return y + ROW_H + 10
  }
  for (const row of table.rows) {
    if (y + ROW_H > bottom(doc)) { doc.addPage(); y = headerRow(doc, table, widths, MARGIN) }
    doc.font('Helvetica').fontSize(FONT).fillColor('#1b1b1b')
    let x = MARGIN
    row.forEach((c, i) => {
      const text = cut(doc, pdfText(display(c)), widths[i]! - 4)
      const numeric = typeof c.value === 'number'
      const tx = numeric ? x + widths[i]! - 2 - doc.widthOfString(text) : x + 2
      doc.text(text, tx, y + 4, { lineBreak: false })
      x += widths[i]!
    })
    doc.moveTo(MARGIN, y + ROW_H).lineTo(MARGIN + total, y + ROW_H).lineWidth(0.3).stroke('#cccccc')
    y += ROW_H
  }
  return y + 12
}

/** "Halaman i dari n / Page i of n" and the title at the foot of every page. */
function pageNumbers(doc: Pdf, title: string): void {
  const range = doc.bufferedPageRange()
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i)
    // Writing below the bottom margin would make pdfkit open a new page.
    const margin = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    doc.font('Helvetica').fontSize(8).fillColor('#555555')
    doc.text(pdfText(`${title} - Halaman ${i + 1} dari ${range.count} / Page ${i + 1} of ${range.count}`), MARGIN, doc.page.height - MARGIN + 10, { lineBreak: false })
    doc.page.margins.bottom = margin
  }
}

/**
 * A printable A4 report (pdfkit): title, filter, generation time and engine status, the charts
 * drawn as vectors (the same shapes as the page's SVG), the tables (header repeated on each page),
 * and page numbers on every page.
 */
export async function reportPdf(input: PdfReportInput): Promise<Buffer> {
  // Loaded on the first PDF asked for, not at start: pdfkit and its fonts hold ≈ 20 MB of resident
  // memory that a server nobody asks for a PDF should not pay (docs/performance-notes.md, 2026-11-29).
  const { default: PDFDocument } = await import('pdfkit')
  const doc = new PDFDocument({ size: A4, margin: MARGIN, bufferPages: true, compress: input.compress ?? true, info: { Title: pdfText(input.title), Creator: 'TLN' } })
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const width = doc.page.width - 2 * MARGIN
  doc.font('Helvetica-Bold').fontSize(16).text(pdfText(input.title), MARGIN, MARGIN, { width })
  if (input.subtitle !== undefined) doc.font('Helvetica').fontSize(11).text(pdfText(input.subtitle), { width })
  doc.font('Helvetica').fontSize(9).fillColor('#333333')
  doc.text(pdfText(`Dibuat / Generated: ${localTimeText(new Date(input.generatedAt), input.engine.timeZone)}`), { width })
  doc.text(pdfText(engineLine(input.engine)), { width })
  doc.text(pdfText(`Saringan / Filter: ${input.filter.length === 0 ? 'tidak ada / none' : input.filter.join('; ')}`), { width })
  let y = doc.y + 12
  for (const placed of input.charts) {
    const chartW = Math.min(width, placed.chart.width * 1.25)
    y = ensureRoom(doc, y, 16 + chartHeight(placed.chart, chartW))
    doc.font('Helvetica-Bold').fontSize(10).fillColor('#1b1b1b').text(pdfText(both(placed.heading)), MARGIN, y, { lineBreak: false })
    y += 16 + drawChart(doc, placed.chart, MARGIN, y + 16, chartW) + 8
  }
  for (const table of input.tables) y = drawTable(doc, table, y)
  pageNumbers(doc, input.title)
  doc.end()
  return done
}
