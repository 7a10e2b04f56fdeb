/**
 * The demo program as data: IRIs, verbs, activities and the 2026 calendar of the six-month TLN
 * program described in the paper (lesson-plan workshop, learning-media workshop, Diklat
 * Berjenjang Tingkat Dasar on the e-training app, writing and blog workshop, routine meetings
 * every two weeks). Module titles, phase dates and rubric criteria are MADE UP for the demo
 * *(verify against BPPAUD material)*; the generator (`demo-statements.ts`) reads only this.
 */

/** The e-training application that identifies participants (actor `account.homePage`). */
export const ETRAINING_HOME_PAGE = 'https://elearning.bppaudntb.example'

export const TLN_BASE = 'https://tln.example/xapi'

/** Identifiers of places and groups (kecamatan, TLN groups), and the home page of TLN's own accounts. */
export const TLN_SITE = 'https://tln.example'
export const ORG_BASE = `${TLN_SITE}/id/lombok-tengah`

export const EXTENSIONS = {
  kecamatan: `${TLN_BASE}/extensions/kecamatan`,
  npsn: `${TLN_BASE}/extensions/npsn`,
  tlnGroup: `${TLN_BASE}/extensions/tln-group`,
  rubricLevels: `${TLN_BASE}/extensions/rubric-levels`,
  artefact: `${TLN_BASE}/extensions/artefact`,
  submissionVersion: `${TLN_BASE}/extensions/submission-version`,
  phase: `${TLN_BASE}/extensions/phase`,
} as const

export interface VerbDef {
  id: string
  display: Record<string, string>
}

export const VERBS = {
  launched: { id: 'http://adlnet.gov/expapi/verbs/launched', display: { 'id-ID': 'membuka', 'en-US': 'launched' } },
  completed: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'id-ID': 'menyelesaikan', 'en-US': 'completed' } },
  passed: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { 'id-ID': 'lulus', 'en-US': 'passed' } },
  failed: { id: 'http://adlnet.gov/expapi/verbs/failed', display: { 'id-ID': 'tidak lulus', 'en-US': 'failed' } },
  submitted: { id: 'http://activitystrea.ms/schema/1.0/submit', display: { 'id-ID': 'mengumpulkan', 'en-US': 'submitted' } },
  scored: { id: 'http://adlnet.gov/expapi/verbs/scored', display: { 'id-ID': 'dinilai', 'en-US': 'scored' } },
  attended: { id: 'http://adlnet.gov/expapi/verbs/attended', display: { 'id-ID': 'menghadiri', 'en-US': 'attended' } },
  mentored: { id: 'http://id.tincanapi.com/verb/mentored', display: { 'id-ID': 'mendampingi', 'en-US': 'mentored' } },
} as const satisfies Record<string, VerbDef>

export const ACTIVITY_TYPES = {
  program: 'http://adlnet.gov/expapi/activities/course',
  tier: `${TLN_BASE}/activitytypes/tier`,
  phase: `${TLN_BASE}/activitytypes/phase`,
  module: 'http://adlnet.gov/expapi/activities/module',
  assessment: 'http://adlnet.gov/expapi/activities/assessment',
  task: 'http://id.tincanapi.com/activitytype/school-assignment',
  meeting: 'http://adlnet.gov/expapi/activities/meeting',
  mentoring: `${TLN_BASE}/activitytypes/mentoring-relation`,
  profile: 'http://adlnet.gov/expapi/activities/profile',
} as const

export interface ActivityDef {
  id: string
  type: string
  name: Record<string, string>
}

export const PROGRAM: ActivityDef = {
  id: `${TLN_BASE}/activities/program/tln-lombok-tengah-2026`,
  type: ACTIVITY_TYPES.program,
  name: { 'id-ID': 'Teacher Learning Network PAUD Lombok Tengah 2026', 'en-US': 'PAUD Teacher Learning Network, Lombok Tengah 2026' },
}

export const TIER: ActivityDef = {
  id: `${TLN_BASE}/activities/tier/diklat-berjenjang-dasar`,
  type: ACTIVITY_TYPES.tier,
  name: { 'id-ID': 'Diklat Berjenjang Tingkat Dasar', 'en-US': 'Tiered Training, Basic Level' },
}

/** The category of every statement: the TLN xAPI profile version (DOMAIN.md). */
export const PROFILE: ActivityDef = {
  id: `${TLN_BASE}/profile/v0.1`,
  type: ACTIVITY_TYPES.profile,
  name: { 'id-ID': 'Profil xAPI TLN 0.1', 'en-US': 'TLN xAPI profile 0.1' },
}

export interface PhaseDef extends ActivityDef {
  slug: 'in-service-1' | 'on-the-job-learning' | 'in-service-2'
  start: string
  end: string
  /** Index into `MODULES` of the modules studied in this phase. */
  modules: readonly number[]
}

export const MODULES: readonly ActivityDef[] = [
  ['konsep-dasar-paud', 'Konsep Dasar Pendidikan Anak Usia Dini', 'Foundations of early-childhood education'],
  ['perkembangan-anak', 'Perkembangan dan Karakteristik Anak Usia Dini', 'Development and characteristics of young children'],
  ['perencanaan-pembelajaran', 'Perencanaan Pembelajaran PAUD', 'Planning PAUD learning'],
  ['pembelajaran-bermain', 'Pelaksanaan Pembelajaran melalui Bermain', 'Learning through play'],
  ['penilaian-perkembangan', 'Penilaian Perkembangan Anak', 'Assessing child development'],
  ['kemitraan-orang-tua', 'Kemitraan dengan Orang Tua dan Masyarakat', 'Partnership with parents and community'],
].map(([slug, id, en]) => ({ id: `${TIER.id}/module/${slug}`, type: ACTIVITY_TYPES.module, name: { 'id-ID': id!, 'en-US': en! } }))

export const PHASES: readonly PhaseDef[] = [
  { slug: 'in-service-1', start: '2026-03-02', end: '2026-03-07', modules: [0, 1, 2], id: `${TIER.id}/phase/in-service-1`, type: ACTIVITY_TYPES.phase, name: { 'id-ID': 'In-Service Learning 1', 'en-US': 'In-Service Learning 1' } },
  { slug: 'on-the-job-learning', start: '2026-03-09', end: '2026-05-15', modules: [3, 4], id: `${TIER.id}/phase/on-the-job-learning`, type: ACTIVITY_TYPES.phase, name: { 'id-ID': 'On-the-Job Learning', 'en-US': 'On-the-Job Learning' } },
  { slug: 'in-service-2', start: '2026-05-18', end: '2026-05-23', modules: [5], id: `${TIER.id}/phase/in-service-2`, type: ACTIVITY_TYPES.phase, name: { 'id-ID': 'In-Service Learning 2', 'en-US': 'In-Service Learning 2' } },
]

export const POST_TEST: ActivityDef & { passScaled: number; retakeAfterDays: number } = {
  id: `${TIER.id}/post-test`,
  type: ACTIVITY_TYPES.assessment,
  name: { 'id-ID': 'Post-tes Diklat Berjenjang Tingkat Dasar', 'en-US': 'Basic-level tiered training post-test' },
  passScaled: 0.7,
  retakeAfterDays: 7,
}

export type TaskKind = 'PROTA' | 'PROMES' | 'RPPM' | 'RPPH' | 'MEDIA' | 'ARTICLE' | 'BLOG'

export interface TaskDef extends ActivityDef {
  kind: TaskKind
}

const task = (kind: TaskKind, slug: string, id: string, en: string): TaskDef => ({
  kind,
  id: `${TLN_BASE}/activities/task/${slug}`,
  type: ACTIVITY_TYPES.task,
  name: { 'id-ID': id, 'en-US': en },
})

/** Performance tasks. Lesson plans are anchored on indicator PED.C.2 (Permendikbud 137/2014). */
export const TASKS: Readonly<Record<TaskKind, TaskDef>> = {
  PROTA: task('PROTA', 'prota', 'Program Tahunan (Prota)', 'Annual programme (Prota)'),
  PROMES: task('PROMES', 'promes', 'Program Semester (Promes)', 'Semester programme (Promes)'),
  RPPM: task('RPPM', 'rppm', 'Rencana Pelaksanaan Pembelajaran Mingguan (RPPM)', 'Weekly lesson plan (RPPM)'),
  RPPH: task('RPPH', 'rpph', 'Rencana Pelaksanaan Pembelajaran Harian (RPPH)', 'Daily lesson plan (RPPH)'),
  MEDIA: task('MEDIA', 'media-bahan-bekas', 'Media pembelajaran dari bahan bekas', 'Learning media from recycled materials'),
  ARTICLE: task('ARTICLE', 'artikel-atmago', 'Artikel praktik baik di atmaGo', 'Good-practice article on atmaGo'),
  BLOG: task('BLOG', 'blog-sekolah', 'Blog sekolah (WordPress)', 'School blog (WordPress)'),
}

export const LESSON_PLAN_TASKS: readonly TaskKind[] = ['PROTA', 'PROMES', 'RPPM', 'RPPH']

/** Rubric criteria, each rated at levels 1–4; the raw score is their sum. */
export const RUBRIC = ['kesesuaian-kurikulum', 'kelengkapan-komponen', 'kegiatan-bermain', 'penilaian'] as const
export const RUBRIC_PASS_RAW = 10

/** The lesson-plan workshop: 3 days, 2 classes (the paper). Class A is the first six kecamatan in `KECAMATAN`. */
export const LESSON_PLAN_WORKSHOP = {
  slug: 'lokakarya-perangkat-pembelajaran',
  name: { 'id-ID': 'Lokakarya penyusunan perangkat pembelajaran', 'en-US': 'Lesson-plan workshop' },
  classes: [
    { slug: 'kelas-a', days: ['2026-02-09', '2026-02-10', '2026-02-11'] },
    { slug: 'kelas-b', days: ['2026-02-16', '2026-02-17', '2026-02-18'] },
  ],
  /** The paper: 85% finished complete sets within 10–15 days. */
  quickShare: 0.85,
  /** The 15-day challenge: mentoring colleagues at one's own school after a complete set. */
  challengeDays: 15,
} as const

export const MEDIA_WORKSHOP = {
  slug: 'lokakarya-media-bahan-bekas',
  name: { 'id-ID': 'Lokakarya media pembelajaran dari bahan bekas', 'en-US': 'Learning-media workshop (recycled materials)' },
  /** One day per site, keyed like `MEDIA_WORKSHOP_SITES`. */
  days: { jonggat: '2026-04-11', praya: '2026-04-18', kopang: '2026-04-25' } as Record<string, string>,
}

export const WRITING_WORKSHOP = {
  slug: 'lokakarya-menulis-blog',
  name: { 'id-ID': 'Lokakarya menulis dan membuat blog sekolah', 'en-US': 'Writing and school-blog workshop' },
  day: '2026-06-06',
  /** The paper: 78% mastered atmaGo and the blog. */
  masteryShare: 0.78,
}

/** Routine meetings every two weeks (Saturdays), one per TLN group at its gathering point. */
export const MEETINGS = {
  first: '2026-02-14',
  count: 12,
  everyDays: 14,
  attendance: 0.82,
}
