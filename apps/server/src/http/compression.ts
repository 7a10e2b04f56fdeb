import { constants } from 'node:zlib'
import compression from 'compression'
import type { Request, RequestHandler, Response } from 'express'

/** Where answers stream for as long as the data lasts (the statement export): every chunk is flushed through the compressor. */
const STREAMING_PREFIX = '/api/export/'

/**
 * What is compressed: HTML, JSON (and `+json`), CSS, JS, CSV, SVG (`compressible`'s list), and
 * NDJSON exports. Never `multipart/*`: an xAPI `multipart/mixed` answer (statements with
 * attachments, xAPI 1.0.3 Part 3 §1.5.2) is parsed by clients that do not all decode a
 * Content-Encoding, so it goes as it is.
 */
export function compressible(req: Request, res: Response): boolean {
  const type = String(res.getHeader('Content-Type') ?? '')
  if (/^multipart\//iu.test(type)) return false
  if (/^application\/x-ndjson\b/iu.test(type)) return true
  return compression.filter(req, res)
}

/**
 * gzip or Brotli by the client's `Accept-Encoding` (identity when it asks for none; Brotli
 * preferred when both are acceptable), for answers of 1 KB and more (`compression` honours
 * `Cache-Control: no-transform` and skips HEAD). A report page is some 50–90 KB of HTML, about a
 * seventh of that compressed: over a weak phone connection that is most of the wait.
 *
 * The statement export streams pages for as long as the tenant's data lasts: there each write is
 * flushed (`Z_SYNC_FLUSH`, Brotli `FLUSH`), so the client gets every page as it is read, and the
 * compressor holds one window, not the answer (memory stays constant; backpressure passes through).
 */
export function compressAnswers(): RequestHandler {
  const buffered = compression({ filter: compressible })
  const streaming = compression({
    filter: compressible,
    flush: constants.Z_SYNC_FLUSH,
    brotli: { flush: constants.BROTLI_OPERATION_FLUSH },
  })
  return (req, res, next) => (req.path.startsWith(STREAMING_PREFIX) ? streaming : buffered)(req, res, next)
}
