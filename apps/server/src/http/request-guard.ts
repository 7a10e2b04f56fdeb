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

/**
 * Refuses an HTML form post (`application/x-www-form-urlencoded`) with a NUL character (U+0000) in
 * a field's name or value, with a 400 that names the field and the rule, before any route reads
 * it. PostgreSQL cannot store NUL in text: unrefused, it failed only at the first INSERT, after
 * whatever the route had done before, and the answer could not say which field was wrong.
 *
 * The body is read here up to its `Content-Length` (at most `limit` bytes, no larger than the
 * largest form a route takes), checked, and handed back to the stream (`unshift`) for the route's
 * own parser, which keeps its limits and answers. A body that is chunked, compressed or over
 * `limit` goes on unchecked: the route's parser refuses what is too large, and text PostgreSQL
 * cannot store is still answered 400, not 500 (`isUnstorableText`).
 */
export function refuseNulInForm(limit: number): RequestHandler {
  return (req, res, next) => {
    const length = Number(req.get('content-length'))
    if (!req.is('application/x-www-form-urlencoded') || !(length > 0 && length <= limit) || (req.get('content-encoding') ?? 'identity') !== 'identity') { next(); return }
    const chunks: Buffer[] = []
    let got = 0
    const stop = (): void => { req.off('readable', onReadable).off('error', onError).off('end', onEnd) }
    const done = (): void => {
      stop()
      const body = Buffer.concat(chunks)
      const field = body.includes(0) || /%00/iu.test(body.toString('latin1')) ? nulField(body.toString('utf8')) : undefined
      if (field !== undefined) { refuse(req, res, field); return }
      req.unshift(body)
      next()
    }
    const onReadable = (): void => {
      let chunk: Buffer | null
      while (got < length && (chunk = req.read() as Buffer | null) !== null) { chunks.push(chunk); got += chunk.length }
      if (got >= length) done()
    }
    const onError = (error: Error): void => { stop(); next(error) }
    // Ended short of its Content-Length: hand on what came, and the route's parser answers as before.
    const onEnd = (): void => { stop(); if (chunks.length > 0) req.unshift(Buffer.concat(chunks)); next() }
    req.on('readable', onReadable).on('error', onError).on('end', onEnd)
  }
}

/** The name of the first field whose name or value holds U+0000, as a form parser decodes it. */
function nulField(body: string): string | undefined {
  for (const [name, value] of new URLSearchParams(body)) {
    if (name.includes('\0') || value.includes('\0')) return name
  }
  return undefined
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

function refuse(req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1], field: string): void {
  const shown = JSON.stringify(field).slice(1, -1)
  const message = `the form field "${shown}" contains a NUL character (U+0000), which no TLN field accepts`
  res.status(400)
  if (req.accepts(['json', 'html']) === 'html') {
    const html = (s: string) => s.replace(/[&<>"']/gu, (c) => HTML_ESCAPES[c]!)
    res.type('html').send(`<!doctype html><html lang="id"><meta charset="utf-8"><title>Isian tidak valid / Invalid field</title><main>`
      + `<p>Isian "${html(shown)}" memuat karakter NUL (U+0000), yang tidak dapat disimpan. Hapus karakter itu, lalu kirim lagi.</p>`
      + `<p lang="en">The field "${html(shown)}" contains a NUL character (U+0000), which cannot be stored. Remove it and send again.</p></main></html>`)
    return
  }
  res.json({ error: { code: 'ERR_BAD_REQUEST', message, field: shown, rule: 'no-nul' } })
}
