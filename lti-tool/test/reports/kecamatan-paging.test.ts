import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { ReportInputError } from '../../src/reports/filter/report-input-error.ts'
import { parsePage } from '../../src/reports/filter/parse-filter.ts'
import { kecamatanPage } from '../../src/reports/pages/kecamatan-page.ts'
import { pageNumbers } from '../../src/reports/pages/pager.ts'
import { teacherPaging, TEACHERS_PER_PAGE } from '../../src/reports/paging.ts'
import { tableCsv } from '../../src/reports/export/csv-export.ts'
import { kecamatanTables } from '../../src/reports/tables/kecamatan-tables.ts'
import { districtScaleKecamatan } from './district-scale-kecamatan.ts'
import { kecamatanFixture, PRAYA } from './fixtures.ts'
import { wellFormedProblems } from './well-formed.ts'

/** HTML as XML for the well-formedness check (as in renderers.test.ts). */
const asXml = (html: string) => html.replace(/^<!doctype html>/u, '').replace(/<(meta|link|input|br)([^>]*?)>/gu, '<$1$2/>').replace(/ (download|selected|open)(?=[ >])/gu, ' $1=""')
const refusal = (run: () => unknown) => {
  try { run(); return undefined } catch (e) { return e instanceof ReportInputError ? { field: e.field, rule: e.rule } : String(e) }
}
/** The teachers' names in a rendered teachers table (`#tbl-teachers`). */
const tableNames = (html: string) => [...(/<table id="tbl-teachers">[\s\S]*?<\/table>/u.exec(html)?.[0] ?? '').matchAll(/">(Guru \d{5})<\/a><\/td>/gu)].map((m) => m[1])

describe('kecamatan page paging (issue 7: the HTML page at district scale)', () => {
  describe('page boundaries', () => {
    it('cuts 835 teachers into 17 pages of 50, the last one of 35', () => {
      expect(TEACHERS_PER_PAGE).toBe(50)
      expect(teacherPaging(835, 1)).toEqual({ page: 1, pages: 17, start: 0, end: 50, total: 835 })
      expect(teacherPaging(835, 2)).toEqual({ page: 2, pages: 17, start: 50, end: 100, total: 835 })
      expect(teacherPaging(835, 17)).toEqual({ page: 17, pages: 17, start: 800, end: 835, total: 835 })
    })
    it('makes an exact multiple no empty last page, and one page of 50 a single page', () => {
      expect(teacherPaging(100, 2)).toMatchObject({ pages: 2, start: 50, end: 100 })
      expect(teacherPaging(50, 1)).toMatchObject({ pages: 1, start: 0, end: 50 })
      expect(teacherPaging(51, 2)).toMatchObject({ pages: 2, start: 50, end: 51 })
    })
    it('gives a kecamatan without teachers its one (empty) page', () => expect(teacherPaging(0, 1)).toEqual({ page: 1, pages: 1, start: 0, end: 0, total: 0 }))
    it('refuses a page after the last with 400 naming page and the rule within-pages', () => {
      expect(refusal(() => teacherPaging(835, 18))).toEqual({ field: 'page', rule: 'within-pages' })
      expect(refusal(() => teacherPaging(0, 2))).toEqual({ field: 'page', rule: 'within-pages' })
      expect(() => teacherPaging(835, 18)).toThrow('page: this report has 17 pages of 50 teachers; ask for 1 to 17')
    })
  })

  describe('the page parameter (a whole number from 1, like the filter parameters: field and rule)', () => {
    it('reads absent and empty as page 1', () => {
      expect(parsePage({})).toBe(1)
      expect(parsePage({ page: '' })).toBe(1)
      expect(parsePage({ page: ' 3 ' })).toBe(3)
    })
    it.each(['0', '-1', '1.5', 'abc', '01', '1e3', '2;drop', '9999999999'])('refuses page=%s (rule positive-integer)', (page) => {
      expect(refusal(() => parsePage({ page }))).toEqual({ field: 'page', rule: 'positive-integer' })
    })
    it('refuses a repeated page (rule single-value)', () => expect(refusal(() => parsePage({ page: ['1', '2'] }))).toEqual({ field: 'page', rule: 'single-value' }))
  })

  it('links the first, the last and two pages either side of the current one', () => {
    expect(pageNumbers(1, 17)).toEqual([1, 2, 3, null, 17])
    expect(pageNumbers(9, 17)).toEqual([1, null, 7, 8, 9, 10, 11, null, 17])
    expect(pageNumbers(17, 17)).toEqual([1, null, 15, 16, 17])
    expect(pageNumbers(2, 4)).toEqual([1, 2, 3, 4])
  })

  describe('the page', () => {
    const report = districtScaleKecamatan()
    const query = '?from=2026-01-01&school=0b7c7d5e-8e7e-4f1c-9a59-2f2f3c1d9a09'
    const render = (page: number, q = query) => kecamatanPage({ report, filter: { from: '2026-01-01' }, query: q, choices: {}, nav: [], paging: teacherPaging(report.teachers.length, page) })

    it('shows teachers 51–100 of 835 on page 2, in the table and as the heatmaps\' rows, in the report\'s order', () => {
      const html = render(2)
      expect(wellFormedProblems(asXml(html))).toEqual([])
      expect(html).not.toMatch(/<script|style=/u)
      expect(tableNames(html)).toEqual(report.teachers.slice(50, 100).map((t) => t.name))
      expect(html).toContain('Guru 51–100 dari 835')
      expect(html).toContain('Teachers 51–100 of 835')
      expect(html).toContain('halaman 2 dari 17')
      // Each competence's heatmap: a row per teacher of this page, no other teacher anywhere.
      expect(html).toContain('50 baris × 2 kolom')
      expect(html).toContain('50 baris × 1 kolom')
      for (const name of ['Guru 00050', 'Guru 00101']) expect(html).not.toContain(`>${name}<`)
      expect(html).toContain('<title>TLN — Kecamatan Praya (2/17)</title>')
    })

    it('shows the last page\'s 35 teachers', () => {
      const html = render(17)
      expect(tableNames(html)).toEqual(report.teachers.slice(800).map((t) => t.name))
      expect(html).toContain('Guru 801–835 dari 835')
      expect(html).not.toContain('rel="next"')
    })

    it('keeps the filter in every page link and lands on the teachers; page 1 is the plain URL', () => {
      const html = render(2)
      const base = `/reports/kecamatan/${PRAYA}?from=2026-01-01&#38;school=0b7c7d5e-8e7e-4f1c-9a59-2f2f3c1d9a09`
      expect(html).toContain(`<a href="${base}#h-teachers" rel="prev">`)
      expect(html).toContain(`<a href="${base}&#38;page=3#h-teachers" rel="next">`)
      expect(html).toContain(`<a href="${base}&#38;page=17#h-teachers">17</a>`)
      expect(html).toContain('<strong aria-current="page">2</strong>')
      expect(html).toContain('id="tln-pager-top"')
      expect(html).toContain('id="tln-pager-bottom"')
      // Without a filter, page links carry the page alone.
      expect(render(1, '')).toContain(`<a href="/reports/kecamatan/${PRAYA}?page=2#h-teachers" rel="next">`)
    })

    it('leaves the summary, tasks, meetings and the exports whole: no page in the CSV, PDF and JSON links', () => {
      const html = render(2)
      expect(html).toMatch(/Guru \/ Teachers<\/td><td class="num">835</u)
      expect(html.match(/<table id="tbl-meetings">[\s\S]*?<\/table>/u)![0].match(/<tr>/gu)).toHaveLength(21)
      expect(html.match(/<table id="tbl-tasks">[\s\S]*?<\/table>/u)![0].match(/<tr>/gu)).toHaveLength(7)
      for (const link of html.matchAll(/href="([^"]*(?:format=|\/api\/)[^"]*)"/gu)) expect(link[1]).not.toContain('page=')
      // The CSV of the teachers table is every teacher.
      expect(tableCsv(kecamatanTables(report).find((t) => t.name === 'teachers')!).trim().split('\r\n')).toHaveLength(836)
    })

    it('shows a kecamatan that fits on one page as before: no pager', () => {
      const html = kecamatanPage({ report: kecamatanFixture(), filter: {}, query: '', choices: {}, nav: [], paging: teacherPaging(2, 1) })
      expect(html).not.toContain('tln-pager')
      expect(html).not.toContain('dari 2')
    })

    it('weighs a page at 835 teachers under 125 KB, less than a fourteenth of the whole page (measured: docs/performance-notes.md)', () => {
      const whole = render(1, '').length
      const pages = [1, 2, 17].map((p) => ({ p, bytes: Buffer.byteLength(render(p, '')), gzip: gzipSync(render(p, '')).length }))
      const all = kecamatanPage({ report, filter: {}, query: '', choices: {}, nav: [], paging: teacherPaging(835, 1, 835) })
      console.info(`kecamatan page at 835 teachers: whole ${Buffer.byteLength(all)} B (gzip ${gzipSync(all).length}); ${pages.map((x) => `page ${x.p} ${x.bytes} B (gzip ${x.gzip})`).join('; ')}`)
      expect(whole).toBeLessThan(125_000)
      expect(Buffer.byteLength(all)).toBeGreaterThan(14 * whole)
    })
  })
})
