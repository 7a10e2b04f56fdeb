import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseCsv, writeCsv } from './rfc4180.ts'

describe('CSV (RFC 4180 §2)', () => {
  it('splits records on CRLF and fields on commas (§2.1, §2.4)', () => {
    expect(parseCsv('a,b\r\nc,d\r\n').records).toEqual([{ line: 1, row: 1, fields: ['a', 'b'] }, { line: 2, row: 2, fields: ['c', 'd'] }])
  })

  it('accepts a bare LF, a missing final line break and a UTF-8 BOM (what spreadsheets write)', () => {
    expect(parseCsv('\uFEFFa,b\nc,d').records.map((r) => r.fields)).toEqual([['a', 'b'], ['c', 'd']])
  })

  it('accepts a bare CR as a line break (what old Mac spreadsheets write)', () => {
    expect(parseCsv('a,b\rc,d\r').records.map((r) => [r.line, r.fields])).toEqual([[1, ['a', 'b']], [2, ['c', 'd']]])
  })

  it('keeps empty fields, and a last record of empty fields without a line break (§2.2, §2.4)', () => {
    expect(parseCsv('a,,c\n,,').records.map((r) => r.fields)).toEqual([['a', '', 'c'], ['', '', '']])
  })

  it('numbers rows as a spreadsheet does: a skipped blank line counts, a quoted line break does not', () => {
    const { records } = parseCsv('h1,h2\n\n"x\ny",1\nz,2\n')
    expect(records.map((r) => [r.row, r.line, r.fields[0]])).toEqual([[1, 1, 'h1'], [3, 3, 'x\ny'], [4, 5, 'z']])
    expect(parseCsv('h\n"a\nb"\nc"d\n').errors).toMatchObject([{ row: 3, line: 4, rule: 'quote-in-unquoted-field' }])
  })

  it('reports every syntax error of the text, not only the first', () => {
    expect(parseCsv('a"b,c\n"d"e,f\n').errors.map((e) => [e.row, e.rule])).toEqual([[1, 'quote-in-unquoted-field'], [2, 'text-after-closing-quote']])
  })

  it('reads quoted fields with commas, line breaks and doubled quotes (§2.5–2.7), counting lines', () => {
    const { records, errors } = parseCsv('code,title\r\nPED,"Satu, ""dua""\r\ntiga"\r\nSOS,x\r\n')
    expect(errors).toEqual([])
    expect(records).toEqual([{ line: 1, row: 1, fields: ['code', 'title'] }, { line: 2, row: 2, fields: ['PED', 'Satu, "dua"\r\ntiga'] }, { line: 4, row: 3, fields: ['SOS', 'x'] }])
  })

  it('reports a quote inside an unquoted field, once per field (§2.5)', () => {
    expect(parseCsv('a,b"c\r\n').errors).toMatchObject([{ line: 1, field: 2, rule: 'quote-in-unquoted-field' }])
    expect(parseCsv('a"b"c,d"\r\n').errors.map((e) => e.field)).toEqual([1, 2])
  })

  it('reports an unterminated quoted field (§2.5)', () => {
    expect(parseCsv('a,"b\r\nc\r\n').errors).toMatchObject([{ line: 1, field: 2, rule: 'unterminated-quote' }])
  })

  it('reports text after a closing quote (§2.7)', () => {
    expect(parseCsv('"a"b,c\r\n').errors).toMatchObject([{ line: 1, field: 1, rule: 'text-after-closing-quote' }])
  })

  it('quotes only what needs quoting and ends every record with CRLF (§2.2, §2.6)', () => {
    expect(writeCsv([['a', 'b,c', 'd"e', 'f\ng']])).toBe('a,"b,c","d""e","f\ng"\r\n')
  })

  it('reads back what it writes, for any text (property)', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\r', '\n', 'é', '1') })
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const { records, errors } = parseCsv(writeCsv(rows))
        expect(errors).toEqual([])
        // A record of a single empty field is a blank line, which the reader skips.
        expect(records.map((r) => r.fields)).toEqual(rows)
      }),
    )
  })
})
