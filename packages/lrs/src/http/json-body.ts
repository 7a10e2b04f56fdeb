import { LrsError } from '../errors.ts'
import type { XapiRequest } from './xapi-request.ts'

/**
 * The JSON body of a statement request. Content-Type must be application/json (xAPI 1.0.3
 * Communication 2.1.2); multipart/mixed (statements with attachment content) is the other
 * form the spec allows.
 */
export function readJsonBody(request: XapiRequest): unknown {
  const contentType = (request.header('content-type') ?? '').toLowerCase()
  if (contentType.startsWith('multipart/mixed')) {
    throw new LrsError('ERR_LRS_UNSUPPORTED_MEDIA_TYPE', 'multipart/mixed statements (attachments with content) are not accepted by this LRS yet; send application/json with fileUrl attachments', 'Content-Type')
  }
  if (!/^application\/json\s*(;|$)/.test(contentType)) {
    throw new LrsError('ERR_LRS_BAD_REQUEST', `Content-Type must be application/json for statements, got ${contentType || 'none'} (xAPI 1.0.3 Communication 2.1.2)`, 'Content-Type')
  }
  const text = request.body.toString('utf8')
  if (text.trim() === '') throw new LrsError('ERR_LRS_BAD_REQUEST', 'the request body is empty; it must be a statement or an array of statements', '$')
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new LrsError('ERR_LRS_BAD_REQUEST', `the request body is not valid JSON: ${(error as Error).message}`, '$')
  }
}
