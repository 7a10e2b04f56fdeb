import type { ValidatedStatement, XapiVersion } from '@tln/xapi'
import type { CheckedAttachments } from './attachment-content.ts'
import { matchAttachmentParts, type AttachmentRequest } from './match-parts.ts'
import { verifySignedStatement } from './signed-statement.ts'

/**
 * The attachment checks of one statement request, in order, after the statements validated:
 * parts matched to Attachment Objects by sha2 (xAPI 1.0.3 Communication 1.5.2), then every
 * signature verified (Data 2.6). Runs before anything is stored; what it returns is the content
 * the store may keep, in the same transaction as the statements.
 */
export async function checkStatementAttachments(statements: readonly ValidatedStatement[], request: AttachmentRequest, version: XapiVersion): Promise<CheckedAttachments> {
  const content = matchAttachmentParts(statements, request)
  // One after the other, never concurrently (STYLE.md rule 5): the first failure is the answer.
  for (const [index, statement] of statements.entries()) {
    await verifySignedStatement(statement, request.parts, version, request.batch ? `[${index}]` : '')
  }
  return content as unknown as CheckedAttachments
}
