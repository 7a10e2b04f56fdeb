import type { Knex } from '@tln/db'
import { sqlInstant } from '../sql-instant.ts'
import { IndexKind, indexKey } from '../statements/statement-rows.ts'
import { comparePositions, type StreamPosition } from '../stream/stream-position.ts'

/** What an export selects. `since`/`until` apply to `stored`, as in statement queries. */
export interface ExportFilter {
  since?: string
  until?: string
  verb?: string
  /** The statement's object Activity (or the object of a statement it references). */
  activity?: string
}

/**
 * The extent of one export answer, fixed before the first row is written, so that the cursor to
 * resume from can travel in a response header.
 */
export interface ExportPlan {
  /** Exclusive start. */
  after: StreamPosition
  /** Inclusive end: the position to resume from after this answer. */
  end: StreamPosition
  /** False when `limit` cut the answer short and more matching statements remain. */
  complete: boolean
}

export interface ExportRow {
  position: StreamPosition
  json: string
}

export interface ExportAuditEntry {
  tenantId: string
  credentialId: string
  credentialKey: string
  format: string
  filters: Record<string, string>
}

/**
 * Bulk export of a tenant's statements in stream order (`(txid, seq)`, see
 * stream/statement-stream.ts), excluding voided statements as statement queries do. Because the
 * order is the stream's, an export that ends at the horizon can be resumed later from its end
 * cursor and delivers exactly the statements stored since, none skipped.
 */
export class StatementExport {
  constructor(private readonly knex: Knex) {}

  /**
   * Fixes the extent of an answer: up to the horizon (every transaction below it has ended), or,
   * with `limit`, up to the `limit`-th matching statement when there are more.
   */
  async plan(tenantId: string, filter: ExportFilter, after: StreamPosition, limit?: number): Promise<ExportPlan> {
    const { rows } = (await this.knex.raw('select pg_snapshot_xmin(pg_current_snapshot())::text::bigint as xmin')) as { rows: Array<{ xmin: number }> }
    const horizon: StreamPosition = { txid: rows[0]!.xmin, seq: 0 }
    const all: ExportPlan = { after, end: comparePositions(horizon, after) > 0 ? horizon : after, complete: true }
    if (limit === undefined) return all
    // The limit-th row and whether another follows: an index scan of `limit` rows, no memory.
    const probe = (await this.select(tenantId, filter, after, all.end)
      .select('s.txid', 's.seq')
      .offset(limit - 1)
      .limit(2)) as Array<{ txid: number; seq: number }>
    if (probe.length < 2) return all
    return { after, end: { txid: probe[0]!.txid, seq: probe[0]!.seq }, complete: false }
  }

  /** The rows of a plan, in pages of `pageSize` (keyset paging: each page costs the same). */
  async *rows(tenantId: string, filter: ExportFilter, plan: ExportPlan, pageSize = 1000): AsyncGenerator<ExportRow[]> {
    let after = plan.after
    for (;;) {
      const page = (await this.select(tenantId, filter, after, plan.end)
        .select('s.txid', 's.seq', this.knex.raw('s.statement::text as json'))
        .limit(pageSize)) as Array<{ txid: number; seq: number; json: string }>
      if (page.length === 0) return
      yield page.map((row) => ({ position: { txid: row.txid, seq: row.seq }, json: row.json }))
      const last = page[page.length - 1]!
      after = { txid: last.txid, seq: last.seq }
      if (page.length < pageSize) return
    }
  }

  /** Writes the audit row of an export as it starts (UU 27/2022: who took which data, when). */
  async auditStart(entry: ExportAuditEntry): Promise<number> {
    const [row] = (await this.knex('export_audit')
      .insert({
        tenant_id: entry.tenantId,
        credential_id: entry.credentialId,
        credential_key: entry.credentialKey,
        format: entry.format,
        filters: JSON.stringify(entry.filters),
      })
      .returning('id')) as Array<{ id: number }>
    return row!.id
  }

  /** Completes the audit row: how many rows went out, and whether the answer was finished. */
  async auditFinish(id: number, rows: number, completed: boolean): Promise<void> {
    await this.knex('export_audit').update({ rows, completed, finished_at: this.knex.fn.now() }).where({ id })
  }

  /** The audit log of a tenant, newest first. */
  async auditLog(tenantId: string, limit = 100): Promise<Array<Record<string, unknown>>> {
    return this.knex('export_audit').where({ tenant_id: tenantId }).orderBy('id', 'desc').limit(limit)
  }

  private select(tenantId: string, filter: ExportFilter, after: StreamPosition, end: StreamPosition): Knex.QueryBuilder {
    const query = this.knex('xapi_statement as s')
      .where({ 's.tenant_id': tenantId, 's.voided': false })
      .whereRaw('(s.txid, s.seq) > (?, ?)', [after.txid, after.seq])
      .whereRaw('(s.txid, s.seq) <= (?, ?)', [end.txid, end.seq])
      .orderBy([{ column: 's.txid' }, { column: 's.seq' }])
    if (filter.since !== undefined) query.where('s.stored', '>', sqlInstant(filter.since))
    if (filter.until !== undefined) query.where('s.stored', '<=', sqlInstant(filter.until))
    // Verb and Activity match as in statement queries, through the posting lists: also statements
    // that reference a matching statement (xAPI 1.0.3 Communication 2.1.3).
    const postings: Array<[IndexKind, string]> = []
    if (filter.verb !== undefined) postings.push([IndexKind.verb, filter.verb])
    if (filter.activity !== undefined) postings.push([IndexKind.activity, filter.activity])
    for (const [kind, value] of postings) {
      const key = indexKey(kind, value)
      query.whereExists((probe) => {
        probe.select(this.knex.raw('1')).from('xapi_statement_index as i').where({ 'i.tenant_id': tenantId, 'i.kind': kind, 'i.key': key, 'i.narrow': true }).whereRaw('i.seq = s.seq')
      })
    }
    return query
  }
}
