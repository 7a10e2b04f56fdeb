import { LrsError, multipartBoundary, parseMultipart as splitMultipart } from '@tln/lrs'

/** `name=token` or `name="quoted string"` parameters after a `;` (RFC 2183 §2, as RFC 7578 §4.2 uses them). */
const PARAMETER = /\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))\s*(?:;|$)/gy

/**
 * A `multipart/form-data` reader (RFC 7578) for the task and mentoring forms posted without
 * script: text fields and one file, the part named `file`. The body is split by `@tln/lrs`'s
 * RFC 2046 reader (RFC 7578 §4.1: form-data is RFC 2046 multipart), which is binary-safe, linear
 * and refuses every malformation; this adds the form-data layer: each part's
 * `Content-Disposition: form-data; name="…"[; filename="…"]` (§4.2). The body is read whole (the
 * routes cap it just above their file limit).
 * @returns undefined when the body is not well-formed multipart
 */
export function parseMultipart(body: Buffer, contentType: string): { fields: Record<string, string>; file?: { name: string; content: Buffer } } | undefined {
  let parts
  try {
    parts = splitMultipart(body, multipartBoundary(contentType))
  } catch (error) {
    if (error instanceof LrsError) return undefined
    throw error
  }
  const fields: Record<string, string> = {}
  let file: { name: string; content: Buffer } | undefined
  for (const part of parts) {
    const disposition = formData(part.headers.get('content-disposition'))
    const name = disposition?.get('name')
    if (name === undefined) continue
    const filename = disposition!.get('filename')
    if (filename === undefined) fields[name] = part.body.toString('utf8')
    else if (name === 'file' && filename !== '') file = { name: filename, content: Buffer.from(part.body) }
  }
  return { fields, ...(file !== undefined && { file }) }
}

/**
 * The parameters of a `form-data` Content-Disposition, or undefined for any other. Header values
 * come as latin1 (RFC 2046); browsers send a file name's UTF-8 bytes as they are (RFC 7578 §4.2),
 * so values are read back as UTF-8.
 */
function formData(value: string | undefined): Map<string, string> | undefined {
  if (value === undefined) return undefined
  const semicolon = value.indexOf(';')
  if (semicolon < 0 || value.slice(0, semicolon).trim().toLowerCase() !== 'form-data') return undefined
  const params = new Map<string, string>()
  const rest = value.slice(semicolon + 1)
  PARAMETER.lastIndex = 0
  let match: RegExpExecArray | null
  while (PARAMETER.lastIndex < rest.length && (match = PARAMETER.exec(rest)) !== null) {
    const raw = match[2] !== undefined ? match[2].replace(/\\(.)/gu, '$1') : match[3]!
    params.set(match[1]!.toLowerCase(), Buffer.from(raw, 'latin1').toString('utf8'))
  }
  return params
}
