import type { DistrictReport, KecamatanReport, MentoringNetworkReport, TeacherReport } from '@tln/competence'
import { funnelBars } from './charts/funnel.ts'
import { heatmap } from './charts/heatmap.ts'
import { lineChart } from './charts/line-chart.ts'
import { networkGraph } from './charts/network.ts'
import { radarChart } from './charts/radar.ts'
import type { Chart } from './charts/scene.ts'
import { evidenceUrl, kecamatanUrl, teacherUrl } from './links.ts'
import { drawnNetwork, type DrawnNetwork } from './network-drawing.ts'

/** A chart with the section it belongs to (the anchor id on the page, the heading in the PDF). */
export interface PlacedChart {
  readonly id: string
  readonly heading: { readonly id: string; readonly en: string }
  readonly chart: Chart
}

/**
 * The district's pictures: kecamatan × competence heatmap (each cell → the kecamatan's teachers at
 * that competence), tier funnel, month-by-month active teachers. The mentoring network has its own
 * page (`mentoringNetworkCharts`): drawn for a whole district it was most of the dashboard's time.
 */
export function districtCharts(r: DistrictReport, query = ''): PlacedChart[] {
  const columns = r.competences.map((c) => ({ label: c.code, title: c.title.id }))
  const rows = r.heatmap.map((row) => {
    const href = row.kecamatanId === null ? undefined : kecamatanUrl(row.kecamatanId, query)
    return {
      label: row.kecamatanId === null ? 'Belum ditempatkan' : row.kecamatanName,
      ...(href !== undefined && { href }),
      cells: r.competences.map((c) => {
        const cell = row.cells.find((x) => x.code === c.code)
        return {
          value: cell?.rating ?? null,
          key: `${row.kecamatanId ?? 'none'}|${c.code}`,
          ...(href !== undefined && { href: `${href}#c-${c.code}` }),
          title: `${row.kecamatanName || 'Belum ditempatkan'} · ${c.title.id}: ${cell?.rating == null ? '–' : `${Math.round(cell.rating * 100)}%`} (${cell?.proficient ?? 0}/${cell?.withEvidence ?? 0} cakap / proficient)`,
        }
      }),
    }
  })
  return [
    { id: 'heatmap', heading: { id: 'Kecamatan × kompetensi', en: 'Kecamatan × competence' }, chart: heatmap({ title: 'Kecamatan × kompetensi / Kecamatan × competence', columns, rows }) },
    { id: 'funnel', heading: { id: 'Corong tingkat', en: 'Tier funnel' }, chart: funnelBars('Corong tingkat / Tier funnel', r.funnel.map((s) => ({ label: `${s.label.id} / ${s.label.en}`, value: s.teachers, key: s.stage }))) },
    { id: 'trend', heading: { id: 'Guru aktif per bulan', en: 'Active teachers per month' }, chart: lineChart('Guru aktif per bulan / Active teachers per month', r.trend.map((m) => ({ label: m.month, value: m.activeTeachers })), 'guru / teachers') },
  ]
}

/**
 * The mentoring network page's picture (and the PDF's): who mentored whom, each participant linked
 * to their profile; a bounded part of a large network (`drawnNetwork`), the page saying which.
 */
export function mentoringNetworkCharts(r: MentoringNetworkReport, query = '', drawn: DrawnNetwork = drawnNetwork(r.network)): PlacedChart[] {
  return [{
    id: 'network', heading: { id: 'Jejaring pendampingan', en: 'Mentoring network' },
    chart: networkGraph('Jejaring pendampingan / Mentoring network', {
      nodes: drawn.nodes.map((n) => ({ key: n.key, name: n.name, participant: n.participant, ...(n.participant && { href: teacherUrl(n.key, query) }) })),
      edges: drawn.edges,
    }),
  }]
}

/**
 * The kecamatan's teachers × indicators, one heatmap per competence (its anchor `c-<code>` is where
 * the district heatmap's cells point); only indicators with evidence here get a column, so a phone
 * is not filled with empty ones. Each cell → that teacher's evidence for that indicator. `rows`
 * are all teachers (PDF) or one page's (the HTML page); the columns are the kecamatan's either
 * way, so every page of it has the same ones.
 */
export function kecamatanCharts(r: KecamatanReport, query = '', rows: KecamatanReport['teachers'] = r.teachers): PlacedChart[] {
  return r.competences.map((c) => {
    const codes = c.indicators.filter((i) => r.teachers.some((t) => t.cells.some((x) => x.code === i.code && x.withEvidence > 0)))
    const chart = heatmap({
      title: `${c.code} — ${c.title.id} / ${c.title.en}`,
      columns: codes.map((i) => ({ label: i.code, title: i.title.id })),
      rows: codes.length === 0 ? [] : rows.map((t) => ({
        label: t.name,
        href: teacherUrl(t.learnerKey, query),
        cells: codes.map((i) => {
          const cell = t.cells.find((x) => x.code === i.code)
          const value = cell?.rating ?? null
          return { value, key: `${t.learnerKey}|${i.code}`, ...(value !== null && { href: evidenceUrl(t.learnerKey, i.code, query) }) }
        }),
      })),
      cellWidth: 52,
    })
    return { id: `c-${c.code}`, heading: { id: `${c.code} — ${c.title.id}`, en: c.title.en }, chart }
  })
}

/** The teacher's competence profile: one radar axis per competence, each rating → its evidence. */
export function teacherCharts(r: TeacherReport, query = ''): PlacedChart[] {
  const axes = r.competences.map((c) => {
    const rating = r.ratings.find((x) => x.code === c.code && x.level === 'competence')
    return {
      label: c.title.id.replace(/^Kompetensi\s+/iu, ''),
      value: rating?.rating ?? null,
      key: c.code,
      ...(rating !== undefined && { href: evidenceUrl(r.teacher.learnerKey, c.code, query) }),
    }
  })
  return [{ id: 'profile', heading: { id: 'Profil kompetensi', en: 'Competence profile' }, chart: radarChart('Profil kompetensi / Competence profile', axes) }]
}
