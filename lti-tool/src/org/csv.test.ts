import { describe, expect, it } from 'vitest'
import { parseCsv } from './csv.ts'

describe('parseCsv (RFC 4180 §2)', () => {
  it('splits records on CRLF and LF, fields on commas (§2.1, §2.4)', () => {
    expect(parseCsv('a,b\r\nc,d\ne,f\n')).toEqual({ ok: true, records: [['a', 'b'], ['c', 'd'], ['e', 'f']] })
  })
  it('keeps commas, line breaks and doubled quotes inside quoted fields (§2.6, §2.7)', () => {
    expect(parseCsv('"a,b","line\r\nbreak","say ""hi"""\n')).toEqual({ ok: true, records: [['a,b', 'line\r\nbreak', 'say "hi"']] })
  })
  it('keeps empty fields and a last record without a line break (§2.2)', () => {
    expect(parseCsv('a,,c\n,,')).toEqual({ ok: true, records: [['a', '', 'c'], ['', '', '']] })
  })
  it('drops a UTF-8 BOM', () => {
    expect(parseCsv('\uFEFFnpsn\n1')).toEqual({ ok: true, records: [['npsn'], ['1']] })
  })
  it('refuses a quote inside an unquoted field (§2.5)', () => {
    expect(parseCsv('a,b\nc,d"e\n')).toEqual({ ok: false, error: { row: 2, message: 'a quote inside an unquoted field' } })
  })
  it('refuses an unclosed quote and text after a closing quote', () => {
    expect(parseCsv('a\n"b\n')).toMatchObject({ ok: false, error: { row: 2 } })
    expect(parseCsv('"a"b\n')).toMatchObject({ ok: false, error: { row: 1, message: 'text after a closing quote' } })
  })
})
