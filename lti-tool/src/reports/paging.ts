import { ReportInputError } from './filter/report-input-error.ts'

/**
 * Teachers per page of the kecamatan HTML page (issue 7). At district scale (835 teachers, the
 * bench's 3 rated indicators) the whole page was 2.1 MB (99 KB gzip), ~2.5 KB a teacher: a table
 * row and a heatmap row per rated competence, a link per number. A page of 50 is ~140 KB (11 KB
 * gzip), a list a district admin reads like any other admin list (docs/performance-notes.md).
 */
export const TEACHERS_PER_PAGE = 50

/** Which teachers one page shows: `start` (inclusive) to `end` (exclusive) of `total`, page `page` of `pages`. */
export interface TeacherPaging {
  readonly page: number
  readonly pages: number
  readonly start: number
  readonly end: number
  readonly total: number
}

/**
 * Page `page` of `total` teachers, `size` a page, in the report's order. A report without
 * teachers still has page 1 (empty).
 * @throws ReportInputError (`page`, `within-pages`) for a page after the last
 */
export function teacherPaging(total: number, page: number, size = TEACHERS_PER_PAGE): TeacherPaging {
  if (!Number.isInteger(size) || size < 1) throw new TypeError(`page size must be a whole number from 1, got ${size}`)
  const pages = Math.max(1, Math.ceil(total / size))
  if (page > pages) throw new ReportInputError('page', 'within-pages', `page: this report has ${pages} page${pages === 1 ? '' : 's'} of ${size} teachers; ask for 1 to ${pages}`)
  const start = (page - 1) * size
  return { page, pages, start, end: Math.min(total, start + size), total }
}
