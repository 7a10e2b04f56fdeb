/**
 * CSV as RFC 4180 defines it ("Common Format and MIME Type for CSV Files", §2): records separated
 * by CRLF (a bare LF or a bare CR is accepted too, as spreadsheets on phones and old Macs write
 * it), fields separated by commas, a field containing a comma, a double quote or a line break
 * enclosed in double quotes, and a double quote inside such a field escaped by another. A UTF-8
 * byte-order mark, which Excel writes, is skipped. No dependency.
 *
 * TLN's one CSV reader: competence frameworks (`framework-csv.ts`) and the organisation import of
 * `@tln/lti-tool` (schools, teachers) both read through it.
 */

/** One record, where it starts, and its fields. */
export interface CsvRecord {
  /** 1-based text line on which it starts (the header is line 1), as an editor shows it. */
  readonly line: number
  /**
   * 1-based record number, as a spreadsheet numbers its rows: a blank line counts, a line break
   * inside a quoted field does not.
   */
  readonly row: number
  readonly fields: readonly string[]
}

/** A syntax error: where, and which RFC 4180 rule it breaks. */
export interface CsvSyntaxError {
  readonly line: number
  /** 1-based record number of the record it is in (see `CsvRecord.row`). */
  readonly row: number
  /** 1-based field number within the record. */
  readonly field: number
  readonly rule: 'quote-in-unquoted-field' | 'unterminated-quote' | 'text-after-closing-quote'
  readonly message: string
}

/**
 * Splits CSV text into records, reporting every syntax error (the parse stops only at a quoted
 * field that is never closed). Fully empty lines are skipped (RFC 4180 does not allow them, but a
 * trailing blank line from an editor should not be an error); they still count in `row`.
 */
export function parseCsv(text: string): { records: CsvRecord[]; errors: CsvSyntaxError[] } {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text
  const records: CsvRecord[] = []
  const errors: CsvSyntaxError[] = []
  let line = 1
  let row = 0
  let i = 0
  while (i < src.length) {
    const start = line
    row++
    const fields: string[] = []
    let field = ''
    let endOfRecord = false
    while (!endOfRecord) {
      if (src[i] === '"') {
        i++
        let closed = false
        while (i < src.length) {
          const ch = src[i]!
          if (ch === '"') {
            if (src[i + 1] === '"') {
              field += '"'
              i += 2
              continue
            }
            i++
            closed = true
            break
          }
          if (ch === '\n' || (ch === '\r' && src[i + 1] !== '\n')) line++
          field += ch
          i++
        }
        if (!closed) {
          errors.push({ line: start, row, field: fields.length + 1, rule: 'unterminated-quote', message: `line ${start}, field ${fields.length + 1}: a quoted field is never closed (RFC 4180 §2.5)` })
          return { records, errors }
        }
        if (i < src.length && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') {
          errors.push({ line, row, field: fields.length + 1, rule: 'text-after-closing-quote', message: `line ${line}, field ${fields.length + 1}: text follows the closing double quote (RFC 4180 §2.7: escape a quote by doubling it)` })
          while (i < src.length && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') i++
        }
      } else {
        // One error per field, however many quotes it holds.
        let quoteSeen = false
        while (i < src.length && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') {
          if (src[i] === '"' && !quoteSeen) {
            quoteSeen = true
            errors.push({ line, row, field: fields.length + 1, rule: 'quote-in-unquoted-field', message: `line ${line}, field ${fields.length + 1}: a double quote inside a field that is not enclosed in double quotes (RFC 4180 §2.5)` })
          }
          field += src[i]
          i++
        }
      }
      fields.push(field)
      field = ''
      if (src[i] === ',') {
        i++
        continue
      }
      // CRLF, LF or a bare CR: one line break.
      if (src[i] === '\r' || src[i] === '\n') {
        i += src[i] === '\r' && src[i + 1] === '\n' ? 2 : 1
        line++
      }
      endOfRecord = true
    }
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, row, fields })
  }
  return { records, errors }
}

/** One field, quoted when RFC 4180 §2.6 requires it (comma, double quote, CR or LF). */
export function csvField(value: string): string {
  return /[",\r\n]/u.test(value) ? `"${value.replace(/"/gu, '""')}"` : value
}

/** Records as CSV text: CRLF after every record, the last one included (RFC 4180 §2.1–2.2). */
export function writeCsv(records: readonly (readonly string[])[]): string {
  return records.map((fields) => `${fields.map(csvField).join(',')}\r\n`).join('')
}
