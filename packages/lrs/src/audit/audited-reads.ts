import { ifiKey, type Agent } from '@tln/xapi'
import type { DocumentService } from '../documents/document-service.ts'
import type { DirectoryService } from '../documents/directory-service.ts'
import type { RequestContext, StatementService } from '../statements/statement-service.ts'
import type { AccessAudit, AccessAuditEntry } from './access-audit.ts'

/** What every audit row of one request shares: who asks, from where, with which parameters. */
export type AuditRequest = Omit<AccessAuditEntry, 'resource' | 'agentIfi' | 'records'>

/** The audit actor and request facts of an LRS request made with a credential. */
export function credentialRequest(context: RequestContext, query: AccessAuditEntry['query'], address: string | undefined): AuditRequest {
  return {
    tenantId: context.tenantId,
    actor: { kind: 'credential', id: context.credential.id, label: context.credential.key },
    query,
    ...(address !== undefined ? { address } : {}),
  }
}

/**
 * The statement service for one request, auditing every query filtered by `agent` (a page of
 * one person's records): the row is written by the SQL statement that reads the page, so the
 * page is never sent without it (and the row costs no round trip of its own, issue 7).
 * Everything else goes straight to `service`.
 */
export function auditedStatements(service: StatementService, audit: AccessAudit, request: AuditRequest): StatementService {
  const audited = Object.create(service) as StatementService
  audited.queryStatements = (context, query, params, cursor) => {
    const agentIfi = query.agent !== undefined ? ifiKey(query.agent) : undefined
    if (agentIfi === undefined) return service.queryStatements(context, query, params, cursor)
    // A `more` page carries its original parameters in the token: log those.
    const entry = { ...request, query: cursor !== undefined ? params : request.query, resource: 'statements', agentIfi }
    return service.queryStatements(context, query, params, cursor, (served) => audit.recordSql(entry, served))
  }
  return audited
}

/** The document service for one request, auditing reads of documents kept under an agent (State, Agent Profile). */
export function auditedDocuments(service: DocumentService, audit: AccessAudit, request: AuditRequest): DocumentService {
  const audited = Object.create(service) as DocumentService
  audited.get = async (tenantId, address) => {
    const found = await service.get(tenantId, address)
    if (address.agentKey !== undefined) await audit.record({ ...request, resource: address.kind, agentIfi: address.agentKey, records: found === undefined ? 0 : 1 })
    return found
  }
  audited.list = async (tenantId, scope, filter) => {
    const listed = await service.list(tenantId, scope, filter)
    if (scope.agentKey !== undefined) await audit.record({ ...request, resource: scope.kind, agentIfi: scope.agentKey, records: listed.length })
    return listed
  }
  return audited
}

/** The directory for one request, auditing reads of a Person object (the Agents resource). */
export function auditedDirectory(service: DirectoryService, audit: AccessAudit, request: AuditRequest): DirectoryService {
  const audited = Object.create(service) as DirectoryService
  audited.person = async (tenantId, agent: Agent) => {
    const person = await service.person(tenantId, agent)
    const agentIfi = ifiKey(agent)
    if (agentIfi !== undefined) await audit.record({ ...request, resource: 'agents', agentIfi, records: 1 })
    return person
  }
  return audited
}
