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
