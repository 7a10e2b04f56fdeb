import type { KecamatanReport } from '@tln/competence'
import { kecamatanUrl } from '../links.ts'
import { kecamatanCharts } from '../report-charts.ts'
import { kecamatanTables } from '../tables/kecamatan-tables.ts'
import type { ParsedFilter } from '../filter/parse-filter.ts'
import { filterForm, type FilterChoices } from './filter-form.ts'
import { both, engineStatusBox, generatedLine, reportPage, type NavLink } from './layout.ts'
import { chartSection, exportLinks, tableSection } from './report-sections.ts'

const HEATMAP_MEANING = { id: 'Angka = nilai guru pada indikator itu (%); sentuh angka untuk melihat buktinya. "–" = belum ada bukti.', en: 'Number = the teacher\'s rating on that indicator (%); tap it to see the evidence. "–" = no evidence yet.' }

/** A TLN group / kecamatan (issue 6): teachers × indicators per competence, tasks, meetings, mentoring. */
export function kecamatanPage(input: { report: KecamatanReport; filter: ParsedFilter; query: string; choices: FilterChoices; nav: readonly NavLink[] }): string {
  const { report: r, query } = input
  const path = kecamatanUrl(r.kecamatan.id)
  const tables = new Map(kecamatanTables(r, query).map((t) => [t.name, t]))
  const heatmaps = kecamatanCharts(r, query).map((c) => `<h3>${both(c.heading.id, c.heading.en)}</h3>\n${chartSection(c, HEATMAP_MEANING)}`).join('\n')
  const body = `
<h1>${both(`Kecamatan ${r.kecamatan.name}`, 'TLN group report')}</h1>
${generatedLine(r.generatedAt)}
${engineStatusBox(r.engine)}
${filterForm(path, input.filter, input.choices)}
${exportLinks(path, query)}
<section aria-labelledby="h-summary"><h2 id="h-summary">${both('Ringkasan', 'Summary')}</h2>
${tableSection(path, query, tables.get('summary')!)}</section>
<section aria-labelledby="h-teachers"><h2 id="h-teachers">${both('Guru', 'Teachers')}</h2>
${tableSection(path, query, tables.get('teachers')!)}</section>
<section aria-labelledby="h-heatmap"><h2 id="h-heatmap">${both('Guru × indikator', 'Teachers × indicators')}</h2>
${heatmaps}</section>
<section aria-labelledby="h-tasks"><h2 id="h-tasks">${both('Tugas kinerja', 'Performance tasks')}</h2>
${tableSection(path, query, tables.get('tasks')!)}</section>
<section aria-labelledby="h-meetings"><h2 id="h-meetings">${both('Pertemuan', 'Meetings')}</h2>
${tableSection(path, query, tables.get('meetings')!)}</section>`
  return reportPage(`TLN — Kecamatan ${r.kecamatan.name}`, body, input.nav)
}
