import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import { ABOUT_VERSIONS_1_0, negotiateVersion, SUPPORTED_VERSIONS, type XapiVersion } from '@tln/xapi'
import type { AccessAudit } from '../audit/access-audit.ts'
import { auditedDirectory, auditedDocuments, auditedStatements, credentialRequest, type AuditRequest } from '../audit/audited-reads.ts'
import type { Credential, CredentialStore } from '../credentials/credential-store.ts'
import { LrsError } from '../errors.ts'
import type { StatementService } from '../statements/statement-service.ts'
import { requireMethod } from './allowed-methods.ts'
import { authenticate } from './authenticate.ts'
import type { BodyBudget } from './body-budget.ts'
import { DOCUMENT_ROUTES, handleDocumentResource, methodsOf, type DocumentsHandlerOptions } from './documents-handler.ts'
import { errorHandler, type ErrorLogger } from './error-handler.ts'
import { handleStatements, STATEMENT_METHODS } from './statements-handler.ts'
import { xapiRequestOf, type XapiRequest } from './xapi-request.ts'

export interface LrsRouterOptions {
  statements: StatementService
  credentials: CredentialStore
  logger: ErrorLogger
  /** Where the router is mounted, e.g. `/xapi`: `more` links are built from it. */
  mountPath: string
  /** Largest accepted request body in bytes. */
  bodyLimit: number
  /** The bytes of bodies worked on at once (see `BodyBudget`). */
  bodyBudget: BodyBudget
  /** Most statements per page. */
  maxLimit: number
  /** Largest accepted attachment, in bytes. */
  maxAttachmentSize: number
  /** The State, Activity Profile, Agent Profile, Agents and Activities resources. */
  documents: DocumentsHandlerOptions
  /** Where reads that name a person are recorded (UU 27/2022). */
  audit: AccessAudit
}

const LATEST: XapiVersion = '2.0.0'

/** What `admit` established from a request's headers before its body was read. */
interface Admitted {
  credential: Credential
  version: XapiVersion
}
const ADMITTED = 'xapiAdmitted'
/** An alternate request's `Authorization` header, checked before its form was read. */
const PRE_AUTHENTICATED = 'xapiPreAuthenticated'
/** Set on an alternate request without an `Authorization` header: its form is read within `UNAUTHENTICATED_FORM_LIMIT`. */
const UNAUTHENTICATED_FORM = 'xapiUnauthenticatedForm'

/**
 * The most bytes of an alternate request's form (xAPI 1.0.3 Communication 1.3) read before any
 * credentials are checked, i.e. when no `Authorization` header came with it and the credentials
 * are in the form (1.3.s3.b6). The syntax is for clients that cannot set headers (Internet
 * Explorer 8 and 9's XDomainRequest, 1.3.s1) and for GET Statements with a long query (1.3.s2):
 * one statement, a small batch or a query, and never attachments (1.3.s3.b5). 1 MiB holds a batch
 * of several hundred statements, percent-encoded; an unauthenticated client cannot make the LRS
 * buffer more than this per request (it used to be the whole body limit, 10 MiB by default, out
 * of the 16 MiB read at once by everyone). Larger forms get 413 (Communication 3.2).
 */
export const UNAUTHENTICATED_FORM_LIMIT = 1024 * 1024
const NO_BODY = Buffer.alloc(0)

/** The alternate request syntax (Communication 1.3): a POST whose query names the method. */
function isAlternate(req: Request): boolean {
  return req.method === 'POST' && Object.hasOwn((req.query ?? {}) as object, 'method')
}

/**
 * The bytes a request announced for its body: its Content-Length, `whenChunked` for a chunked one,
 * 0 for none. A compressed body (`Content-Encoding` other than identity) counts as `whenChunked`
 * too: its Content-Length is the length of the encoded bytes (RFC 9110 §8.6), and a few KB of gzip
 * inflate to the whole body limit, which is what the reader then holds and parses.
 */
function announcedBytes(req: Request, whenChunked: number): number {
  if (req.headers['transfer-encoding'] !== undefined) return whenChunked
  const encoding = req.headers['content-encoding']
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity' && Number(req.headers['content-length'] ?? 0) > 0) return whenChunked
  const length = Number(req.headers['content-length'] ?? 0)
  return Number.isFinite(length) ? length : 0
}

function bodyOf(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : NO_BODY
}

/** Headers browsers may read and send (CORS), so that xAPI content in any origin can talk to the LRS. */
const EXPOSED = 'ETag, Last-Modified, X-Experience-API-Version, X-Experience-API-Consistent-Through, Content-Type'
const ALLOWED = 'Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match, Accept-Language'

/** The `/xapi` endpoint: the xAPI resources of the LRS. */
export function lrsRouter(options: LrsRouterOptions): Router {
  const router = express.Router()

  router.use((req, res, next) => {
    // Every answer carries the version (Communication 3.3), 404s and malformed requests included;
    // the resources refine it once they know the request.
    // `setHeader` and `req.headers`: what `res.set` and `req.get` do for these, without their per-call work (issue 7).
    res.setHeader('X-Experience-API-Version', versionOfRejection(req.get('x-experience-api-version')))
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*')
    res.setHeader('Vary', 'Origin')
    res.setHeader('Access-Control-Expose-Headers', EXPOSED)
    if (req.method === 'OPTIONS') {
      res.set('Access-Control-Allow-Methods', 'GET, HEAD, PUT, POST, DELETE, OPTIONS')
      res.set('Access-Control-Allow-Headers', ALLOWED)
      res.set('Access-Control-Max-Age', '86400')
      res.status(204).end()
      return
    }
    next()
  })

  // The About resource needs neither credentials nor a version header (Communication 2.8).
  router.get('/about', (req, res) => {
    const declared = req.get('x-experience-api-version')
    const version = versionOrLatest(declared)
    res.set('X-Experience-API-Version', version)
    res.json({ version: aboutVersions(declared, version), extensions: {} })
  })
  router.all('/about', (req, res) => {
    res.set('X-Experience-API-Version', versionOrLatest(req.get('x-experience-api-version')))
    requireMethod(req.method, ['GET', 'HEAD'], res, 'about')
  })

  // A body announced over the limit is refused unread: express.raw answers 413 only after reading
  // (and discarding) all of it. `Connection: close` lets Node drop the rest.
  router.use((req, res, next) => {
    const declared = Number(req.get('content-length') ?? 0)
    if (!(declared > options.bodyLimit)) { next(); return }
    res.set('Connection', 'close')
    next(new LrsError('ERR_LRS_PAYLOAD_TOO_LARGE', `the request body (${declared} bytes announced) is larger than the limit of ${options.bodyLimit} bytes`, 'Content-Length'))
  })
  const readBody = express.raw({ type: () => true, limit: options.bodyLimit })
  const formLimit = Math.min(UNAUTHENTICATED_FORM_LIMIT, options.bodyLimit)
  const formTooLarge = (size: string, path: string) => new LrsError('ERR_LRS_PAYLOAD_TOO_LARGE', `an alternate request (?method=) without an Authorization header has its credentials in the form, which is read before they are checked: the form may hold at most ${formLimit} bytes, and this one ${size} (xAPI 1.0.3 Communication 1.3; rule unauthenticated-form-limit). Send Authorization as a header, or a normal request`, path)
  const readForm = express.raw({ type: () => true, limit: formLimit })
  /** The unauthenticated form's reader: a chunked form past the limit gets the same 413 as an announced one. */
  const readUnauthenticatedForm = (req: Request, res: Response, next: NextFunction) => {
    readForm(req, res, (error?: unknown) => {
      if ((error as { type?: string } | undefined)?.type !== 'entity.too.large') return next(error)
      res.set('Connection', 'close')
      next(formTooLarge('sends more', 'body'))
    })
  }
  /**
   * A body is read once the body budget has room for it (`BodyBudget`): its announced length, or
   * the body limit when it comes chunked; given back when the response closes. A request still
   * waiting when its client goes away leaves the queue.
   */
  const rawBody = (req: Request, res: Response, next: NextFunction) => {
    const unauthenticatedForm = res.locals[UNAUTHENTICATED_FORM] === true
    const read = unauthenticatedForm ? readUnauthenticatedForm : readBody
    const bytes = announcedBytes(req, unauthenticatedForm ? formLimit : options.bodyLimit)
    if (!(bytes > 0)) {
      read(req, res, next)
      return
    }
    const gone = new AbortController()
    const onClose = () => gone.abort(new Error('the client closed the connection while its request waited'))
    res.once('close', onClose)
    options.bodyBudget.reserve(bytes, gone.signal).then(
      (release) => {
        res.off('close', onClose)
        // Gone between the grant and now: nothing to read, nobody to answer.
        if (gone.signal.aborted) {
          release()
          return
        }
        res.once('close', release)
        read(req, res, next)
      },
      (error: unknown) => {
        res.off('close', onClose)
        if (gone.signal.aborted) return // nobody to answer
        // Its body is still unread: closing spares reading what the client sends.
        res.set('Connection', 'close')
        next(error)
      },
    )
  }

  /**
   * Method, version and credentials, checked in that order (Communication 3.2, 3.3, 4.1). A
   * request that carries its own headers has them checked before its body is read (issue 7): a
   * client without valid credentials cannot make the LRS buffer a body of up to the body limit on
   * every connection it opens; `Connection: close` then spares reading what it still sends. The
   * alternate request syntax may carry them in its form (Communication 1.3.s3.b6), so that body is
   * read first and checked once read: within `UNAUTHENTICATED_FORM_LIMIT` (413 beyond, unread when
   * announced). An alternate request with an `Authorization` header, which wins over the form's
   * (`xapiRequestOf`), has it checked first, and then the body limit applies.
   */
  const admit = (methods: readonly string[], resource: string) => async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (isAlternate(req)) await admitAlternate(req, res)
      else res.locals[ADMITTED] = await admitted(xapiRequestOf(req, NO_BODY), res, methods, resource, req.ip)
    } catch (error) {
      // Its body is still unread: closing spares reading what the client sends.
      if (announcedBytes(req, 1) > 0) res.set('Connection', 'close')
      throw error
    }
    next()
  }
  /** An alternate request before its form is read: its `Authorization` header checked, or its form bounded. */
  const admitAlternate = async (req: Request, res: Response): Promise<void> => {
    const authorization = req.get('authorization')
    if (authorization !== undefined) {
      res.locals[PRE_AUTHENTICATED] = await authenticate(authorization, options.credentials, req.ip)
      return
    }
    const announced = announcedBytes(req, 0)
    if (announced > formLimit) throw formTooLarge(`announces ${announced}`, 'Content-Length')
    res.locals[UNAUTHENTICATED_FORM] = true
  }
  /** What `admit` established before the body, or (the alternate syntax) the same checks on the form now read. */
  const admittedOrCheck = async (request: XapiRequest, res: Response, methods: readonly string[], resource: string, ip: string | undefined): Promise<Admitted> =>
    (res.locals[ADMITTED] as Admitted | undefined) ?? admitted(request, res, methods, resource, ip)

  const admitted = async (request: XapiRequest, res: Response, methods: readonly string[], resource: string, ip: string | undefined): Promise<Admitted> => {
    // The header set first came from the request's own header, unless the alternate syntax carried one in its form.
    if (request.alternate) setVersionHeader(request, res)
    requireMethod(request.method, methods, res, resource)
    const version = negotiate(request, res)
    // An alternate request's own Authorization header, checked already before its form was read.
    const credential = (res.locals[PRE_AUTHENTICATED] as Credential | undefined) ?? await authenticate(request.header('authorization'), options.credentials, ip)
    return { credential, version }
  }

  router.all(
    '/statements',
    (_req, res, next) => {
      // "on all responses to Statements requests" (Communication 2.1.3.s2.b5), rejections included.
      res.set('X-Experience-API-Consistent-Through', options.statements.consistentThrough())
      next()
    },
    admit(STATEMENT_METHODS, 'statements'),
    rawBody,
    async (req, res) => {
      const request = xapiRequestOf(req, bodyOf(req))
      const { credential, version } = await admittedOrCheck(request, res, STATEMENT_METHODS, 'statements', req.ip)
      const context = { tenantId: credential.tenantId, credential, version }
      await handleStatements(request, context, res, {
        statements: isRead(request) ? auditedStatements(options.statements, options.audit, credentialRequest(context, request.query, req.ip)) : options.statements,
        moreBase: `${options.mountPath}/statements`,
        maxLimit: options.maxLimit,
        maxAttachmentSize: options.maxAttachmentSize,
      })
    },
  )

  for (const [path, resource] of DOCUMENT_ROUTES) {
    router.all(path, admit(methodsOf(resource), resource), rawBody, async (req, res) => {
      const request = xapiRequestOf(req, bodyOf(req))
      const { credential, version } = await admittedOrCheck(request, res, methodsOf(resource), resource, req.ip)
      const context = { tenantId: credential.tenantId, credential, version }
      await handleDocumentResource(resource, request, context, res, isRead(request) ? auditedDocumentResources(options, credentialRequest(context, request.query, req.ip)) : options.documents)
    })
  }

  router.use((req, _res, next: NextFunction) => {
    next(new LrsError('ERR_LRS_NOT_FOUND', `no xAPI resource at ${req.path}`, 'path'))
  })
  router.use(errorHandler(options.logger))
  return router
}

/**
 * Every request but /about must carry X-Experience-API-Version (Communication 3.3); the answer
 * carries the version the LRS used. The alternate request syntax was removed in 2.0.
 */
function negotiate(request: XapiRequest, res: Response): XapiVersion {
  const version = negotiateVersion(request.header('x-experience-api-version'))
  res.set('X-Experience-API-Version', version)
  if (request.alternate && version === '2.0.0') {
    throw new LrsError('ERR_LRS_BAD_REQUEST', 'the alternate request syntax (?method=) is not part of xAPI 2.0.0; send a normal request', 'method')
  }
  return version
}

function isRead(request: XapiRequest): boolean {
  return request.method === 'GET' || request.method === 'HEAD'
}

function auditedDocumentResources(options: LrsRouterOptions, request: AuditRequest): DocumentsHandlerOptions {
  return {
    documents: auditedDocuments(options.documents.documents, options.audit, request),
    directory: auditedDirectory(options.documents.directory, options.audit, request),
  }
}

/** Every answer carries X-Experience-API-Version (Communication 3.3), rejections included. */
function setVersionHeader(request: XapiRequest, res: Response): void {
  res.set('X-Experience-API-Version', versionOfRejection(request.header('x-experience-api-version')))
}

/**
 * The version a rejected request is answered in. No header, or a 0.x or 1.x one, comes from a client
 * of the 1.0 line or older (0.9 and 0.95 sent none), so the answer names 1.0.3, the version whose
 * Communication 3.3 rejects it; the ADL 1.0.3 suite requires a 1.0.x value there (XAPI-00321) and the
 * 2.0 suite accepts it. Anything else is answered as 2.0.0.
 */
function versionOfRejection(header: string | undefined): XapiVersion {
  try {
    return negotiateVersion(header)
  } catch {
    return header === undefined || /^\s*(0|1)?\./.test(header) || header.trim() === '' ? '1.0.3' : LATEST
  }
}

/**
 * The versions the About resource lists. A client that declares a 1.0.x version is answered in its
 * own specification, whose About values are those of the 1.0 line only (1.0.3 Communication
 * 2.8.s5.b1.b1; the ADL 1.0.3 suite, XAPI-00316, fails an LRS that lists 2.0.0 there): every 1.0.x
 * patch this LRS serves, 1.0.1 among them (the suite's XAPI-00317 asks for it by name). A 2.0
 * client, or one that declares nothing, learns every version this LRS speaks.
 */
function aboutVersions(declared: string | undefined, negotiated: XapiVersion): string[] {
  return declared !== undefined && negotiated.startsWith('1.0.') ? [...ABOUT_VERSIONS_1_0] : [...SUPPORTED_VERSIONS]
}

function versionOrLatest(header: string | undefined): XapiVersion {
  try {
    return negotiateVersion(header)
  } catch {
    return LATEST
  }
}
