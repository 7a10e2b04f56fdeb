import type { DistrictReport } from '@tln/competence'
import { kecamatanUrl } from '../links.ts'
import { both, cell, share, t, type Cell, type Table } from './table.ts'

const NOT_PLACED = t('Belum ditempatkan', 'Not placed')

/** Kecamatan × competence: mean rating and proficient teachers per competence (linked to the kecamatan's teachers). */
function heatmapTable(r: DistrictReport, query: string): Table {
  const columns = [t('Kecamatan', 'Kecamatan'), t('Guru', 'Teachers')]
  for (const c of r.competences) columns.push(t(`${c.code} nilai`, `${c.code} rating`), t(`${c.code} cakap`, `${c.code} proficient`))
  const rows = r.heatmap.map((row) => {
    const href = row.kecamatanId === null ? undefined : kecamatanUrl(row.kecamatanId, query)
    const cells: Cell[] = [cell(row.kecamatanId === null ? both(NOT_PLACED) : row.kecamatanName, href), cell(row.teachers, href)]
    for (const c of r.competences) {
      const hc = row.cells.find((x) => x.code === c.code)
      const anchored = href === undefined ? undefined : `${href}#c-${c.code}`
      cells.push(share(hc?.rating ?? null, anchored), { value: hc?.proficient ?? 0, display: `${hc?.proficient ?? 0}/${hc?.withEvidence ?? 0}`, ...(anchored !== undefined && { href: anchored }) })
    }
    return cells
  })
  return { name: 'heatmap', title: t('Kecamatan × kompetensi', 'Kecamatan × competence'), columns, rows }
}

function funnelTable(r: DistrictReport): Table {
  const first = r.funnel[0]?.teachers ?? 0
  return {
    name: 'funnel', title: t('Corong tingkat', 'Tier funnel'),
    columns: [t('Tahap', 'Stage'), t('Guru', 'Teachers'), t('Dari terdaftar', 'Of enrolled')],
    rows: r.funnel.map((s) => [cell(both(s.label)), cell(s.teachers), share(first > 0 ? s.teachers / first : null)]),
  }
}

function trendTable(r: DistrictReport): Table {
  return {
    name: 'trend', title: t('Tren bulanan', 'Month by month'),
    columns: [t('Bulan', 'Month'), t('Guru aktif', 'Active teachers'), t('Pernyataan', 'Statements')],
    rows: r.trend.map((m) => [cell(m.month), cell(m.activeTeachers), cell(m.statements)]),
  }
}

function quotaTable(r: DistrictReport, query: string): Table {
  return {
    name: 'quota', title: t('Peserta terhadap kuota', 'Participants against quota'),
    columns: [t('Kecamatan', 'Kecamatan'), t('Peserta', 'Participants'), t('Kuota', 'Quota'), t('Capaian', 'Share of quota')],
    rows: r.quota.map((q) => {
      const href = q.kecamatanId === null ? undefined : kecamatanUrl(q.kecamatanId, query)
      return [cell(q.kecamatanId === null ? both(NOT_PLACED) : q.kecamatanName, href), cell(q.participants, href), cell(q.quota), share(q.quota === null || q.quota === 0 ? null : q.participants / q.quota)]
    }),
  }
}

/** Mentoring reach per kecamatan of the mentor: mentors, people mentored, sessions, longest chain. */
function mentoringTable(r: DistrictReport, query: string): Table {
  return {
    name: 'mentoring', title: t('Jangkauan pendampingan', 'Mentoring reach'),
    columns: [t('Kecamatan', 'Kecamatan'), t('Pendamping', 'Mentors'), t('Didampingi', 'Mentees'), t('Sesi', 'Sessions'), t('Rantai terpanjang', 'Longest chain')],
    rows: r.mentoring.kecamatan.map((k) => {
      const href = k.kecamatanId === null ? undefined : kecamatanUrl(k.kecamatanId, query)
      return [cell(k.kecamatanId === null ? both(NOT_PLACED) : k.kecamatanName, href), cell(k.mentors), cell(k.mentees), cell(k.sessions), cell(k.maxDepth)]
    }),
  }
}

function successTable(r: DistrictReport): Table {
  const s = r.success
  return {
    name: 'success', title: t('Indikator keberhasilan program', 'Programme success indicators'),
    columns: [t('Indikator', 'Indicator'), t('Nilai', 'Value')],
    rows: [
      [cell(both(t('Kegiatan terlaksana', 'Activities held'))), cell(s.activitiesHeld)],
      [cell(both(t('Peserta', 'Participants'))), cell(s.participants)],
      [cell(both(t('Kuota', 'Quota'))), cell(s.quota)],
      [cell(both(t('Kehadiran fasilitator', 'Facilitators present'))), share(s.facilitatorsPresent)],
      [cell(both(t('Peserta menunjukkan penguasaan', 'Participants showing mastery'))), share(s.masteryShown)],
      [cell(both(t('Jangkauan pendampingan (orang)', 'Mentoring reach (people)'))), cell(r.mentoring.mentees)],
      [cell(both(t('Kedalaman rantai pendampingan', 'Mentoring chain depth'))), cell(r.mentoring.maxDepth)],
    ],
  }
}

/** Every table of the district report, the first being the CSV default. */
export function districtTables(report: DistrictReport, query = ''): Table[] {
  return [heatmapTable(report, query), funnelTable(report), trendTable(report), quotaTable(report, query), successTable(report), mentoringTable(report, query)]
}
