import { bothUnlessSame, escapeHtml as e } from '../../http/html.ts'
import type { TeacherPaging } from '../paging.ts'

const n = (value: number) => value.toLocaleString('id-ID')

/** Page numbers worth a link: the first, the last, and two either side of the current one (null = a gap). */
export function pageNumbers(page: number, pages: number): (number | null)[] {
  const shown: (number | null)[] = []
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - page) <= 2) shown.push(p)
    else if (shown.at(-1) !== null) shown.push(null)
  }
  return shown
}

/** "Guru 51–100 dari 835" (nothing to page: no line). */
export function pagingLine(paging: TeacherPaging): string {
  if (paging.total === 0) return ''
  const range = `${n(paging.start + 1)}–${n(paging.end)}`
  return bothUnlessSame(`Guru ${range} dari ${n(paging.total)}`, `Teachers ${range} of ${n(paging.total)}`)
}

/**
 * Links to the other pages of teachers, as a plain `nav` (no script): previous, numbers, next.
 * `href(page)` is the page's URL, the reader's filter kept; `where` tells the two apart (above the
 * teachers, below the heatmaps). Nothing when everything fits on one page.
 */
export function pager(where: 'top' | 'bottom', paging: TeacherPaging, href: (page: number) => string): string {
  if (paging.pages <= 1) return ''
  const { page, pages } = paging
  const link = (p: number, label: string, rel?: string) => `<a href="${e(href(p))}"${rel === undefined ? '' : ` rel="${rel}"`}>${label}</a>`
  const numbers = pageNumbers(page, pages).map((p) => p === null ? '<span aria-hidden="true">…</span>'
    : p === page ? `<strong aria-current="page">${n(p)}</strong>` : link(p, n(p)))
  const items = [
    ...(page > 1 ? [link(page - 1, bothUnlessSame('‹ Sebelumnya', '‹ Previous'), 'prev')] : []),
    ...numbers,
    ...(page < pages ? [link(page + 1, bothUnlessSame('Berikutnya ›', 'Next ›'), 'next')] : []),
  ]
  const label = where === 'top' ? 'Halaman daftar guru / Teacher pages' : 'Halaman daftar guru (bawah) / Teacher pages (bottom)'
  return `<nav class="pager" id="tln-pager-${where}" aria-label="${label}">
<p class="pager-count">${pagingLine(paging)} <small>(${bothUnlessSame(`halaman ${n(page)} dari ${n(pages)}`, `page ${n(page)} of ${n(pages)}`)})</small></p>
<p class="pager-links">${items.join(' ')}</p></nav>`
}
