import type { Knex } from '@tln/db'

/** Who read: an LRS client (credential) or a person signed in to the tool (session). */
export interface AuditActor {
  kind: 'credential' | 'session'
  /** The credential id, or the person's id in the tool. */
  id: string
  /** The credential key, or the person's display name: what an auditor reads. */
  label: string
}

/** One read that named a person (UU 27/2022: who looked at whose records, when, from where). */
export interface AccessAuditEntry {
  tenantId: string
  actor: AuditActor
  /** What was read: `statements`, `state`, `agent-profile`, `agents`, or a tool page. */
  resource: string
  /** The IFI key of the person read about (`ifiKey` of @tln/xapi). */
  agentIfi: string
  /** The request parameters, without paging tokens. */
  query: Readonly<Record<string, string | readonly string[]>>
  /** How many records went out (statements, documents, document ids). */
  records: number
  address?: string
}

export interface AccessAuditRow extends AccessAuditEntry {
  id: number
  at: Date
  tenant: string
}

export interface AccessAuditFilter {
  tenantId?: string
  agentIfi?: string
  since?: Date
  limit?: number
}

/** Parameters never kept in the log: paging tokens repeat the query and are long. */
const NOT_LOGGED = new Set(['more'])

/**
 * The access audit log (`access_audit`). One INSERT per audited read, made by the request that
 * reads, before its answer is sent: a read whose audit row cannot be written fails instead of
 * going out unrecorded.
 */
export class AccessAudit {
  constructor(private readonly knex: Knex) {}

  async record(entry: AccessAuditEntry): Promise<void> {
    const insert = this.recordSql(entry, '?')
    await this.knex.raw(insert.sql, [...insert.bindings, entry.records] as Knex.RawBinding[])
  }

  /**
   * The INSERT of `record` for a read that runs it in its own SQL statement (the page query of
   * `GET /statements`): the page and its row commit together, with no round trip for the row.
   * @param recordsSql SQL of the number of records that went out; its bindings, if any, come last
   */
  recordSql(entry: Omit<AccessAuditEntry, 'records'>, recordsSql: string): { sql: string; bindings: unknown[] } {
    return {
      sql: `insert into access_audit (tenant_id, actor_kind, actor_id, actor_label, resource, agent_ifi, query, address, records)
            values (?::uuid, ?, ?, ?, ?, ?, ?::jsonb, ?, ${recordsSql})`,
      bindings: [entry.tenantId, entry.actor.kind, entry.actor.id, entry.actor.label, entry.resource, entry.agentIfi, JSON.stringify(loggedQuery(entry.query)), entry.address ?? null],
    }
  }

  /** Audit rows, newest first, optionally of one tenant, about one person, since a time. */
  async list(filter: AccessAuditFilter = {}): Promise<AccessAuditRow[]> {
    const query = this.knex('access_audit as a').join('tenant as t', 't.id', 'a.tenant_id').select('a.*', 't.slug as tenant')
    if (filter.tenantId !== undefined) query.where('a.tenant_id', filter.tenantId)
    if (filter.agentIfi !== undefined) query.where('a.agent_ifi', filter.agentIfi)
    if (filter.since !== undefined) query.where('a.at', '>=', filter.since)
    const rows = (await query.orderBy('a.id', 'desc').limit(filter.limit ?? 1000)) as AuditDbRow[]
    return rows.map(toEntry)
  }

  /**
   * Bulk exports (`export_audit`) since a time, newest first, as audit rows: `resource` is
   * `export`, `agentIfi` is `*` (an export carries every person's statements that match its
   * filters), `records` the rows that went out. For an auditor asking who took a person's data.
   */
  async exports(filter: Omit<AccessAuditFilter, 'agentIfi'> = {}): Promise<AccessAuditRow[]> {
    const query = this.knex('export_audit as e').join('tenant as t', 't.id', 'e.tenant_id').select('e.*', 't.slug as tenant')
    if (filter.tenantId !== undefined) query.where('e.tenant_id', filter.tenantId)
    if (filter.since !== undefined) query.where('e.started_at', '>=', filter.since)
    const rows = (await query.orderBy('e.id', 'desc').limit(filter.limit ?? 1000)) as ExportDbRow[]
    return rows.map((row) => ({
      id: Number(row.id),
      at: new Date(row.started_at),
      tenant: row.tenant,
      tenantId: row.tenant_id,
      actor: { kind: 'credential', id: row.credential_id ?? '', label: row.credential_key },
      resource: 'export',
      agentIfi: '*',
      query: { format: row.format, ...(typeof row.filters === 'string' ? (JSON.parse(row.filters) as Record<string, string>) : row.filters) },
      records: Number(row.rows),
    }))
  }
}

type ExportDbRow = {
  id: string | number
  tenant_id: string
  tenant: string
  started_at: Date
  credential_id: string | null
  credential_key: string
  format: string
  filters: Record<string, string> | string
  rows: string | number
}

type AuditDbRow = {
  id: string | number
  tenant_id: string
  tenant: string
  at: Date
  actor_kind: 'credential' | 'session'
  actor_id: string
  actor_label: string
  resource: string
  agent_ifi: string
  query: Record<string, string | string[]>
  records: number
  address: string | null
}

function toEntry(row: AuditDbRow): AccessAuditRow {
  return {
    id: Number(row.id),
    at: new Date(row.at),
    tenant: row.tenant,
    tenantId: row.tenant_id,
    actor: { kind: row.actor_kind, id: row.actor_id, label: row.actor_label },
    resource: row.resource,
    agentIfi: row.agent_ifi,
    query: typeof row.query === 'string' ? (JSON.parse(row.query) as Record<string, string>) : row.query,
    records: row.records,
    ...(row.address !== null ? { address: row.address } : {}),
  }
}

function loggedQuery(query: AccessAuditEntry['query']): Record<string, string | readonly string[]> {
  return Object.fromEntries(Object.entries(query).filter(([name]) => !NOT_LOGGED.has(name)))
}
