import { describe, expect, it } from 'vitest'
import { checkReportFilter, prefixPattern } from './report-scope.ts'
import { joinSql, sql } from './sql.ts'

const TENANT = '6f1d3a52-0c1e-4b7a-9a55-2f0e8d6c4b10'

describe('sql tagged template', () => {
  it('puts every value in a binding, never in the text', () => {
    const q = sql`select 1 where a = ${"x' or '1'='1"} and b = ${2}`
    expect(q).toEqual({ text: 'select 1 where a = ? and b = ?', values: ["x' or '1'='1", 2] })
  })

  it('splices fragments with their bindings in order', () => {
    const inner = joinSql([sql`c = ${3}`, sql`d = ${4}`], ' and ')
    expect(sql`select ${1}, (${inner}), ${5}`).toEqual({ text: 'select ?, (c = ? and d = ?), ?', values: [1, 3, 4, 5] })
  })
})

describe('report filter', () => {
  it('a scope path is a literal prefix: LIKE wildcards in it are escaped', () => {
    expect(prefixPattern('/a_b%c\\/')).toBe('/a\\_b\\%c\\\\/%')
  })

  it('accepts a well-formed filter', () => {
    expect(() => checkReportFilter({ tenantId: TENANT, from: '2026-02-28', to: '2026-03-01', scopePath: '/x/' })).not.toThrow()
  })

  it.each([
    [{ tenantId: 'default' }, /tenantId must be a UUID/],
    [{ tenantId: TENANT, from: '2026-2-1' }, /from must be a day YYYY-MM-DD/],
    [{ tenantId: TENANT, to: '2026-02-29' }, /to must be a day YYYY-MM-DD/],
    [{ tenantId: TENANT, from: '2026-03-02', to: '2026-03-01' }, /from must not be after/],
    [{ tenantId: TENANT, schoolId: 'sekolah-1' }, /schoolId must be a UUID/],
    [{ tenantId: TENANT, scopePath: 'x/' }, /scopePath must be an org node path/],
  ])('rejects %j naming the field and the rule', (filter, message) => {
    expect(() => checkReportFilter(filter)).toThrow(message)
  })
})
