import type { Agent, XapiVersion } from '@tln/xapi'
import type { Response } from 'express'
import { LrsError } from '../errors.ts'
import type { DocumentAddress, DocumentKind, DocumentScope } from '../documents/document-address.ts'
import { etagOf } from '../documents/document-address.ts'
import { documentToStore } from '../documents/document-content.ts'
import { documentRights, mayReadDefinitions } from '../documents/document-rights.ts'
import type { DocumentService, DocumentWrite } from '../documents/document-service.ts'
import type { DirectoryService } from '../documents/directory-service.ts'
import type { RequestContext } from '../statements/statement-service.ts'
import { parseDocumentParams, type DocumentParams } from './documents-params.ts'
import { requireMethod } from './allowed-methods.ts'
import type { XapiRequest } from './xapi-request.ts'

/** The resources served here: the three Document Resources, Agents and Activities. */
export type DocumentResource = DocumentKind | 'agents' | 'activities'

/** Where each resource is mounted under `/xapi` (xAPI 1.0.3 Communication 2.2.s3, 2.4, 2.5). */
export const DOCUMENT_ROUTES: ReadonlyArray<readonly [path: string, resource: DocumentResource]> = [
  ['/activities/state', 'state'],
  ['/activities/profile', 'activity-profile'],
  ['/agents/profile', 'agent-profile'],
  ['/agents', 'agents'],
  ['/activities', 'activities'],
]

/** The methods of each resource: the Document Resources (Communication 2.2–2.7) and, GET only, Agents and Activities (2.4, 2.5); HEAD as GET (1.1). */
export function methodsOf(resource: DocumentResource): readonly string[] {
  return resource === 'agents' || resource === 'activities' ? ['GET', 'HEAD'] : ['GET', 'HEAD', 'PUT', 'POST', 'DELETE']
}

export interface DocumentsHandlerOptions {
  documents: DocumentService
  directory: DirectoryService
}

/** How each Document Resource names its parameters (Communication 2.3.s3, 2.6.s3, 2.7.s3). */
const SHAPE: Record<DocumentKind, { idName: 'stateId' | 'profileId'; context: readonly string[]; registration: boolean; section: string }> = {
  state: { idName: 'stateId', context: ['activityId', 'agent'], registration: true, section: '2.3' },
  'activity-profile': { idName: 'profileId', context: ['activityId'], registration: false, section: '2.7' },
  'agent-profile': { idName: 'profileId', context: ['agent'], registration: false, section: '2.6' },
}

/** One request to a document resource, Agents or Activities, after authentication and version negotiation. */
export async function handleDocumentResource(
  resource: DocumentResource,
  request: XapiRequest,
  context: RequestContext,
  res: Response,
  options: DocumentsHandlerOptions,
): Promise<void> {
  if (resource === 'agents' || resource === 'activities') return handleDirectory(resource, request, context, res, options.directory)
  return handleDocuments(resource, request, context, res, options.documents)
}

async function handleDocuments(kind: DocumentKind, request: XapiRequest, context: RequestContext, res: Response, documents: DocumentService): Promise<void> {
  const shape = SHAPE[kind]
  const rights = documentRights(context.credential.scopes, kind)
  const version = context.version
  const optional = (...names: string[]) => [...(shape.registration ? ['registration'] : []), ...names]
  const agentMayBeGroup = kind === 'state'

  switch (request.method) {
    case 'GET':
    case 'HEAD': {
      if (!rights.read) throw forbidden(kind === 'state' ? 'state' : 'profile', 'read')
      const params = parseDocumentParams(request.query, { required: shape.context, optional: optional(shape.idName, 'since'), version, agentMayBeGroup })
      if (params.documentId === undefined) {
        const listed = await documents.list(context.tenantId, scopeOf(kind, params), params.registration !== undefined ? { registration: params.registration, ...since(params) } : since(params))
        const newest = listed.reduce<Date | undefined>((latest, d) => (latest === undefined || d.updated > latest ? d.updated : latest), undefined)
        sendJson(res, listed.map((d) => d.documentId), newest)
        return
      }
      if (params.since !== undefined && version === '2.0.0') {
        // xAPI 2.0 single-document GET: since is "Not Allowed" when the id is present. 1.0.3 leaves it unspecified, and the ADL suite sends both.
        throw new LrsError('ERR_LRS_BAD_REQUEST', `since cannot be used with ${shape.idName}: it filters the multiple-document GET only (xAPI 2.0.0 ${sectionOf(kind, version)})`, 'since')
      }
      const document = await documents.get(context.tenantId, addressOf(kind, params))
      if (document === undefined) throw new LrsError('ERR_LRS_NOT_FOUND', `no document with ${shape.idName} ${JSON.stringify(params.documentId)} here`, shape.idName)
      send(res, document.contentType, document.content, document.etag, document.updated)
      return
    }
    case 'PUT':
    case 'POST': {
      if (!rights.write) throw forbidden(kind === 'state' ? 'state' : 'profile', 'write')
      const params = parseDocumentParams(request.query, { required: [...shape.context, shape.idName], optional: optional(), version, agentMayBeGroup })
      const content = documentToStore(request.header('content-type'), request.body)
      const write = writeOf(context, version, addressOf(kind, params), request)
      const stored = request.method === 'PUT' ? await documents.put(write, content) : await documents.post(write, content)
      res.set('ETag', `"${stored.etag}"`)
      res.status(204).end()
      return
    }
    case 'DELETE': {
      if (!rights.write) throw forbidden(kind === 'state' ? 'state' : 'profile', 'write')
      // Only the State resource deletes many documents at once (Communication 2.3.s5); profiles need profileId.
      const required = kind === 'state' ? shape.context : [...shape.context, shape.idName]
      const params = parseDocumentParams(request.query, { required, optional: optional(...(kind === 'state' ? [shape.idName] : [])), version, agentMayBeGroup })
      if (params.documentId === undefined) {
        for (const header of ['If-Match', 'If-None-Match']) {
          if (request.header(header) !== undefined) {
            throw new LrsError('ERR_LRS_BAD_REQUEST', `${header} applies to one document; a DELETE without stateId removes many and cannot honour it. Send stateId, or leave ${header} out`, header)
          }
        }
        await documents.deleteAll(context.tenantId, scopeOf(kind, params), params.registration !== undefined ? { registration: params.registration } : {})
      } else {
        await documents.delete(writeOf(context, version, addressOf(kind, params), request))
      }
      res.status(204).end()
      return
    }
    default:
      requireMethod(request.method, methodsOf(kind), res, kind)
  }
}

/** The Agents (Communication 2.4) and Activities (2.5) resources: GET only. */
async function handleDirectory(resource: 'agents' | 'activities', request: XapiRequest, context: RequestContext, res: Response, directory: DirectoryService): Promise<void> {
  requireMethod(request.method, methodsOf(resource), res, resource)
  if (!mayReadDefinitions(context.credential.scopes)) {
    throw new LrsError('ERR_LRS_FORBIDDEN', `this credential needs one of the scopes all, all/read, statements/read, define or profile to read the ${resource} resource`, 'Authorization')
  }
  if (resource === 'agents') {
    const params = parseDocumentParams(request.query, { required: ['agent'], optional: [], version: context.version })
    sendJson(res, await directory.person(context.tenantId, params.agent as Agent))
    return
  }
  const params = parseDocumentParams(request.query, { required: ['activityId'], optional: [], version: context.version })
  sendJson(res, await directory.activity(context.tenantId, params.activityId!))
}

function scopeOf(kind: DocumentKind, params: DocumentParams): DocumentScope {
  return {
    kind,
    ...(params.activityId !== undefined ? { activityId: params.activityId } : {}),
    ...(params.agentKey !== undefined ? { agentKey: params.agentKey } : {}),
  }
}

function addressOf(kind: DocumentKind, params: DocumentParams): DocumentAddress {
  return { ...scopeOf(kind, params), registration: params.registration ?? null, documentId: params.documentId! }
}

function writeOf(context: RequestContext, version: XapiVersion, address: DocumentAddress, request: XapiRequest): DocumentWrite {
  const ifMatch = request.header('if-match')
  const ifNoneMatch = request.header('if-none-match')
  return {
    tenantId: context.tenantId,
    version,
    address,
    preconditions: { ...(ifMatch !== undefined ? { ifMatch } : {}), ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}) },
  }
}

function since(params: DocumentParams): { since?: string } {
  return params.since !== undefined ? { since: params.since } : {}
}

function sectionOf(kind: DocumentKind, version: XapiVersion): string {
  if (version === '2.0.0') return { state: '4.1.6.2', 'activity-profile': '4.1.6.6', 'agent-profile': '4.1.6.5' }[kind]
  return `Communication ${SHAPE[kind].section}`
}

/**
 * Answers a document byte-for-byte with its own Content-Type (no charset added), its ETag in
 * quotes ("An LRS responding to a GET request MUST add an ETag HTTP header", Communication
 * 3.1.s4.b1, b4) and Last-Modified ("When returning a single document, the LRS SHOULD* include a
 * Last-Modified header", 2.2.s6.b1; MUST in xAPI 2.0). HEAD gets the headers only (1.1).
 */
function send(res: Response, contentType: string, content: Buffer, etag: string, lastModified: Date | undefined): void {
  res.status(200)
  res.setHeader('Content-Type', contentType)
  res.setHeader('Content-Length', content.length)
  res.setHeader('ETag', `"${etag}"`)
  if (lastModified !== undefined) res.setHeader('Last-Modified', lastModified.toUTCString())
  res.end(content)
}

/** JSON answers (id lists, Person, Activity) carry an ETag of their bytes too, as every GET here. */
function sendJson(res: Response, value: unknown, lastModified?: Date): void {
  const bytes = Buffer.from(JSON.stringify(value), 'utf8')
  send(res, 'application/json', bytes, etagOf(bytes), lastModified)
}

function forbidden(scope: 'state' | 'profile', action: 'read' | 'write'): LrsError {
  const alternatives = action === 'read' ? 'all/read or all' : 'all'
  return new LrsError('ERR_LRS_FORBIDDEN', `this credential lacks the ${scope} scope (or ${alternatives}) needed to ${action} these documents (xAPI 1.0.3 Communication 4.2)`, 'Authorization')
}
