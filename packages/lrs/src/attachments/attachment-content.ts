import { createHash } from 'node:crypto'

/**
 * Attachment content as received in a multipart/mixed statement request (xAPI 1.0.3
 * Communication 1.5.2): the part's `X-Experience-API-Hash`, already checked against its bytes.
 */
export interface ReceivedPart {
  /** Lowercase hex SHA-2 digest of `content`. */
  sha2: string
  /** The part's Content-Type header, if it had one. */
  contentType?: string
  content: Buffer
  /** Where the part was in the request, for error messages: `multipart[2]`. */
  path: string
}

/** The parts of one request by `sha2`; empty for an application/json request. */
export type ReceivedParts = ReadonlyMap<string, ReceivedPart>

/** Content to store: one row per (tenant, sha2). */
export interface AttachmentContent {
  sha2: string
  content: Buffer
}

/**
 * Content that passed every attachment and signature check of its request. Only
 * `checkStatementAttachments` makes this type (STYLE.md rule 4: storage takes checked input).
 */
export type CheckedAttachments = readonly AttachmentContent[] & { readonly __checked: unique symbol }

/**
 * The SHA-2 function a hex digest was made with, told by its length (xAPI 1.0.3 Data 2.4.11:
 * `sha2` is "the SHA-2 hash of the Attachment data"; Communication 1.5.2.s4.b4: providers SHOULD
 * use SHA-256, SHA-384 or SHA-512). 56 and 64 digits are read as SHA-224 and SHA-256 (not the
 * rarely used SHA-512/224 and SHA-512/256 of the same lengths).
 */
const ALGORITHM_BY_LENGTH: Record<number, string> = { 56: 'sha224', 64: 'sha256', 96: 'sha384', 128: 'sha512' }

/** The digest of `content` with the SHA-2 function of `declared`, lowercase hex; undefined for a length no SHA-2 has. */
export function sha2Like(declared: string, content: Buffer): string | undefined {
  const algorithm = ALGORITHM_BY_LENGTH[declared.length]
  return algorithm === undefined ? undefined : createHash(algorithm).update(content).digest('hex')
}
