import type { KecamatanReport } from '@tln/competence'
import { evidenceUrl, teacherUrl } from '../links.ts'
import { cell, days, share, t, type Cell, type Table } from './table.ts'

/** Indicator codes of the framework, in framework order. */
export const indicatorCodes = (r: Pick<KecamatanReport, 'competences'>): string[] => r.competences.flatMap((c) => c.indicators.map((i) => i.code))

/**
 * One row per teacher: school, indicators with evidence, proficient, mean rating; linked to the
 * teacher. `teachers` is all of them (CSV, PDF) or one page's (the HTML page).
 */
export function teachersTable(teachers: KecamatanReport['teachers'], query: string): Table {
  return {
    name: 'teachers', title: t('Guru', 'Teachers'),
    columns: [t('Guru', 'Teacher'), t('Sekolah', 'School'), t('Indikator dengan bukti', 'Indicators with evidence'), t('Indikator cakap', 'Indicators proficient'), t('Rata-rata nilai', 'Mean rating')],
    rows: teachers.map((teacher) => {
      const href = teacherUrl(teacher.learnerKey, query)
      // A teacher's cells are the indicators they have a rating of.
      const rated = teacher.cells
      const mean = rated.length === 0 ? null : rated.reduce((sum, c) => sum + c.rating, 0) / rated.length
      return [cell(teacher.name, href), cell(teacher.schoolName), cell(rated.length, href), cell(rated.reduce((n, c) => n + c.proficient, 0), href), share(mean, href)]
    }),
  }
}

/** The full teachers × indicators matrix (the heatmap's data; CSV and PDF). */
function heatmapTable(r: KecamatanReport, query: string): Table {
  const codes = indicatorCodes(r)
  return {
    name: 'heatmap', title: t('Guru × indikator', 'Teachers × indicators'),
    columns: [t('Guru', 'Teacher'), t('Sekolah', 'School'), ...codes.map((c) => t(c, c))],
    rows: r.teachers.map((teacher) => {
      const cells: Cell[] = [cell(teacher.name, teacherUrl(teacher.learnerKey, query)), cell(teacher.schoolName)]
      const rated = new Map(teacher.cells.map((c) => [c.code, c]))
      for (const code of codes) {
        const c = rated.get(code)
        cells.push(share(c?.rating ?? null, c === undefined ? undefined : evidenceUrl(teacher.learnerKey, code, query)))
      }
      return cells
    }),
  }
}

function tasksTable(r: KecamatanReport): Table {
  return {
    name: 'tasks', title: t('Tugas kinerja', 'Performance tasks'),
    columns: [t('Tugas', 'Task'), t('Dikumpulkan', 'Submitted'), t('Lulus', 'Passed'), t('Tingkat penyelesaian', 'Completion rate'), t('Median hari sampai lulus', 'Median days to complete')],
    rows: r.tasks.map((task) => [cell(task.name), cell(task.submitted), cell(task.passed), share(task.completionRate), days(task.medianDaysToComplete)]),
  }
}

function meetingsTable(r: KecamatanReport): Table {
  return {
    name: 'meetings', title: t('Pertemuan', 'Meetings'),
    columns: [t('Pertemuan', 'Meeting'), t('Tanggal', 'Day'), t('Hadir', 'Attended')],
    rows: r.meetings.map((m) => [cell(m.name), cell(m.day), cell(m.attended)]),
  }
}

function summaryTable(r: KecamatanReport): Table {
  return {
    name: 'summary', title: t('Ringkasan', 'Summary'),
    columns: [t('Indikator', 'Indicator'), t('Nilai', 'Value')],
    rows: [
      [cell('Guru / Teachers'), cell(r.teachers.length)],
      [cell('Tingkat kehadiran / Attendance rate'), share(r.attendanceRate)],
      [cell('Pendamping / Mentors'), cell(r.mentoring.mentors)],
      [cell('Didampingi / Mentees'), cell(r.mentoring.mentees)],
      [cell('Sesi pendampingan / Mentoring sessions'), cell(r.mentoring.sessions)],
    ],
  }
}

/** Every table of the kecamatan report; `teachers` is the CSV default. */
export function kecamatanTables(report: KecamatanReport, query = ''): Table[] {
  return [teachersTable(report.teachers, query), heatmapTable(report, query), ...overviewTables(report)]
}

/** The tables that do not grow with the teachers (summary, tasks, meetings): whole on every page. */
export function overviewTables(report: KecamatanReport): Table[] {
  return [summaryTable(report), tasksTable(report), meetingsTable(report)]
}
