import type { Knex } from '@tln/db'
import { LtiToolError } from '../errors.ts'
import { sniff } from '../tasks/sniff.ts'

/** 10 MB: a phone photo or a lesson-plan document; more is refused before a byte is sent. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024
/** 256 KB chunks: small enough to finish on a weak connection, few enough round trips. */
export const CHUNK_BYTES = 256 * 1024
/** An upload session lives a day; one never completed is deleted after `abandonedUploadAgeMs` (cleanup). */
export const UPLOAD_TTL_MS = 24 * 3_600_000

/** An upload session in progress: `received` bytes of `size`, owned by a task assignment or a mentoring relation. */
export interface ChunkedUpload {
  readonly id: string
  readonly ownerId: string
  readonly fileName: string
  readonly size: number
  readonly received: number
}

/** The tables of upload sessions and the column naming what each belongs to. */
export const UPLOAD_TABLES = { task_upload: 'assignment_id', mentoring_upload: 'relation_id' } as const
export type UploadTable = keyof typeof UPLOAD_TABLES

const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu.test(v)

/**
 * Resumable uploads in PostgreSQL, shared by the tasks (`task_upload`) and mentoring evidence
 * (`mentoring_upload`): content is appended chunk by chunk where the session stands, so a client
 * cut off mid-upload asks the offset and resumes. Every query names the tenant.
 */
export class ChunkedUploadStore {
  private readonly owner: string

  constructor(private readonly knex: Knex, private readonly table: UploadTable) {
    this.owner = UPLOAD_TABLES[table]
  }

  async create(input: { tenantId: string; ownerId: string; fileName: string; size: number; expiresAt: Date }): Promise<ChunkedUpload> {
    const [row] = (await this.knex(this.table).insert({
      tenant_id: input.tenantId, [this.owner]: input.ownerId, file_name: input.fileName, size: input.size, expires_at: input.expiresAt,
    }).returning(['id'])) as { id: string }[]
    return { id: row!.id, ownerId: input.ownerId, fileName: input.fileName, size: input.size, received: 0 }
  }

  async find(tenantId: string, id: string): Promise<ChunkedUpload | undefined> {
    if (!isUuid(id)) return undefined
    const r = (await this.knex(this.table).where({ tenant_id: tenantId, id }).first('id', `${this.owner} as owner_id`, 'file_name', 'size', 'received')) as { id: string; owner_id: string; file_name: string; size: number; received: number } | undefined
    return r === undefined ? undefined : { id: r.id, ownerId: r.owner_id, fileName: r.file_name, size: Number(r.size), received: Number(r.received) }
  }

  /**
   * Append a chunk where the upload stands at `offset`, in one statement: a repeated or
   * out-of-order chunk changes nothing. @returns the new offset, or undefined when `offset` was not it
   */
  async append(tenantId: string, id: string, offset: number, chunk: Buffer): Promise<number | undefined> {
    const rows = (await this.knex(this.table).where({ tenant_id: tenantId, id, received: offset })
      .andWhere('size', '>=', offset + chunk.length)
      .update({ content: this.knex.raw('content || ?', [chunk]), received: offset + chunk.length }).returning('received')) as { received: number }[]
    return rows[0] === undefined ? undefined : Number(rows[0].received)
  }

  /** The whole content of a complete upload, locked until the caller's transaction ends; undefined when gone or incomplete. */
  async content(trx: Knex.Transaction, tenantId: string, id: string): Promise<Buffer | undefined> {
    if (!isUuid(id)) return undefined
    const r = await trx(this.table).where({ tenant_id: tenantId, id }).forUpdate().first('content', 'received', 'size')
    if (r === undefined || Number(r.received) !== Number(r.size)) return undefined
    return Buffer.from(r.content)
  }

  async delete(tenantId: string, id: string, db: Knex | Knex.Transaction = this.knex): Promise<void> {
    await db(this.table).where({ tenant_id: tenantId, id }).delete()
  }
}

/** Refuse a size before any content travels: a positive whole number, at most `max`. */
export function checkUploadSize(size: number, max = MAX_UPLOAD_BYTES): void {
  if (!Number.isSafeInteger(size) || size <= 0) throw new LtiToolError('ERR_TOOL_BAD_REQUEST', 'size must be a positive integer', { size })
  if (size > max) throw new LtiToolError('ERR_TOOL_FILE_TOO_LARGE', `file over ${max} bytes`, { size, max })
}

/**
 * Append one chunk at `offset` (the rules of both upload APIs). A chunk at another offset than the
 * server's changes nothing and answers the server's offset (`ERR_TOOL_UPLOAD_OFFSET`, 409), from
 * which the client resumes. The first chunk is sniffed (`tasks/sniff.ts`): content `accepts`
 * refuses ends the upload at once, nothing kept (`ERR_TOOL_UNSUPPORTED_FILE`, 415).
 * @returns the upload with its new offset
 */
export async function appendChunk(store: ChunkedUploadStore, tenantId: string, u: ChunkedUpload, offset: number, chunk: Buffer, accepts: (type: ReturnType<typeof sniff>) => boolean): Promise<ChunkedUpload> {
  if (chunk.length === 0 || chunk.length > CHUNK_BYTES) throw new LtiToolError('ERR_TOOL_BAD_REQUEST', 'chunk must be 1 byte to 256 KB', { length: chunk.length })
  if (!Number.isSafeInteger(offset) || offset !== u.received) throw new LtiToolError('ERR_TOOL_UPLOAD_OFFSET', 'chunk offset is not the server offset', { offset, received: u.received })
  if (offset + chunk.length > u.size) throw new LtiToolError('ERR_TOOL_FILE_TOO_LARGE', 'more bytes than announced', { offset, length: chunk.length, size: u.size })
  if (offset === 0) {
    const type = sniff(chunk, { prefix: true })
    if (!accepts(type)) {
      await store.delete(tenantId, u.id)
      throw new LtiToolError('ERR_TOOL_UNSUPPORTED_FILE', 'content is no type this upload takes', { sniffed: type })
    }
  }
  const received = await store.append(tenantId, u.id, offset, chunk)
  if (received === undefined) {
    const now = await store.find(tenantId, u.id)
    throw new LtiToolError('ERR_TOOL_UPLOAD_OFFSET', 'another chunk got there first', { offset, received: now?.received ?? 0 })
  }
  return { ...u, received }
}

/**
 * Delete upload sessions (tasks and mentoring) started before `olderThan` and never completed,
 * with their bytes (cleanup). @returns how many each table lost
 */
export async function deleteAbandonedUploads(knex: Knex, olderThan: Date): Promise<Record<UploadTable, number>> {
  const counts = { task_upload: 0, mentoring_upload: 0 }
  for (const table of Object.keys(UPLOAD_TABLES) as UploadTable[]) counts[table] = await knex(table).where('created_at', '<', olderThan).delete()
  return counts
}

