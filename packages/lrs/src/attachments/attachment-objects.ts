import type { Attachment, Statement } from '@tln/xapi'

/** An Attachment Object and where it is in the request, e.g. `[0].object.attachments[1]`. */
export interface LocatedAttachment {
  attachment: Attachment
  path: string
}

/**
 * The Attachment Objects of a statement, its SubStatement's included: "Attachments inside
 * SubStatements" are part of the statement too (xAPI 1.0.3 Data 2.4.4.3 lists `attachments` among
 * a SubStatement's properties), so their content travels and is checked the same way.
 * @param prefix the statement's path in the request: `''` for a lone statement, `[i]` in a batch.
 */
export function attachmentsOf(statement: Statement, prefix = ''): LocatedAttachment[] {
  const dot = prefix === '' ? '' : `${prefix}.`
  const own = (statement.attachments ?? []).map((attachment, i) => ({ attachment, path: `${dot}attachments[${i}]` }))
  const object = statement.object
  const nested = object.objectType === 'SubStatement' ? (object.attachments ?? []).map((attachment, i) => ({ attachment, path: `${dot}object.attachments[${i}]` })) : []
  return [...own, ...nested]
}

/**
 * The distinct `sha2` values (lowercase) of the statements' Attachment Objects with the first
 * Content-Type declared for each: what a GET with `attachments=true` sends as parts.
 */
export function attachmentDigests(statements: readonly Statement[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const statement of statements) {
    for (const { attachment } of attachmentsOf(statement)) {
      const sha2 = attachment.sha2.toLowerCase()
      if (!out.has(sha2)) out.set(sha2, attachment.contentType)
    }
  }
  return out
}
