import type { KecamatanReport } from '@tln/competence'
import { bothUnlessSame } from '../../http/html.ts'
import { kecamatanUrl, withParams } from '../links.ts'
import type { TeacherPaging } from '../paging.ts'
import { kecamatanCharts } from '../report-charts.ts'
import { overviewTables, teachersTable } from '../tables/kecamatan-tables.ts'
import type { ParsedFilter } from '../filter/parse-filter.ts'
import { filterForm, type FilterChoices } from './filter-form.ts'
import { engineStatusBox, generatedLine, reportPage, type NavLink } from './layout.ts'
import { pager, pagingLine } from './pager.ts'
import { chartSection, exportLinks, tableSection } from './report-sections.ts'

const HEATMAP_MEANING = { id: 'Angka = nilai guru pada indikator itu (%); sentuh angka untuk melihat buktinya. "–" = belum ada bukti.', en: 'Number = the teacher\'s rating on that indicator (%); tap it to see the evidence. "–" = no evidence yet.' }
const ONE_SCHOOL = { id: 'Untuk guru satu sekolah saja, pilih sekolahnya di Saring.', en: 'For one school\'s teachers, choose the school under Filter.' }

/**
 * A TLN group / kecamatan (issue 6): teachers × indicators per competence, tasks, meetings,
 * mentoring. The teachers table and the heatmaps' rows show one page of teachers (`paging`, issue 7:
 * 2.1 MB at 835 teachers); the summary, tasks and meetings are the whole kecamatan's, and the
 * CSV, PDF and JSON links give the whole report. Page links keep the filter and land on the teachers.
 */
export function kecamatanPage(input: { report: KecamatanReport; filter: ParsedFilter; query: string; choices: FilterChoices; nav: readonly NavLink[]; paging: TeacherPaging }): string {
  const { report: r, query, paging } = input
  const path = kecamatanUrl(r.kecamatan.id)
  const shown = r.teachers.slice(paging.start, paging.end)
  const pageHref = (page: number) => `${kecamatanUrl(r.kecamatan.id, page === 1 ? query : withParams(query, { page: String(page) }))}#h-teachers`
  const overview = new Map(overviewTables(r).map((t) => [t.name, t]))
  const heatmaps = kecamatanCharts(r, query, shown).map((c) => `<h3>${bothUnlessSame(c.heading.id, c.heading.en)}</h3>\n${chartSection(c, HEATMAP_MEANING)}`).join('\n')
  const paged = paging.pages > 1
  const body = `
<h1>${bothUnlessSame(`Kecamatan ${r.kecamatan.name}`, 'TLN group report')}</h1>
${generatedLine(r.generatedAt, r.engine.timeZone)}
${engineStatusBox(r.engine)}
${filterForm(path, input.filter, input.choices)}
${exportLinks(path, query)}
<section aria-labelledby="h-summary"><h2 id="h-summary">${bothUnlessSame('Ringkasan', 'Summary')}</h2>
${tableSection(path, query, overview.get('summary')!)}</section>
<section aria-labelledby="h-teachers"><h2 id="h-teachers">${bothUnlessSame('Guru', 'Teachers')}</h2>
${paged ? `${pager('top', paging, pageHref)}\n<p class="meaning">${bothUnlessSame(ONE_SCHOOL.id, ONE_SCHOOL.en)}</p>\n` : ''}${tableSection(path, query, teachersTable(shown, query))}</section>
<section aria-labelledby="h-heatmap"><h2 id="h-heatmap">${bothUnlessSame('Guru × indikator', 'Teachers × indicators')}</h2>
${paged ? `<p id="tln-heatmap-rows">${pagingLine(paging)}</p>\n` : ''}${heatmaps}${paged ? `\n${pager('bottom', paging, pageHref)}` : ''}</section>
<section aria-labelledby="h-tasks"><h2 id="h-tasks">${bothUnlessSame('Tugas kinerja', 'Performance tasks')}</h2>
${tableSection(path, query, overview.get('tasks')!)}</section>
<section aria-labelledby="h-meetings"><h2 id="h-meetings">${bothUnlessSame('Pertemuan', 'Meetings')}</h2>
${tableSection(path, query, overview.get('meetings')!)}</section>`
  return reportPage(`TLN — Kecamatan ${r.kecamatan.name}${paging.page > 1 ? ` (${paging.page}/${paging.pages})` : ''}`, body, input.nav)
}
