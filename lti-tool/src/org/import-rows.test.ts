import { describe, expect, it } from 'vitest'
import { checkSchools, checkTeachers, slugOf, type ImportLookup } from './import-rows.ts'

const lookup: ImportLookup = {
  kecamatan: (v) => (v === '52.02.06' || slugOf(v) === 'praya' ? { id: 'k-praya' } : slugOf(v) === 'kota' ? 'ambiguous' : 'unknown'),
  school: (npsn) => (npsn === '99020601' ? { id: 's-1' } : undefined),
}

describe('checkSchools', () => {
  it('accepts rows by kecamatan name, slug or code, type in any case', () => {
    const result = checkSchools('NPSN,Name,Type,Kecamatan\r\n99020601,TK Cahaya,tk,Praya\n99020602,"KB Permata, Hati",KB,52.02.06\n', lookup)
    expect(result).toEqual({ ok: true, rows: [
      { row: 2, npsn: '99020601', name: 'TK Cahaya', type: 'TK', kecamatanId: 'k-praya' },
      { row: 3, npsn: '99020602', name: 'KB Permata, Hati', type: 'KB', kecamatanId: 'k-praya' },
    ] })
  })
  it('reports every bad row with its row number, column and rule', () => {
    const result = checkSchools('npsn,name,type,kecamatan\n9902060,A,TK,Praya\n99020601,B,XX,Nowhere\n99020602,C,TK,Praya\n99020602,D,TK,Kota\n', lookup)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems.map((p) => [p.row, p.column, p.rule])).toEqual([
      [2, 'npsn', 'npsn-format'],
      [3, 'type', 'school-type'],
      [3, 'kecamatan', 'unknown-kecamatan'],
      [5, 'npsn', 'duplicate-npsn'],
      [5, 'kecamatan', 'ambiguous-kecamatan'],
    ])
  })
  it('refuses a missing or unknown header column and a short row', () => {
    expect(checkSchools('npsn,name,type\n1,2,3\n', lookup)).toMatchObject({ ok: false, problems: [{ row: 1, column: 'kecamatan', rule: 'header-missing' }] })
    expect(checkSchools('npsn,name,type,kecamatan,extra\n', lookup)).toMatchObject({ ok: false, problems: [{ row: 1, column: 'extra', rule: 'header-unknown' }] })
    expect(checkSchools('npsn,name,type,kecamatan\n99020601,A,TK\n', lookup)).toMatchObject({ ok: false, problems: [{ row: 2, rule: 'field-count' }] })
    expect(checkSchools('', lookup)).toMatchObject({ ok: false, problems: [{ rule: 'empty-file' }] })
  })
  it('numbers rows as the spreadsheet does: blank lines count, a line break inside quotes does not', () => {
    const result = checkSchools('npsn,name,type,kecamatan\n\n9902060,"TK\nCahaya",TK,Praya\n9902061,B,TK,Praya\n', lookup)
    expect(result.ok ? [] : result.problems.map((p) => [p.row, p.rule])).toEqual([[3, 'npsn-format'], [4, 'npsn-format']])
  })
  it('rejects a file that breaks RFC 4180 §2.5/§2.7, one csv-syntax problem per error with its row', () => {
    const result = checkSchools('npsn,name,type,kecamatan\n99020601,TK "Cahaya",TK,Praya\n99020602,"B"x,TK,Praya\n', lookup)
    expect(result.ok ? [] : result.problems.map((p) => [p.row, p.rule])).toEqual([[2, 'csv-syntax'], [3, 'csv-syntax']])
    expect(checkSchools('npsn,name,type,kecamatan\n99020601,"TK,TK,Praya\n', lookup)).toMatchObject({ ok: false, problems: [{ row: 2, rule: 'csv-syntax', message: expect.stringContaining('never closed') }] })
  })
})

describe('checkTeachers', () => {
  it('accepts a teacher of a known school with optional columns', () => {
    expect(checkTeachers('name,npsn,email,phone,id\nSiti,99020601,siti@example.org,+62 812-3456,ptk-1\nRina,99020601,,,\n', lookup)).toEqual({ ok: true, rows: [
      { row: 2, name: 'Siti', schoolId: 's-1', email: 'siti@example.org', phone: '+62 812-3456', externalId: 'ptk-1' },
      { row: 3, name: 'Rina', schoolId: 's-1' },
    ] })
  })
  it('reports an unknown school, a bad e-mail, a repeated id', () => {
    const result = checkTeachers('name,npsn,email,id\nA,99029999,,x\n,99020601,not-an-email,x\n', lookup)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems.map((p) => [p.row, p.column, p.rule])).toEqual([
      [2, 'npsn', 'unknown-school'], [3, 'name', 'required'], [3, 'email', 'email-format'], [3, 'id', 'duplicate-id'],
    ])
  })
})
