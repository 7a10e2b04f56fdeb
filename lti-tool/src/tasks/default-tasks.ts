import type { Rubric, RubricCriterion, TaskType, Text } from './types.ts'

/**
 * Default tasks and rubrics, seeded into each tenant on first use (data, not code: an
 * administrator edits a tenant's copy in `performance_task`). Bahasa Indonesia first. The
 * criteria are a starting point drafted from the RPPH/RPPM components of Permendikbud 146/2014
 * and the lesson-plan workshop of the programme (*verify* with the facilitators); each names the
 * competence indicator it evidences (Permendikbud 137/2014 Lampiran II, codes of
 * `@tln/competence`): the lesson-plan set anchors on `PED.C.2`.
 */

/** The four-level scale every default criterion uses (points 1–4). */
const SCALE: readonly { label: Text; points: number }[] = [
  { label: { id: 'Perlu bimbingan', en: 'Needs guidance' }, points: 1 },
  { label: { id: 'Cukup', en: 'Fair' }, points: 2 },
  { label: { id: 'Baik', en: 'Good' }, points: 3 },
  { label: { id: 'Sangat baik', en: 'Very good' }, points: 4 },
]

const criterion = (code: string, indicator: string, title: Text, weight = 1): RubricCriterion => ({ code, indicator, title, weight, levels: SCALE })

const RUBRICS: Readonly<Record<TaskType, Rubric>> = {
  PROTA: { criteria: [
    criterion('prota-tema', 'PED.C.2', { id: 'Tema dan subtema sepanjang tahun ajaran', en: 'Themes and sub-themes across the school year' }, 2),
    criterion('prota-kd', 'PED.C.1', { id: 'Kompetensi dasar sesuai kurikulum', en: 'Basic competences aligned to the curriculum' }, 2),
    criterion('prota-alokasi', 'PED.C.2', { id: 'Alokasi waktu per tema', en: 'Time allocation per theme' }),
  ] },
  PROMES: { criteria: [
    criterion('promes-jabaran', 'PED.C.2', { id: 'Penjabaran PROTA ke semester', en: 'PROTA broken down into the semester' }, 2),
    criterion('promes-kd', 'PED.C.1', { id: 'Sebaran kompetensi dasar per minggu', en: 'Basic competences spread over the weeks' }, 2),
    criterion('promes-alokasi', 'PED.C.2', { id: 'Alokasi waktu per minggu', en: 'Time allocation per week' }),
  ] },
  RPPM: { criteria: [
    criterion('rppm-tema', 'PED.C.2', { id: 'Tema, subtema dan kompetensi dasar', en: 'Theme, sub-theme and basic competences' }, 2),
    criterion('rppm-materi', 'PRO.A.2', { id: 'Materi sesuai tahap perkembangan anak', en: 'Content that fits the children’s developmental stage' }, 2),
    criterion('rppm-kegiatan', 'PED.B.2', { id: 'Rencana kegiatan bermain sepekan', en: 'The week’s planned play activities' }, 2),
  ] },
  RPPH: { criteria: [
    criterion('rpph-tujuan', 'PED.C.2', { id: 'Tujuan pembelajaran', en: 'Learning objectives' }, 2),
    criterion('rpph-kegiatan', 'PED.B.2', { id: 'Kegiatan bermain (pembukaan, inti, penutup)', en: 'Play activities (opening, core, closing)' }, 3),
    criterion('rpph-media', 'PED.C.3', { id: 'Media dan alat bermain', en: 'Media and play equipment' }, 2),
    criterion('rpph-penilaian', 'PED.E.2', { id: 'Rencana penilaian perkembangan', en: 'Development assessment plan' }, 2),
  ] },
  MEDIA: { criteria: [
    criterion('media-bahan', 'PRO.B.1', { id: 'Pemanfaatan bahan bekas dan lingkungan sekitar', en: 'Use of recycled and local materials' }, 2),
    criterion('media-kesesuaian', 'PRO.B.2', { id: 'Sesuai tahap perkembangan anak', en: 'Fits the children’s developmental stage' }, 2),
    criterion('media-keamanan', 'PED.C.3', { id: 'Aman dan menarik bagi anak', en: 'Safe and appealing to children' }),
  ] },
  BLOG: { criteria: [
    criterion('blog-isi', 'PRO.C.3', { id: 'Isi praktik baik pembelajaran', en: 'Good-practice content' }, 2),
    criterion('blog-bahasa', 'PRO.C.3', { id: 'Bahasa dan struktur tulisan', en: 'Language and structure' }),
    criterion('blog-terbit', 'PRO.C.2', { id: 'Terbit dan dapat diakses di blog sekolah', en: 'Published and reachable on the school blog' }),
  ] },
  ARTICLE: { criteria: [
    criterion('artikel-isi', 'PRO.C.3', { id: 'Isi praktik baik pembelajaran', en: 'Good-practice content' }, 2),
    criterion('artikel-bahasa', 'PRO.C.3', { id: 'Bahasa dan struktur tulisan', en: 'Language and structure' }),
    criterion('artikel-terbit', 'PRO.C.2', { id: 'Terbit dan dapat diakses', en: 'Published and reachable' }),
  ] },
}

export interface DefaultTask {
  readonly key: string
  readonly taskType: TaskType
  readonly title: Text
  readonly description: Text
  readonly passThreshold: number
  readonly rubric: Rubric
}

/** One default task: its key is stable (it travelled to LMSs in the first, static catalogue). */
const task = (key: string, taskType: TaskType, title: Text, description: Text): DefaultTask => ({ key, taskType, title, description, passThreshold: 0.75, rubric: RUBRICS[taskType] })

/** The default tasks with their rubrics, in the order they were first offered. */
export const DEFAULT_TASKS: readonly DefaultTask[] = [
  task('task-prota', 'PROTA',
    { id: 'Program Tahunan (PROTA)', en: 'Annual programme (PROTA)' },
    { id: 'Susun rencana kegiatan bermain untuk satu tahun ajaran.', en: 'Plan the play activities for one school year.' }),
  task('task-promes', 'PROMES',
    { id: 'Program Semester (PROMES)', en: 'Semester programme (PROMES)' },
    { id: 'Jabarkan PROTA menjadi rencana satu semester.', en: 'Break the annual programme down into one semester.' }),
  task('task-rppm', 'RPPM',
    { id: 'Rencana Pelaksanaan Pembelajaran Mingguan (RPPM)', en: 'Weekly lesson plan (RPPM)' },
    { id: 'Rencana kegiatan satu minggu dengan tema dan subtema.', en: 'A week’s plan with its theme and sub-theme.' }),
  task('task-rpph', 'RPPH',
    { id: 'Rencana Pelaksanaan Pembelajaran Harian (RPPH)', en: 'Daily lesson plan (RPPH)' },
    { id: 'Rencana kegiatan satu hari: pembukaan, inti, penutup, dan penilaian.', en: 'One day’s plan: opening, core, closing and assessment.' }),
  task('task-media', 'MEDIA',
    { id: 'Media Pembelajaran dari Bahan Bekas', en: 'Learning media from recycled materials' },
    { id: 'Buat media pembelajaran dari bahan bekas dan unggah fotonya.', en: 'Make learning media from recycled materials and upload photos.' }),
  task('task-blog', 'BLOG',
    { id: 'Artikel dan Blog Sekolah', en: 'Article and school blog' },
    { id: 'Tulis artikel praktik baik dan terbitkan di blog sekolah.', en: 'Write a good-practice article and publish it on the school blog.' }),
]
