import { createHash } from 'node:crypto'
import { cleanFileName } from './file-name.ts'
import { IMAGE_TYPES, nameForType, sniff, type SniffedType } from '../tasks/sniff.ts'
import { MAX_FILE_BYTES } from '../tasks/task-service.ts'
import type { FieldProblem } from './types.ts'

/** A file as the form sent it: the name the browser gave and the bytes. */
export interface UploadedFile {
  readonly name: string
  readonly content: Buffer
}

/** Evidence of a session: a photo (JPEG, PNG, WebP) or a PDF, the tasks' 10 MB limit. */
export const EVIDENCE_TYPES: readonly SniffedType[] = [...IMAGE_TYPES, 'application/pdf']
export const MAX_EVIDENCE_BYTES = MAX_FILE_BYTES

/**
 * Checks evidence by its content (magic bytes, `tasks/sniff.ts`), never by its name or the
 * browser's Content-Type, and against the size limit. Pure.
 */
export function checkEvidence(file: UploadedFile): { ok: true; value: { name: string; mediaType: SniffedType; content: Buffer; sha256: string } } | { ok: false; problems: FieldProblem[] } {
  if (file.content.length === 0) return { ok: false, problems: [{ field: 'file', rule: 'file-empty', message: { id: 'Berkas kosong. Pilih foto atau PDF lain.', en: 'The file is empty. Choose another photo or PDF.' } }] }
  if (file.content.length > MAX_EVIDENCE_BYTES) return { ok: false, problems: [{ field: 'file', rule: 'file-too-large', message: { id: 'Berkas terlalu besar (paling besar 10 MB).', en: 'The file is too large (at most 10 MB).' } }] }
  const type = sniff(file.content)
  if (type === undefined || type === 'zip' || !EVIDENCE_TYPES.includes(type)) {
    return { ok: false, problems: [{ field: 'file', rule: 'file-type', message: { id: 'Bukti harus foto (JPEG, PNG, WebP) atau PDF.', en: 'Evidence must be a photo (JPEG, PNG, WebP) or a PDF.' } }] }
  }
  return { ok: true, value: { name: nameForType(cleanFileName(file.name), type), mediaType: type, content: file.content, sha256: createHash('sha256').update(file.content).digest('hex') } }
}
