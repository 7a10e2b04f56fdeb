import express, { type Request, type Response, type Router } from 'express'
import { isIri, isTimestamp, toInstant } from '@tln/xapi'
import type { CredentialStore } from '../credentials/credential-store.ts'
import { statementRights } from '../credentials/scopes.ts'
import { LrsError } from '../errors.ts'
import { CSV_COLUMNS, csvRecord, csvValues } from '../exchange/csv-row.ts'
import type { ExportFilter, StatementExport } from '../exchange/statement-export.ts'
import { decodePosition, encodePosition, STREAM_START } from '../stream/stream-position.ts'
import { requireMethod } from './allowed-methods.ts'
import { authenticate } from './authenticate.ts'
import { errorHandler, type ErrorLogger } from './error-handler.ts'

export interface ExportRouterOptions {
  exports: StatementExport
  credentials: CredentialStore
  logger: ErrorLogger
  /** Where the router is mounted (e.g. `/api/export`), for `Link: rel="next"`. */
  mountPath: string
  /** Rows read per database round trip. */
  pageSize?: number
}

const PARAMS = ['format', 'since', 'until', 'verb', 'activity', 'cursor', 'limit'] as const
type Format = 'ndjson' | 'csv'

/**
 * `GET /statements` of the export API: a tenant's statements as NDJSON (one stored statement per
 * line) or CSV (RFC 4180, `CSV_COLUMNS`), streamed in constant memory.
 *
 * Resuming: the extent of an answer is fixed before the first byte (see `StatementExport.plan`),
 * so its end travels up front in `X-TLN-Next-Cursor`: pass it as `cursor` to get what comes after,
 * e.g. tomorrow's new statements. With `limit`, an answer stops after that many statements;
 * `X-TLN-Export-Complete: false` and `Link: <…>; rel="next"` then name the next piece. A cut
 * transfer is an incomplete chunked body (the client sees it), and the piece is asked again.
 */
export function exportRouter(options: ExportRouterOptions): Router {
  const router = express.Router()
  router.get('/statements', async (req, res) => {
    const credential = await authenticate(req.get('authorization'), options.credentials, req.ip)
    if (statementRights(credential.scopes).read !== 'all') {
      throw new LrsError('ERR_LRS_FORBIDDEN', 'export needs a credential with scope all, all/read or statements/read', 'Authorization')
    }
    const params = exportParams(req)
    const after = params.cursor !== undefined ? decodePosition(params.cursor) : STREAM_START
    const plan = await options.exports.plan(credential.tenantId, params.filter, after, params.limit)
    const next = encodePosition(plan.end)
    // HEAD: the headers GET would send, and no statements (RFC 9110 §9.3.2). Streaming the export
    // into a body nobody gets read every row and recorded an export that took nothing.
    if (req.method === 'HEAD') {
      exportHeaders(res, params, plan.complete, next, options.mountPath)
      res.end()
      return
    }
    const auditId = await options.exports.auditStart({
      tenantId: credential.tenantId,
      credentialId: credential.id,
      credentialKey: credential.key,
      format: params.format,
      filters: params.raw,
    })

    exportHeaders(res, params, plan.complete, next, options.mountPath)
    res.flushHeaders()

    let gone = false
    res.once('close', () => {
      gone = true
    })
    let rows = 0
    let audited = false
    try {
      if (params.format === 'csv') await write(res, csvRecord(CSV_COLUMNS))
      for await (const page of options.exports.rows(credential.tenantId, params.filter, plan, options.pageSize)) {
        if (gone) break
        const chunk = params.format === 'csv' ? utf8(page.map((row) => csvRecord(csvValues(row.json)))) : utf8(page.map((row) => row.json), '\n')
        // Backpressure: a slow client pauses the reading, so memory stays at one page.
        if (!(await write(res, chunk))) break
        rows += page.length
      }
      if (!gone) {
        // On record as finished before the client sees the end: a complete export is always in the
        // audit log (UU 27/2022), and a client that read it to the end can find its row at once.
        await options.exports.auditFinish(auditId, rows, true)
        audited = true
        res.end()
      }
    } catch (error) {
      options.logger.error({ err: error }, 'export failed while streaming')
      // Headers are gone: cutting the connection tells the client the body is incomplete.
      res.destroy(error as Error)
    } finally {
      if (!audited) await options.exports.auditFinish(auditId, rows, false)
    }
  })
  // Another method: 405 naming the methods it has (RFC 9110 §15.5.6), before credentials as on the
  // xAPI resources, not the "no export resource" 404 below, which the server's own 405 never reaches.
  router.all('/statements', (req, res, next) => { requireMethod(req.method, ['GET', 'HEAD'], res, 'export'); next() })
  router.use((req, _res, next) => next(new LrsError('ERR_LRS_NOT_FOUND', `no export resource at ${req.path}`, 'path')))
  router.use(errorHandler(options.logger))
  return router
}

/** The headers of an export answer: its format, where the next one starts, and whether this one is all there is. */
function exportHeaders(res: Response, params: ExportParams, complete: boolean, next: string, mountPath: string): void {
  res.status(200)
  res.set('Content-Type', params.format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/x-ndjson; charset=utf-8')
  res.set('Content-Disposition', `attachment; filename="statements.${params.format}"`)
  res.set('Cache-Control', 'no-store')
  res.set('X-TLN-Next-Cursor', next)
  res.set('X-TLN-Export-Complete', String(complete))
  if (!complete) res.set('Link', `<${mountPath}/statements?${nextQuery(params.raw, next)}>; rel="next"`)
}

/**
 * A page's lines encoded straight into one Buffer, each followed by `end`. Why not `join('')`: a
 * page (≈ 1 MB) joined into one string lands in V8's large-object space, which only a full garbage
 * collection frees, so a 1,000,000-statement export left ≈ 100 MB of dead pages in the heap before
 * V8 collected them (docs/performance-notes.md). A Buffer's memory lies outside the heap and is
 * given back when its small handle dies, at the next minor collection.
 */
function utf8(lines: string[], end = ''): Buffer {
  let size = lines.length * Buffer.byteLength(end)
  for (const line of lines) size += Buffer.byteLength(line)
  const chunk = Buffer.allocUnsafe(size)
  let at = 0
  for (const line of lines) {
    at += chunk.write(line, at)
    if (end !== '') at += chunk.write(end, at)
  }
  return chunk
}

/** Writes a chunk and waits for `drain` when the socket buffer is full; false when the client left. */
async function write(res: Response, chunk: string | Buffer): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return false
  if (res.write(chunk)) return true
  return new Promise((resolve) => {
    const done = (drained: boolean) => () => {
      res.off('drain', onDrain)
      res.off('close', onClose)
      resolve(drained)
    }
    const onDrain = done(true)
    const onClose = done(false)
    res.once('drain', onDrain)
    res.once('close', onClose)
  })
}

interface ExportParams {
  format: Format
  filter: ExportFilter
  cursor?: string
  limit?: number
  /** The filter parameters as given, for the audit log and the `next` link. */
  raw: Record<string, string>
}

function exportParams(req: Request): ExportParams {
  const raw: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.query)) {
    if (!(PARAMS as readonly string[]).includes(name)) throw new LrsError('ERR_LRS_BAD_REQUEST', `unexpected parameter ${name} (allowed: ${PARAMS.join(', ')})`, name)
    if (typeof value !== 'string') throw new LrsError('ERR_LRS_BAD_REQUEST', `parameter ${name} must be given once`, name)
    raw[name] = value
  }
  const format = raw.format ?? 'ndjson'
  if (format !== 'ndjson' && format !== 'csv') throw new LrsError('ERR_LRS_BAD_REQUEST', 'format must be ndjson or csv', 'format')
  const filter: ExportFilter = {}
  for (const name of ['since', 'until'] as const) {
    const value = raw[name]
    if (value === undefined) continue
    if (!isTimestamp(value, '1.0.3')) throw new LrsError('ERR_LRS_BAD_REQUEST', `${name} must be an ISO 8601 timestamp with a time zone, e.g. 2026-03-01T00:00:00Z`, name)
    // The canonical UTC instant, which `sqlInstant` turns into a bound timestamptz takes (year 0000, long fractions).
    filter[name] = toInstant(value, '1.0.3')!
  }
  for (const name of ['verb', 'activity'] as const) {
    const value = raw[name]
    if (value === undefined) continue
    if (!isIri(value)) throw new LrsError('ERR_LRS_BAD_REQUEST', `${name} must be an IRI`, name)
    filter[name] = value
  }
  let limit: number | undefined
  if (raw.limit !== undefined) {
    limit = /^\d{1,9}$/.test(raw.limit) ? Number(raw.limit) : 0
    if (limit < 1) throw new LrsError('ERR_LRS_BAD_REQUEST', 'limit must be a whole number of statements, at least 1', 'limit')
  }
  const { cursor: _cursor, ...rest } = raw
  return { format, filter, raw: rest, ...(raw.cursor !== undefined ? { cursor: raw.cursor } : {}), ...(limit !== undefined ? { limit } : {}) }
}

function nextQuery(raw: Record<string, string>, cursor: string): string {
  return new URLSearchParams({ ...raw, cursor }).toString()
}
