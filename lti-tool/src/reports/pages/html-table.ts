import { bothUnlessSame, escapeHtml as e } from '../../http/html.ts'
import { chartSvg } from '../charts/to-svg.ts'
import type { PlacedChart } from '../report-charts.ts'
import type { Cell, Table } from '../tables/table.ts'

function cellHtml(c: Cell): string {
  const text = e(c.display ?? (c.value === null ? '–' : String(c.value)))
  const numeric = typeof c.value === 'number' || c.display?.endsWith('%') === true
  const inner = c.href === undefined ? text : `<a href="${e(c.href)}">${text}</a>`
  return numeric ? `<td class="num">${inner}</td>` : `<td>${inner}</td>`
}

/**
 * A report table as HTML: a caption, column headers with `scope`, and every linked number as a
 * link; inside a box that scrolls sideways on a phone. `csv` is the export link of this table.
 */
export function tableHtml(table: Table, options: { csv?: string } = {}): string {
  const head = table.columns.map((c) => `<th scope="col">${bothUnlessSame(c.id, c.en)}</th>`).join('')
  const body = table.rows.length === 0
    ? `<tr><td colspan="${table.columns.length}">${bothUnlessSame('Belum ada data', 'No data yet')}</td></tr>`
    : table.rows.map((row) => `<tr>${row.map(cellHtml).join('')}</tr>`).join('\n')
  const csv = options.csv === undefined ? '' : ` <small><a href="${e(options.csv)}" download>CSV</a></small>`
  return `<div class="scroll"><table id="tbl-${e(table.name)}"><caption>${bothUnlessSame(table.title.id, table.title.en)}${csv}</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody></table></div>`
}

/** A chart in its own figure, with the section's anchor. */
export function chartHtml(placed: PlacedChart): string {
  return `<figure id="${e(placed.id)}" class="chart-box">${chartSvg(placed.chart)}<figcaption>${bothUnlessSame(placed.heading.id, placed.heading.en)}</figcaption></figure>`
}
