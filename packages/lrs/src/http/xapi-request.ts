import { isUtf8 } from 'node:buffer'
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
  const search = req.originalUrl.indexOf('?')
  if (search >= 0) requireUtf8(req.originalUrl.slice(search + 1), 'the query string')
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
  requireFewFields(body)
  requireUtf8(body.toString('latin1'), 'the form body')
  const form = new URLSearchParams(body.toString('utf8'))
  const headers = new Map<string, string>()
  // No prototype: a field named __proto__ is a parameter like any other (and is refused as unknown).
  const params: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>
  let content = ''
  for (const [name, value] of form) {
    const lower = name.toLowerCase()
    if (FORM_HEADERS.includes(lower)) headers.set(lower, value)
    else if (name === 'content') content = value
    else {
      // Appended in place: copying the array for each repeat was quadratic, and a 400 KB form of
      // 50,000 `limit=1` fields held the event loop for minutes, before authentication.
      const given = params[name]
      if (given === undefined) params[name] = value
      else if (Array.isArray(given)) given.push(value)
      else params[name] = [given, value]
    }
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

/**
 * The most fields an alternate request's form may have. Six headers, `content` and the fourteen
 * parameters of GET Statements make 21; any form with more repeats a field or names one no resource
 * takes, which is a 400 anyway (Communication 3.2.s3.b7). Counted before the form is parsed, and
 * before authentication (the credentials are in the form): a 10 MB form of a million fields cost
 * seconds of parsing and answered 120 MB of issues.
 */
export const MAX_FORM_FIELDS = 64

function requireFewFields(body: Buffer): void {
  let fields = 1
  for (let at = body.indexOf(0x26); at >= 0; at = body.indexOf(0x26, at + 1)) {
    if (++fields > MAX_FORM_FIELDS) {
      throw new LrsError('ERR_LRS_BAD_REQUEST', `an alternate request's form has more than ${MAX_FORM_FIELDS} fields; it carries the headers, the parameters and content, each once (xAPI 1.0.3 Communication 1.3, 3.2; rule max-form-fields)`, 'body')
    }
  }
}

/**
 * Percent-encoded octets must decode to UTF-8 (RFC 3986 §2.5; WHATWG URL's form decoding assumes
 * it): the query parser writes U+FFFD for anything else, so `stateId=s%FF` and `stateId=s%FE` were
 * stored as the same document and `activityId=…%C0%80` as an IRI the client never sent.
 */
function requireUtf8(encoded: string, where: string): void {
  // `encoded` holds one character per octet (latin1), as Node gives the request line.
  if (!/[%\u0080-\u00ff]/u.test(encoded)) return
  const octets = encoded.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
  if (!isUtf8(Buffer.from(octets, 'latin1'))) throw notUtf8(where)
}

function notUtf8(where: string): LrsError {
  return new LrsError('ERR_LRS_BAD_REQUEST', `${where} is not valid UTF-8 once percent-decoded; encode parameters as UTF-8 (RFC 3986 §2.5, rule utf-8)`, where === 'the query string' ? 'query' : 'body')
}

function flattenQuery(query: unknown): Record<string, string | string[]> {
  // No prototype: `?__proto__=1` set the prototype of a plain object instead of adding a parameter,
  // so it slipped past the unknown-parameter rule (Communication 3.2.s3.b7).
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>
  for (const [name, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (typeof value === 'string') out[name] = value
    else if (Array.isArray(value)) out[name] = value.map(String)
    else if (value !== undefined) out[name] = JSON.stringify(value)
  }
  return out
}
