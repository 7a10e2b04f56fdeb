import type { MentoringNetworkReport } from '@tln/competence'
import { teacherUrl } from '../links.ts'
import { both, cell, t, type Table } from './table.ts'

/** Who mentored whom, with sessions; participants link to their profile (and sessions to its mentoring section). */
function edgesTable(r: MentoringNetworkReport, query: string): Table {
  const nodes = new Map(r.network.nodes.map((n) => [n.key, n]))
  const who = (key: string) => {
    const n = nodes.get(key)
    return cell(n?.name ?? key, n?.participant === true ? teacherUrl(key, query) : undefined)
  }
  return {
    name: 'mentoring', title: t('Jejaring pendampingan', 'Mentoring network'),
    columns: [t('Pendamping', 'Mentor'), t('Didampingi', 'Mentee'), t('Sesi', 'Sessions')],
    rows: r.network.edges.map((e) => {
      const mentor = nodes.get(e.mentor)
      return [who(e.mentor), who(e.mentee), cell(e.sessions, mentor?.participant === true ? `${teacherUrl(e.mentor, query)}#mentoring` : undefined)]
    }),
  }
}

function summaryTable(r: MentoringNetworkReport): Table {
  return {
    name: 'summary', title: t('Ringkasan', 'Summary'),
    columns: [t('Indikator', 'Indicator'), t('Nilai', 'Value')],
    rows: [
      [cell(both(t('Hubungan pendampingan', 'Mentoring relations'))), cell(r.network.edges.length)],
      [cell(both(t('Jangkauan (orang didampingi)', 'Reach (people mentored)'))), cell(r.network.reach)],
      [cell(both(t('Rantai terpanjang', 'Longest chain'))), cell(r.network.maxDepth)],
    ],
  }
}

/** Every table of the mentoring network page, the first (every relation) being the CSV default. */
export function mentoringNetworkTables(report: MentoringNetworkReport, query = ''): Table[] {
  return [edgesTable(report, query), summaryTable(report)]
}
