import { randomUUID } from 'node:crypto'
import type { Knex } from '@tln/db'
import { ifiKey, type ActivityDefinition, type Statement, type StatementListQuery, type ValidatedStatement, type XapiVersion } from '@tln/xapi'
import type { AttachmentContent, CheckedAttachments } from '../attachments/attachment-content.ts'
import { AttachmentStore } from '../attachments/attachment-store.ts'
import { authorityOf, type Credential } from '../credentials/credential-store.ts'
import { statementRights } from '../credentials/scopes.ts'
import type { ActivityStore } from '../documents/activity-store.ts'
import { mayDefine } from '../documents/document-rights.ts'
import { LrsError } from '../errors.ts'
import { GroupCommit, type GroupedWrite, type GroupOutcome } from './group-commit.ts'
import { encodeMoreCursor, type MoreCursor } from './more-cursor.ts'
import { activityIdsIn, agentIndexKey } from './statement-rows.ts'
import { isSelfContained, StatementStore, type PageRecord, type PreparedStatement, type StatementFilter, type StoredStatement } from './statement-store.ts'

/** Who is asking, in which tenant, with which negotiated xAPI version. */
export interface RequestContext {
  tenantId: string
  credential: Credential
  version: XapiVersion
}

export interface StatementPage {
  statements: StoredStatement[]
  /** The `more` token for the next page, or undefined at the end. */
  more?: string
}

export interface StatementServiceOptions {
  knex: Knex
  /** The clock: `stored` and `Consistent-Through` come from it (tests freeze it). */
  now: () => Date
  /** The `homePage` of credential authorities: this LRS's public URL. */
  authorityHomePage: string
  /** Canonical Activity definitions, updated from statements stored with the `define` scope. */
  activities: ActivityStore
}

const UNIQUE_VIOLATION = '23505'

/**
 * Statement use cases: store (PUT/POST), get one, query with paging. Takes validated statements
 * and plain values; HTTP stays in the router.
 */
export class StatementService {
  private readonly statementStore = new StatementStore()
  private readonly attachments = new AttachmentStore()
  private readonly activities: ActivityStore
  /** `stored` values of write transactions still in flight in this process. */
  private readonly inFlight = new Map<number, number>()
  private nextWrite = 0
  /**
   * Concurrent single-statement writes share one INSERT and one commit. One group at the database
   * at a time: every request that arrives during its round trip joins the next group, so groups are
   * larger than with two in flight and PostgreSQL commits (and flushes its log) less often: about a
   * third less PostgreSQL CPU per request with 8 or 32 clients (docs/performance-notes.md).
   */
  private readonly singles = new GroupCommit({ store: (tenantId, writes) => this.storeGroup(tenantId, writes), maxGroup: 64, maxInFlight: 1 })

  constructor(private readonly options: StatementServiceOptions) {
    this.activities = options.activities
  }

  /**
   * Stores statements all-or-nothing and answers only after the commit (nothing acknowledged is
   * lost). Sets the LRS-assigned properties: id, stored, authority (from the credential),
   * version and, when absent, timestamp = stored (xAPI 1.0.3 Data 2.4.7–2.4.10).
   * Attachment content is stored in the same transaction: all of it or none of it.
   * @returns the statement ids in request order.
   */
  async storeStatements(context: RequestContext, statements: ValidatedStatement[], attachments?: CheckedAttachments): Promise<string[]> {
    return (await this.store(context, statements, attachments)).ids
  }

  /**
   * Stores statements like `storeStatements` and tells how many were new; the others were
   * stored already with the same content (bulk import counts them as duplicates).
   */
  async storeCounting(context: RequestContext, statements: ValidatedStatement[]): Promise<{ ids: string[]; fresh: number }> {
    return this.store(context, statements)
  }

  private async store(context: RequestContext, statements: ValidatedStatement[], attachments?: CheckedAttachments): Promise<{ ids: string[]; fresh: number }> {
    if (statements.length === 0) return { ids: [], fresh: 0 }
    const storedAt = this.options.now()
    const stored = storedAt.toISOString()
    const authority = authorityOf(context.credential, this.options.authorityHomePage)
    const prepared = statements.map((received): PreparedStatement => {
      const id = (received.id ?? randomUUID()).toLowerCase()
      const { id: _ignored, stored: _clientStored, authority: _clientAuthority, ...rest } = received as Statement
      const statement: Statement = {
        id,
        ...rest,
        timestamp: received.timestamp ?? stored,
        stored,
        authority,
        version: received.version ?? (context.version === '2.0.0' ? '2.0.0' : '1.0.0'),
      }
      return { id, stored, statement, received, version: context.version }
    })
    const seen = new Set<string>()
    prepared.forEach((p, index) => {
      if (seen.has(p.id)) throw new LrsError('ERR_LRS_BAD_REQUEST', `[${index}].id ${p.id} appears twice in the batch; a batch must not repeat a statement id (xAPI 1.0.3 Communication 2.1.2)`, `[${index}].id`)
      seen.add(p.id)
    })

    const write = this.nextWrite++
    this.inFlight.set(write, storedAt.getTime())
    let freshCount = 0
    try {
      const mayUpdateDefinitions = mayDefine(context.credential.scopes)
      // The HTTP handler passes the (usually empty) checked content of every request.
      const content = attachments !== undefined && attachments.length > 0 ? attachments : undefined
      if (content === undefined && isSelfContained(prepared)) {
        // One INSERT, atomic by itself, shared with concurrent single-statement requests (group
        // commit): no BEGIN/COMMIT round trips and one commit for many requests.
        const fresh = await this.singles.write({ tenantId: context.tenantId, credentialId: context.credential.id, mayDefine: mayUpdateDefinitions, prepared: prepared[0]! })
        freshCount = fresh ? 1 : 0
      } else {
        // Whether the definitions would change anything is asked by the INSERT itself; usually
        // they would not, and the upsert's round trip is saved.
        const definitions = mayUpdateDefinitions ? this.activities.changedDefinitionsSql(context.tenantId, prepared.map((p) => p.statement)) : undefined
        await this.withRetryOnRace(() =>
          this.options.knex.transaction(async (tx) => {
            const { fresh, definitionsChanged } = await this.statementStore.insertBatch(tx, context.tenantId, prepared, context.credential.id, definitions)
            freshCount = fresh.length
            // Only new statements may change canonical definitions: an old statement sent again
            // must not put back a definition that has since been updated.
            if (fresh.length > 0 && definitionsChanged) await this.activities.upsertDefinitions(tx, context.tenantId, fresh.map((p) => p.statement))
            if (content !== undefined) await this.attachments.insert(tx, context.tenantId, content)
          }),
        )
      }
    } finally {
      this.inFlight.delete(write)
    }
    return { ids: prepared.map((p) => p.id), fresh: freshCount }
  }

  /**
   * Stores a group of single-statement writes (`GroupCommit`): one INSERT for all, then the
   * canonical definitions of the new statements whose credential may define, when the INSERT
   * found that they change one (one round trip for the group in the usual case).
   */
  private async storeGroup(tenantId: string, writes: readonly GroupedWrite[]): Promise<GroupOutcome[]> {
    const rows = writes.map((write) => ({ prepared: write.prepared, credentialId: write.credentialId }))
    const mayDefine = writes.filter((write) => write.mayDefine).map((write) => write.prepared.statement)
    const definitions = mayDefine.length > 0 ? this.activities.changedDefinitionsSql(tenantId, mayDefine) : undefined
    const { outcomes, definitionsChanged } = await this.withRetryOnRace(() => this.statementStore.insertIndependent(this.options.knex, tenantId, rows, definitions))
    const defining = writes.filter((write, i) => write.mayDefine && outcomes[i] === 'fresh').map((write) => write.prepared.statement)
    if (defining.length > 0 && definitionsChanged) await this.activities.upsertDefinitions(this.options.knex, tenantId, defining)
    return outcomes
  }

  /**
   * Another request may store the same id between our check and our insert; the unique index
   * catches it, and a second attempt then compares against what that request stored.
   */
  private async withRetryOnRace<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error
      return await run()
    }
  }

  /**
   * GET by `statementId` (not voided) or `voidedStatementId` (voided only), xAPI 1.0.3
   * Communication 2.1.3 and Data 2.3.2 ("the LRS MUST NOT return a voided statement when
   * requested by statementId").
   */
  async getStatement(context: RequestContext, query: { statementId?: string; voidedStatementId?: string }): Promise<StoredStatement | undefined> {
    const id = query.statementId ?? query.voidedStatementId!
    const row = await this.statementStore.findById(this.options.knex, context.tenantId, id, this.mineOnly(context))
    if (row === undefined) return undefined
    return row.voided === (query.voidedStatementId !== undefined) ? row : undefined
  }

  /**
   * The stored content of the given attachment sha2 values (lowercase), for GET with
   * `attachments=true` (xAPI 1.0.3 Communication 2.1.3). Attachments sent with only a `fileUrl`
   * have no content here and are left out.
   */
  async getAttachmentContent(context: RequestContext, sha2s: readonly string[]): Promise<AttachmentContent[]> {
    return this.attachments.findBySha2(this.options.knex, context.tenantId, sha2s)
  }

  /** The canonical definitions of every Activity the statements mention, for `format=canonical`. */
  async canonicalDefinitions(context: RequestContext, statements: readonly Statement[]): Promise<Map<string, ActivityDefinition>> {
    return this.activities.find(this.options.knex, context.tenantId, [...activityIdsIn(statements)])
  }

  /**
   * One page of a statement query, with the token of the next page: one SQL statement.
   * @param record a row to write in that statement (the access audit of a read that names a person)
   */
  async queryStatements(context: RequestContext, query: StatementListQuery, params: Record<string, string>, cursor?: MoreCursor, record?: PageRecord): Promise<StatementPage> {
    const filter: StatementFilter = {}
    if (query.agent !== undefined) {
      const key = agentIndexKey(query.agent)
      if (key === undefined || ifiKey(query.agent) === undefined) return { statements: [] }
      filter.agent = { key, related: query.relatedAgents }
    }
    if (query.activity !== undefined) filter.activity = { iri: query.activity, related: query.relatedActivities }
    if (query.verb !== undefined) filter.verb = query.verb
    if (query.registration !== undefined) filter.registration = query.registration
    if (query.since !== undefined) filter.since = query.since
    if (query.until !== undefined) filter.until = query.until
    const mine = this.mineOnly(context)
    if (mine !== undefined) filter.credentialId = mine

    const { statements: rows, snapshot } = await this.statementStore.query(this.options.knex, context.tenantId, filter, {
      ascending: query.ascending,
      limit: query.limit + 1,
      ...(cursor !== undefined ? { after: cursor.after, snapshot: cursor.snapshot } : {}),
      ...(record !== undefined ? { record: { served: query.limit, write: record } } : {}),
    })
    if (rows.length <= query.limit) return { statements: rows }
    const page = rows.slice(0, query.limit)
    return { statements: page, more: encodeMoreCursor({ params, after: page[page.length - 1]!.seq, snapshot: snapshot! }) }
  }

  /**
   * X-Experience-API-Consistent-Through (xAPI 1.0.3 Communication 2.1.3): every statement stored
   * at or before it is visible. Writes still in flight hold it back to just before their `stored`.
   */
  consistentThrough(): string {
    let through = this.options.now().getTime()
    for (const stored of this.inFlight.values()) through = Math.min(through, stored - 1)
    return new Date(through).toISOString()
  }

  private mineOnly(context: RequestContext): string | undefined {
    return statementRights(context.credential.scopes).read === 'mine' ? context.credential.id : undefined
  }
}
