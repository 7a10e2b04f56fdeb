import type { MentoringNetworkReport } from '@tln/competence'
import { bothUnlessSame, escapeHtml as e } from '../../http/html.ts'
import { districtUrl, mentoringNetworkUrl, withParams } from '../links.ts'
import { drawnNetwork, type DrawnNetwork } from '../network-drawing.ts'
import { mentoringNetworkCharts } from '../report-charts.ts'
import { mentoringNetworkTables } from '../tables/mentoring-tables.ts'
import type { ParsedFilter } from '../filter/parse-filter.ts'
import { filterForm, type FilterChoices } from './filter-form.ts'
import { engineStatusBox, generatedLine, reportPage, type NavLink } from './layout.ts'
import { chartSection, exportLinks, tableSection } from './report-sections.ts'

const MEANING = { id: 'Siapa mendampingi siapa: pendamping pertama di tengah, rekan yang didampingi di lingkaran luar.', en: 'Who mentored whom: first mentors in the centre, the colleagues they mentored on the outer rings.' }

/** Relations listed on the page itself; a district's every pair stays in the CSV, to keep the page light on a phone. */
const LISTED = 200

const n = (value: number) => value.toLocaleString('id-ID')

/**
 * What the graph shows when the network is larger than a phone draws (`drawnNetwork`): how much of
 * it, which part, how to see another part, and where every relation is.
 */
function drawnNote(path: string, query: string, r: MentoringNetworkReport, drawn: DrawnNetwork): string {
  if (drawn.complete) return ''
  const part = drawn.groupsDrawn > 0
    ? bothUnlessSame(`${n(drawn.groupsDrawn)} kelompok terbesar dari ${n(drawn.groups)} kelompok pendampingan`, `the ${n(drawn.groupsDrawn)} largest of ${n(drawn.groups)} mentoring groups`)
    : bothUnlessSame('pendamping dengan rekan didampingi terbanyak dari kelompok terbesar', 'the mentors with the most mentees in the largest group')
  const csv = `${path}${withParams(query, { format: 'csv', table: 'mentoring' })}`
  return `<p id="tln-network-drawn" class="box">${bothUnlessSame(
    `Gambar menampilkan ${n(drawn.nodes.length)} dari ${n(r.network.nodes.length)} orang dan ${n(drawn.edges.length)} dari ${n(r.network.edges.length)} hubungan:`,
    `The picture shows ${n(drawn.nodes.length)} of ${n(r.network.nodes.length)} people and ${n(drawn.edges.length)} of ${n(r.network.edges.length)} relations:`)} ${part}. ${bothUnlessSame(
    'Saring menurut kecamatan atau sekolah untuk melihat bagian lain; jejaring lengkap ada di',
    'Filter by kecamatan or school to see another part; the whole network is in the')} <a href="${e(csv)}" download>CSV</a> · <a href="${e(`/api${path}${query}`)}">JSON</a>.</p>`
}

/**
 * The district's mentoring network (issue 6, "mentoring network graph (who mentored whom,
 * depth)"), linked from the dashboard, with the same scope and filter.
 */
export function mentoringNetworkPage(input: { report: MentoringNetworkReport; filter: ParsedFilter; query: string; choices: FilterChoices; nav: readonly NavLink[] }): string {
  const { report: r, query } = input
  const path = mentoringNetworkUrl()
  const drawn = drawnNetwork(r.network)
  const [chart] = mentoringNetworkCharts(r, query, drawn)
  const [edges, summary] = mentoringNetworkTables(r, query)
  const name = r.district?.name ?? 'Kabupaten'
  const listed = edges!.rows.length <= LISTED
    ? tableSection(path, query, edges!)
    : `${tableSection(path, query, { ...edges!, rows: edges!.rows.slice(0, LISTED) })}<p>${bothUnlessSame(`${LISTED} dari ${edges!.rows.length} hubungan; daftar lengkap`, `${LISTED} of ${edges!.rows.length} relations; the full list`)}: <a href="${e(`${path}${withParams(query, { format: 'csv', table: 'mentoring' })}`)}" download>CSV</a></p>`
  const body = `
<h1>${bothUnlessSame(`Jejaring pendampingan ${name}`, 'Mentoring network')}</h1>
<p><a href="${e(districtUrl(query))}">${bothUnlessSame('Kembali ke laporan kabupaten', 'Back to the district report')}</a></p>
${generatedLine(r.generatedAt, r.engine.timeZone)}
${engineStatusBox(r.engine)}
${filterForm(path, input.filter, input.choices)}
${exportLinks(path, query)}
<section aria-labelledby="h-network"><h2 id="h-network">${bothUnlessSame('Jejaring pendampingan', 'Mentoring network')}</h2>
${tableSection(path, query, summary!)}
${drawnNote(path, query, r, drawn)}
${chartSection(chart!, MEANING)}
${listed}</section>`
  return reportPage(`TLN — Jejaring pendampingan ${name}`, body, input.nav)
}
