import { PAUD_EDUCATOR_COMPETENCES, type KecamatanReport } from '@tln/competence'
import { PRAYA } from './fixtures.ts'

/** The bench's rated indicators (`test/bench/competence-data.ts`): tasks, post-test, mentoring. */
const RATED = ['PED.A.1', 'PED.C.2', 'SOS.B.2']

/**
 * A kecamatan report shaped like the bench's first kecamatan (docs/performance-notes.md, issue 7:
 * 835 teachers, the framework's 33 indicators, 3 of them rated per teacher, 2,505 rated cells),
 * for measuring and paging the HTML page without a database. Teachers in the engine's order
 * (name, then learner key); about a dozen teachers per school.
 */
export function districtScaleKecamatan(teachers = 835): KecamatanReport {
  const pad = (n: number) => String(n).padStart(5, '0')
  return {
    generatedAt: '2026-06-30T08:00:00.000Z',
    engine: { state: 'current', processed: 571_975, lastStored: '2026-06-30T07:59:58.000Z', configVersion: 2, timeZone: 'Asia/Makassar' },
    filter: {},
    competences: PAUD_EDUCATOR_COMPETENCES.competences.map((c) => ({
      code: c.code, title: c.title,
      indicators: c.subCompetences.flatMap((s) => s.indicators.map((i) => ({ code: i.code, title: i.title }))),
      subCompetences: c.subCompetences.map((s) => ({ code: s.code, title: s.title })),
    })),
    kecamatan: { id: PRAYA, name: 'Praya' },
    teachers: Array.from({ length: teachers }, (_, i) => ({
      learnerKey: `account:["https://etraining.example","guru-${pad(i + 1)}"]`,
      name: `Guru ${pad(i + 1)}`,
      schoolId: `00000000-0000-4000-8000-${String(Math.floor(i / 12)).padStart(12, '0')}`,
      schoolName: `TK Negeri ${Math.floor(i / 12) + 1} Praya`,
      cells: RATED.map((code, k) => ({ code, rating: ((i * 7 + k * 13) % 100) / 100, proficient: (i + k) % 3 === 0 ? 1 : 0, withEvidence: 1, evidenceCount: 1 + ((i + k) % 9) })),
    })),
    tasks: Array.from({ length: 6 }, (_, i) => ({ taskId: `https://tln.example/xapi/activities/task/${i + 1}`, name: `Tugas ${i + 1}`, submitted: 700, passed: 500, completionRate: 500 / 700, medianDaysToComplete: 4 })),
    meetings: Array.from({ length: 20 }, (_, i) => ({ meetingId: `https://tln.example/xapi/activities/meeting/${i + 1}`, name: `Pertemuan rutin ${i + 1}`, day: `2026-0${1 + Math.floor(i / 4)}-${String(1 + (i % 4) * 7).padStart(2, '0')}`, attended: 600 })),
    attendanceRate: 0.72,
    mentoring: { mentors: 300, mentees: 420, sessions: 1_800 },
  }
}
