import type { Response } from 'express'
import { LrsError } from '../errors.ts'

/**
 * Answers 405 Method Not Allowed, with the `Allow` header RFC 9110 §15.5.6 requires, when `method`
 * is not one the resource has. The router calls it before version negotiation and credentials:
 * which methods a resource has is public (it is the xAPI specification), and the ADL conformance
 * suite sends such requests without credentials and expects 405, as the ADL and Yet Analytics
 * LRSs answer.
 */
export function requireMethod(method: string, allowed: readonly string[], res: Response, resource: string): void {
  if (allowed.includes(method)) return
  res.set('Allow', allowed.join(', '))
  throw new LrsError('ERR_LRS_METHOD_NOT_ALLOWED', `${method} is not a method of the ${resource} resource (allowed: ${allowed.join(', ')})`, 'method')
}
