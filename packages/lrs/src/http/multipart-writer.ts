import { randomBytes } from 'node:crypto'

/** One part to write: header fields in order, and the content. */
export interface OutgoingPart {
  headers: ReadonlyArray<readonly [name: string, value: string]>
  body: Buffer
}

/**
 * Serialises a `multipart/mixed` body (RFC 2046 §5.1.1) with CRLF line breaks and a fresh random
 * boundary that occurs in none of the parts ("the boundary delimiter MUST NOT appear inside any
 * of the encapsulated parts").
 * @returns the boundary, for the Content-Type parameter, and the body.
 */
export function writeMultipart(parts: readonly OutgoingPart[]): { boundary: string; body: Buffer } {
  let boundary = newBoundary()
  while (parts.some((part) => part.body.includes(boundary, 0, 'latin1'))) boundary = newBoundary()
  const chunks: Buffer[] = []
  for (const part of parts) {
    const head = part.headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')
    chunks.push(Buffer.from(`--${boundary}\r\n${head}\r\n`, 'latin1'), part.body, Buffer.from('\r\n', 'latin1'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'))
  return { boundary, body: Buffer.concat(chunks) }
}

function newBoundary(): string {
  return `tln-${randomBytes(16).toString('hex')}`
}
