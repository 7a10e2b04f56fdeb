import { createHash } from 'node:crypto'
import { multipartBoundary, parseMultipart, type MultipartPart } from '../src/http/multipart.ts'

/** Test helpers for xAPI multipart/mixed statement requests (xAPI 1.0.3 Communication 1.5.2). */

export const BOUNDARY = "tln-test'()+_,-./:=?"

export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex')
}

/** An Attachment Object for `content`; `overrides` replace properties (fileUrl, sha2, …). */
export function attachmentFor(content: Buffer, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    usageType: 'https://tln.example/attachment-usage/lesson-plan',
    display: { 'en-US': 'Lesson plan', id: 'RPPH' },
    contentType: 'application/pdf',
    length: content.length,
    sha2: sha256(content),
    ...overrides,
  }
}

export interface RawPart {
  /** Header lines in order; by default Content-Type, Content-Transfer-Encoding and the hash. */
  headers: Array<[string, string]>
  body: Buffer
}

/** An attachment part with the three headers the spec asks for; `headers` replaces or removes (undefined) some. */
export function part(content: Buffer, headers: Record<string, string | undefined> = {}): RawPart {
  const all: Record<string, string | undefined> = {
    'Content-Type': 'application/octet-stream',
    'Content-Transfer-Encoding': 'binary',
    'X-Experience-API-Hash': sha256(content),
    ...headers,
  }
  return { headers: Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined), body: content }
}

/** A multipart/mixed statement request: the JSON first, then the parts. */
export function multipartBody(json: unknown, parts: RawPart[], boundary = BOUNDARY): { contentType: string; body: Buffer } {
  const chunks: Buffer[] = []
  const all: RawPart[] = [{ headers: [['Content-Type', 'application/json']], body: Buffer.from(JSON.stringify(json)) }, ...parts]
  for (const p of all) {
    chunks.push(Buffer.from(`--${boundary}\r\n${p.headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`, 'latin1'), p.body, Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { contentType: `multipart/mixed; boundary="${boundary}"`, body: Buffer.concat(chunks) }
}

/** Reads a multipart/mixed answer: supertest gives the raw body with `.buffer(true).parse(rawBody)`. */
export function readMultipartAnswer(contentType: string, body: Buffer): MultipartPart[] {
  return parseMultipart(body, multipartBoundary(contentType))
}

/** A supertest parser that keeps the body as a Buffer. */
export function rawBody(res: unknown, callback: (error: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream
  const chunks: Buffer[] = []
  stream.on('data', (chunk: Buffer) => chunks.push(chunk))
  stream.on('end', () => callback(null, Buffer.concat(chunks)))
}
