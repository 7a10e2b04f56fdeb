import { bothUnlessSame, escapeHtml as e } from '../../http/html.ts'
import { withParams } from '../links.ts'
import type { PlacedChart } from '../report-charts.ts'
import type { Table } from '../tables/table.ts'
import { chartHtml, tableHtml } from './html-table.ts'

/** Links to the same report as PDF, CSV (its first table) and JSON (`/api` + path). */
export function exportLinks(path: string, query: string): string {
  const link = (href: string, label: string, download: boolean) => `<a href="${e(href)}"${download ? ' download' : ''}>${label}</a>`
  return `<p id="tln-export" class="export">${bothUnlessSame('Unduh', 'Download')}: ${link(`${path}${withParams(query, { format: 'pdf' })}`, 'PDF', true)} · ${link(`${path}${withParams(query, { format: 'csv' })}`, 'CSV', true)} · ${link(`/api${path}${query}`, 'JSON', false)}</p>`
}

/** A table with its own CSV link (`?format=csv&table=<name>`). */
export function tableSection(path: string, query: string, table: Table): string {
  return tableHtml(table, { csv: `${path}${withParams(query, { format: 'csv', table: table.name })}` })
}

/** A chart, then the sentence that says what its numbers mean. */
export function chartSection(placed: PlacedChart, meaning: { id: string; en: string }): string {
  return `${chartHtml(placed)}\n<p class="meaning">${bothUnlessSame(meaning.id, meaning.en)}</p>`
}
