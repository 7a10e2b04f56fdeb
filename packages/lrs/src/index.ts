/**
 * @tln/lrs: the xAPI Learning Record Store: statement store and queries, credentials and
 * scopes, and the Express router mounted at `/xapi`.
 */
export { createLrs, type Lrs, type LrsOptions } from './create-lrs.ts'
export { LrsError, type LrsErrorCode } from './errors.ts'
export { CredentialStore, authorityOf, type Credential, type NewCredential } from './credentials/credential-store.ts'
export { SCOPES, isScope, type Scope } from './credentials/scopes.ts'
export { StatementService, type RequestContext, type StatementPage } from './statements/statement-service.ts'
export type { StoredStatement } from './statements/statement-store.ts'
export { DocumentService, type DocumentWrite } from './documents/document-service.ts'
export { DirectoryService } from './documents/directory-service.ts'
export { ActivityStore } from './documents/activity-store.ts'
export { mayDefine } from './documents/document-rights.ts'
export type { Person } from './documents/person.ts'
export { toResponse as errorResponse, type ErrorLogger } from './http/error-handler.ts'
