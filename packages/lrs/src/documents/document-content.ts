import { jsonNestsDeeperThan, MAX_JSON_DEPTH, overflowingNumberPath } from '@tln/xapi'
import { LrsError } from '../errors.ts'

/** A document's contents as stored and served: the bytes and their content type. */
export interface DocumentContent {
  contentType: string
  content: Buffer
}

/** Content type given to a document sent without one. */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream'

/** True for `application/json`, with or without parameters (case-insensitive, RFC 7231 3.1.1.1). */
export function isJsonType(contentType: string): boolean {
  return /^application\/json\s*(;|$)/i.test(contentType.trim())
}

/**
 * The document a PUT (or a POST to a missing document) stores: any content type, kept
 * byte-for-byte ("Documents can have any content type", xAPI 1.0.3 Communication 1.5.b1). A body
 * declared `application/json` must parse as JSON: "The LRS SHOULD* reject any request with 400 Bad
 * Request status where the content type header does not match the content" (3.2.s3.b6).
 */
export function documentToStore(contentType: string | undefined, body: Buffer): DocumentContent {
  const type = contentType === undefined || contentType.trim() === '' ? DEFAULT_CONTENT_TYPE : contentType.trim()
  // A header value holds no control character but HTAB (RFC 9110 §5.5). A real header cannot carry
  // one, but the form of an alternate request can, and a NUL failed at the INSERT as a 500.
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/u.test(type)) {
    throw new LrsError('ERR_LRS_BAD_REQUEST', 'Content-Type must not contain control characters (RFC 9110 §5.5, rule no-control-characters)', 'Content-Type')
  }
  if (isJsonType(type)) parseJson(body, 'the document')
  return { contentType: type, content: body }
}

/**
 * POST to an existing document: "If the document being posted or any existing document does not
 * have a Content-Type of application/json, or if either document cannot be parsed as a JSON
 * Object, the LRS MUST respond with HTTP status code 400 Bad Request, and MUST NOT update the
 * target document" (xAPI 1.0.3 Communication 2.2.s8.b1). Otherwise "for each property directly
 * defined on the Object being posted, set the corresponding property on the existing Object"
 * (2.2.s7.b2): a top-level merge, where nested objects are replaced whole.
 */
export function mergeDocuments(existing: DocumentContent, posted: DocumentContent): DocumentContent {
  if (!isJsonType(posted.contentType)) {
    throw new LrsError('ERR_LRS_BAD_REQUEST', `a POST merges into an existing document only with Content-Type application/json, got ${posted.contentType} (xAPI 1.0.3 Communication 2.2.s8.b1)`, 'Content-Type')
  }
  if (!isJsonType(existing.contentType)) {
    throw new LrsError('ERR_LRS_BAD_REQUEST', `the stored document has Content-Type ${existing.contentType}, not application/json, so a POST cannot merge into it; use PUT to replace it (xAPI 1.0.3 Communication 2.2.s8.b1)`, 'Content-Type')
  }
  const into = jsonObject(existing.content, 'the stored document')
  const from = jsonObject(posted.content, 'the posted document')
  return { contentType: 'application/json', content: Buffer.from(JSON.stringify({ ...into, ...from }), 'utf8') }
}

function jsonObject(bytes: Buffer, what: string): Record<string, unknown> {
  const value = parseJson(bytes, what)
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new LrsError('ERR_LRS_BAD_REQUEST', `${what} is not a JSON object, so a POST cannot merge it; use PUT to replace the document (xAPI 1.0.3 Communication 2.2.s8.b1)`, '$')
  }
  // The merge writes the document anew: a number that parsed to Infinity would come out as null.
  const overflowing = overflowingNumberPath(bytes.toString('utf8'), value)
  if (overflowing !== undefined) {
    throw new LrsError('ERR_LRS_BAD_REQUEST', `${what} holds a number too large for a double at ${overflowing}, which a merge cannot keep; use PUT, which stores the document as sent (RFC 8259 §6, rule finite-number)`, overflowing)
  }
  return value as Record<string, unknown>
}

function parseJson(bytes: Buffer, what: string): unknown {
  const text = bytes.toString('utf8')
  if (jsonNestsDeeperThan(text)) throw new LrsError('ERR_LRS_BAD_REQUEST', `${what} nests objects and arrays more than ${MAX_JSON_DEPTH} deep (rule max-depth)`, '$')
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new LrsError('ERR_LRS_BAD_REQUEST', `${what} is declared application/json but is not valid JSON: ${(error as Error).message} (xAPI 1.0.3 Communication 3.2.s3.b6)`, '$')
  }
}
