import type { RequestHandler } from 'express'

/**
 * Refuses a URL whose path or query carries a NUL character (`%00`). No TLN resource takes one
 * (xAPI IRIs, ids, dates and keys never contain control characters), and PostgreSQL cannot store
 * it in text: unrefused it reaches a query and fails as an internal error. Answered here, once,
 * with a 400 that names the rule, before any router reads the request.
 */
export const refuseNulInUrl: RequestHandler = (req, res, next) => {
  if (!/%00/i.test(req.url)) { next(); return }
  const query = req.url.indexOf('?')
  const inQuery = query >= 0 && /%00/i.test(req.url.slice(query + 1))
  res.status(400).json({ error: { code: 'ERR_BAD_REQUEST', message: `the ${inQuery ? 'query string' : 'path'} contains a NUL character (%00), which no TLN resource accepts`, field: inQuery ? 'query' : 'path', rule: 'no-nul' } })
}

/**
 * Refuses a body announced (`Content-Length`) larger than any route takes, before a byte of it is
 * read: body-parser answers its own 413 only after reading and discarding the whole body, so a
 * client announcing 100 GB would hold the connection until it sent them. `Connection: close`
 * lets Node close the socket without reading on.
 */
export function refuseOversizeBody(limit: number): RequestHandler {
  return (req, res, next) => {
    const declared = Number(req.get('content-length') ?? 0)
    if (!(declared > limit)) { next(); return }
    res.set('Connection', 'close').status(413).json({ error: { code: 'ERR_PAYLOAD_TOO_LARGE', message: `the request body (${declared} bytes announced) is larger than the largest this server takes (${limit} bytes)`, field: 'content-length', rule: 'max-body-size' } })
  }
}
