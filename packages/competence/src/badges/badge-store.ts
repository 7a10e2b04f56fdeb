import type { Knex } from '@tln/db'
import { badgeUrls } from './badge-urls.ts'
import type { ProficientRating } from './clr.ts'
import { IssuerKeyStore } from './issuer-key-store.ts'
import type { IssuerInfo, OpenBadgeCredential } from './types.ts'

/** A `tier-completed` fact (`learning_fact`) that has no badge yet. */
export interface PendingCompletion {
  readonly statementId: string
  readonly learnerKey: string
  readonly tierId: string
  readonly tierName: string
  readonly at: Date
}

/** What one `BadgeStore.issueBatch` did. */
export interface IssuedBatch {
  /** Ids of the badges stored. */
  readonly issued: readonly string[]
  /** Completions taken off the list that needed no badge (voided, gone, or already holding one). */
  readonly settled: number
  /** Completions whose credential could not be made; they stay listed, behind the others. */
  readonly failed: readonly { readonly statementId: string; readonly error: unknown }[]
  /** The batch was full: more may be listed. */
  readonly more: boolean
}

interface PendingRow {
  statement_id: string; learner_key: string | null; object_id: string | null; name: string | null; at: Date | string | null; settled: boolean
}

export interface BadgeRecord {
  readonly id: string
  readonly tenantId: string
  readonly learnerKey: string
  readonly achievement: string
  readonly statementId: string
  readonly statusIndex: number
  readonly credential: OpenBadgeCredential
  readonly jwt: string
  readonly issuedAt: Date
  readonly revokedAt: Date | null
  readonly revocationReason: string | null
}

/** What a teacher's page lists for one badge (`badgesOf`). */
export interface BadgeSummary {
  readonly id: string
  readonly learnerKey: string
  /** The tier activity id. */
  readonly achievement: string
  readonly name: string
  readonly issuedAt: string
  readonly revokedAt: string | null
  readonly revocationReason: string | null
  /** Public page (HTML, or JSON-LD by content negotiation). */
  readonly url: string
  /** The VC-JWT, to download or put in a wallet. */
  readonly jwtUrl: string
  readonly verifyUrl: string
}

interface BadgeRow {
  id: string; tenant_id: string; learner_key: string; achievement: string; statement_id: string; status_index: number
  credential: OpenBadgeCredential | string; jwt: string; issued_at: Date | string; revoked_at: Date | string | null; revocation_reason: string | null
}

/**
 * Issued badges in `open_badge` and what issuing reads (the work list `badge_pending`, kept by a
 * trigger on `learning_fact`; the facts; the tenant's issuer name).
 * Every query has the tenant in its key except `find` by the badge's own random id (a public URL).
 */
export class BadgeStore {
  constructor(private readonly knex: Knex, private readonly options: { readonly publicUrl: string }) {}

  /** The issuer of a tenant's badges: named after the tenant's district (else province, else the tenant). */
  async issuer(tenantId: string): Promise<IssuerInfo | undefined> {
    const row = (await this.knex.raw(
      `select t.id, t.slug, coalesce(
         (select n.name from org_node n where n.tenant_id = t.id and n.kind = 'district' order by n.name limit 1),
         (select n.name from org_node n where n.tenant_id = t.id and n.kind = 'province' order by n.name limit 1),
         t.name) as name
       from tenant t where t.id = ?`,
      [tenantId],
    )).rows[0] as { id: string; slug: string; name: string } | undefined
    return row === undefined ? undefined : { tenantId: row.id, slug: row.slug, name: row.name }
  }

  async issuerBySlug(slug: string): Promise<IssuerInfo | undefined> {
    const row = (await this.knex('tenant').where({ slug }).first('id')) as { id: string } | undefined
    return row === undefined ? undefined : this.issuer(row.id)
  }

  /** Tenants with any tier completion (the issuing loop's work list). */
  async tenantsWithCompletions(): Promise<string[]> {
    // Per tenant an index probe on learning_fact (tenant_id, kind, …), not a scan of every fact each poll.
    const rows = (await this.knex.raw(
      `select t.id as tenant_id from tenant t
        where exists (select 1 from learning_fact f where f.tenant_id = t.id and f.kind = 'tier-completed')`,
    )).rows as { tenant_id: string }[]
    return rows.map((r) => r.tenant_id)
  }

  /** Whether the tenant has tier completions the issuer has not looked at yet (a probe of `badge_pending`). */
  async hasPending(tenantId: string): Promise<boolean> {
    const { pending } = (await this.knex.raw('select exists (select 1 from badge_pending where tenant_id = ?) as pending', [tenantId])).rows[0] as { pending: boolean }
    return pending
  }

  /**
   * Revokes the unrevoked badges whose tier completion was voided (xAPI voiding retracts the
   * evidence; the badge then shows as revoked and its status-list bit is set). Starts from the
   * voided completions (`learning_fact_voided_completion`, few), not from every badge or fact.
   * @returns the ids of the badges revoked now
   */
  async revokeVoided(tenantId: string, now: Date): Promise<string[]> {
    const rows = (await this.knex.raw(
      `update open_badge b
          set revoked_at = ?, revocation_reason = 'tier completion voided (statement ' || b.statement_id || ')'
         from learning_fact f
        where f.tenant_id = ? and f.kind = 'tier-completed' and f.voided
          and b.tenant_id = f.tenant_id and b.statement_id = f.statement_id and b.revoked_at is null
        returning b.id`,
      [now, tenantId],
    )).rows as { id: string }[]
    return rows.map((r) => r.id)
  }

  /**
   * Takes up to `limit` completions from the tenant's work list (`badge_pending`, fewest failed
   * attempts first, then oldest) and, in one transaction, issues a badge for each that still
   * needs one: the fact exists and is not voided, no badge rests on this statement, and the
   * learner holds no unrevoked badge for the tier (a second completion of the same tier earns
   * nothing new). `make` builds and signs a credential with the next index of the tenant's status
   * list; the badges go in with one insert, and the completions looked at leave the list.
   *
   * The tenant's `badge_issuer` row is locked for the transaction and the work list is read under
   * that lock, so two processes take turns and the second finds the first's completions gone: a
   * completion gets one badge however many issuers run (the insert is `on conflict do nothing`
   * besides). Key rotation takes the same lock, so `signingKid` is checked under it: a key rotated
   * out meanwhile signs nothing. A completion `make` fails on stays listed with one more attempt.
   * @throws BadgeError `ERR_BADGE_KEY_RETIRED` when `signingKid` is no longer the current key (nothing changed)
   */
  async issueBatch(
    tenantId: string,
    limit: number,
    make: (completion: PendingCompletion, statusIndex: number) => Promise<{ id: string; credential: OpenBadgeCredential; jwt: string; issuedAt: Date }>,
    signingKid: string,
  ): Promise<IssuedBatch> {
    return this.knex.transaction(async (trx) => {
      await trx.raw('insert into badge_issuer (tenant_id) values (?) on conflict do nothing', [tenantId])
      const { next_status_index: first } = (await trx.raw('select next_status_index from badge_issuer where tenant_id = ? for update', [tenantId])).rows[0] as { next_status_index: number }
      await IssuerKeyStore.assertCurrent(trx, tenantId, signingKid)
      const rows = (await trx.raw(
        `select p.statement_id, f.learner_key, f.object_id, coalesce(f.object_name, f.object_id) as name, f.at,
                (f.statement_id is null or f.voided
                 or exists (select 1 from open_badge b where b.tenant_id = p.tenant_id and b.statement_id = p.statement_id)
                 or exists (select 1 from open_badge b where b.tenant_id = p.tenant_id and b.learner_key = f.learner_key
                              and b.achievement = f.object_id and b.revoked_at is null)) as settled
           from badge_pending p
           left join learning_fact f on f.tenant_id = p.tenant_id and f.statement_id = p.statement_id
          where p.tenant_id = ?
          order by p.attempts, p.at, p.statement_id
          limit ?`,
        [tenantId, limit],
      )).rows as PendingRow[]
      const done: string[] = []
      const failed: { statementId: string; error: unknown }[] = []
      const badges: object[] = []
      const held = new Set<string>()
      let index = first
      for (const row of rows) {
        // Two completions of one tier by one learner in the same batch: the first earns the badge.
        const tier = `${row.learner_key ?? ''}\u0000${row.object_id ?? ''}`
        if (row.settled || held.has(tier)) {
          done.push(row.statement_id)
          continue
        }
        const completion: PendingCompletion = { statementId: row.statement_id, learnerKey: row.learner_key!, tierId: row.object_id!, tierName: row.name!, at: new Date(row.at!) }
        try {
          const badge = await make(completion, index)
          badges.push({ id: badge.id, learner_key: completion.learnerKey, achievement: completion.tierId, statement_id: completion.statementId, status_index: index, credential: badge.credential, jwt: badge.jwt, issued_at: badge.issuedAt })
          index++
          held.add(tier)
          done.push(row.statement_id)
        } catch (error) {
          failed.push({ statementId: row.statement_id, error })
        }
      }
      const issued = badges.length === 0 ? [] : ((await trx.raw(
        `insert into open_badge (id, tenant_id, learner_key, achievement, statement_id, status_index, credential, jwt, issued_at)
         select r.id, ?, r.learner_key, r.achievement, r.statement_id, r.status_index, r.credential, r.jwt, r.issued_at
           from jsonb_to_recordset(?::jsonb) as r(id uuid, learner_key text, achievement text, statement_id uuid, status_index integer, credential jsonb, jwt text, issued_at timestamptz)
         on conflict do nothing returning id`,
        [tenantId, JSON.stringify(badges)],
      )).rows as { id: string }[]).map((r) => r.id)
      if (index !== first) await trx.raw('update badge_issuer set next_status_index = ? where tenant_id = ?', [index, tenantId])
      const ids = (list: readonly string[]) => JSON.stringify(list)
      if (done.length > 0) {
        await trx.raw('delete from badge_pending where tenant_id = ? and statement_id in (select value::uuid from jsonb_array_elements_text(?::jsonb))', [tenantId, ids(done)])
      }
      if (failed.length > 0) {
        await trx.raw('update badge_pending set attempts = attempts + 1 where tenant_id = ? and statement_id in (select value::uuid from jsonb_array_elements_text(?::jsonb))', [tenantId, ids(failed.map((f) => f.statementId))])
      }
      return { issued, settled: done.length - badges.length, failed, more: rows.length === limit }
    })
  }

  /** A badge by id, in any tenant (the id is a random UUID in a public URL). */
  async find(id: string): Promise<BadgeRecord | undefined> {
    const row = (await this.knex('open_badge').where({ id }).first()) as BadgeRow | undefined
    return row === undefined ? undefined : toRecord(row)
  }

  /** Status-list indexes of the tenant's revoked badges. */
  async revokedIndexes(tenantId: string): Promise<number[]> {
    const rows = (await this.knex('open_badge').where({ tenant_id: tenantId }).whereNotNull('revoked_at').select('status_index')) as { status_index: number }[]
    return rows.map((r) => r.status_index)
  }

  /** The learner's display name as the reports know it (`learner_placement`), for the badge page. */
  async learnerName(tenantId: string, learnerKey: string): Promise<string | undefined> {
    const row = (await this.knex('learner_placement').where({ tenant_id: tenantId, learner_key: learnerKey }).first('name')) as { name: string } | undefined
    return row?.name
  }

  /** A learner's unrevoked badges, oldest first (what their CLR bundles). */
  async currentBadgesOf(tenantId: string, learnerKey: string): Promise<BadgeRecord[]> {
    const rows = (await this.knex('open_badge').where({ tenant_id: tenantId, learner_key: learnerKey }).whereNull('revoked_at')
      .orderBy([{ column: 'issued_at' }, { column: 'id' }])) as BadgeRow[]
    return rows.map(toRecord)
  }

  /** A learner's competence ratings at or above proficient (`competence_rating.proficient`), framework order by code. */
  async proficientRatings(tenantId: string, learnerKey: string): Promise<ProficientRating[]> {
    const rows = (await this.knex('competence_rating').where({ tenant_id: tenantId, learner_key: learnerKey, proficient: true })
      .orderBy('code').select('code', 'rating', 'method', 'config_version', 'updated_at')) as { code: string; rating: number; method: string; config_version: number; updated_at: Date | string }[]
    return rows.map((r) => ({ code: r.code, rating: Number(r.rating), method: r.method, configVersion: r.config_version, ratedAt: new Date(r.updated_at) }))
  }

  /**
   * The badges of some learners of a tenant, newest first, revoked ones included (a page shows
   * them as revoked): for a teacher's own page and the report pages.
   */
  async badgesOf(tenantId: string, learnerKeys: readonly string[]): Promise<BadgeSummary[]> {
    if (learnerKeys.length === 0) return []
    const rows = (await this.knex('open_badge')
      .where({ tenant_id: tenantId })
      .whereIn('learner_key', [...learnerKeys])
      .orderBy([{ column: 'issued_at', order: 'desc' }, { column: 'id' }])) as BadgeRow[]
    return rows.map((row) => {
      const record = toRecord(row)
      const url = badgeUrls(this.options.publicUrl, '').badge(record.id)
      return {
        id: record.id,
        learnerKey: record.learnerKey,
        achievement: record.achievement,
        name: record.credential.name,
        issuedAt: record.issuedAt.toISOString(),
        revokedAt: record.revokedAt?.toISOString() ?? null,
        revocationReason: record.revocationReason,
        url,
        jwtUrl: `${url}.jwt`,
        verifyUrl: `${url}/verify`,
      }
    })
  }
}

function toRecord(row: BadgeRow): BadgeRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    learnerKey: row.learner_key,
    achievement: row.achievement,
    statementId: row.statement_id,
    statusIndex: row.status_index,
    credential: typeof row.credential === 'string' ? (JSON.parse(row.credential) as OpenBadgeCredential) : row.credential,
    jwt: row.jwt,
    issuedAt: new Date(row.issued_at),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
    revocationReason: row.revocation_reason,
  }
}
