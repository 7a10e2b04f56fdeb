import type { Statement } from '@tln/xapi'
import { LrsError } from '../errors.ts'
import type { AttachmentContent, ReceivedParts } from './attachment-content.ts'
import { attachmentsOf } from './attachment-objects.ts'

/** What the request brought besides the statements. */
export interface AttachmentRequest {
  /** Attachment parts by sha2 (empty for application/json). */
  parts: ReceivedParts
  /** True for multipart/mixed. */
  multipart: boolean
  /** True when the body was an array: paths in errors are then prefixed `[i].`. */
  batch: boolean
}

/**
 * Matches attachment parts to Attachment Objects by `sha2`, the only way allowed ("It MUST not do
 * so any other way", xAPI 1.0.3 Communication 1.5.2.s1.b4), and returns the content to store,
 * one entry per distinct sha2.
 *
 * - An Attachment Object without `fileUrl` needs a part: "an LRS MUST reject batches of
 *   Statements having Attachments that neither contain a fileUrl nor match a received Attachment
 *   part based on their hash" (1.5.2.s3.b5). Over application/json every Attachment Object needs
 *   a `fileUrl` (1.5.2.s2.b1, 1.5.1).
 * - A part that no Attachment Object declares is rejected: each part "forms a logical part of the
 *   Statement" (1.5.2.s2.b2.b2), so a stray part is a client error, not data to keep.
 * - An Attachment Object with `fileUrl` needs no part, but its part is accepted and stored.
 */
export function matchAttachmentParts(statements: readonly Statement[], request: AttachmentRequest): AttachmentContent[] {
  const { parts, multipart } = request
  const declared = new Set<string>()
  statements.forEach((statement, index) => {
    for (const { attachment, path } of attachmentsOf(statement, request.batch ? `[${index}]` : '')) {
      const sha2 = attachment.sha2.toLowerCase()
      declared.add(sha2)
      if (attachment.fileUrl !== undefined || parts.has(sha2)) continue
      if (!multipart) {
        throw new LrsError(
          'ERR_LRS_INVALID_ATTACHMENT',
          `${path} has no fileUrl, so its content must be sent as a part of a multipart/mixed request; an application/json request needs a fileUrl on every attachment (xAPI 1.0.3 Communication 1.5.2.s2.b1)`,
          `${path}.fileUrl`,
        )
      }
      throw new LrsError(
        'ERR_LRS_INVALID_ATTACHMENT',
        `${path} has no fileUrl and no part with X-Experience-API-Hash ${sha2} (xAPI 1.0.3 Communication 1.5.2.s3.b5)`,
        `${path}.sha2`,
      )
    }
  })
  const content: AttachmentContent[] = []
  for (const part of parts.values()) {
    if (!declared.has(part.sha2)) {
      throw new LrsError(
        'ERR_LRS_INVALID_ATTACHMENT',
        `${part.path} has X-Experience-API-Hash ${part.sha2}, which no attachment of the statements declares as its sha2 (xAPI 1.0.3 Communication 1.5.2.s1.b4, 1.5.2.s2.b2.b2)`,
        `${part.path}.X-Experience-API-Hash`,
      )
    }
    content.push({ sha2: part.sha2, content: part.content })
  }
  return content
}
