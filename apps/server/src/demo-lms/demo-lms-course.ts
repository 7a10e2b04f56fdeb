import { createHash, randomBytes } from 'node:crypto'
import type { Knex } from '@tln/db'
import type { CheckedScore, LtiResourceLinkItem } from '@tln/lti-v1p3'

/** One resource link of the demo course: what a Deep Linking content item placed (Deep Linking 2.0 §3.3). */
export interface DemoActivity {
  readonly resourceLinkId: string
  readonly title: string
  readonly url: string
  readonly custom: Readonly<Record<string, string>>
  /** Its gradebook column, when the content item asked for one. */
  readonly lineItemId?: number
}

/** A gradebook column (AGS 2.0 §3.2). */
export interface DemoLineItem {
  readonly id: number
  readonly label: string
  readonly scoreMaximum: number
  readonly resourceLinkId?: string
  readonly resourceId?: string
  readonly tag?: string
}

/** A score as the gradebook keeps it: the latest per line item and user. */
export interface DemoScore extends CheckedScore {
  readonly lineItemId: number
  readonly receivedAt: number
}

interface ActivityRow { resource_link_id: string; title: string; url: string; custom: Record<string, string> | string; line_item_id: number | null }
interface LineItemRow { id: number; label: string; score_maximum: number; resource_link_id: string | null; resource_id: string | null; tag: string | null }
interface ScoreRow {
  line_item_id: number; user_id: string; score_given: number | null; score_maximum: number | null; activity_progress: string; grading_progress: string
  comment: string | null; timestamp: Date | string; received_at: Date | string
}

const json = <T>(v: T | string): T => (typeof v === 'string' ? JSON.parse(v) as T : v)
const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url')

/**
 * The demo LMS's course, gradebook and service tokens in the database (`demo_lms_*` tables), per
 * issuer: the state survives restarts and is shared by every process.
 */
export class DemoCourseStore {
  constructor(private readonly knex: Knex, private readonly issuer: string, private readonly courseId: string) {}

  /** The course's activities, in the order they were added. */
  async activities(): Promise<DemoActivity[]> {
    return ((await this.activityRows()) as ActivityRow[]).map(toActivity)
  }

  /** One activity, read by its resource link id (a launch and an authentication request each read one). */
  async activity(resourceLinkId: string): Promise<DemoActivity | undefined> {
    const [row] = (await this.activityRows().andWhere('a.resource_link_id', resourceLinkId)) as ActivityRow[]
    return row === undefined ? undefined : toActivity(row)
  }

  /** The activities with their line item, if any. */
  private activityRows() {
    return this.knex('demo_lms_activity as a')
      .leftJoin('demo_lms_line_item as l', (j) => { j.on('l.issuer', 'a.issuer').andOn('l.resource_link_id', 'a.resource_link_id') })
      .where('a.issuer', this.issuer).orderBy('a.position')
      .select('a.resource_link_id', 'a.title', 'a.url', 'a.custom', 'l.id as line_item_id')
  }

  /**
   * Adds content items to the course, idempotently (Deep Linking 2.0 §4.5: the platform creates a
   * link per item): the same url and custom parameters make the same resource link, added once; an
   * item with a `lineItem` gets its gradebook column (Deep Linking 2.0 §3.3, AGS 2.0 §3.2). Returns
   * how many were new.
   */
  async addContentItems(items: readonly LtiResourceLinkItem[]): Promise<number> {
    let added = 0
    await this.knex.transaction(async (trx) => {
      for (const item of items) {
        if (typeof item.url !== 'string' || item.url === '') continue
        const custom = item.custom ?? {}
        const resourceLinkId = `${this.courseId}-${sha256(`${item.url}\u0000${JSON.stringify(Object.entries(custom).sort())}`).slice(0, 12)}`
        const inserted = await trx('demo_lms_activity')
          .insert({ issuer: this.issuer, resource_link_id: resourceLinkId, title: item.title ?? item.url, url: item.url, custom: JSON.stringify(custom) })
          .onConflict(['issuer', 'resource_link_id']).ignore().returning('resource_link_id') as unknown[]
        added += inserted.length
        if (item.lineItem !== undefined) {
          await trx.raw(
            `insert into demo_lms_line_item (issuer, label, score_maximum, resource_link_id, resource_id, tag) values (?, ?, ?, ?, ?, ?)
             on conflict (issuer, resource_link_id) where resource_link_id is not null do nothing`,
            [this.issuer, item.lineItem.label ?? item.title ?? resourceLinkId, item.lineItem.scoreMaximum, resourceLinkId, item.lineItem.resourceId ?? null, item.lineItem.tag ?? null],
          )
        }
      }
    })
    return added
  }

  /** The line items, filtered as AGS 2.0 §3.2.4 allows (`resource_link_id`, `resource_id`, `tag`). */
  async lineItems(filter: { resourceLinkId?: string; resourceId?: string; tag?: string } = {}): Promise<DemoLineItem[]> {
    const q = this.knex('demo_lms_line_item').where({ issuer: this.issuer }).orderBy('id')
    if (filter.resourceLinkId !== undefined) void q.andWhere({ resource_link_id: filter.resourceLinkId })
    if (filter.resourceId !== undefined) void q.andWhere({ resource_id: filter.resourceId })
    if (filter.tag !== undefined) void q.andWhere({ tag: filter.tag })
    return ((await q) as LineItemRow[]).map(toLineItem)
  }

  async lineItem(id: number): Promise<DemoLineItem | undefined> {
    const row = (await this.knex('demo_lms_line_item').where({ issuer: this.issuer, id }).first()) as LineItemRow | undefined
    return row === undefined ? undefined : toLineItem(row)
  }

  /** A tool's new line item (AGS 2.0 §3.2.5); one per resource link: a second POST for the same link answers the first. */
  async createLineItem(item: Omit<DemoLineItem, 'id'>): Promise<DemoLineItem> {
    if (item.resourceLinkId !== undefined) {
      const [existing] = await this.lineItems({ resourceLinkId: item.resourceLinkId })
      if (existing !== undefined) return existing
    }
    const [row] = (await this.knex('demo_lms_line_item').insert({
      issuer: this.issuer, label: item.label, score_maximum: item.scoreMaximum, resource_link_id: item.resourceLinkId ?? null, resource_id: item.resourceId ?? null, tag: item.tag ?? null,
    }).returning('*')) as LineItemRow[]
    return toLineItem(row!)
  }

  /**
   * Records a score as the user's result on the line item. AGS 2.0 §3.4.3: "the platform MUST NOT
   * update a result if the last timestamp on record is later than the incoming score update"; such
   * a score is acknowledged and ignored (returns false).
   */
  async putScore(lineItemId: number, score: CheckedScore): Promise<boolean> {
    const row = {
      line_item_id: lineItemId, user_id: score.userId, score_given: score.scoreGiven ?? null, score_maximum: score.scoreMaximum ?? null,
      activity_progress: score.activityProgress, grading_progress: score.gradingProgress, comment: score.comment ?? null,
      timestamp: new Date(score.timestamp), received_at: this.knex.fn.now(),
    }
    const written = await this.knex('demo_lms_score').insert(row).onConflict(['line_item_id', 'user_id']).merge()
      .where('demo_lms_score.timestamp', '<=', new Date(score.timestamp)).returning('user_id') as unknown[]
    return written.length > 0
  }

  /** The results of every line item, latest first: the gradebook page (the result service reads `resultsPage`). */
  async scores(): Promise<DemoScore[]> {
    const q = this.knex('demo_lms_score as s').join('demo_lms_line_item as l', 'l.id', 's.line_item_id').where('l.issuer', this.issuer).select('s.*').orderBy('s.received_at', 'desc')
    return ((await q) as ScoreRow[]).map(toScore)
  }

  /**
   * One page of a line item's results for the result service (AGS 2.0 §3.3), in user id order: only
   * `userId`'s when given, at most `limit`, those after the user id `after` (the last of the page
   * before). Keyed on the user id rather than an offset, so a score arriving meanwhile neither
   * repeats nor hides a result of a later page. `more`: a next page has results.
   */
  async resultsPage(lineItemId: number, page: { userId?: string; limit: number; after?: string }): Promise<{ scores: DemoScore[]; more: boolean }> {
    const q = this.knex('demo_lms_score as s').join('demo_lms_line_item as l', 'l.id', 's.line_item_id')
      .where({ 'l.issuer': this.issuer, 's.line_item_id': lineItemId }).select('s.*').orderBy('s.user_id').limit(page.limit + 1)
    if (page.userId !== undefined) void q.andWhere('s.user_id', page.userId)
    if (page.after !== undefined) void q.andWhere('s.user_id', '>', page.after)
    const rows = (await q) as ScoreRow[]
    return { scores: rows.slice(0, page.limit).map(toScore), more: rows.length > page.limit }
  }

  /** Records a client assertion's `jti` until it expires; false when it was seen already (RFC 7523 §3). Atomic: two processes cannot both accept it. */
  async consumeJti(jti: string, expiresAt: number): Promise<boolean> {
    await this.knex('demo_lms_assertion_jti').where('expires_at', '<', new Date()).delete()
    const rows = await this.knex('demo_lms_assertion_jti').insert({ issuer: this.issuer, jti, expires_at: new Date(expiresAt) }).onConflict(['issuer', 'jti']).ignore().returning('jti') as unknown[]
    return rows.length === 1
  }

  /**
   * Records a Deep Linking response's `nonce` until it expires; false when it was received already
   * (Security Framework 1.0 §5.2.3, item 9). Kept beside the assertions' `jti`s, under a prefix of its own:
   * both are one-time values of JWTs the tool signed, held until their `exp`.
   */
  async consumeResponseNonce(nonce: string, expiresAt: number): Promise<boolean> {
    return this.consumeJti(`deep-linking-response:${nonce}`, expiresAt)
  }

  /** A new bearer token with these scopes, valid `ttlS` seconds; only its hash is stored. */
  async issueToken(scopes: readonly string[], ttlS: number, now: number): Promise<string> {
    const token = randomBytes(32).toString('base64url')
    await this.knex('demo_lms_access_token').where('expires_at', '<', new Date(now)).delete()
    await this.knex('demo_lms_access_token').insert({ token_hash: sha256(token), issuer: this.issuer, scopes: [...scopes], expires_at: new Date(now + ttlS * 1000) })
    return token
  }

  /** The scopes of a bearer token this LMS issued and that has not expired; undefined otherwise. */
  async tokenScopes(token: string, now: number): Promise<readonly string[] | undefined> {
    const row = (await this.knex('demo_lms_access_token').where({ token_hash: sha256(token), issuer: this.issuer }).where('expires_at', '>', new Date(now)).first()) as { scopes: string[] } | undefined
    return row?.scopes
  }
}

function toActivity(r: ActivityRow): DemoActivity {
  return { resourceLinkId: r.resource_link_id, title: r.title, url: r.url, custom: json(r.custom), ...(r.line_item_id !== null && { lineItemId: Number(r.line_item_id) }) }
}

function toScore(r: ScoreRow): DemoScore {
  return {
    lineItemId: r.line_item_id, userId: r.user_id, activityProgress: r.activity_progress as CheckedScore['activityProgress'], gradingProgress: r.grading_progress as CheckedScore['gradingProgress'],
    timestamp: new Date(r.timestamp).getTime(), receivedAt: new Date(r.received_at).getTime(),
    ...(r.score_given !== null && { scoreGiven: Number(r.score_given) }), ...(r.score_maximum !== null && { scoreMaximum: Number(r.score_maximum) }),
    ...(r.comment !== null && { comment: r.comment }),
  }
}

function toLineItem(r: LineItemRow): DemoLineItem {
  return {
    id: Number(r.id), label: r.label, scoreMaximum: Number(r.score_maximum),
    ...(r.resource_link_id !== null && { resourceLinkId: r.resource_link_id }), ...(r.resource_id !== null && { resourceId: r.resource_id }), ...(r.tag !== null && { tag: r.tag }),
  }
}
