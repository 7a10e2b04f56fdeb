/**
 * The statements the engine passed without projecting them (`competence_skipped_statement`): the
 * database refused a statement's projection on its own (`CompetenceEngine.projectPage`), or the
 * statement could not be read (`pageRows().unreadable`). The statement stays in the LRS
 * (acknowledged, never lost) and the reports leave it out, so the record keeps that visible and
 * retryable. It is written in the transaction that moves the partition's cursor past the statement
 * and deleted in the one that projects it (a later page of a rebuild, or `retrySkipped`), so a crash
 * never loses a record nor leaves one for a projected statement.
 */
import { isDatabaseError, redactedMessage, type Knex } from '@tln/db'
import type { StreamedStatement } from '@tln/lrs'
import { jsonParam } from './projection-writes.ts'

/** The longest reason kept (the table's check): the first line of the error, never a stack. */
export const MAX_SKIP_REASON = 500

/** A statement the engine could not project, and why. */
export interface Skip {
  readonly statement: StreamedStatement
  /** SQLSTATE of the database's refusal, else `unreadable` (the statement's JSON or shape) or the error's name. */
  readonly code: string
  readonly reason: string
}

/** One record as operators see it (`tln competence skipped`). */
export interface SkippedStatement {
  readonly tenantId: string
  readonly statementId: string
  /** The statement's stream position, where a rebuild reads it again. */
  readonly position: { readonly txid: number; readonly seq: number }
  readonly reasonCode: string
  readonly reason: string
  /** The partition's config version (the projection version) when it was last refused. */
  readonly configVersion: number | null
  readonly firstSeen: Date
  readonly lastSeen: Date
  readonly attempts: number
}

/**
 * Why a statement was skipped, bounded and without a stack: the SQLSTATE (pg and PGlite errors
 * carry `code`) and the database's own message, first line. knex prefixes that message with the
 * query and its bound values (`<sql with values> - <message>`), which here are a page of
 * statements, and the message itself may quote the value refused (`invalid input syntax for type
 * uuid: "<value>"`): personal data, shown by `tln competence skipped` and logged. So the reason is
 * `redactedMessage` (@tln/db): the message without the prefix, quoted values redacted, the names
 * of the constraint, table or column the error gives kept.
 */
export function skipReason(error: unknown): { code: string; reason: string } {
  const name = error instanceof Error ? error.name : 'Error'
  return { code: isDatabaseError(error) ? (error as { code: string }).code : name.slice(0, 32), reason: boundedReason(redactedMessage(error)) }
}

/** The first line of `message`, control characters removed, at most `MAX_SKIP_REASON` characters. */
export function boundedReason(message: string): string {
  // eslint-disable-next-line no-control-regex
  const line = (message.split(/\r?\n/, 1)[0] ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim()
  const text = line === '' ? 'no message' : line
  return text.length <= MAX_SKIP_REASON ? text : `${text.slice(0, MAX_SKIP_REASON - 1)}…`
}

/** Records (or, seen again, counts another attempt of) the skipped statements, in the page's transaction. */
export async function recordSkips(trx: Knex, tenantId: string, configVersion: number | null, skips: readonly Skip[]): Promise<void> {
  if (skips.length === 0) return
  const data = skips.map((s) => ({ statement_id: s.statement.id, txid: s.statement.position.txid, seq: s.statement.position.seq, reason_code: s.code, reason: s.reason }))
  await trx.raw(
    `insert into competence_skipped_statement (tenant_id, statement_id, txid, seq, reason_code, reason, config_version)
     select ?, r.statement_id, r.txid, r.seq, r.reason_code, r.reason, ?
       from jsonb_to_recordset(?::jsonb) as r(statement_id uuid, txid bigint, seq bigint, reason_code text, reason text)
     on conflict (tenant_id, statement_id) do update
       set txid = excluded.txid, seq = excluded.seq, reason_code = excluded.reason_code, reason = excluded.reason,
           config_version = excluded.config_version, last_seen = now(), attempts = competence_skipped_statement.attempts + 1`,
    [tenantId, configVersion, jsonParam(data)],
  )
}

/**
 * Deletes the records of the statements in the stream range `(after, through]` that were projected
 * now (every statement of the range but `kept`): the page that read them again projected them.
 */
export async function clearProjected(trx: Knex, tenantId: string, after: { txid: number; seq: number }, through: { txid: number; seq: number }, kept: readonly string[]): Promise<void> {
  await trx.raw(
    `delete from competence_skipped_statement
      where tenant_id = ? and (txid, seq) > (?, ?) and (txid, seq) <= (?, ?) and statement_id <> all(?::uuid[])`,
    [tenantId, after.txid, after.seq, through.txid, through.seq, [...kept]],
  )
}

/** Whether any of `ids` was skipped before: a failing page holding one is projected one by one at once. */
export async function anySkipped(trx: Knex, tenantId: string, ids: readonly string[]): Promise<boolean> {
  if (ids.length === 0) return false
  const { rows } = (await trx.raw('select exists (select 1 from competence_skipped_statement where tenant_id = ? and statement_id = any(?::uuid[])) as found', [tenantId, [...ids]])) as { rows: Array<{ found: boolean }> }
  return rows[0]!.found
}

/** How many statements of the tenant the engine skipped and has not projected since. */
export async function countSkipped(knex: Knex, tenantId: string): Promise<number> {
  const row = (await knex('competence_skipped_statement').where({ tenant_id: tenantId }).count('* as n').first()) as { n: number | string }
  return Number(row.n)
}

interface Row { tenant_id: string; statement_id: string; txid: number | string; seq: number | string; reason_code: string; reason: string; config_version: number | null; first_seen: Date; last_seen: Date; attempts: number }

/** The records, of one tenant or all, in stream order (per tenant). */
export async function listSkipped(knex: Knex, filter: { tenantId?: string; limit?: number } = {}): Promise<SkippedStatement[]> {
  const query = knex('competence_skipped_statement').select('*').orderBy([{ column: 'tenant_id' }, { column: 'txid' }, { column: 'seq' }])
  if (filter.tenantId !== undefined) query.where({ tenant_id: filter.tenantId })
  if (filter.limit !== undefined) query.limit(filter.limit)
  return ((await query) as Row[]).map((r) => ({
    tenantId: r.tenant_id, statementId: r.statement_id, position: { txid: Number(r.txid), seq: Number(r.seq) }, reasonCode: r.reason_code, reason: r.reason,
    configVersion: r.config_version, firstSeen: new Date(r.first_seen), lastSeen: new Date(r.last_seen), attempts: Number(r.attempts),
  }))
}

/**
 * The recorded statements at or before `through` (the partition's cursor), as the stream delivers
 * them, in stream order; records whose statement the LRS no longer holds are deleted.
 */
export async function skippedStatements(trx: Knex, tenantId: string, through: { txid: number; seq: number }): Promise<StreamedStatement[]> {
  await trx.raw(
    `delete from competence_skipped_statement k
      where k.tenant_id = ? and not exists (select 1 from xapi_statement s where s.tenant_id = k.tenant_id and s.id = k.statement_id)`,
    [tenantId],
  )
  const { rows } = (await trx.raw(
    `select s.txid, s.seq, s.tenant_id, s.id, s.stored, s.voided, s.statement::text as json
       from competence_skipped_statement k
       join xapi_statement s on s.tenant_id = k.tenant_id and s.id = k.statement_id
      where k.tenant_id = ? and (s.txid, s.seq) <= (?, ?)
      order by s.txid, s.seq`,
    [tenantId, through.txid, through.seq],
  )) as { rows: Array<{ txid: number; seq: number; tenant_id: string; id: string; stored: Date; voided: boolean; json: string }> }
  return rows.map((r) => ({ position: { txid: Number(r.txid), seq: Number(r.seq) }, tenantId: r.tenant_id, id: r.id, stored: r.stored, voided: r.voided, json: r.json }))
}

/** Deletes the record of a statement projected now (`retrySkipped`). */
export async function clearSkip(trx: Knex, tenantId: string, statementId: string): Promise<void> {
  await trx('competence_skipped_statement').where({ tenant_id: tenantId, statement_id: statementId }).delete()
}
