import type { DistrictReport, FrameworkHeading, KecamatanReport, MentoringNetworkReport, ReportHeader, TeacherReport } from '@tln/competence'

/** Small report objects of the contract (`packages/competence/src/reports/types.ts`) for the renderer tests. */

export const KEY_AMINAH = 'account:["https://etraining.example","aminah"]'
export const KEY_BAYU = 'account:["https://etraining.example","bayu"]'
export const PRAYA = '0b7c7d5e-8e7e-4f1c-9a59-2f2f3c1d9a01'
export const JONGGAT = '0b7c7d5e-8e7e-4f1c-9a59-2f2f3c1d9a02'

const COMPETENCES: FrameworkHeading[] = [
  { code: 'PED', title: { id: 'Kompetensi Pedagogik', en: 'Pedagogical competence' }, indicators: [{ code: 'PED.C.2', title: { id: 'Membuat rancangan kegiatan', en: 'Plans play activities' } }, { code: 'PED.C.3', title: { id: 'Menyusun RPPH', en: 'Writes daily plans' } }], subCompetences: [{ code: 'PED.C', title: { id: 'Merencanakan kegiatan', en: 'Plans activities' } }] },
  { code: 'SOS', title: { id: 'Kompetensi Sosial', en: 'Social competence' }, indicators: [{ code: 'SOS.A.1', title: { id: 'Berkomunikasi', en: 'Communicates' } }], subCompetences: [{ code: 'SOS.A', title: { id: 'Berkomunikasi dengan rekan', en: 'Communicates with colleagues' } }] },
]

const header = (filter: ReportHeader['filter'] = {}): ReportHeader => ({
  generatedAt: '2026-06-30T08:00:00.000Z',
  engine: { state: 'current', processed: 1234, lastStored: '2026-06-30T07:59:58.000Z', configVersion: 2, timeZone: 'Asia/Makassar' },
  filter,
  competences: COMPETENCES,
})

export function districtFixture(): DistrictReport {
  return {
    ...header({ from: '2026-01-01', to: '2026-06-30' }),
    district: { id: 'd1', name: 'Kabupaten Lombok Tengah' },
    heatmap: [
      { kecamatanId: PRAYA, kecamatanName: 'Praya', teachers: 5, cells: [{ code: 'PED', rating: 0.72, proficient: 3, withEvidence: 5 }, { code: 'SOS', rating: null, proficient: 0, withEvidence: 0 }] },
      { kecamatanId: JONGGAT, kecamatanName: '=Jonggat', teachers: 4, cells: [{ code: 'PED', rating: 0.5, proficient: 1, withEvidence: 2 }, { code: 'SOS', rating: 0.9, proficient: 4, withEvidence: 4 }] },
      { kecamatanId: null, kecamatanName: '', teachers: 1, cells: [{ code: 'PED', rating: 0.1, proficient: 0, withEvidence: 1 }, { code: 'SOS', rating: null, proficient: 0, withEvidence: 0 }] },
    ],
    funnel: [
      { stage: 'enrolled', label: { id: 'Terdaftar', en: 'Enrolled' }, teachers: 10 },
      { stage: 'in-service-1', label: { id: 'In-Service 1', en: 'In-Service 1' }, teachers: 8 },
      { stage: 'completed', label: { id: 'Selesai', en: 'Completed' }, teachers: 3 },
    ],
    trend: [{ month: '2026-01', activeTeachers: 6, statements: 40 }, { month: '2026-02', activeTeachers: 9, statements: 71 }],
    quota: [{ kecamatanId: PRAYA, kecamatanName: 'Praya', participants: 5, quota: 5 }, { kecamatanId: JONGGAT, kecamatanName: '=Jonggat', participants: 4, quota: null }],
    mentoring: {
      mentors: 1, mentees: 1, sessions: 2, maxDepth: 1,
      kecamatan: [
        { kecamatanId: PRAYA, kecamatanName: 'Praya', mentors: 1, mentees: 1, sessions: 2, maxDepth: 1 },
        { kecamatanId: JONGGAT, kecamatanName: '=Jonggat', mentors: 0, mentees: 0, sessions: 0, maxDepth: 0 },
      ],
    },
    success: { activitiesHeld: 12, participants: 9, quota: 10, facilitatorsPresent: 0.75, masteryShown: 0.5 },
  }
}

export function mentoringNetworkFixture(): MentoringNetworkReport {
  return {
    ...header(),
    district: { id: 'd1', name: 'Kabupaten Lombok Tengah' },
    network: {
      nodes: [
        { key: KEY_AMINAH, name: 'Baiq Aminah', kecamatanId: PRAYA, participant: true },
        { key: 'account:["https://tln.example","rekan-1"]', name: 'Rekan, "Satu"', kecamatanId: PRAYA, participant: false },
      ],
      edges: [{ mentor: KEY_AMINAH, mentee: 'account:["https://tln.example","rekan-1"]', sessions: 2 }],
      reach: 1,
      maxDepth: 1,
    },
  }
}

export function kecamatanFixture(): KecamatanReport {
  return {
    ...header(),
    kecamatan: { id: PRAYA, name: 'Praya' },
    teachers: [
      { learnerKey: KEY_AMINAH, name: 'Baiq Aminah', schoolId: 's1', schoolName: 'TK Cahaya', cells: [
        { code: 'PED.C.2', rating: 0.8, proficient: 1, withEvidence: 1, evidenceCount: 1 },
        { code: 'SOS.A.1', rating: 0.4, proficient: 0, withEvidence: 1, evidenceCount: 1 },
      ] },
      { learnerKey: KEY_BAYU, name: 'Lalu Bayu', schoolId: null, schoolName: null, cells: [] },
    ],
    tasks: [{ taskId: 'https://tln.example/tasks/rpph', name: 'RPPH', submitted: 2, passed: 1, completionRate: 0.5, medianDaysToComplete: 4 }],
    meetings: [{ meetingId: 'https://tln.example/meetings/1', name: 'Pertemuan 1', day: '2026-02-03', attended: 2 }],
    attendanceRate: 1,
    mentoring: { mentors: 1, mentees: 1, sessions: 2 },
  }
}

export function teacherFixture(): TeacherReport {
  return {
    ...header(),
    teacher: { learnerKey: KEY_AMINAH, name: 'Baiq Aminah', schoolName: 'TK Cahaya', kecamatanName: 'Praya' },
    ratings: [
      { code: 'PED', level: 'competence', rating: 0.8, proficient: true, method: 'points', configVersion: 2, evidence: ['11111111-1111-4111-8111-111111111111'] },
      { code: 'PED.C.2', level: 'indicator', rating: 0.8, proficient: true, method: 'latest', configVersion: 2, evidence: ['11111111-1111-4111-8111-111111111111'] },
      { code: 'SOS', level: 'competence', rating: 0.4, proficient: false, method: 'points', configVersion: 2, evidence: ['22222222-2222-4222-8222-222222222222'] },
    ],
    tier: {
      phases: [{ id: 'https://tln.example/tiers/dasar/in-1', name: 'In-Service 1', completedAt: '2026-02-01T02:00:00.000Z' }, { id: 'https://tln.example/tiers/dasar/ojl', name: 'On-the-Job Learning', completedAt: null }],
      postTests: [{ at: '2026-03-01T02:00:00.000Z', score: 0.85, success: true, statementId: '33333333-3333-4333-8333-333333333333' }],
      completedAt: null,
    },
    tasks: [{ taskId: 'https://tln.example/tasks/rpph', name: 'RPPH', submissions: 2, latestScore: 0.8, passed: true, firstSubmittedAt: '2026-02-02T02:00:00.000Z', passedAt: '2026-02-06T02:00:00.000Z', statementIds: ['11111111-1111-4111-8111-111111111111'] }],
    mentoringGiven: [{ mentee: 'account:["https://tln.example","rekan-1"]', name: 'Rekan Satu', sessions: 2, lastAt: '2026-03-10T02:00:00.000Z' }],
    mentoringReceived: [],
    timeline: [{ at: '2026-03-01T02:00:00.000Z', kind: 'assessment', verb: 'http://adlnet.gov/expapi/verbs/passed', objectId: 'https://etraining.example/quiz/1', name: 'Post-test Dasar', score: 0.85, statementId: '33333333-3333-4333-8333-333333333333' }],
  }
}
