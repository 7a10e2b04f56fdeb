/**
 * What a file is, judged by its content (magic bytes), never by its name or the browser's
 * Content-Type: a `.pdf` name on PNG bytes is a PNG, and a renamed executable is refused.
 * Signatures: PDF `%PDF-` (ISO 32000-2 §7.5.2), PNG (RFC 2083 §3.1), JPEG SOI `FF D8 FF`,
 * WebP `RIFF….WEBP` (RFC 9649 §2), ZIP local header `PK\3\4` holding `word/` parts (DOCX, ECMA-376
 * Part 2) or a first `mimetype` entry of ODF text (OASIS ODF 1.3 Part 2 §3.3).
 */
export type SniffedType =
  | 'application/pdf' | 'image/jpeg' | 'image/png' | 'image/webp'
  | 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
  | 'application/vnd.oasis.opendocument.text'

export const DOCUMENT_TYPES: readonly SniffedType[] = [
  'application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.oasis.opendocument.text',
]
export const IMAGE_TYPES: readonly SniffedType[] = ['image/jpeg', 'image/png', 'image/webp']

export const EXTENSION: Readonly<Record<SniffedType, string>> = {
  'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.oasis.opendocument.text': 'odt',
}

/** The extensions each type is known by (the first is `EXTENSION`'s). */
const EXTENSIONS: Readonly<Record<SniffedType, readonly string[]>> = {
  'application/pdf': ['pdf'], 'image/jpeg': ['jpg', 'jpeg', 'jpe', 'jfif'], 'image/png': ['png'], 'image/webp': ['webp'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.oasis.opendocument.text': ['odt'],
}

/**
 * `name` with an extension that says what the file is, by its content: kept when it already does
 * (in any case, `.jpeg` for a JPEG too), otherwise the last extension is replaced by the type's
 * (`rpph.pdf` holding PNG bytes becomes `rpph.png`; `foto` becomes `foto.jpg`). The name is what a
 * facilitator's computer saves the download under and then opens by: a document sent as
 * `rpph.html` or `rpph.bat` must not be saved as a page or a script (OWASP File Upload Cheat
 * Sheet: "the file extension … should be validated", and the stored type decides, not the name).
 */
export function nameForType(name: string, type: SniffedType): string {
  const dot = name.lastIndexOf('.')
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
  if (EXTENSIONS[type].includes(extension)) return name
  return `${dot > 0 ? name.slice(0, dot) : name}.${EXTENSION[type]}`
}

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v)
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0))

/**
 * The type of a complete file, or undefined when it is none TLN takes. With `prefix` (the first
 * chunk of an upload) a ZIP is reported as `zip` pending the full check at the end.
 */
export function sniff(bytes: Uint8Array, options: { prefix?: boolean } = {}): SniffedType | 'zip' | undefined {
  if (startsWith(bytes, ascii('%PDF-'))) return 'application/pdf'
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp'
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    // ODF: the first entry is an uncompressed `mimetype` (name at 30, content right after).
    if (startsWith(bytes, ascii('mimetype'), 30) && startsWith(bytes, ascii('application/vnd.oasis.opendocument.text'), 38)) return 'application/vnd.oasis.opendocument.text'
    if (options.prefix === true) return 'zip'
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
    if (text.includes('[Content_Types].xml') && text.includes('word/')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
  }
  return undefined
}
