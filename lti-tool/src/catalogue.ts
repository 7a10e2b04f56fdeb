/**
 * What the Deep Linking picker offers: TLN modules and performance tasks (DOMAIN.md "The
 * program" and "Entities"). This is data, not a model: it stands in until the program/task data
 * model (issue 5) exists, and then comes from the database instead. Item ids are stable: they
 * travel to the LMS in custom parameters and line-item `resourceId`s, so never rename one.
 *
 * Diklat Berjenjang Tingkat Dasar phases follow DOMAIN.md (In-Service 1 → On-the-Job Learning →
 * In-Service 2; *verify* with BPPAUD). The lesson-plan tasks anchor on competence indicator
 * pedagogik I.C.2 (Permendikbud 137/2014, Lampiran II).
 */

export type TaskType = 'PROTA' | 'PROMES' | 'RPPM' | 'RPPH' | 'MEDIA' | 'BLOG'

export interface Text { readonly id: string; readonly en: string }

export interface CatalogueModule {
  readonly kind: 'module'
  readonly id: string
  readonly title: Text
  readonly description: Text
}

export interface CatalogueTask {
  readonly kind: 'task'
  readonly id: string
  readonly taskType: TaskType
  readonly title: Text
  readonly description: Text
  /** Every task is graded by a facilitator against a rubric; the LMS line item gets this maximum. */
  readonly scoreMaximum: number
}

export type CatalogueItem = CatalogueModule | CatalogueTask

const module = (id: string, title: Text, description: Text): CatalogueModule => ({ kind: 'module', id, title, description })
const task = (id: string, taskType: TaskType, title: Text, description: Text): CatalogueTask => ({ kind: 'task', id, taskType, title, description, scoreMaximum: 100 })

/** The catalogue, in the order the picker shows it. */
export const CATALOGUE: readonly CatalogueItem[] = [
  module('dbd-in-service-1',
    { id: 'Diklat Berjenjang Dasar — In-Service 1', en: 'Tiered Training, Basic — In-Service 1' },
    { id: 'Tatap muka pertama: konsep dasar PAUD dan perencanaan pembelajaran.', en: 'First face-to-face phase: PAUD fundamentals and lesson planning.' }),
  module('dbd-on-the-job',
    { id: 'Diklat Berjenjang Dasar — On-the-Job Learning', en: 'Tiered Training, Basic — On-the-Job Learning' },
    { id: 'Praktik di lembaga sendiri dengan pendampingan fasilitator.', en: 'Practice at your own school, with a facilitator’s guidance.' }),
  module('dbd-in-service-2',
    { id: 'Diklat Berjenjang Dasar — In-Service 2', en: 'Tiered Training, Basic — In-Service 2' },
    { id: 'Tatap muka kedua: refleksi, presentasi hasil praktik, dan pasca-tes.', en: 'Second face-to-face phase: reflection, presenting practice results, post-test.' }),
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

/** The item with this id, or undefined. */
export function catalogueItem(id: string): CatalogueItem | undefined {
  return CATALOGUE.find((item) => item.id === id)
}
