import type { Request } from 'express'
import { LrsError } from '../errors.ts'

/**
 * One xAPI request as the handlers see it, whether it came as a normal HTTP request or in the
 * alternate request syntax (xAPI 1.0.3 Communication 1.3), where method, headers, parameters and
 * content travel in a form-encoded POST body.
 */
export interface XapiRequest {
  method: string
  query: Record<string, string | string[]>
  header(name: string): string | undefined
  body: Buffer
  /** True when the request used the alternate syntax (`?method=`). */
  alternate: boolean
}

/**
 * Headers that may travel in the form of an alternate request (Communication 1.3.s3.b6). Content-Type
 * and Content-Length of the request itself describe the form, so those two come from the form only.
 */
const FORM_HEADERS = ['authorization', 'x-experience-api-version', 'content-type', 'content-length', 'if-match', 'if-none-match']
const FORM_ONLY = ['content-type', 'content-length']

export function xapiRequestOf(req: Request, body: Buffer): XapiRequest {
  const query = flattenQuery(req.query)
  if (req.method !== 'POST' || !('method' in query)) {
    return { method: req.method, query, header: (name) => req.get(name), body, alternate: false }
  }
  // Alternate request syntax: the method is the only query parameter; everything else is in the form.
  const extra = Object.keys(query).filter((name) => name !== 'method')
  if (extra.length > 0) {
    throw new LrsError('ERR_LRS_BAD_REQUEST', `an alternate request (?method=) must carry its parameters in the form body, not the query string: ${extra.join(', ')} (xAPI 1.0.3 Communication 1.3)`, extra[0])
  }
  const method = String(query.method).toUpperCase()
  if (!['GET', 'PUT', 'POST', 'DELETE'].includes(method)) {
    throw new LrsError('ERR_LRS_BAD_REQUEST', `method must be GET, PUT, POST or DELETE in an alternate request (xAPI 1.0.3 Communication 1.3)`, 'method')
  }
  // An empty body (a GET with nothing to say) needs no form type.
  const contentType = req.get('content-type') ?? ''
  if (body.length > 0 && !/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    throw new LrsError('ERR_LRS_BAD_REQUEST', 'an alternate request must have Content-Type application/x-www-form-urlencoded (xAPI 1.0.3 Communication 1.3)', 'Content-Type')
  }
  const form = new URLSearchParams(body.toString('utf8'))
  const headers = new Map<string, string>()
  const params: Record<string, string | string[]> = {}
  let content = ''
  for (const [name, value] of form) {
    const lower = name.toLowerCase()
    if (FORM_HEADERS.includes(lower)) headers.set(lower, value)
    else if (name === 'content') content = value
    else params[name] = name in params ? [...[params[name]!].flat(), value] : value
  }
  return {
    method,
    query: params,
    // The form "MAY" carry these headers (Communication 1.3.s3.b6), so a client able to set real ones
    // may send them as such. When both are there the request's own header wins: the spec leaves the
    // conflict open, and the ADL suite sends version 0.8 in the form, 1.0.3 as a header, and wants 204.
    header: (name) => {
      const lower = name.toLowerCase()
      return (FORM_ONLY.includes(lower) ? undefined : req.get(name)) ?? headers.get(lower)
    },
    body: Buffer.from(content, 'utf8'),
    alternate: true,
  }
}

function flattenQuery(query: unknown): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (typeof value === 'string') out[name] = value
    else if (Array.isArray(value)) out[name] = value.map(String)
    else if (value !== undefined) out[name] = JSON.stringify(value)
  }
  return out
}
