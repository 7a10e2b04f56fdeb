import type { Knex } from '@tln/db'
import { sqlInstant } from '../sql-instant.ts'
import { documentKey, KIND_CODE, scopeKey, type DocumentAddress, type DocumentScope } from './document-address.ts'
import type { DocumentContent } from './document-content.ts'

/** A stored document as read back. */
export interface StoredDocument extends DocumentContent {
  etag: string
  updated: Date
}

/** One entry of a multiple-document GET. */
export interface DocumentListing {
  documentId: string
  updated: Date
}

type Row = { content_type: string; content: Uint8Array; etag: string; updated: Date }

/**
 * The `xapi_document` table. Every method takes the knex (or transaction) to run on and the
 * tenant: tenancy is part of every query.
 */
export class DocumentStore {
  /** One document, or undefined. With `forUpdate` (inside a transaction) the row stays locked until commit. */
  async find(db: Knex, tenantId: string, address: DocumentAddress, options: { forUpdate?: boolean } = {}): Promise<StoredDocument | undefined> {
    const query = db('xapi_document')
      .select('content_type', 'content', 'etag', 'updated')
      .where({ tenant_id: tenantId, key: documentKey(address) })
    if (options.forUpdate === true) query.forUpdate()
    const row = (await query.first()) as Row | undefined
    return row === undefined ? undefined : toStored(row)
  }

  /**
   * Inserts a new document unless one appeared meanwhile.
   * @returns false when another request created it first (the caller re-checks and retries).
   */
  async insert(tx: Knex.Transaction, tenantId: string, address: DocumentAddress, document: StoredDocument): Promise<boolean> {
    const inserted = await tx('xapi_document')
      .insert({
        tenant_id: tenantId,
        key: documentKey(address),
        scope_key: scopeKey(address),
        kind: KIND_CODE[address.kind],
        activity_id: address.activityId ?? null,
        agent_key: address.agentKey ?? null,
        registration: address.registration,
        document_id: address.documentId,
        content_type: document.contentType,
        content: document.content,
        etag: document.etag,
        updated: document.updated,
      })
      .onConflict(['tenant_id', 'key'])
      .ignore()
      .returning('key')
    return inserted.length === 1
  }

  /** Replaces the contents of a document that exists (and that the caller has locked). */
  async update(tx: Knex.Transaction, tenantId: string, address: DocumentAddress, document: StoredDocument): Promise<void> {
    await tx('xapi_document')
      .update({ content_type: document.contentType, content: document.content, etag: document.etag, updated: document.updated })
      .where({ tenant_id: tenantId, key: documentKey(address) })
  }

  async remove(db: Knex, tenantId: string, address: DocumentAddress): Promise<void> {
    await db('xapi_document').delete().where({ tenant_id: tenantId, key: documentKey(address) })
  }

  /**
   * The documents of a scope, oldest change first. `registration` narrows State documents to one
   * registration; absent, every registration matches. `since` is exclusive.
   */
  async list(db: Knex, tenantId: string, scope: DocumentScope, filter: { registration?: string; since?: string }): Promise<DocumentListing[]> {
    const query = db('xapi_document').select('document_id', 'updated').where({ tenant_id: tenantId, scope_key: scopeKey(scope) })
    if (filter.registration !== undefined) query.where('registration', filter.registration)
    if (filter.since !== undefined) query.where('updated', '>', sqlInstant(filter.since))
    const rows = (await query.orderBy([{ column: 'updated' }, { column: 'document_id' }])) as Array<{ document_id: string; updated: Date }>
    return rows.map((row) => ({ documentId: row.document_id, updated: new Date(row.updated) }))
  }

  /** Deletes every document of a scope (of one registration, when given). */
  async removeAll(db: Knex, tenantId: string, scope: DocumentScope, filter: { registration?: string }): Promise<number> {
    const query = db('xapi_document').delete().where({ tenant_id: tenantId, scope_key: scopeKey(scope) })
    if (filter.registration !== undefined) query.where('registration', filter.registration)
    return query
  }
}

function toStored(row: Row): StoredDocument {
  // pg answers bytea as a Buffer, PGlite as a Uint8Array.
  return { contentType: row.content_type, content: Buffer.from(row.content), etag: row.etag, updated: new Date(row.updated) }
}
