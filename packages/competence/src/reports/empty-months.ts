/** One month of the district trend. */
export interface TrendMonth {
  readonly month: string
  readonly activeTeachers: number
  readonly statements: number
}

/** `YYYY-MM` → months since year 0, and back. */
const index = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1
const monthOf = (i: number) => `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`

/**
 * The trend with a zero row for every month between its first and last that had no statement:
 * `learner_month` only has rows for months with activity, and a chart or a spreadsheet that
 * drew July straight to December would hide four quiet months (a program paused, an LMS that
 * stopped sending). Rows must be in month order, as the queries return them.
 */
export function withEmptyMonths(rows: readonly TrendMonth[]): TrendMonth[] {
  const out: TrendMonth[] = []
  for (const row of rows) {
    const previous = out.at(-1)
    if (previous !== undefined) {
      for (let i = index(previous.month) + 1; i < index(row.month); i++) out.push({ month: monthOf(i), activeTeachers: 0, statements: 0 })
    }
    out.push(row)
  }
  return out
}
