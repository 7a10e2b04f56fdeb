/** A CSV syntax problem, with the 1-based record number where it was found. */
export interface CsvSyntaxError {
  readonly row: number
  readonly message: string
}

export type CsvParse =
  | { readonly ok: true; readonly records: readonly (readonly string[])[] }
  | { readonly ok: false; readonly error: CsvSyntaxError }

/**
 * Parse CSV text per RFC 4180 §2: records end with CRLF (LF alone is accepted too, as
 * spreadsheets on phones write it); fields may be enclosed in double quotes, and then may hold
 * commas, line breaks and `""` for a quote. A quote inside an unquoted field, text after a closing
 * quote, or an unclosed quote is a syntax error (the rule's "MUST"s, not guessed around). A
 * leading UTF-8 BOM is dropped; a final line break does not start an empty record.
 */
export function parseCsv(text: string): CsvParse {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let i = 0
  let row = 1
  let quoted = false
  let fieldStarted = false
  const endField = () => { record.push(field); field = ''; fieldStarted = false }
  const endRecord = () => { endField(); records.push(record); record = []; row++ }
  while (i < input.length) {
    const c = input[i]!
    if (quoted) {
      if (c === '"') {
        if (input[i + 1] === '"') { field += '"'; i += 2; continue }
        quoted = false
        i++
        const next = input[i]
        if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') return { ok: false, error: { row, message: 'text after a closing quote' } }
        continue
      }
      field += c
      i++
      continue
    }
    if (c === '"') {
      if (fieldStarted) return { ok: false, error: { row, message: 'a quote inside an unquoted field' } }
      quoted = true
      fieldStarted = true
      i++
      continue
    }
    if (c === ',') { endField(); i++; continue }
    if (c === '\r' || c === '\n') {
      endRecord()
      i += c === '\r' && input[i + 1] === '\n' ? 2 : 1
      continue
    }
    field += c
    fieldStarted = true
    i++
  }
  if (quoted) return { ok: false, error: { row, message: 'a quoted field is not closed' } }
  if (fieldStarted || record.length > 0) endRecord()
  return { ok: true, records }
}
