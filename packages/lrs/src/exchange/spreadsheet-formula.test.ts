import { describe, expect, it } from 'vitest'
import { neutraliseFormula, restoreFormula } from './spreadsheet-formula.ts'

describe('spreadsheet formulas in CSV cells (OWASP CSV Injection)', () => {
  it('quotes a text starting with = + - @ TAB or CR, and leaves other text alone', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) expect(neutraliseFormula(`${lead}SUM(A1)`)).toBe(`'${lead}SUM(A1)`)
    expect(neutraliseFormula('-3')).toBe("'-3")
    expect(neutraliseFormula('Praya')).toBe('Praya')
    expect(neutraliseFormula("'quoted")).toBe("'quoted")
    expect(neutraliseFormula('')).toBe('')
  })

  it('quotes once more a text whose quotes stand before a formula, so that one quote can come off again', () => {
    expect(neutraliseFormula("'=x")).toBe("''=x")
    expect(restoreFormula("''=x")).toBe("'=x")
  })

  it('restores exactly what it neutralised: restore(neutralise(t)) = t', () => {
    for (const text of ['=1+1', '-3', "'-3", "''@x", "'plain", 'plain', "'", "''", '', '\t=x', '\r', 'a=b', '0']) {
      expect(restoreFormula(neutraliseFormula(text)), JSON.stringify(text)).toBe(text)
    }
  })

  it('reads a formula saved without its quote as it is', () => {
    expect(restoreFormula('=x')).toBe('=x')
    expect(restoreFormula("'plain")).toBe("'plain")
  })
})
