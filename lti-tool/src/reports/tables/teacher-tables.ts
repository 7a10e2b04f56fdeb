import type { TeacherReport } from '@tln/competence'
import { evidenceUrl, statementUrl } from '../links.ts'
import { cell, instant, share, t, type Cell, type Table } from './table.ts'

const LEVEL = { indicator: 'indikator / indicator', 'sub-competence': 'sub-kompetensi / sub-competence', competence: 'kompetensi / competence' } as const
const yesNo = (v: boolean | null) => ({ value: v, display: v === null ? '–' : v ? 'Ya / Yes' : 'Tidak / No' })

/** Titles of the framework's competences, sub-competences and indicators by code. */
export function titlesByCode(r: Pick<TeacherReport, 'competences'>): Map<string, string> {
  const titles = new Map<string, string>()
  for (const c of r.competences) {
    titles.set(c.code, c.title.id)
    for (const s of c.subCompetences) titles.set(s.code, s.title.id)
    for (const i of c.indicators) titles.set(i.code, i.title.id)
  }
  return titles
}

/** The rating methods and roll-ups of the competence config as people read them; the code stays the data. */
const METHOD: Readonly<Record<string, string>> = {
  latest: 'terbaru / latest', highest: 'tertinggi / highest', average: 'rata-rata / average',
  decayingAverage: 'rata-rata, yang baru lebih berat / decaying average', nMastery: 'cakap n kali / n-mastery',
  weightedTriangulation: 'triangulasi berbobot / weighted triangulation',
  allChildrenProficient: 'semua bagiannya cakap / all parts proficient', points: 'poin bagian / points',
}
const methodCell = (method: string): Cell => ({ value: method, display: METHOD[method] ?? method })

function ratingsTable(r: TeacherReport, query: string): Table {
  const key = r.teacher.learnerKey
  const titles = titlesByCode(r)
  return {
    name: 'ratings', title: t('Nilai kompetensi', 'Competence ratings'),
    columns: [t('Kode', 'Code'), t('Judul', 'Title'), t('Tingkat', 'Level'), t('Nilai', 'Rating'), t('Cakap', 'Proficient'), t('Metode', 'Method'), t('Versi aturan', 'Rule version'), t('Bukti', 'Evidence')],
    rows: r.ratings.map((x) => {
      const href = evidenceUrl(key, x.code, query)
      return [cell(x.code, href), cell(titles.get(x.code) ?? ''), cell(LEVEL[x.level]), share(x.rating, href), yesNo(x.proficient), methodCell(x.method), cell(x.configVersion), cell(x.evidence.length, href)]
    }),
  }
}

function tierTable(r: TeacherReport): Table {
  const key = r.teacher.learnerKey
  const zone = r.engine.timeZone
  return {
    name: 'tier', title: t('Kemajuan tingkat', 'Tier progress'),
    columns: [t('Tahap', 'Stage'), t('Selesai / skor', 'Completed / score'), t('Waktu', 'Time')],
    rows: [
      ...r.tier.phases.map((p) => [cell(p.name), yesNo(p.completedAt !== null), instant(p.completedAt, zone)]),
      ...r.tier.postTests.map((p) => [cell('Post-test'), { ...share(p.score, statementUrl(key, p.statementId)) }, instant(p.at, zone, statementUrl(key, p.statementId))]),
      [cell('Tingkat selesai / Tier completed'), yesNo(r.tier.completedAt !== null), instant(r.tier.completedAt, zone)],
    ],
  }
}

function tasksTable(r: TeacherReport): Table {
  const key = r.teacher.learnerKey
  return {
    name: 'tasks', title: t('Tugas dan nilai', 'Tasks and grades'),
    columns: [t('Tugas', 'Task'), t('Kiriman', 'Submissions'), t('Skor terakhir', 'Latest score'), t('Lulus', 'Passed'), t('Pertama dikirim', 'First submitted'), t('Lulus pada', 'Passed at')],
    rows: r.tasks.map((task) => {
      const last = task.statementIds[task.statementIds.length - 1]
      const href = last === undefined ? undefined : statementUrl(key, last)
      return [cell(task.name), cell(task.submissions, href), share(task.latestScore, href), yesNo(task.passed), instant(task.firstSubmittedAt, r.engine.timeZone), instant(task.passedAt, r.engine.timeZone)]
    }),
  }
}

function mentoringTable(r: TeacherReport): Table {
  return {
    name: 'mentoring', title: t('Pendampingan', 'Mentoring'),
    columns: [t('Arah', 'Direction'), t('Rekan', 'Colleague'), t('Sesi', 'Sessions'), t('Terakhir', 'Last')],
    rows: [
      ...r.mentoringGiven.map((m) => [cell('Mendampingi / Mentored'), cell(m.name), cell(m.sessions), instant(m.lastAt, r.engine.timeZone)]),
      ...r.mentoringReceived.map((m) => [cell('Didampingi oleh / Mentored by'), cell(m.name), cell(m.sessions), instant(m.lastAt, r.engine.timeZone)]),
    ],
  }
}

function timelineTable(r: TeacherReport): Table {
  const key = r.teacher.learnerKey
  return {
    name: 'timeline', title: t('Linimasa', 'Timeline'),
    columns: [t('Waktu', 'Time'), t('Jenis', 'Kind'), t('Kegiatan', 'Activity'), t('Skor', 'Score'), t('Pernyataan', 'Statement')],
    rows: r.timeline.map((e) => [instant(e.at, r.engine.timeZone), cell(e.kind), cell(e.name === '' ? e.objectId : e.name), share(e.score), cell(e.statementId, statementUrl(key, e.statementId))]),
  }
}

/** Every table of the teacher report; `ratings` is the CSV default. */
export function teacherTables(report: TeacherReport, query = ''): Table[] {
  return [ratingsTable(report, query), tierTable(report), tasksTable(report), mentoringTable(report), timelineTable(report)]
}
