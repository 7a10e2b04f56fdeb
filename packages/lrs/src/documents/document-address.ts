import { createHash } from 'node:crypto'

/** The three Document Resources (xAPI 1.0.3 Communication 2.2, table 2.2.s3). */
export type DocumentKind = 'state' | 'activity-profile' | 'agent-profile'

/** Stored as a smallint in `xapi_document.kind`. */
export const KIND_CODE: Record<DocumentKind, number> = { state: 1, 'activity-profile': 2, 'agent-profile': 3 }

/**
 * The context documents live in: the Activity and/or the Agent they belong to. A State document
 * has both; an Activity Profile only the Activity; an Agent Profile only the Agent.
 */
export interface DocumentScope {
  kind: DocumentKind
  activityId?: string
  /** The agent's inverse functional identifier as a comparable key (`ifiKey` of @tln/xapi). */
  agentKey?: string
}

/** One document: its scope, the registration (State only; null when none) and its id. */
export interface DocumentAddress extends DocumentScope {
  registration: string | null
  documentId: string
}

/**
 * The key of a scope: equal agents (same IFI) and equal activity ids give equal keys. A 128-bit
 * SHA-256 prefix written as a UUID, like the statement index keys, so long IRIs fit a B-tree.
 */
export function scopeKey(scope: DocumentScope): string {
  return uuidHash(JSON.stringify([KIND_CODE[scope.kind], scope.activityId ?? null, scope.agentKey ?? null]))
}

/**
 * The key of one document. "No registration" hashes differently from every registration, so a
 * document without one is unique too (a NULL column would not be, under a unique index).
 */
export function documentKey(address: DocumentAddress): string {
  return uuidHash(JSON.stringify([scopeKey(address), address.registration, address.documentId]))
}

/**
 * The ETag of document contents: "a hexadecimal string of the SHA-1 digest of the contents ...
 * rendered using numbers and lowercase characters only" (xAPI 1.0.3 Communication 3.1.s4.b2),
 * without the quotes that the header adds (3.1.s4.b4).
 */
export function etagOf(content: Uint8Array): string {
  return createHash('sha1').update(content).digest('hex')
}

function uuidHash(value: string): string {
  const hex = createHash('sha256').update(value).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}
