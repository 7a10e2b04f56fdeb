import { isUtf8 } from 'node:buffer'
import { isSha2Hex, jsonNestsDeeperThan, MAX_JSON_DEPTH, overflowingNumberPath, unpairedSurrogateAt } from '@tln/xapi'
import { sha2Like, type ReceivedPart, type ReceivedParts } from '../attachments/attachment-content.ts'
import { LrsError } from '../errors.ts'
import { mediaTypeEssence } from '../attachments/media-type.ts'
import { multipartBoundary, multipartParts, type MultipartPart } from './multipart.ts'
import type { XapiRequest } from './xapi-request.ts'

/** The body of a PUT or POST to the statements resource, read but not yet validated. */
export interface StatementBody {
  /** The statement or array of statements, parsed JSON. */
  json: unknown
  /** Attachment parts by sha2: empty for application/json. */
  parts: ReceivedParts
  /** True for multipart/mixed, where attachments without fileUrl may carry their content. */
  multipart: boolean
}

export interface StatementBodyLimits {
  /** Largest accepted attachment part, in bytes. */
  maxAttachmentSize: number
}

/**
 * Reads a statement request body (xAPI 1.0.3 Communication 1.5): `application/json`, or
 * `multipart/mixed` whose first part is the JSON and whose other parts are attachment content
 * (Communication 1.5.2). Every part is checked against its `X-Experience-API-Hash` here, once;
 * matching parts to Attachment Objects comes after statement validation.
 */
export function readStatementBody(request: XapiRequest, limits: StatementBodyLimits): StatementBody {
  // The content of an alternate request is "a UTF-8 string" and cannot hold binary parts
  // (Communication 1.3.s3.b5), so without a Content-Type field it can only be JSON.
  const contentType = request.header('content-type') ?? (request.alternate ? 'application/json' : '')
  const essence = mediaTypeEssence(contentType)
  if (essence === 'application/json') return { json: parseJson(request.body, '$'), parts: new Map(), multipart: false }
  if (essence === 'multipart/mixed') return readMultipartBody(request.body, multipartBoundary(contentType), limits)
  throw new LrsError(
    'ERR_LRS_BAD_REQUEST',
    `Content-Type must be application/json or multipart/mixed for statements, got ${contentType || 'none'} (xAPI 1.0.3 Communication 1.5)`,
    'Content-Type',
  )
}

function readMultipartBody(body: Buffer, boundary: string, limits: StatementBodyLimits): StatementBody {
  // Parts are checked as they are split, so the first bad part ends the request without the
  // rest of the body being split.
  const reader = multipartParts(body, boundary)
  const first = reader.next().value as MultipartPart // the reader throws rather than yield no part
  // "The first part of the multipart document MUST contain the Statements themselves, with type
  // application/json" (Communication 1.5.2.s2.b2.b1).
  if (mediaTypeEssence(first.headers.get('content-type') ?? '') !== 'application/json') {
    throw new LrsError(
      'ERR_LRS_INVALID_MULTIPART',
      'the first part of a multipart/mixed statement request must have Content-Type application/json and hold the statements (xAPI 1.0.3 Communication 1.5.2.s2.b2.b1)',
      'multipart[0].Content-Type',
    )
  }
  const json = parseJson(first.body, 'multipart[0]')
  const parts = new Map<string, ReceivedPart>()
  let index = 1
  for (const part of reader) {
    const received = attachmentPart(part, `multipart[${index++}]`, limits)
    // Several copies of the same content are allowed (the client SHOULD send one, 1.5.2.s2.b2.b5);
    // the hash says they are the same bytes.
    if (!parts.has(received.sha2)) parts.set(received.sha2, received)
  }
  return { json, parts, multipart: true }
}

/** One attachment part, checked in the order of Communication 1.5.2.s2.b2: encoding, hash header, size, hash. */
function attachmentPart(part: MultipartPart, path: string, limits: StatementBodyLimits): ReceivedPart {
  const encoding = part.headers.get('content-transfer-encoding')
  if (encoding?.toLowerCase() !== 'binary') {
    throw new LrsError(
      'ERR_LRS_INVALID_MULTIPART',
      `an attachment part must have Content-Transfer-Encoding: binary, got ${encoding === undefined ? 'none' : JSON.stringify(encoding)} (xAPI 1.0.3 Communication 1.5.2.s2.b2.b4)`,
      `${path}.Content-Transfer-Encoding`,
    )
  }
  const hash: string | undefined = part.headers.get('x-experience-api-hash')
  if (!isSha2Hex(hash)) {
    throw new LrsError(
      'ERR_LRS_INVALID_MULTIPART',
      `an attachment part must have an X-Experience-API-Hash header holding the hex SHA-2 of its content, got ${hash === undefined ? 'none' : JSON.stringify(String(hash).slice(0, 140))} (xAPI 1.0.3 Communication 1.5.2.s2.b2.b3)`,
      `${path}.X-Experience-API-Hash`,
    )
  }
  if (part.body.length > limits.maxAttachmentSize) {
    throw new LrsError('ERR_LRS_PAYLOAD_TOO_LARGE', `attachment part ${path} has ${part.body.length} bytes; this LRS accepts at most ${limits.maxAttachmentSize} bytes per attachment (xAPI 1.0.3 Communication 1.5.2.s3.b7)`, path)
  }
  const sha2 = hash.toLowerCase()
  if (sha2Like(sha2, part.body) !== sha2) {
    throw new LrsError(
      'ERR_LRS_INVALID_ATTACHMENT',
      `the content of ${path} does not have the SHA-2 hash its X-Experience-API-Hash header declares (xAPI 1.0.3 Communication 1.5.2.s1.b4: parts are matched by the SHA-2 of their raw data)`,
      `${path}.X-Experience-API-Hash`,
    )
  }
  const contentType = part.headers.get('content-type')
  return { sha2, content: part.body, path, ...(contentType !== undefined ? { contentType } : {}) }
}

function parseJson(bytes: Buffer, path: string): unknown {
  // "JSON text exchanged between systems that are not part of a closed ecosystem MUST be encoded
  // using UTF-8" (RFC 8259 §8.1). Decoding other bytes would store U+FFFD in their place: a 2xx for
  // a statement that is not the one sent, and different inputs turned into the same IFI.
  if (!isUtf8(bytes)) throw new LrsError('ERR_LRS_BAD_REQUEST', 'the request body is not valid UTF-8; JSON must be sent in UTF-8 (RFC 8259 §8.1, rule utf-8)', path)
  const text = bytes.toString('utf8')
  // "Implementations MUST NOT add a byte order mark" (RFC 8259 §8.1); named here, JSON.parse only says "Unexpected token".
  if (text.charCodeAt(0) === 0xfeff) throw new LrsError('ERR_LRS_BAD_REQUEST', 'the request body starts with a byte order mark (U+FEFF), which JSON must not carry (RFC 8259 §8.1, rule no-bom)', path)
  // Refused before parsing: storing a body nested ~10,000 deep overflowed JSON.stringify (a 500).
  if (jsonNestsDeeperThan(text)) throw new LrsError('ERR_LRS_BAD_REQUEST', `the request body nests objects and arrays more than ${MAX_JSON_DEPTH} deep (rule max-depth)`, path)
  const surrogate = unpairedSurrogateAt(text)
  if (surrogate >= 0) {
    throw new LrsError(
      'ERR_LRS_BAD_REQUEST',
      `the request body holds an unpaired UTF-16 surrogate escape (${text.slice(surrogate, surrogate + 6)}) at character ${surrogate}; statement strings must be Unicode text (RFC 8259 §8.2, rule unpaired-surrogate)`,
      path,
    )
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    // A blank body fails JSON.parse too; told apart only then, so a good body is not copied by trim().
    if (text.trim() === '') throw new LrsError('ERR_LRS_BAD_REQUEST', 'the request body is empty; it must be a statement or an array of statements', path)
    throw new LrsError('ERR_LRS_BAD_REQUEST', `the request body is not valid JSON: ${(error as Error).message}`, path)
  }
  // 1e400 parses to Infinity and would be stored as null (extensions take any JSON, so validation lets it through).
  const overflowing = overflowingNumberPath(text, json)
  if (overflowing !== undefined) {
    throw new LrsError('ERR_LRS_BAD_REQUEST', `${overflowing} is a number too large for a double; send it as a string or in range (RFC 8259 §6, rule finite-number)`, overflowing)
  }
  return json
}
