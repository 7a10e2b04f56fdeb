/**
 * CSV as RFC 4180 defines it ("Common Format and MIME Type for CSV Files", §2): records separated
 * by CRLF (a bare LF is accepted too, as spreadsheets on phones write it), fields separated by
 * commas, a field containing a comma, a double quote or a line break enclosed in double quotes,
 * and a double quote inside such a field escaped by another. A UTF-8 byte-order mark, which Excel
 * writes, is skipped. No dependency.
 */

/** One record and the 1-based line on which it starts (the header is line 1). */
export interface CsvRecord {
  readonly line: number
  readonly fields: readonly string[]
}

/** A syntax error: where, and which RFC 4180 rule it breaks. */
export interface CsvSyntaxError {
  readonly line: number
  /** 1-based field number within the record. */
  readonly field: number
  readonly rule: 'quote-in-unquoted-field' | 'unterminated-quote' | 'text-after-closing-quote'
  readonly message: string
}

/**
 * Splits CSV text into records. Fully empty lines are skipped (RFC 4180 does not allow them, but
 * a trailing blank line from an editor should not be an error).
 */
export function parseCsv(text: string): { records: CsvRecord[]; errors: CsvSyntaxError[] } {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text
  const records: CsvRecord[] = []
  const errors: CsvSyntaxError[] = []
  let line = 1
  let i = 0
  while (i < src.length) {
    const start = line
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
          if (ch === '\n') line++
          field += ch
          i++
        }
        if (!closed) {
          errors.push({ line: start, field: fields.length + 1, rule: 'unterminated-quote', message: `line ${start}, field ${fields.length + 1}: a quoted field is never closed (RFC 4180 §2.5)` })
          return { records, errors }
        }
        if (i < src.length && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') {
          errors.push({ line, field: fields.length + 1, rule: 'text-after-closing-quote', message: `line ${line}, field ${fields.length + 1}: text follows the closing double quote (RFC 4180 §2.7: escape a quote by doubling it)` })
          while (i < src.length && src[i] !== ',' && src[i] !== '\n') i++
        }
      } else {
        while (i < src.length && src[i] !== ',' && src[i] !== '\n' && !(src[i] === '\r' && src[i + 1] === '\n')) {
          if (src[i] === '"') errors.push({ line, field: fields.length + 1, rule: 'quote-in-unquoted-field', message: `line ${line}, field ${fields.length + 1}: a double quote inside a field that is not enclosed in double quotes (RFC 4180 §2.5)` })
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
      if (src[i] === '\r') i++
      if (src[i] === '\n') {
        i++
        line++
      }
      endOfRecord = true
    }
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields })
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
