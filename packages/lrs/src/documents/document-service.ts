import type { Knex } from '@tln/db'
import type { XapiVersion } from '@tln/xapi'
import { LrsError } from '../errors.ts'
import type { DocumentAddress, DocumentScope } from './document-address.ts'
import { etagOf } from './document-address.ts'
import { mergeDocuments, type DocumentContent } from './document-content.ts'
import { DocumentStore, type DocumentListing, type StoredDocument } from './document-store.ts'
import { checkPreconditions, type Preconditions } from './preconditions.ts'

export interface DocumentServiceOptions {
  knex: Knex
  /** The clock that `updated` (Last-Modified, `since`) comes from. */
  now: () => Date
}

/** A write: the document's address, the concurrency headers and the negotiated version. */
export interface DocumentWrite {
  tenantId: string
  version: XapiVersion
  address: DocumentAddress
  preconditions: Preconditions
}

/** Another request created the document between our check and our insert. */
class CreatedMeanwhile extends Error {}

/**
 * Document use cases for the State, Activity Profile and Agent Profile resources (xAPI 1.0.3
 * Communication 2.2–2.7). Each write runs in one transaction: the current document is locked,
 * the preconditions are checked against it, then it is written, so "nothing changes on error"
 * and two writers cannot both pass a check made against the same ETag.
 */
export class DocumentService {
  private readonly store = new DocumentStore()

  constructor(private readonly options: DocumentServiceOptions) {}

  async get(tenantId: string, address: DocumentAddress): Promise<StoredDocument | undefined> {
    return this.store.find(this.options.knex, tenantId, address)
  }

  /** Ids of the documents of a scope (multiple-document GET), changed after `since` when given. */
  async list(tenantId: string, scope: DocumentScope, filter: { registration?: string; since?: string }): Promise<DocumentListing[]> {
    return this.store.list(this.options.knex, tenantId, scope, filter)
  }

  /** PUT: stores or replaces the document. @returns the stored document (its ETag). */
  async put(write: DocumentWrite, document: DocumentContent): Promise<StoredDocument> {
    return this.write(write, 'PUT', () => document)
  }

  /**
   * POST: merges into a JSON document, or stores the document when there is none yet ("upon
   * receiving a POST request for a document not currently in the LRS, treats it as a PUT request
   * and store a new document", ADL conformance suite for Communication 2.2.s7).
   */
  async post(write: DocumentWrite, document: DocumentContent): Promise<StoredDocument> {
    return this.write(write, 'POST', (current) => (current === undefined ? document : mergeDocuments(current, document)))
  }

  /** DELETE of one document; deleting a missing document is not an error (DELETE is idempotent). */
  async delete(write: DocumentWrite): Promise<void> {
    await this.options.knex.transaction(async (tx) => {
      const current = await this.store.find(tx, write.tenantId, write.address, { forUpdate: true })
      checkPreconditions('DELETE', write.address.kind, write.version, write.preconditions, current?.etag)
      if (current !== undefined) await this.store.remove(tx, write.tenantId, write.address)
    })
  }

  /** Multiple-document DELETE (State only): every document of the scope, of one registration when given. */
  async deleteAll(tenantId: string, scope: DocumentScope, filter: { registration?: string }): Promise<number> {
    return this.store.removeAll(this.options.knex, tenantId, scope, filter)
  }

  private async write(write: DocumentWrite, method: 'PUT' | 'POST', next: (current: StoredDocument | undefined) => DocumentContent): Promise<StoredDocument> {
    // A concurrent creator can win the insert at most once per attempt; the retry then sees its row.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        return await this.options.knex.transaction(async (tx) => {
          const current = await this.store.find(tx, write.tenantId, write.address, { forUpdate: true })
          checkPreconditions(method, write.address.kind, write.version, write.preconditions, current?.etag)
          const content = next(current)
          const stored: StoredDocument = { ...content, etag: etagOf(content.content), updated: this.options.now() }
          if (current !== undefined) await this.store.update(tx, write.tenantId, write.address, stored)
          else if (!(await this.store.insert(tx, write.tenantId, write.address, stored))) throw new CreatedMeanwhile()
          return stored
        })
      } catch (error) {
        if (!(error instanceof CreatedMeanwhile)) throw error
      }
    }
    throw new LrsError('ERR_LRS_CONFLICT', 'the document is being changed by other requests at the same time; retry', 'If-Match')
  }
}
