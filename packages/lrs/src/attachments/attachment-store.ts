import type { Knex } from '@tln/db'
import type { AttachmentContent, CheckedAttachments } from './attachment-content.ts'

/**
 * Attachment content by (tenant, sha2): `xapi_attachment`. Content is immutable (the key is its
 * hash), so storing it again is a no-op: the same file attached to many statements is kept once.
 * Every method takes the knex (or transaction) to run on and the tenant.
 */
export class AttachmentStore {
  /** Stores content not stored yet, inside the statement transaction `tx`. */
  async insert(tx: Knex.Transaction, tenantId: string, attachments: CheckedAttachments): Promise<void> {
    for (const { sha2, content } of attachments) {
      // One INSERT per content: a 10 MiB parameter is fine, ten of them in one statement less so.
      await tx('xapi_attachment').insert({ tenant_id: tenantId, sha2, content }).onConflict(['tenant_id', 'sha2']).ignore()
    }
  }

  /** The content of the given sha2 values (lowercase) that this tenant has; absent ones are left out. */
  async findBySha2(db: Knex, tenantId: string, sha2s: readonly string[]): Promise<AttachmentContent[]> {
    if (sha2s.length === 0) return []
    const rows = (await db('xapi_attachment').select('sha2', 'content').where('tenant_id', tenantId).whereIn('sha2', [...sha2s])) as Array<{ sha2: string; content: Uint8Array }>
    // pg gives a Buffer, PGlite a Uint8Array: a Buffer view over the same memory either way.
    return rows.map((row) => ({ sha2: row.sha2, content: Buffer.from(row.content.buffer, row.content.byteOffset, row.content.byteLength) }))
  }
}
