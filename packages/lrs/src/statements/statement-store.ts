import type { Knex } from '@tln/db'
import { statementsEqual, VOIDED_VERB, type Statement, type XapiVersion } from '@tln/xapi'
import { LrsError } from '../errors.ts'
import { sqlInstant } from '../sql-instant.ts'
import { agentVerbKey, chainIndexEntries, IndexKind, indexKey, referencedStatementId, statementIndexEntries, type IndexEntry } from './statement-rows.ts'

/** A statement ready to store: LRS-assigned properties set, serialised once. */
export interface PreparedStatement {
  id: string
  stored: string
  statement: Statement
  /** The statement as the client sent it, for the immutability comparison. */
  received: Statement
  /** The xAPI version of the request, whose comparison rules apply to `received` (1.0.3 if absent). */
  version?: XapiVersion
}

/** A stored statement as read back: the JSON text exactly as stored. */
export interface StoredStatement {
  seq: number
  id: string
  stored: Date
  voided: boolean
  json: string
}

export interface StatementFilter {
  agent?: { key: string; related: boolean }
  activity?: { iri: string; related: boolean }
  verb?: string
  registration?: string
  since?: string
  until?: string
  /** Only statements stored with this credential (scope statements/read/mine). */
  credentialId?: string
}

export interface PageRequest {
  ascending: boolean
  limit: number
  /** Exclusive bound: the seq of the last statement of the previous page. */
  after?: number
  /**
   * The highest seq visible when the first page was read: later pages never see newer rows. Absent
   * on a first page, which reads it in the same SQL statement (`QueriedPage.snapshot`).
   */
  snapshot?: number
  /**
   * A row the same SQL statement writes: the access audit of a read that names a person, so that
   * no page goes out without its row and the row costs no round trip of its own. It is given the
   * number of statements served (the rows read, at most `served`).
   */
  record?: { served: number; write: PageRecord }
}

/**
 * The INSERT of a row that records a read (`AccessAudit.recordSql`), given the SQL expression of
 * the number of statements served.
 */
export type PageRecord = (servedSql: string) => { sql: string; bindings: unknown[] }

/** A page read by `StatementStore.query`. */
export interface QueriedPage {
  statements: StoredStatement[]
  /**
   * The snapshot bound of the query: the one requested, or on a first page the highest seq
   * visible to the statement that read it (undefined when it found nothing).
   */
  snapshot: number | undefined
}

type Row = { seq: number; id: string; stored: Date; voided: boolean; json: string }

/** What `writeRows` did: per statement (in batch order) its outcome, and the ids involved in references. */
interface WrittenRows {
  outcomes: Array<'fresh' | 'repeated' | LrsError>
  inserted: Set<string>
  /** Ids of the batch that stored statements reference through a StatementRef. */
  referencedBy: Set<string>
  /** The `DefinitionsCheck` returned a row (false without one). */
  definitionsChanged: boolean
}

/**
 * A query that the statement INSERT runs in the same statement, so it costs no round trip:
 * whether storing the statements' Activity definitions would change a canonical one
 * (`ActivityStore.changedDefinitionsSql`). Any row it returns means yes.
 */
export interface DefinitionsCheck {
  sql: string
  bindings: unknown[]
}

/**
 * The statement tables. Every method takes the knex (or transaction) to run on and the tenant:
 * tenancy is part of every query, never an afterthought.
 */
export class StatementStore {
  /**
   * Stores a batch. Statements whose id is already stored with equal content are skipped
   * (xAPI 1.0.3 Communication 2.1.2: no error, no duplicate); different content under a stored
   * id is a conflict. Run it in a transaction for a batch of several statements or one that
   * voids or references another; a lone plain statement may run on the pool directly, since
   * its one INSERT is atomic by itself (see `isSelfContained`).
   * @returns the statements that were new (not stored before), and the answer of `definitions`.
   */
  async insertBatch(tx: Knex, tenantId: string, batch: PreparedStatement[], credentialId: string | null, definitions?: DefinitionsCheck): Promise<{ fresh: PreparedStatement[]; definitionsChanged: boolean }> {
    if (batch.some((p) => isVoiding(p.statement))) await this.rejectVoidingOfVoidingStatements(tx, tenantId, batch)
    const written = await this.writeRows(tx, tenantId, batch.map((prepared) => ({ prepared, credentialId })), definitions)
    const conflict = written.outcomes.find((outcome) => outcome instanceof LrsError)
    if (conflict !== undefined) throw conflict
    const fresh = batch.filter((_, i) => written.outcomes[i] === 'fresh')
    await this.completeLinks(tx, tenantId, batch, written)
    if (fresh.some((p) => isVoiding(p.statement))) await this.voidTargets(tx, tenantId, fresh)
    return { fresh, definitionsChanged: written.definitionsChanged }
  }

  /**
   * Stores statements of independent requests in one INSERT (group commit): each one
   * self-contained (`isSelfContained`), no id twice. Each gets its own outcome: new, stored
   * before with the same content, or a conflict (immutability) that concerns only its request;
   * the others are stored all the same. Run on the pool: the INSERT is atomic by itself.
   * @returns each statement's outcome, and the answer of `definitions`.
   */
  async insertIndependent(
    db: Knex,
    tenantId: string,
    rows: ReadonlyArray<{ prepared: PreparedStatement; credentialId: string | null }>,
    definitions?: DefinitionsCheck,
  ): Promise<{ outcomes: Array<'fresh' | 'repeated' | LrsError>; definitionsChanged: boolean }> {
    if (rows.some((row) => !isSelfContained([row.prepared]))) throw new TypeError('insertIndependent takes only self-contained statements')
    const written = await this.writeRows(db, tenantId, rows, definitions)
    await this.completeLinks(db, tenantId, rows.filter((_, i) => !(written.outcomes[i] instanceof LrsError)).map((row) => row.prepared), written)
    return { outcomes: written.outcomes, definitionsChanged: written.definitionsChanged }
  }

  /**
   * One round trip stores the statements and their postings and reports what was there
   * before: the hot path of ingest is a single SQL statement. Then each statement's outcome.
   */
  private async writeRows(tx: Knex, tenantId: string, rows: ReadonlyArray<{ prepared: PreparedStatement; credentialId: string | null }>, definitions?: DefinitionsCheck): Promise<WrittenRows> {
    const batch = rows.map((row) => row.prepared)
    const postings = batch.flatMap((p) => statementIndexEntries(p.statement).map((entry) => ({ id: p.id, entry })))
    // Ids, keys, numbers and flags are written as array literals here: pg would otherwise escape
    // every element. The statements travel as one JSON array (JSON text needs no escaping), which
    // PostgreSQL splits with `json_array_elements`, keeping each statement's text as it is.
    const bindings: unknown[] = [
      arrayLiteral(batch.map((p) => p.id)),
      batch.map((p) => p.statement.verb.id),
      arrayLiteral(batch.map((p) => referencedStatementId(p.statement) ?? null)),
      arrayLiteral(batch.map((p) => isVoiding(p.statement))),
      arrayLiteral(batch.map((p) => p.stored)),
      arrayLiteral(rows.map((row) => row.credentialId)),
      `[${batch.map((p) => JSON.stringify(p.statement)).join(',')}]`,
      tenantId,
      tenantId,
      tenantId,
      arrayLiteral(postings.map((p) => p.id)),
      arrayLiteral(postings.map((p) => p.entry.kind)),
      arrayLiteral(postings.map((p) => p.entry.key)),
      arrayLiteral(postings.map((p) => p.entry.narrow)),
      tenantId,
      arrayLiteral(batch.map((p) => p.id)),
      tenantId,
      arrayLiteral(batch.map((p) => p.id)),
      ...(definitions?.bindings ?? []),
    ]
    // The definitions check is one more branch of the report: its snapshot is the INSERT's.
    const sql = definitions === undefined ? INSERT_BATCH : `${INSERT_BATCH}\n  union all (select 'definitions', null, null, null from (${definitions.sql}) as changed limit 1)`
    const { rows: found } = (await tx.raw(sql, bindings as Knex.RawBinding[])) as {
      rows: Array<{ what: 'inserted' | 'existing' | 'referenced' | 'definitions'; id: string; json: string | null; voiding: boolean | null }>
    }

    const inserted = new Set<string>()
    const existing = new Map<string, string>()
    const referencedBy = new Set<string>()
    let definitionsChanged = false
    for (const row of found) {
      if (row.what === 'inserted') inserted.add(row.id)
      else if (row.what === 'existing') existing.set(row.id, row.json!)
      else if (row.what === 'referenced') referencedBy.add(row.id)
      else definitionsChanged = true
    }

    // An id neither inserted nor seen before was stored by a concurrent request that committed
    // while this statement waited on the unique index: read what it stored.
    const raced = batch.filter((p) => !inserted.has(p.id) && !existing.has(p.id)).map((p) => p.id)
    if (raced.length > 0) for (const [id, row] of await this.existingByIds(tx, tenantId, raced)) existing.set(id, row.json)
    const outcomes = batch.map((prepared): WrittenRows['outcomes'][number] => {
      if (inserted.has(prepared.id)) return 'fresh'
      const stored = existing.get(prepared.id)
      if (stored !== undefined && statementsEqual(prepared.received, JSON.parse(stored) as Statement, prepared.version)) return 'repeated'
      return new LrsError(
        'ERR_LRS_CONFLICT',
        `statement ${prepared.id} is already stored with different content; statements are immutable (xAPI 1.0.3 Communication 2.1.1)`,
        'id',
      )
    })
    return { outcomes, inserted, referencedBy, definitionsChanged }
  }

  /**
   * Stored statements that reference statements of this batch inherit their postings. For a
   * repeated statement this re-applies what its first store did (idempotent), so a store cut
   * short between its INSERT and this step is completed by the client's retry.
   */
  private async completeLinks(tx: Knex, tenantId: string, batch: readonly PreparedStatement[], written: WrittenRows): Promise<void> {
    const linked = batch.filter((p) => written.referencedBy.has(p.id) || (written.inserted.has(p.id) && referencedStatementId(p.statement) !== undefined))
    if (linked.length > 0) await this.inheritThroughStatementRefs(tx, tenantId, linked)
  }

  /** One statement by id, whether voided or not; the caller decides what may be seen. */
  async findById(db: Knex, tenantId: string, id: string, credentialId?: string): Promise<StoredStatement | undefined> {
    const query = db('xapi_statement')
      .select('seq', 'id', 'stored', 'voided', db.raw('statement::text as json'))
      .where({ tenant_id: tenantId, id: id.toLowerCase() })
    if (credentialId !== undefined) query.where({ credential_id: credentialId })
    const row = (await query.first()) as Row | undefined
    return row
  }

  /**
   * A page of non-voided statements matching the filter, ordered by `seq` (the stored order).
   * The most selective posting list drives the scan (registration, then agent with verb, then
   * activity, then agent, then verb); the others are probed by primary key, so the cost follows
   * the page size, not the table size.
   */
  async query(db: Knex, tenantId: string, filter: StatementFilter, page: PageRequest): Promise<QueriedPage> {
    const postings = postingFilters(filter)
    const direction = page.ascending ? 'asc' : 'desc'
    const driver = postings[0]
    const seqColumn = driver === undefined ? 's.seq' : 'd.seq'
    const query =
      driver === undefined
        ? db('xapi_statement as s')
        : db('xapi_statement_index as d')
            .join('xapi_statement as s', 's.seq', 'd.seq')
            .where({ 'd.tenant_id': tenantId, 'd.kind': driver.kind, 'd.key': driver.key })
            .modify((q) => {
              if (driver.narrowOnly) q.where('d.narrow', true)
            })
    query
      .select('s.seq', 's.id', 's.stored', 's.voided', db.raw('s.statement::text as json'))
      .where({ 's.tenant_id': tenantId, 's.voided': false })
    // A first page reads its snapshot bound in the same statement (one round trip, not two): every
    // row this statement sees has a seq at or below the highest one it sees, so the bound itself
    // is not needed on this page, only its value, for the `more` token. Evaluated once (InitPlan).
    if (page.snapshot === undefined) query.select(db.raw('(select max(seq) from xapi_statement where tenant_id = ?) as snapshot', [tenantId]))
    // Each other filter is a primary-key probe per candidate row. OFFSET 0 keeps PostgreSQL from
    // turning the EXISTS into a join: with stale statistics (right after a bulk load) the planner
    // otherwise scans a whole posting list per candidate (1.4 s instead of 14 ms at 1M rows).
    // The probe names the driver's seq (d.seq), not the statement's: PostgreSQL can then test it on
    // the posting before fetching the statement, so only matches are read from the statement table.
    for (const other of postings.slice(1)) {
      query.whereRaw(
        `exists (select 1 from xapi_statement_index i where i.tenant_id = ? and i.kind = ? and i.key = ? and i.seq = ${seqColumn}${other.narrowOnly ? ' and i.narrow' : ''} offset 0)`,
        [tenantId, other.kind, other.key],
      )
    }
    if (filter.since !== undefined) query.where('s.stored', '>', sqlInstant(filter.since))
    if (filter.until !== undefined) query.where('s.stored', '<=', sqlInstant(filter.until))
    if (filter.credentialId !== undefined) query.where('s.credential_id', filter.credentialId)
    // The bounds go on both sides of the join: with them on the posting alone, PostgreSQL may merge-join
    // and walk the statement table from its end down to the page (a `more` page 1,000 deep read 100,000
    // statements: 4 ms on page 1, 57 ms there; docs/performance-notes.md).
    const bounded = driver === undefined ? ['s.seq'] : ['d.seq', 's.seq']
    for (const column of bounded) {
      if (page.snapshot !== undefined) query.where(column, '<=', page.snapshot)
      if (page.after !== undefined) query.where(column, page.ascending ? '>' : '<', page.after)
    }
    query.orderBy(seqColumn, direction).limit(page.limit)
    const rows = (await (page.record === undefined ? query : withRecord(db, query, page.record, direction))) as Array<Row & { snapshot?: number | null }>
    const snapshot = page.snapshot ?? rows[0]?.snapshot ?? undefined
    return { statements: rows.map(({ seq, id, stored, voided, json }) => ({ seq, id, stored, voided, json })), snapshot }
  }

  private async existingByIds(tx: Knex, tenantId: string, ids: string[]): Promise<Map<string, { json: string; voiding: boolean }>> {
    const rows = (await tx('xapi_statement')
      .select('id', 'voiding', tx.raw('statement::text as json'))
      .where('tenant_id', tenantId)
      .whereIn('id', ids)) as Array<{ id: string; voiding: boolean; json: string }>
    return new Map(rows.map((row) => [row.id, row]))
  }

  /**
   * "A Voiding Statement cannot Void another Voiding Statement" (xAPI 1.0.3 Data 2.3.2): the
   * target may be stored already or arrive in the same batch.
   */
  private async rejectVoidingOfVoidingStatements(tx: Knex, tenantId: string, fresh: readonly PreparedStatement[]): Promise<void> {
    const targets = fresh.filter((p) => isVoiding(p.statement)).map((p) => referencedStatementId(p.statement)!)
    if (targets.length === 0) return
    const voidingInBatch = new Set(fresh.filter((p) => isVoiding(p.statement)).map((p) => p.id))
    const storedVoiding = await tx('xapi_statement').select('id').where({ tenant_id: tenantId, voiding: true }).whereIn('id', targets)
    const bad = targets.find((target) => voidingInBatch.has(target)) ?? (storedVoiding[0] as { id: string } | undefined)?.id
    if (bad !== undefined) {
      throw new LrsError('ERR_LRS_BAD_REQUEST', `object.id ${bad} is a voiding statement, and a voiding statement cannot be voided (xAPI 1.0.3 Data 2.3.2)`, 'object.id')
    }
  }

  /**
   * Filters match statements that target a matching statement (xAPI 1.0.3 Communication 2.1.3,
   * "Filter Conditions for StatementRefs"), transitively. Each statement in the reference chains
   * through the new ones gets the postings of every statement it (indirectly) targets, and the
   * `agentVerb` pairs across its whole chain (its own actor with a target's verb too): so its
   * postings are recomputed from the whole chain, not only the part that the new ones added.
   * Targets may arrive after the statements that reference them, so the statements that reference
   * a new one (transitively) are affected too. Only statements that take part in a reference pay.
   */
  private async inheritThroughStatementRefs(tx: Knex, tenantId: string, linked: PreparedStatement[]): Promise<void> {
    const newIds = linked.map((p) => p.id)
    const { rows } = (await tx.raw(
      `with recursive
         affected(id) as (
           select s.id from xapi_statement s
            where s.tenant_id = ? and s.id = any(?::uuid[]) and s.object_statement_id is not null
           union
           select s.id from xapi_statement s
            where s.tenant_id = ? and s.object_statement_id = any(?::uuid[])
           union
           select r.id from affected a
             join xapi_statement r on r.tenant_id = ? and r.object_statement_id = a.id
         ),
         chain(descendant, member) as (
           select id, id from affected
           union
           select c.descendant, t.object_statement_id from chain c
             join xapi_statement t on t.tenant_id = ? and t.id = c.member
            where t.object_statement_id is not null
         )
       select d.seq as descendant_seq, d.id = m.id as own, m.statement::text as member_json
         from chain c
         join xapi_statement d on d.tenant_id = ? and d.id = c.descendant
         join xapi_statement m on m.tenant_id = ? and m.id = c.member`,
      [tenantId, newIds, tenantId, newIds, tenantId, tenantId, tenantId, tenantId],
    )) as { rows: Array<{ descendant_seq: number; own: boolean; member_json: string }> }
    const chains = new Map<number, { own?: Statement; targets: Statement[] }>()
    for (const row of rows) {
      const chain = chains.get(row.descendant_seq) ?? { targets: [] }
      chains.set(row.descendant_seq, chain)
      const statement = JSON.parse(row.member_json) as Statement
      if (row.own) chain.own = statement
      else chain.targets.push(statement)
    }
    const postings = [...chains].flatMap(([seq, chain]) => {
      if (chain.targets.length === 0) return []
      // Its own postings are stored already: only what the chain adds is written.
      const own = new Map(statementIndexEntries(chain.own!).map((entry) => [entry.key, entry.narrow]))
      return chainIndexEntries(chain.own!, chain.targets)
        .filter((entry) => own.get(entry.key) !== true && own.get(entry.key) !== entry.narrow)
        .map((entry) => posting(tenantId, seq, entry))
    })
    if (postings.length > 0) await insertPostings(tx, postings)
  }

  /** Marks the targets of new voiding statements voided (statements voided later). */
  private async voidTargets(tx: Knex, tenantId: string, fresh: PreparedStatement[]): Promise<void> {
    const targets = fresh.filter((p) => isVoiding(p.statement)).map((p) => referencedStatementId(p.statement)!)
    await tx('xapi_statement').update({ voided: true }).where({ tenant_id: tenantId, voiding: false }).whereIn('id', targets)
  }
}

/**
 * Moves an Agent's postings to another identifier (erasure pseudonymises a person in place):
 * its `agent` postings, and the `agentVerb` postings that pair it with a verb. Those are found
 * by the verbs each of its statements carries, its own and its targets' (postings inherited
 * through StatementRefs).
 * @returns the number of postings re-keyed
 */
export async function rekeyAgentPostings(tx: Knex, tenantId: string, fromIfi: string, toIfi: string): Promise<number> {
  const from = indexKey(IndexKind.agent, fromIfi)
  const to = indexKey(IndexKind.agent, toIfi)
  const { rows } = (await tx.raw(
    `with recursive chain(seq, target, verb_id) as (
       select s.seq, s.object_statement_id, s.verb_id
         from xapi_statement_index i join xapi_statement s on s.seq = i.seq
        where i.tenant_id = ? and i.kind = ? and i.key = ? and i.narrow and s.tenant_id = ?
       union
       select c.seq, t.object_statement_id, t.verb_id from chain c
         join xapi_statement t on t.tenant_id = ? and t.id = c.target
     )
     select distinct seq, verb_id from chain`,
    [tenantId, IndexKind.agent, from, tenantId, tenantId],
  )) as { rows: Array<{ seq: string; verb_id: string }> }
  let count = 0
  if (rows.length > 0) {
    const verbKeys = rows.map((row) => indexKey(IndexKind.verb, row.verb_id))
    const { rowCount } = (await tx.raw(
      `update xapi_statement_index i set key = u.to_key
         from unnest(?::bigint[], ?::uuid[], ?::uuid[]) as u(seq, from_key, to_key)
        where i.tenant_id = ? and i.kind = ? and i.key = u.from_key and i.seq = u.seq`,
      [
        rows.map((row) => row.seq),
        verbKeys.map((verbKey) => agentVerbKey(from, verbKey)),
        verbKeys.map((verbKey) => agentVerbKey(to, verbKey)),
        tenantId,
        IndexKind.agentVerb,
      ],
    )) as { rowCount: number | null }
    count += rowCount ?? 0
  }
  count += await tx('xapi_statement_index').where({ tenant_id: tenantId, kind: IndexKind.agent, key: from }).update({ key: to })
  return count
}

/**
 * True when storing the batch is one atomic INSERT: a single statement that neither voids nor
 * references another (those need checks and updates around the INSERT).
 */
export function isSelfContained(batch: readonly PreparedStatement[]): boolean {
  return batch.length === 1 && referencedStatementId(batch[0]!.statement) === undefined
}

/**
 * Inserts a batch of statements (in request order, so `seq` follows it) and their postings,
 * skipping ids stored already, and reports: the rows inserted, the rows that existed before
 * (for the immutability check), and the stored statements that reference the batch's ids
 * (for StatementRef inheritance). A statement that a stored voiding statement already targets
 * is inserted voided. The final SELECTs see the snapshot from before the INSERTs, so "existing"
 * means stored before this statement.
 *
 * The voided test is one probe of `xapi_statement_by_target` per new statement. `OFFSET 0` keeps
 * it so: without statistics (a table never analysed: PGlite has no autovacuum) PostgreSQL hashed
 * it instead, reading every statement of the tenant on every INSERT (2.2 ms at 3,300 statements,
 * growing with the table; issue 7, docs/performance-notes.md).
 */
const INSERT_BATCH = `
  with input as (
    select * from rows from (unnest(?::uuid[]), unnest(?::text[]), unnest(?::uuid[]), unnest(?::bool[]),
                             unnest(?::timestamptz[]), unnest(?::uuid[]), json_array_elements(?::json)) with ordinality
      as t(id, verb_id, ref, voiding, stored, credential_id, statement, ord)
  ), ins as (
    insert into xapi_statement (tenant_id, id, stored, verb_id, object_statement_id, voiding, credential_id, statement, voided)
    select ?::uuid, id, stored, verb_id, ref, voiding, credential_id, statement,
           not voiding and exists (select 1 from xapi_statement v
                                    where v.tenant_id = ?::uuid and v.voiding and v.object_statement_id = input.id offset 0)
      from input order by ord
    on conflict (tenant_id, id) do nothing
    returning seq, id
  ), postings as (
    insert into xapi_statement_index (tenant_id, kind, key, seq, narrow)
    select ?::uuid, p.kind, p.key, ins.seq, p.narrow
      from unnest(?::uuid[], ?::smallint[], ?::uuid[], ?::bool[]) as p(id, kind, key, narrow)
      join ins on ins.id = p.id
  )
  select 'inserted' as what, id, null::text as json, null::boolean as voiding from ins
  union all
  select 'existing', s.id, s.statement::text, s.voiding from xapi_statement s
   where s.tenant_id = ?::uuid and s.id = any(?::uuid[])
  union all
  select 'referenced', r.object_statement_id, null, null from xapi_statement r
   where r.tenant_id = ?::uuid and r.object_statement_id = any(?::uuid[])`

/**
 * The page query with a write in the same SQL statement (a data-modifying CTE, executed once and
 * to completion whether or not its output is read): the page and its row commit together, or the
 * read fails. The page is named twice, so PostgreSQL materialises it once.
 */
function withRecord(db: Knex, page: Knex.QueryBuilder, record: { served: number; write: PageRecord }, direction: 'asc' | 'desc'): Knex.QueryBuilder {
  if (!Number.isSafeInteger(record.served) || record.served < 0) throw new TypeError(`served must be a count, not ${record.served}`)
  const write = record.write(`(select least(count(*), ${record.served}) from page)`)
  return db
    .with('page', page)
    .with('recorded', db.raw(write.sql, write.bindings as Knex.RawBinding[]))
    .select('*')
    .from('page')
    .orderBy('seq', direction)
}

/**
 * A PostgreSQL array literal of values that need no quoting: UUIDs, ISO timestamps, numbers,
 * booleans, nulls. Cheaper than pg's element-by-element escaping for the long arrays of a batch.
 */
function arrayLiteral(values: ReadonlyArray<string | number | boolean | null>): string {
  return `{${values.map((v) => (v === null ? 'NULL' : typeof v === 'boolean' ? (v ? 't' : 'f') : String(v))).join(',')}}`
}

interface PostingFilter {
  kind: IndexKind
  key: string
  narrowOnly: boolean
}

/**
 * The posting lists a filter needs, most selective first (the first drives the scan). A plain
 * `agent` with a `verb` is one `agentVerb` list of exactly the statements with both: scanning the
 * agent's list and probing the verb for each would read all of the agent's statements (issue 7).
 */
function postingFilters(filter: StatementFilter): PostingFilter[] {
  const out: PostingFilter[] = []
  if (filter.registration !== undefined) out.push({ kind: IndexKind.registration, key: indexKey(IndexKind.registration, filter.registration.toLowerCase()), narrowOnly: true })
  const verbKey = filter.verb === undefined ? undefined : indexKey(IndexKind.verb, filter.verb)
  const agentWithVerb = filter.agent !== undefined && !filter.agent.related && verbKey !== undefined
  // Every agentVerb posting is narrow: no need to read the flag.
  if (agentWithVerb) out.push({ kind: IndexKind.agentVerb, key: agentVerbKey(filter.agent!.key, verbKey), narrowOnly: false })
  if (filter.activity !== undefined) out.push({ kind: IndexKind.activity, key: indexKey(IndexKind.activity, filter.activity.iri), narrowOnly: !filter.activity.related })
  if (filter.agent !== undefined && !agentWithVerb) out.push({ kind: IndexKind.agent, key: filter.agent.key, narrowOnly: !filter.agent.related })
  if (verbKey !== undefined && !agentWithVerb) out.push({ kind: IndexKind.verb, key: verbKey, narrowOnly: true })
  return out
}

function posting(tenantId: string, seq: number, entry: IndexEntry) {
  return { tenant_id: tenantId, kind: entry.kind, key: entry.key, seq, narrow: entry.narrow }
}

/** Inserts postings; a posting present already keeps `narrow` if either copy has it. */
async function insertPostings(tx: Knex, postings: ReturnType<typeof posting>[]): Promise<void> {
  // Deduplicate first: one INSERT … ON CONFLICT cannot touch the same row twice.
  const unique = new Map<string, ReturnType<typeof posting>>()
  for (const p of postings) {
    const id = `${p.kind}:${p.key}:${p.seq}`
    const seen = unique.get(id)
    if (seen === undefined) unique.set(id, { ...p })
    else seen.narrow ||= p.narrow
  }
  const rows = [...unique.values()]
  const chunk = 5000
  for (let i = 0; i < rows.length; i += chunk) {
    await tx('xapi_statement_index')
      .insert(rows.slice(i, i + chunk))
      .onConflict(['tenant_id', 'kind', 'key', 'seq'])
      .merge({ narrow: tx.raw('xapi_statement_index.narrow or excluded.narrow') })
  }
}

function isVoiding(statement: Statement): boolean {
  return statement.verb.id === VOIDED_VERB && statement.object.objectType === 'StatementRef'
}
