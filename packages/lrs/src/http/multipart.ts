import { LrsError } from '../errors.ts'

/**
 * A small `multipart/mixed` reader (RFC 2046 §5.1.1), enough for xAPI statement requests
 * (xAPI 1.0.3 Communication 1.5.2). It knows nothing about xAPI: the statement-body reader
 * applies the xAPI rules to the parts it returns.
 *
 * It works on the request body that `express.raw` already buffered and bounded (`bodyLimit`):
 * binary-safe (part bodies are never decoded to text, they are views into the body), linear in
 * the body size (one `Buffer.indexOf` scan per delimiter), and every malformation is an
 * `LrsError`, never a `RangeError` or a hang, whatever the bytes.
 */

/** One body part: its header fields (names lowercased) and its raw octets. */
export interface MultipartPart {
  headers: ReadonlyMap<string, string>
  body: Buffer
}

const CRLF = Buffer.from('\r\n', 'latin1')
const HEADER_END = Buffer.from('\r\n\r\n', 'latin1')
/** RFC 2046 `bchars`: what a boundary may contain (space allowed, but not last). */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/
/** RFC 7230 `token`, the form of a header field name and of an unquoted parameter value. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

function malformed(message: string, path = 'body'): LrsError {
  return new LrsError('ERR_LRS_INVALID_MULTIPART', message, path)
}

/**
 * The `boundary` parameter of a `multipart/mixed` Content-Type (RFC 2046 §5.1.1: required,
 * 1 to 70 `bchars`, not ending in a space; RFC 2045 §5.1: a token or a quoted-string).
 */
export function multipartBoundary(contentType: string): string {
  const params = contentType.slice(contentType.indexOf(';') + 1)
  let boundary: string | undefined
  // name=token | name="quoted string", separated by semicolons.
  const pattern = /\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))\s*(?:;|$)/gy
  if (contentType.includes(';')) {
    let match: RegExpExecArray | null
    while (pattern.lastIndex < params.length && (match = pattern.exec(params)) !== null) {
      if (match[1]!.toLowerCase() !== 'boundary') continue
      if (boundary !== undefined) throw malformed('the multipart/mixed Content-Type has two boundary parameters (RFC 2046 §5.1.1)', 'Content-Type')
      boundary = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!
      if (match[3] !== undefined && !TOKEN.test(match[3])) {
        throw malformed('a boundary with characters other than token characters must be quoted (RFC 2045 §5.1)', 'Content-Type')
      }
    }
  }
  if (boundary === undefined) throw malformed('multipart/mixed needs a boundary parameter in Content-Type (RFC 2046 §5.1.1; xAPI 1.0.3 Communication 1.5.2)', 'Content-Type')
  if (!BOUNDARY.test(boundary)) {
    throw malformed("the multipart boundary must be 1 to 70 characters of digits, letters and '()+_,-./:=? (not ending in a space) (RFC 2046 §5.1.1)", 'Content-Type')
  }
  return boundary
}

/**
 * Splits a `multipart/mixed` body into its parts (RFC 2046 §5.1.1). A preamble before the first
 * delimiter and an epilogue after the close delimiter are ignored, as the RFC requires; each
 * delimiter line may carry trailing whitespace ("transport padding"). Line breaks must be CRLF.
 * There must be at least one part and a close delimiter.
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  return [...multipartParts(body, boundary)]
}

/**
 * The parts of a `multipart/mixed` body one at a time, as `parseMultipart` reads them. A caller
 * that checks each part as it comes stops at the first bad one: a 10 MB body of a million empty
 * parts cost 1.3-1.5 s to split whole before its first part was looked at.
 */
export function* multipartParts(body: Buffer, boundary: string): Generator<MultipartPart, void, undefined> {
  const dashBoundary = Buffer.from(`--${boundary}`, 'latin1')
  const delimiter = Buffer.concat([CRLF, dashBoundary])

  // The first delimiter may open the body (no preamble) or follow a preamble and a CRLF.
  let cursor: number
  if (body.subarray(0, dashBoundary.length).equals(dashBoundary)) cursor = dashBoundary.length
  else {
    const first = body.indexOf(delimiter)
    if (first < 0) throw malformed(`the body has no "--${boundary}" delimiter line; the boundary in Content-Type must open the first part (RFC 2046 §5.1.1)`)
    cursor = first + delimiter.length
  }

  let index = 0
  for (;;) {
    cursor = afterDelimiterLine(body, cursor, index)
    if (cursor < 0) break
    const end = body.indexOf(delimiter, cursor)
    if (end < 0) throw malformed(`part ${index} is not followed by a "--${boundary}" delimiter; the body must end with "--${boundary}--" (RFC 2046 §5.1.1)`, `multipart[${index}]`)
    yield readPart(body.subarray(cursor, end), index)
    index++
    cursor = end + delimiter.length
  }
  if (index === 0) throw malformed('the multipart body has no parts (RFC 2046 §5.1.1)')
}

/**
 * After `--boundary`: either `--` (the close delimiter, returns -1) or transport padding and a
 * CRLF, returning where the next part starts. Anything else means the boundary occurs inside
 * content, which RFC 2046 forbids.
 */
function afterDelimiterLine(body: Buffer, at: number, index: number): number {
  if (body[at] === 0x2d && body[at + 1] === 0x2d) return -1
  let cursor = at
  while (body[cursor] === 0x20 || body[cursor] === 0x09) cursor++
  if (body[cursor] === 0x0d && body[cursor + 1] === 0x0a) return cursor + 2
  throw malformed(
    `the delimiter line before part ${index} must end with CRLF (or "--" to close); the boundary must not occur inside a part (RFC 2046 §5.1.1)`,
    `multipart[${index}]`,
  )
}

/** One body part: header lines up to an empty line, then the content (RFC 2046 §5.1.1 `body-part`). */
function readPart(part: Buffer, index: number): MultipartPart {
  const path = `multipart[${index}]`
  // A part without header fields starts directly with the empty line.
  if (part[0] === 0x0d && part[1] === 0x0a) return { headers: new Map(), body: part.subarray(2) }
  const headerEnd = part.indexOf(HEADER_END)
  if (headerEnd < 0) throw malformed(`the header fields of part ${index} must end with an empty line (CRLF CRLF) (RFC 2046 §5.1.1, RFC 822)`, path)
  const headers = new Map<string, string>()
  let last: string | undefined
  for (const line of part.subarray(0, headerEnd).toString('latin1').split('\r\n')) {
    if (/^[ \t]/.test(line) && last !== undefined) {
      // Obsolete line folding (RFC 822 §3.1.1): a continuation of the previous field.
      headers.set(last, `${headers.get(last)!} ${line.trim()}`)
      continue
    }
    const colon = line.indexOf(':')
    const name = colon < 0 ? '' : line.slice(0, colon).trim().toLowerCase()
    if (!TOKEN.test(name)) throw malformed(`part ${index} has a header line that is not "Name: value": ${JSON.stringify(line.slice(0, 80))} (RFC 2046 §5.1.1)`, path)
    if (headers.has(name)) throw malformed(`part ${index} repeats the header field ${name}`, `${path}.${name}`)
    headers.set(name, line.slice(colon + 1).trim())
    last = name
  }
  return { headers, body: part.subarray(headerEnd + HEADER_END.length) }
}
