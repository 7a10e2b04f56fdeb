import type { DistrictReport } from '@tln/competence'
import { escapeHtml as e } from '../../http/html.ts'
import { districtUrl, withParams } from '../links.ts'
import { districtCharts } from '../report-charts.ts'
import { districtTables } from '../tables/district-tables.ts'
import type { Table } from '../tables/table.ts'
import type { ParsedFilter } from '../filter/parse-filter.ts'
import { filterForm, type FilterChoices } from './filter-form.ts'
import { both, engineStatusBox, generatedLine, reportPage, type NavLink } from './layout.ts'
import { chartSection, exportLinks, tableSection } from './report-sections.ts'

const MEANING = {
  heatmap: { id: 'Angka = rata-rata nilai kompetensi guru yang punya bukti (%); sentuh angka untuk melihat guru di kecamatan itu.', en: 'Number = mean competence rating of teachers with evidence (%); tap a number to see the teachers of that kecamatan.' },
  funnel: { id: 'Jumlah guru yang mencapai tiap tahap diklat berjenjang.', en: 'Teachers who reached each stage of the tiered training.' },
  trend: { id: 'Guru dengan setidaknya satu kegiatan tercatat di bulan itu.', en: 'Teachers with at least one recorded activity in that month.' },
  network: { id: 'Siapa mendampingi siapa: pendamping pertama di tengah, rekan yang didampingi di lingkaran luar.', en: 'Who mentored whom: first mentors in the centre, the colleagues they mentored on the outer rings.' },
} as const

/** Short lists inline; a long one (a district's every mentoring pair) as its CSV only, to keep the page light. */
function mentoringList(path: string, query: string, table: Table): string {
  if (table.rows.length <= 30) return `<details><summary>${both('Daftar pendampingan', 'Mentoring list')}</summary>${tableSection(path, query, table)}</details>`
  return `<p>${both(`Daftar lengkap ${table.rows.length} hubungan pendampingan`, `Full list of ${table.rows.length} mentoring relations`)}: <a href="${e(`${path}${withParams(query, { format: 'csv', table: 'mentoring' })}`)}" download>CSV</a></p>`
}

/** The district dashboard (issue 6, "district"): every number links to the teachers or evidence behind it. */
export function districtPage(input: { report: DistrictReport; filter: ParsedFilter; query: string; choices: FilterChoices; nav: readonly NavLink[] }): string {
  const { report: r, query } = input
  const path = districtUrl()
  const charts = new Map(districtCharts(r, query).map((c) => [c.id, c]))
  const tables = new Map(districtTables(r, query).map((t) => [t.name, t]))
  const legend = r.competences.map((c) => `<li><strong>${e(c.code)}</strong> — ${both(c.title.id, c.title.en)}</li>`).join('')
  const name = r.district?.name ?? 'Kabupaten'
  const body = `
<h1>${both(`Laporan ${name}`, 'District report')}</h1>
${generatedLine(r.generatedAt)}
${engineStatusBox(r.engine)}
${filterForm(path, input.filter, input.choices)}
${exportLinks(path, query)}
<section aria-labelledby="h-heatmap"><h2 id="h-heatmap">${both('Kompetensi per kecamatan', 'Competence by kecamatan')}</h2>
${chartSection(charts.get('heatmap')!, MEANING.heatmap)}
<ul class="legend">${legend}</ul>
${tableSection(path, query, tables.get('heatmap')!)}</section>
<section aria-labelledby="h-success"><h2 id="h-success">${both('Indikator keberhasilan', 'Success indicators')}</h2>
${tableSection(path, query, tables.get('success')!)}
${tableSection(path, query, tables.get('quota')!)}</section>
<section aria-labelledby="h-funnel"><h2 id="h-funnel">${both('Corong tingkat', 'Tier funnel')}</h2>
${chartSection(charts.get('funnel')!, MEANING.funnel)}
${tableSection(path, query, tables.get('funnel')!)}</section>
<section aria-labelledby="h-trend"><h2 id="h-trend">${both('Tren bulanan', 'Month by month')}</h2>
${chartSection(charts.get('trend')!, MEANING.trend)}
${tableSection(path, query, tables.get('trend')!)}</section>
<section aria-labelledby="h-network"><h2 id="h-network">${both('Jejaring pendampingan', 'Mentoring network')}</h2>
<p>${both(`Jangkauan: ${r.mentoring.reach} orang didampingi; rantai terpanjang: ${r.mentoring.maxDepth}`, `Reach: ${r.mentoring.reach} people mentored; longest chain: ${r.mentoring.maxDepth}`)}</p>
${chartSection(charts.get('network')!, MEANING.network)}
${mentoringList(path, query, tables.get('mentoring')!)}</section>`
  return reportPage(`TLN — Laporan ${name}`, body, input.nav)
}
