/** The `activityId` query parameter (xAPI 1.0.3 Communication 2.x; an Activity id is an IRI, Data 2.4.4.1). */
import { isIri } from './iri.ts'
import { IssueList } from './issue-list.ts'
import type { XapiVersion } from './types.ts'

/**
 * Returns `input` if it is an absolute IRI. "The LRS MUST validate parameter values to the same
 * standards required for values of the same types in Statements" (xAPI 1.0.3 Data 2.2.s4.b4).
 * Throws `XapiError('ERR_XAPI_INVALID_PARAMETER')` with path `activityId`, rule `iri` otherwise.
 */
export function validateActivityId(input: unknown, options: { version: XapiVersion }): string {
  const list = new IssueList(options.version)
  if (!isIri(input)) list.add('activityId', 'iri', 'must be an absolute IRI', '2.4.4.1')
  list.throwIfAny('ERR_XAPI_INVALID_PARAMETER')
  return input as string
}
