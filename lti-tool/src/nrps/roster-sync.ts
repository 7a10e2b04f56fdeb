import type { Knex } from '@tln/db'
import { getMemberships, LtiServiceError, type AccessTokenCache, type KeyStore, type Member } from '@tln/lti-v1p3'
import { CourseClasses } from '../classes/course-classes.ts'
import { LtiToolError } from '../errors.ts'
import { createPlatformOutbound, type PlatformOutbound } from '../outbound/platform-outbound.ts'
import type { ToolLogger } from '../logger.ts'
import { tlnRoleOf } from '../session/roles.ts'
import { toPlatform, type PlatformRecord } from '../stores/platform-store.ts'

export interface RosterSyncResult {
  readonly contextId: string
  /** Members the platform listed. */
  readonly members: number
  /** Of them, active in the course. */
  readonly active: number
  /** Roster rows that became inactive: no longer listed, or listed as Inactive/Deleted. */
  readonly deactivated: number
}

export interface RosterSyncDeps {
  readonly knex: Knex
  readonly keys: KeyStore
  readonly tokenCache: AccessTokenCache
  readonly logger: ToolLogger
  /**
   * The fetch per platform (`createPlatformOutbound`). Default: the global fetch for operator
   * platforms, the guarded one with no private address allowed for dynamically registered ones.
   */
  readonly outbound?: PlatformOutbound
  readonly now?: () => number
  /** When a background sync tries again after a failure the platform may get over; default `ROSTER_SYNC_RETRY`. */
  readonly retry?: RosterSyncRetry
}

/**
 * Retries of a background sync whose platform failed in a way that may pass: a network failure,
 * 408, 429 or 5xx (`LtiServiceError.retryable`). Without them, a Moodle busy for a moment at the
 * facilitator's launch left the roster as it was until a launch after the sync interval.
 */
export interface RosterSyncRetry {
  /** The wait before each further attempt: `[5 s, 30 s]` is three attempts in all. */
  readonly delaysMs: readonly number[]
  /**
   * The longest platform `Retry-After` (RFC 9110 §10.2.3) waited for in-process; a platform that
   * asks for longer is left alone until the next launch after the sync interval.
   */
  readonly maxRetryAfterMs: number
}

export const ROSTER_SYNC_RETRY: RosterSyncRetry = { delaysMs: [5_000, 30_000], maxRetryAfterMs: 120_000 }

const CHUNK = 500

/**
 * Course rosters from Names and Role Provisioning Services 2.0. `sync` fetches every page of a
 * context's memberships (`Link: rel="next"` until absent, NRPS 2.0 §2.4.2; roles as short names
 * or full URIs, §2.2, normalised by the library), then in one transaction upserts the members as
 * TLN users (issuer, sub, name, email, TLN role) and as `course_roster` rows, makes inactive
 * the members no longer listed, and makes the course a TLN class with its members linked to
 * persons (`classes/course-classes.ts`). Each sync's outcome is kept in `course_roster_sync`.
 */
export class RosterSync {
  private readonly running = new Set<Promise<unknown>>()
  private readonly now: () => number
  /** The course becomes a TLN class, its members linked to persons (`classes/`). */
  private readonly classes: CourseClasses
  private readonly outbound: PlatformOutbound
  private readonly retry: RosterSyncRetry
  /** Wakes the background syncs waiting to try again, so `stop` does not wait out their delays. */
  private readonly wakeWaiting = new Set<() => void>()
  private stopping = false

  constructor(private readonly deps: RosterSyncDeps) {
    this.now = deps.now ?? Date.now
    this.retry = deps.retry ?? ROSTER_SYNC_RETRY
    this.classes = new CourseClasses(deps.knex)
    this.outbound = deps.outbound ?? createPlatformOutbound()
  }

  /**
   * Sync the roster of the context at `membershipsUrl` now (CLI, tests). Records the outcome;
   * rethrows a failure after recording it.
   */
  async sync(platform: PlatformRecord, membershipsUrl: string, options: { contextId?: string; contextTitle?: string } = {}): Promise<RosterSyncResult> {
    const startedAt = new Date(this.now())
    let contextId = options.contextId
    try {
      const view = toPlatform(platform)
      // Membership pages may be large: the roster fetch allows a larger answer (the token request shares it).
      const fetch = this.outbound.fetchFor(view, 'roster')
      const membership = await getMemberships({
        platform: view, keys: this.deps.keys, tokenCache: this.deps.tokenCache, now: this.now, ...(fetch !== undefined && { fetch }),
      }, membershipsUrl)
      contextId = membership.context?.id ?? contextId
      if (contextId === undefined) throw new LtiToolError('ERR_TOOL_BAD_REQUEST', 'the memberships answer names no context and none was given (NRPS 2.0 §2.3)')
      const result = await this.store(platform, contextId, membership.members, startedAt, membership.context?.title ?? options.contextTitle)
      await this.record(platform, contextId, membershipsUrl, { status: 'ok', startedAt, result, title: membership.context?.title ?? options.contextTitle })
      this.deps.logger.info({ issuer: platform.issuer, ...result }, 'NRPS roster synced')
      return result
    } catch (error) {
      await this.record(platform, contextId ?? membershipsUrl, membershipsUrl, { status: 'failed', startedAt, error: (error as Error).message, title: options.contextTitle })
        .catch((err: unknown) => this.deps.logger.error({ err }, 'NRPS roster sync: recording the failure failed'))
      throw error
    }
  }

  /**
   * Sync in the background, at most once per `minIntervalMs` per course across all processes
   * (a conditional upsert of `course_roster_sync` claims the turn), trying again after a failure
   * that may pass (`RosterSyncRetry`). Never throws: failures are logged and recorded. Used on an
   * Instructor launch that carries the NRPS claim.
   */
  syncInBackground(platform: PlatformRecord, membershipsUrl: string, context: { id: string; title?: string }, minIntervalMs: number): void {
    if (this.stopping) return
    const task = (async () => {
      const now = new Date(this.now())
      const claimed = (await this.deps.knex.raw(`
        insert into course_roster_sync (platform_id, context_id, memberships_url, context_title, status, started_at)
        values (?, ?, ?, ?, 'running', ?)
        on conflict (platform_id, context_id) do update
          set status = 'running', started_at = excluded.started_at, memberships_url = excluded.memberships_url, error = null
          where course_roster_sync.started_at <= ?
        returning platform_id`,
      [platform.id, context.id, membershipsUrl, context.title ?? null, now, new Date(now.getTime() - minIntervalMs)])) as { rows: unknown[] }
      if (claimed.rows.length === 0) return
      for (let retries = 0; ; retries++) {
        try {
          await this.sync(platform, membershipsUrl, { contextId: context.id, ...(context.title !== undefined && { contextTitle: context.title }) })
          return
        } catch (error) {
          const delayMs = this.retryDelayMs(error, retries)
          if (delayMs === undefined || this.stopping) throw error
          this.deps.logger.info({ err: error, issuer: platform.issuer, contextId: context.id, retry: retries + 1, delayMs }, 'NRPS roster sync failed; trying again')
          if (!(await this.wait(delayMs))) throw error
        }
      }
    })().catch((err: unknown) => {
      this.deps.logger.warn({ err, issuer: platform.issuer, contextId: context.id }, 'NRPS roster sync after launch failed')
    })
    this.running.add(task)
    void task.finally(() => this.running.delete(task))
  }

  /** Resolves when the background syncs started so far have ended (tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running])
  }

  /** Shutdown: starts no background sync and no further attempt, then waits for the attempts under way. */
  async stop(): Promise<void> {
    this.stopping = true
    for (const wake of this.wakeWaiting) wake()
    await this.idle()
  }

  /** The wait before retry number `retries + 1` of a failed sync, or undefined when it is not tried again. */
  private retryDelayMs(error: unknown, retries: number): number | undefined {
    if (!(error instanceof LtiServiceError) || !error.retryable) return undefined
    const delayMs = this.retry.delaysMs[retries]
    if (delayMs === undefined) return undefined
    const retryAfterMs = (error.retryAfterS ?? 0) * 1000
    if (retryAfterMs > this.retry.maxRetryAfterMs) return undefined
    return Math.max(delayMs, retryAfterMs)
  }

  /** Waits `ms`; false when `stop` cut the wait short. */
  private wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const wake = () => { clearTimeout(timer); this.wakeWaiting.delete(wake); resolve(false) }
      const timer = setTimeout(() => { this.wakeWaiting.delete(wake); resolve(true) }, ms)
      this.wakeWaiting.add(wake)
    })
  }

  private async store(platform: PlatformRecord, contextId: string, listed: readonly Member[], seenAt: Date, title: string | undefined): Promise<RosterSyncResult> {
    const members = [...new Map(listed.map((m) => [m.userId, m])).values()]
    return this.deps.knex.transaction(async (trx) => {
      let active = 0
      for (let i = 0; i < members.length; i += CHUNK) {
        const chunk = members.slice(i, i + CHUNK)
        const users = (await trx('lti_user')
          .insert(chunk.map((m) => ({ tenant_id: platform.tenantId, issuer: platform.issuer, sub: m.userId, name: nameOf(m) ?? null, email: m.email ?? null, role: tlnRoleOf(m.roles) })))
          .onConflict(['issuer', 'sub'])
          .merge({
            name: trx.raw('coalesce(excluded.name, lti_user.name)'),
            email: trx.raw('coalesce(excluded.email, lti_user.email)'),
            // The launch sets the role a person acts in; the roster only fills in a role not known yet.
            role: trx.raw(`case when lti_user.role = 'guest' then excluded.role else lti_user.role end`),
            updated_at: trx.fn.now(),
          })
          .returning(['id', 'sub'])) as { id: string; sub: string }[]
        const idOf = new Map(users.map((u) => [u.sub, u.id]))
        const rows = chunk.map((m) => {
          const status = m.status === 'Inactive' || m.status === 'Deleted' ? 'inactive' : 'active'
          if (status === 'active') active += 1
          return { platform_id: platform.id, context_id: contextId, user_id: idOf.get(m.userId)!, tenant_id: platform.tenantId, roles: [...m.roles], tln_role: tlnRoleOf(m.roles), status, last_seen_at: seenAt, updated_at: seenAt }
        })
        if (rows.length > 0) {
          await trx('course_roster').insert(rows).onConflict(['platform_id', 'context_id', 'user_id'])
            .merge(['roles', 'tln_role', 'status', 'last_seen_at', 'updated_at'])
        }
      }
      const inactiveListed = members.length - active
      const dropped = await trx('course_roster')
        .where({ platform_id: platform.id, context_id: contextId, status: 'active' })
        .andWhere('last_seen_at', '<', seenAt)
        .update({ status: 'inactive', updated_at: seenAt })
      await this.classes.fromRoster(trx, { tenantId: platform.tenantId, platformId: platform.id, issuer: platform.issuer, contextId, ...(title !== undefined && { title }) })
      return { contextId, members: members.length, active, deactivated: dropped + inactiveListed }
    })
  }

  private async record(platform: PlatformRecord, contextId: string, membershipsUrl: string, outcome: { status: 'ok' | 'failed'; startedAt: Date; result?: RosterSyncResult; error?: string; title?: string | undefined }): Promise<void> {
    const row = {
      platform_id: platform.id, context_id: contextId, memberships_url: membershipsUrl, context_title: outcome.title ?? null,
      status: outcome.status, started_at: outcome.startedAt, finished_at: new Date(this.now()),
      members: outcome.result?.members ?? null, deactivated: outcome.result?.deactivated ?? null, error: outcome.error?.slice(0, 1000) ?? null,
    }
    await this.deps.knex('course_roster_sync').insert(row).onConflict(['platform_id', 'context_id']).merge()
  }
}

function nameOf(member: Member): string | undefined {
  if (member.name !== undefined && member.name !== '') return member.name
  const joined = [member.givenName, member.familyName].filter((p) => p !== undefined && p !== '').join(' ')
  return joined === '' ? undefined : joined
}
