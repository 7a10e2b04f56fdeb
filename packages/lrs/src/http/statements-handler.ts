import { formatStatement, parseAcceptLanguage, parseStatementQuery, validateStatement, validateStatementBatch, isUuid, type Statement, type StatementFormat } from '@tln/xapi'
import type { Response } from 'express'
import { attachmentDigests } from '../attachments/attachment-objects.ts'
import { checkStatementAttachments } from '../attachments/check-attachments.ts'
import { statementRights } from '../credentials/scopes.ts'
import { LrsError } from '../errors.ts'
import { decodeMoreCursor } from '../statements/more-cursor.ts'
import type { RequestContext, StatementService } from '../statements/statement-service.ts'
import type { StoredStatement } from '../statements/statement-store.ts'
import { requireMethod } from './allowed-methods.ts'
import { readStatementBody } from './statement-body.ts'
import { writeMultipart, type OutgoingPart } from './multipart-writer.ts'
import type { XapiRequest } from './xapi-request.ts'

export interface StatementsHandlerOptions {
  statements: StatementService
  /** Path of the statements resource as clients see it, for `more` links, e.g. `/xapi/statements`. */
  moreBase: string
  maxLimit: number
  /** Largest accepted attachment part, in bytes (413 above it). */
  maxAttachmentSize: number
}

/** The methods of the Statement Resource (xAPI 1.0.3 Communication 2.1; HEAD as GET, 1.1). */
export const STATEMENT_METHODS: readonly string[] = ['GET', 'HEAD', 'PUT', 'POST']

/** The Statement Resource (xAPI 1.0.3 Communication 2.1): PUT, POST, GET and HEAD. */
export async function handleStatements(request: XapiRequest, context: RequestContext, res: Response, options: StatementsHandlerOptions): Promise<void> {
  const rights = statementRights(context.credential.scopes)
  switch (request.method) {
    case 'PUT': {
      if (!rights.write) throw forbidden('statements/write')
      const params = onlyParams(request.query, ['statementId'])
      const statementId = params.statementId
      if (statementId === undefined) throw new LrsError('ERR_LRS_BAD_REQUEST', 'statementId is required for PUT (xAPI 1.0.3 Communication 2.1.1)', 'statementId')
      if (!isUuid(statementId)) throw new LrsError('ERR_LRS_BAD_REQUEST', 'statementId must be a UUID (xAPI 1.0.3 Data 2.4.1)', 'statementId')
      const body = readStatementBody(request, options)
      if (Array.isArray(body.json)) throw new LrsError('ERR_LRS_BAD_REQUEST', 'PUT takes a single statement, not an array; use POST for batches (xAPI 1.0.3 Communication 2.1.1)', '$')
      const statement = validateStatement(body.json, { version: context.version, handOver: true })
      if (statement.id !== undefined && statement.id.toLowerCase() !== statementId.toLowerCase()) {
        throw new LrsError('ERR_LRS_BAD_REQUEST', 'the statement id must equal the statementId parameter (xAPI 1.0.3 Communication 2.1.1)', 'id')
      }
      const attachments = await checkStatementAttachments([statement], { ...body, batch: false }, context.version)
      await options.statements.storeStatements(context, [{ ...statement, id: statementId.toLowerCase() }], attachments)
      res.status(204).end()
      return
    }
    case 'POST': {
      if (!rights.write) throw forbidden('statements/write')
      onlyParams(request.query, [])
      const body = readStatementBody(request, options)
      const statements = validateStatementBatch(body.json, { version: context.version, handOver: true })
      const attachments = await checkStatementAttachments(statements, { ...body, batch: Array.isArray(body.json) }, context.version)
      const ids = await options.statements.storeStatements(context, statements, attachments)
      answerJson(res, 200, JSON.stringify(ids))
      return
    }
    case 'GET':
    case 'HEAD':
      if (rights.read === 'none') throw forbidden('statements/read')
      await getStatements(request, context, res, options)
      return
    default:
      requireMethod(request.method, STATEMENT_METHODS, res, 'statements')
  }
}

async function getStatements(request: XapiRequest, context: RequestContext, res: Response, options: StatementsHandlerOptions): Promise<void> {
  const service = options.statements
  const consistentThrough = service.consistentThrough()
  res.set('X-Experience-API-Consistent-Through', consistentThrough)
  const languages = parseAcceptLanguage(request.header('accept-language'))
  const raw = singleValues(request.query)

  if (raw.more !== undefined) {
    const cursor = decodeMoreCursor(raw.more)
    const query = parseStatementQuery(cursor.params, context.version, { maxLimit: options.maxLimit })
    if (query.kind !== 'query') throw new LrsError('ERR_LRS_BAD_REQUEST', 'more must be a token from a StatementResult more link', 'more')
    const page = await service.queryStatements(context, query, cursor.params, cursor)
    await sendPage(res, page.statements, page.more, query.format, query.attachments, languages, options, consistentThrough, context)
    return
  }

  const query = parseStatementQuery(request.query, context.version, { maxLimit: options.maxLimit })
  if (query.kind === 'single') {
    const found = await service.getStatement(context, query)
    if (found === undefined) {
      throw new LrsError('ERR_LRS_NOT_FOUND', `no ${query.voidedStatementId !== undefined ? 'voided ' : ''}statement with id ${query.statementId ?? query.voidedStatementId}`, query.statementId !== undefined ? 'statementId' : 'voidedStatementId')
    }
    res.set('Last-Modified', found.stored.toUTCString())
    const [json] = await renderStatements([found], query.format, languages, context, service)
    await send(res, json!, [found], query.attachments, context, service)
    return
  }
  const page = await service.queryStatements(context, query, raw)
  await sendPage(res, page.statements, page.more, query.format, query.attachments, languages, options, consistentThrough, context)
}

async function sendPage(
  res: Response,
  statements: StoredStatement[],
  more: string | undefined,
  format: StatementFormat,
  attachments: boolean,
  languages: string[],
  options: StatementsHandlerOptions,
  consistentThrough: string,
  context: RequestContext,
): Promise<void> {
  const newest = statements.reduce<Date | undefined>((latest, s) => (latest === undefined || s.stored > latest ? s.stored : latest), undefined)
  res.set('Last-Modified', (newest ?? new Date(consistentThrough)).toUTCString())
  const moreLink = more === undefined ? '' : `${options.moreBase}?more=${more}`
  const rendered = await renderStatements(statements, format, languages, context, options.statements)
  const json = `{"statements":[${rendered.join(',')}],"more":${JSON.stringify(moreLink)}}`
  await send(res, json, statements, attachments, context, options.statements)
}

/**
 * `exact` is the stored JSON text itself; the other formats re-shape it (Communication 2.1.3).
 * `canonical` uses the LRS's canonical Activity definitions ("the LRS SHOULD return the canonical
 * definition of the Activity"), fetched once for the whole page.
 */
async function renderStatements(
  stored: readonly StoredStatement[],
  format: StatementFormat,
  languages: string[],
  context: RequestContext,
  service: StatementService,
): Promise<string[]> {
  if (format === 'exact') return stored.map((s) => s.json)
  const statements = stored.map((s) => JSON.parse(s.json) as Statement)
  const definitions = format === 'canonical' ? await service.canonicalDefinitions(context, statements) : new Map()
  return statements.map((statement) => JSON.stringify(formatStatement(statement, format, { languages, canonicalDefinition: (id) => definitions.get(id) })))
}

/**
 * With `attachments=true` the answer is multipart/mixed (xAPI 1.0.3 Communication 2.1.3, 1.5.2):
 * the JSON first, then one part per distinct sha2 of the statements' attachments whose content
 * the LRS holds ("An LRS MUST include Attachments in the Transmission Format described above when
 * requested by the Client", 1.5.2.s3.b1). Attachments sent with only a fileUrl have no part.
 */
async function send(res: Response, json: string, statements: readonly StoredStatement[], attachments: boolean, context: RequestContext, service: StatementService): Promise<void> {
  if (!attachments) {
    // setHeader and bytes, so that Express adds no charset: RFC 8259 §11 defines none for
    // application/json, and the ADL suite compares the whole header with "application/json" (XAPI-00161).
    res.setHeader('Content-Type', 'application/json')
    res.send(Buffer.from(json, 'utf8'))
    return
  }
  const wanted = attachmentDigests(statements.map((s) => JSON.parse(s.json) as Statement))
  const order = [...wanted.keys()]
  const content = (await service.getAttachmentContent(context, order)).sort((a, b) => order.indexOf(a.sha2) - order.indexOf(b.sha2))
  const parts: OutgoingPart[] = [
    { headers: [['Content-Type', 'application/json']], body: Buffer.from(json, 'utf8') },
    ...content.map((c) => ({
      headers: [['Content-Type', wanted.get(c.sha2)!], ['Content-Transfer-Encoding', 'binary'], ['X-Experience-API-Hash', c.sha2]] as const,
      body: c.content,
    })),
  ]
  const { boundary, body } = writeMultipart(parts)
  res.type(`multipart/mixed; boundary=${boundary}`).send(body)
}

/**
 * A JSON answer written as it is. `res.json` would also hash it for an ETag (a SHA-1 per request,
 * and an entity tag means nothing on the answer to a POST) and parse its own Content-Type again:
 * a few per cent of the server's CPU per single-statement POST (issue 7, docs/performance-notes.md).
 * The Content-Type is the one `res.json` sends.
 */
function answerJson(res: Response, status: number, json: string): void {
  const body = Buffer.from(json, 'utf8')
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Content-Length', body.length)
  res.end(body)
}

function onlyParams(query: Record<string, string | string[]>, allowed: string[]): Record<string, string> {
  const values = singleValues(query)
  const unknown = Object.keys(query).filter((name) => !allowed.includes(name))
  if (unknown.length > 0) throw new LrsError('ERR_LRS_BAD_REQUEST', `unexpected parameter ${unknown[0]} (allowed here: ${allowed.join(', ') || 'none'})`, unknown[0])
  return values
}

function singleValues(query: Record<string, string | string[]>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) throw new LrsError('ERR_LRS_BAD_REQUEST', `parameter ${name} must be given once`, name)
    out[name] = value
  }
  return out
}

function forbidden(scope: string): LrsError {
  return new LrsError('ERR_LRS_FORBIDDEN', `this credential lacks the ${scope} scope (or all) needed here`, 'Authorization')
}

