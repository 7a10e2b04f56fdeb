import type { Knex } from '@tln/db'
import type { StreamPosition } from './stream-position.ts'

/** One statement as the stream delivers it. */
export interface StreamedStatement {
  position: StreamPosition
  tenantId: string
  id: string
  stored: Date
  /** Voided since it was stored; the stream still delivers it (statements are immutable). */
  voided: boolean
  /** The statement exactly as stored. */
  json: string
}

export interface StreamRead {
  /** Only this tenant's statements; every tenant's when absent (global consumers). */
  tenantId?: string
  /** Exclusive: statements after this position. */
  after: StreamPosition
  limit: number
}

export interface StreamPage {
  statements: StreamedStatement[]
  /**
   * Where the next read starts. After the last statement read, or, when the page is not full, the
   * horizon: every transaction below it has finished, so the reader may move past statements that
   * did not match and never go back over them.
   */
  next: StreamPosition
}

type Row = { txid: number; seq: number; tenant_id: string; id: string; stored: Date; voided: boolean; json: string }

/**
 * The statement stream (ARCHITECTURE.md: "the statement stream (ordered, resumable)"): every
 * stored statement once, in a stable order, for consumers that keep a cursor (forwarding, the
 * competence engine).
 *
 * Why not `seq`: identity values are drawn when a row is inserted, not when its transaction
 * commits, so a transaction holding seq 7 can commit after seq 8 was read, and a reader at 8
 * would skip 7 for ever. Instead rows are read in `(txid, seq)` order and only from transactions
 * below `pg_snapshot_xmin(pg_current_snapshot())`, the oldest transaction still running: those
 * have all ended, so no row can ever appear at or before a position once it was read. A long
 * transaction anywhere on the server holds the stream back (not forward) until it ends.
 */
export class StatementStream {
  constructor(private readonly knex: Knex) {}

  /** The next statements after `after`, in stream order. */
  async read(request: StreamRead): Promise<StreamPage> {
    if (!Number.isInteger(request.limit) || request.limit < 1) throw new TypeError('limit must be a positive integer')
    const { rows } = (await this.knex.raw(
      `with horizon as (select pg_snapshot_xmin(pg_current_snapshot())::text::bigint as xmin)
       select s.txid, s.seq, s.tenant_id, s.id, s.stored, s.voided, s.statement::text as json, h.xmin
         from horizon h
         left join lateral (
           select * from xapi_statement s
            where ${request.tenantId !== undefined ? 's.tenant_id = ? and' : ''}
                  (s.txid, s.seq) > (?, ?) and s.txid < h.xmin
            order by s.txid, s.seq
            limit ?
         ) s on true`,
      [...(request.tenantId !== undefined ? [request.tenantId] : []), request.after.txid, request.after.seq, request.limit],
    )) as { rows: Array<Row & { xmin: number }> }
    const horizon = rows[0]!.xmin
    const statements = rows
      .filter((row) => row.seq !== null)
      .map((row) => ({ position: { txid: row.txid, seq: row.seq }, tenantId: row.tenant_id, id: row.id, stored: row.stored, voided: row.voided, json: row.json }))
    const last = statements[statements.length - 1]
    const next = statements.length === request.limit ? last!.position : maxPosition(request.after, { txid: horizon, seq: 0 })
    return { statements, next }
  }

  /**
   * The horizon now: every transaction below it has ended. `{ txid: horizon, seq: 0 }` is a
   * position no statement stored later can come before.
   */
  async horizon(): Promise<number> {
    const { rows } = (await this.knex.raw('select pg_snapshot_xmin(pg_current_snapshot())::text::bigint as xmin')) as { rows: Array<{ xmin: number }> }
    return rows[0]!.xmin
  }
}

function maxPosition(a: StreamPosition, b: StreamPosition): StreamPosition {
  return a.txid > b.txid || (a.txid === b.txid && a.seq >= b.seq) ? a : b
}
