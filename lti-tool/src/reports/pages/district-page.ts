import type { DistrictReport } from '@tln/competence'
import { bothUnlessSame, escapeHtml as e } from '../../http/html.ts'
import { districtUrl, mentoringNetworkUrl } from '../links.ts'
import { districtCharts } from '../report-charts.ts'
import { districtTables } from '../tables/district-tables.ts'
import type { ParsedFilter } from '../filter/parse-filter.ts'
import { filterForm, type FilterChoices } from './filter-form.ts'
import { engineStatusBox, generatedLine, reportPage, type NavLink } from './layout.ts'
import { chartSection, exportLinks, tableSection } from './report-sections.ts'

const MEANING = {
  heatmap: { id: 'Angka = rata-rata nilai kompetensi guru yang punya bukti (%); sentuh angka untuk melihat guru di kecamatan itu.', en: 'Number = mean competence rating of teachers with evidence (%); tap a number to see the teachers of that kecamatan.' },
  funnel: { id: 'Jumlah guru yang mencapai tiap tahap diklat berjenjang.', en: 'Teachers who reached each stage of the tiered training.' },
  trend: { id: 'Guru dengan setidaknya satu kegiatan tercatat di bulan itu.', en: 'Teachers with at least one recorded activity in that month.' },
} as const

/** The district dashboard (issue 6, "district"): every number links to the teachers or evidence behind it. */
export function districtPage(input: { report: DistrictReport; filter: ParsedFilter; query: string; choices: FilterChoices; nav: readonly NavLink[] }): string {
  const { report: r, query } = input
  const path = districtUrl()
  const charts = new Map(districtCharts(r, query).map((c) => [c.id, c]))
  const tables = new Map(districtTables(r, query).map((t) => [t.name, t]))
  const legend = r.competences.map((c) => `<li><strong>${e(c.code)}</strong> — ${bothUnlessSame(c.title.id, c.title.en)}</li>`).join('')
  const name = r.district?.name ?? 'Kabupaten'
  const m = r.mentoring
  const body = `
<h1>${bothUnlessSame(`Laporan ${name}`, 'District report')}</h1>
${generatedLine(r.generatedAt, r.engine.timeZone)}
${engineStatusBox(r.engine)}
${filterForm(path, input.filter, input.choices)}
${exportLinks(path, query)}
<section aria-labelledby="h-heatmap"><h2 id="h-heatmap">${bothUnlessSame('Kompetensi per kecamatan', 'Competence by kecamatan')}</h2>
${chartSection(charts.get('heatmap')!, MEANING.heatmap)}
<ul class="legend">${legend}</ul>
${tableSection(path, query, tables.get('heatmap')!)}</section>
<section aria-labelledby="h-success"><h2 id="h-success">${bothUnlessSame('Indikator keberhasilan', 'Success indicators')}</h2>
${tableSection(path, query, tables.get('success')!)}
${tableSection(path, query, tables.get('quota')!)}</section>
<section aria-labelledby="h-funnel"><h2 id="h-funnel">${bothUnlessSame('Corong tingkat', 'Tier funnel')}</h2>
${chartSection(charts.get('funnel')!, MEANING.funnel)}
${tableSection(path, query, tables.get('funnel')!)}</section>
<section aria-labelledby="h-trend"><h2 id="h-trend">${bothUnlessSame('Tren bulanan', 'Month by month')}</h2>
${chartSection(charts.get('trend')!, MEANING.trend)}
${tableSection(path, query, tables.get('trend')!)}</section>
<section aria-labelledby="h-network"><h2 id="h-network">${bothUnlessSame('Jejaring pendampingan', 'Mentoring network')}</h2>
<p id="tln-mentoring-reach">${bothUnlessSame(`${m.mentors} pendamping, ${m.mentees} orang didampingi dalam ${m.sessions} sesi; rantai terpanjang: ${m.maxDepth}`, `${m.mentors} mentors, ${m.mentees} people mentored in ${m.sessions} sessions; longest chain: ${m.maxDepth}`)}</p>
${tableSection(path, query, tables.get('mentoring')!)}
<p><a id="tln-mentoring-network-link" href="${e(mentoringNetworkUrl(query))}">${bothUnlessSame('Lihat jejaring lengkap: siapa mendampingi siapa', 'See the full network: who mentored whom')}</a></p></section>`
  return reportPage(`TLN — Laporan ${name}`, body, input.nav)
}
