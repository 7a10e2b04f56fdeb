import { describe, expect, it } from 'vitest'
import { SMALL } from '../../test/fixtures/small-framework.ts'
import { CompetenceError } from '../errors.ts'
import { validateFramework } from '../framework/validate-framework.ts'
import { PAUD_EDUCATOR_COMPETENCES } from '../seed/paud-competences.ts'
import { parseFrameworkCsv, writeFrameworkCsv, type FrameworkHeader } from './framework-csv.ts'

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
