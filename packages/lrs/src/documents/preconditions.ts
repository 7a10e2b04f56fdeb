import type { XapiVersion } from '@tln/xapi'
import { LrsError } from '../errors.ts'
import type { DocumentKind } from './document-address.ts'

/** The concurrency headers of a write, as sent (either may be absent). */
export interface Preconditions {
  ifMatch?: string
  ifNoneMatch?: string
}

export type WriteMethod = 'PUT' | 'POST' | 'DELETE'

/**
 * Checks a write against the document's current ETag (undefined when there is no document), in
 * this order (xAPI 1.0.3 Communication 3.1; IEEE 9274.1.1 "Concurrency"):
 *
 * 1. `If-Match` (RFC 7232 3.1, strong comparison): "*" needs a document; a list of entity tags
 *    needs one equal to the current ETag. Otherwise 412, "MUST NOT make a modification".
 * 2. `If-None-Match` (RFC 7232 3.2): "*" fails when a document exists; a list fails when it holds
 *    the current ETag. Otherwise 412.
 * 3. "If a PUT request is received without either header for a resource that already exists,
 *    the LRS MUST return 409 Conflict" with a message telling the client to check the current
 *    state and send If-Match (3.1.s4.b13–b15). xAPI 1.0.3 exempts the State resource ("The State
 *    Resource will permit PUT, POST and DELETE requests without concurrency headers", 3.1.s3);
 *    xAPI 2.0 lists no exemption, so under 2.0 the rule covers State too.
 * 4. Under 1.0.3, a PUT to an Agent or Activity Profile with neither header is a 400 also when no
 *    document exists: "A Client making a PUT request to either the Agent Profile Resource or
 *    Activity Profile Resource MUST include the If-Match header or the If-None-Match header"
 *    (3.1.s3.b1). The spec names no answer; the ADL suite (XAPI-00273) expects 400, as the Yet
 *    Analytics LRS answers. xAPI 2.0 has no such client rule for a new document, so there it passes.
 *
 * @throws LrsError `ERR_LRS_PRECONDITION_FAILED` (412), `ERR_LRS_CONFLICT` (409) or `ERR_LRS_BAD_REQUEST` (400).
 */
export function checkPreconditions(
  method: WriteMethod,
  kind: DocumentKind,
  version: XapiVersion,
  headers: Preconditions,
  currentEtag: string | undefined,
): void {
  if (headers.ifMatch !== undefined) {
    const tags = parseEntityTags(headers.ifMatch, 'If-Match')
    const matches = currentEtag !== undefined && (tags === '*' || tags.some((tag) => !tag.weak && tag.value === currentEtag))
    if (!matches) {
      throw new LrsError(
        'ERR_LRS_PRECONDITION_FAILED',
        currentEtag === undefined
          ? 'If-Match failed: the document does not exist (xAPI 1.0.3 Communication 3.1)'
          : `If-Match failed: the document has changed; its current ETag is "${currentEtag}" (xAPI 1.0.3 Communication 3.1)`,
        'If-Match',
      )
    }
  }
  if (headers.ifNoneMatch !== undefined) {
    const tags = parseEntityTags(headers.ifNoneMatch, 'If-None-Match')
    const matches = currentEtag !== undefined && (tags === '*' || tags.some((tag) => tag.value === currentEtag))
    if (matches) {
      throw new LrsError('ERR_LRS_PRECONDITION_FAILED', 'If-None-Match failed: the document already exists (xAPI 1.0.3 Communication 3.1)', 'If-None-Match')
    }
  }
  const exempt = kind === 'state' && version === '1.0.3'
  if (method === 'PUT' && headers.ifMatch === undefined && headers.ifNoneMatch === undefined && currentEtag !== undefined && !exempt) {
    throw new LrsError(
      'ERR_LRS_CONFLICT',
      'the document already exists and the PUT carried neither If-Match nor If-None-Match: GET the document to check its current state, then send If-Match with its current ETag to replace it (xAPI 1.0.3 Communication 3.1.s4.b13)',
      'If-Match',
    )
  }
  if (method === 'PUT' && headers.ifMatch === undefined && headers.ifNoneMatch === undefined && kind !== 'state' && version === '1.0.3') {
    throw new LrsError(
      'ERR_LRS_BAD_REQUEST',
      'a PUT to a profile must carry If-None-Match: * to create the document, or If-Match with its current ETag to replace it (xAPI 1.0.3 Communication 3.1.s3.b1)',
      'If-None-Match',
    )
  }
}

interface EntityTag {
  value: string
  weak: boolean
}

/**
 * `*` or a comma-separated list of entity tags (RFC 7232 2.3: `"opaque"` or `W/"opaque"`). A bare
 * token is read as the tag it spells, since some xAPI clients send the ETag without its quotes.
 */
export function parseEntityTags(header: string, name: string): '*' | EntityTag[] {
  const trimmed = header.trim()
  if (trimmed === '*') return '*'
  const tags: EntityTag[] = []
  for (const part of trimmed.split(',')) {
    const item = part.trim()
    if (item === '') continue
    const match = /^(W\/)?"([^"]*)"$/.exec(item)
    if (match !== null) tags.push({ weak: match[1] !== undefined, value: match[2]!.toLowerCase() })
    else if (/^[!#-~]+$/.test(item)) tags.push({ weak: false, value: item.toLowerCase() })
    else throw new LrsError('ERR_LRS_BAD_REQUEST', `${name} must be "*" or a list of entity tags such as "3f7a…" (RFC 7232 3.1, 3.2)`, name)
  }
  if (tags.length === 0) throw new LrsError('ERR_LRS_BAD_REQUEST', `${name} is empty; send "*" or an entity tag (RFC 7232 3.1, 3.2)`, name)
  return tags
}
