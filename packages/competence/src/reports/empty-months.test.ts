import { describe, expect, it } from 'vitest'
import { withEmptyMonths } from './empty-months.ts'

describe('the district trend\'s months', () => {
  it('has a zero row for each quiet month between two active ones, across a year\'s end', () => {
    const rows = withEmptyMonths([
      { month: '2026-07', activeTeachers: 57, statements: 114 },
      { month: '2026-12', activeTeachers: 1, statements: 3 },
      { month: '2027-02', activeTeachers: 2, statements: 5 },
    ])
    expect(rows.map((r) => [r.month, r.activeTeachers, r.statements])).toEqual([
      ['2026-07', 57, 114], ['2026-08', 0, 0], ['2026-09', 0, 0], ['2026-10', 0, 0], ['2026-11', 0, 0],
      ['2026-12', 1, 3], ['2027-01', 0, 0], ['2027-02', 2, 5],
    ])
  })

  it('adds nothing before the first or after the last active month, nor to an empty trend', () => {
    expect(withEmptyMonths([{ month: '2026-03', activeTeachers: 1, statements: 1 }, { month: '2026-04', activeTeachers: 2, statements: 2 }])).toHaveLength(2)
    expect(withEmptyMonths([])).toEqual([])
  })
})
