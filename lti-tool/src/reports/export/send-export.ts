import type { Response } from 'express'
import type { ReportHeader } from '@tln/competence'
import type { ParsedFilter } from '../filter/parse-filter.ts'
import { ReportInputError } from '../filter/report-input-error.ts'
import type { PlacedChart } from '../report-charts.ts'
import type { Table } from '../tables/table.ts'
import { exportFileName, tableCsv } from './csv-export.ts'
import { reportPdf } from './pdf-report.ts'

export interface ExportRequest {
  readonly format: 'csv' | 'pdf'
  /** File name stem, e.g. `district`. */
  readonly name: string
  readonly title: string
  readonly report: Pick<ReportHeader, 'generatedAt' | 'engine'>
  readonly filter: ParsedFilter
  readonly charts: readonly PlacedChart[]
  readonly tables: readonly Table[]
}

const FILTER_NAMES: Record<keyof ParsedFilter, string> = { program: 'program', tier: 'tier', from: 'from', to: 'to', kecamatanId: 'kecamatan', schoolId: 'school' }

/** The filter in force as "name: value" lines (PDF header). */
export function filterLines(filter: ParsedFilter): string[] {
  return (Object.keys(FILTER_NAMES) as (keyof ParsedFilter)[]).filter((k) => filter[k] !== undefined).map((k) => `${FILTER_NAMES[k]}: ${filter[k]}`)
}

/**
 * Sends a report as a download: `csv` one table (`table=<name>`, default the first; RFC 4180,
 * UTF-8 BOM, `text/csv; charset=utf-8; header=present` per RFC 7111 §5.1 / RFC 4180 §3), or `pdf`
 * (A4, charts and tables). Not cached: reports hold personal data (UU 27/2022).
 * @throws ReportInputError for an unknown table name
 */
export async function sendExport(res: Response, query: Readonly<Record<string, unknown>>, request: ExportRequest, options: { pdfTables?: readonly Table[] } = {}): Promise<void> {
  res.set('Cache-Control', 'no-store').set('X-Content-Type-Options', 'nosniff')
  if (request.format === 'csv') {
    const wanted = typeof query.table === 'string' && query.table !== '' ? query.table : request.tables[0]?.name
    const table = request.tables.find((t) => t.name === wanted)
    if (table === undefined) throw new ReportInputError('table', 'one-of', `table: must be one of ${request.tables.map((t) => t.name).join(', ')}`)
    res.type('text/csv; charset=utf-8; header=present')
      .set('Content-Disposition', `attachment; filename="${exportFileName(request.name, table.name, request.report.generatedAt, 'csv')}"`)
    if (res.req.method === 'HEAD') res.end()
    else res.send(tableCsv(table))
    return
  }
  // HEAD: the same headers without drawing the PDF (seconds of CPU for a district) only to drop it.
  // RFC 9110 §9.3.2 lets the answer leave out Content-Length, which only the drawn file could give.
  if (res.req.method === 'HEAD') {
    res.type('application/pdf').set('Content-Disposition', `attachment; filename="${exportFileName(request.name, '', request.report.generatedAt, 'pdf')}"`).end()
    return
  }
  const pdf = await reportPdf({ title: request.title, filter: filterLines(request.filter), generatedAt: request.report.generatedAt, engine: request.report.engine, charts: request.charts, tables: options.pdfTables ?? request.tables })
  res.type('application/pdf')
    .set('Content-Disposition', `attachment; filename="${exportFileName(request.name, '', request.report.generatedAt, 'pdf')}"`)
    .send(pdf)
}
