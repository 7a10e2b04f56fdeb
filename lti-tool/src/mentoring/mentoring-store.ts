import type { Knex } from '@tln/db'
import { isUuid } from '../org/org-store.ts'
import type { Evidence, LessonPlanTask, MentoringSession, PersonRef, Relation, SessionStatus } from './types.ts'

type Db = Knex | Knex.Transaction

interface RelationRow {
  id: string; tenant_id: string; tenant_slug: string; window_start: string; window_days: number; created_at: Date; school_id: string
  mentor_id: string; mentor_name: string; mentor_issuer: string | null; mentor_sub: string | null
  mentee_id: string; mentee_name: string; mentee_issuer: string | null; mentee_sub: string | null; mentee_phone: string | null; mentee_email: string | null
  school_name: string; npsn: string; school_path: string; kecamatan_name: string | null; district_name: string | null
}

interface SessionRow {
  id: string; relation_id: string; session_date: string; duration_minutes: number; topic_task: LessonPlanTask | null; topic_text: string; notes: string
  after_window: boolean; evidence_name: string | null; evidence_type: string | null; evidence_size: number | null; status: SessionStatus
  mentee_note: string; verification_note: string; created_at: Date
}

const lti = (issuer: string | null, sub: string | null) => (issuer !== null && sub !== null ? { lti: { issuer, sub } } : {})

function toRelation(r: RelationRow): Relation {
  return {
    id: r.id, tenantId: r.tenant_id, tenant: r.tenant_slug, windowStart: r.window_start, windowDays: r.window_days, createdAt: new Date(r.created_at),
    mentor: { id: r.mentor_id, name: r.mentor_name, ...lti(r.mentor_issuer, r.mentor_sub) },
    mentee: { id: r.mentee_id, name: r.mentee_name, ...lti(r.mentee_issuer, r.mentee_sub), ...(r.mentee_phone !== null && { phone: r.mentee_phone }), ...(r.mentee_email !== null && { email: r.mentee_email }) },
    school: { id: r.school_id, name: r.school_name, npsn: r.npsn, path: r.school_path },
    ...(r.kecamatan_name !== null && { kecamatan: { name: r.kecamatan_name, ...(r.district_name !== null && { districtName: r.district_name }) } }),
  }
}

function toSession(r: SessionRow): MentoringSession {
  const evidence: Evidence | undefined = r.evidence_type === null ? undefined : { name: r.evidence_name ?? 'bukti', mediaType: r.evidence_type, size: r.evidence_size ?? 0 }
  return {
    id: r.id, relationId: r.relation_id, date: r.session_date, durationMinutes: r.duration_minutes, topicText: r.topic_text, notes: r.notes,
    afterWindow: r.after_window, status: r.status, menteeNote: r.mentee_note, verificationNote: r.verification_note, createdAt: new Date(r.created_at),
    ...(r.topic_task !== null && { topicTask: r.topic_task }), ...(evidence !== undefined && { evidence }),
  }
}

/** Dates as text: drivers would turn a `date` into a Date at local midnight, which shifts days across zones. */
const RELATION_SELECT = `
  select r.id, r.tenant_id, t.slug as tenant_slug, to_char(r.window_start, 'YYYY-MM-DD') as window_start, r.window_days, r.created_at, r.school_id,
         m.id as mentor_id, m.name as mentor_name, m.lti_issuer as mentor_issuer, m.lti_sub as mentor_sub,
         e.id as mentee_id, e.name as mentee_name, e.lti_issuer as mentee_issuer, e.lti_sub as mentee_sub, e.phone as mentee_phone, e.email as mentee_email,
         s.name as school_name, s.code as npsn, s.path as school_path, k.name as kecamatan_name, d.name as district_name
    from mentoring_relation r
    join tenant t on t.id = r.tenant_id
    join person m on m.id = r.mentor_person_id
    join person e on e.id = r.mentee_person_id
    join org_node s on s.id = r.school_id
    left join org_node k on k.id = s.parent_id and k.kind = 'kecamatan'
    left join org_node d on d.id = k.parent_id`

const SESSION_COLUMNS = `id, relation_id, to_char(session_date, 'YYYY-MM-DD') as session_date, duration_minutes, topic_task, topic_text, notes, after_window,
  evidence_name, evidence_type, evidence_size, status, mentee_note, verification_note, created_at`

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows

/** A link in a mentoring chain: relation `relationId` from `mentorId` to `menteeId`, `depth` edges below the root. */
export interface ChainLink {
  readonly relationId: string
  readonly mentorId: string
  readonly menteeId: string
  readonly menteeName: string
  readonly depth: number
  readonly sessions: number
}

/**
 * Peer-mentoring rows in PostgreSQL (`mentoring_*`, migration `20261129001200-mentoring`). Every
 * method takes the tenant and every query filters on it, so another tenant's id is not found.
 */
export class MentoringStore {
  constructor(private readonly knex: Knex) {}

  async windowDays(tenantId: string, fallback: number, db: Db = this.knex): Promise<number> {
    const row = (await db('mentoring_setting').where({ tenant_id: tenantId }).first('window_days')) as { window_days: number } | undefined
    return row?.window_days ?? fallback
  }

  async setWindowDays(tenantId: string, days: number, db: Db = this.knex): Promise<void> {
    await db.raw(`insert into mentoring_setting (tenant_id, window_days) values (?, ?)
      on conflict (tenant_id) do update set window_days = excluded.window_days, updated_at = now()`, [tenantId, days])
  }

  /** A new mentee at the school (no LMS identity yet). */
  async insertPerson(db: Db, tenantId: string, input: { name: string; schoolId: string; phone?: string; email?: string }): Promise<PersonRef> {
    const [row] = (await db('person').insert({ tenant_id: tenantId, name: input.name, school_id: input.schoolId, phone: input.phone ?? null, email: input.email ?? null }).returning(['id', 'name'])) as Array<{ id: string; name: string }>
    return { id: row!.id, name: row!.name }
  }

  /** A person of the tenant by e-mail (case-insensitive), with their school. */
  async personByEmail(db: Db, tenantId: string, email: string): Promise<{ id: string; schoolId?: string } | undefined> {
    const row = (await db('person').where({ tenant_id: tenantId }).andWhereRaw('lower(email) = lower(?)', [email]).first('id', 'school_id')) as { id: string; school_id: string | null } | undefined
    return row === undefined ? undefined : { id: row.id, ...(row.school_id !== null && { schoolId: row.school_id }) }
  }

  /** Make the relation, or find the one this pair has already. @returns its id */
  async insertRelation(db: Db, input: { tenantId: string; mentorId: string; menteeId: string; schoolId: string; windowStart: string; windowDays: number; userId: string }): Promise<string> {
    const inserted = rowsOf<{ id: string }>(await db.raw(
      `insert into mentoring_relation (tenant_id, mentor_person_id, mentee_person_id, school_id, window_start, window_days, created_by_user_id)
       values (?, ?, ?, ?, ?::date, ?, ?) on conflict (tenant_id, mentor_person_id, mentee_person_id) do nothing returning id`,
      [input.tenantId, input.mentorId, input.menteeId, input.schoolId, input.windowStart, input.windowDays, input.userId],
    ))
    if (inserted[0] !== undefined) return inserted[0].id
    const row = (await db('mentoring_relation').where({ tenant_id: input.tenantId, mentor_person_id: input.mentorId, mentee_person_id: input.menteeId }).first('id')) as { id: string }
    return row.id
  }

  async relation(tenantId: string, id: string, db: Db = this.knex): Promise<Relation | undefined> {
    if (!isUuid(id)) return undefined
    const [row] = rowsOf<RelationRow>(await db.raw(`${RELATION_SELECT} where r.tenant_id = ? and r.id = ?`, [tenantId, id]))
    return row === undefined ? undefined : toRelation(row)
  }

  /** Relations where the person is the mentor (`as: 'mentor'`) or the mentee, oldest first. */
  async relationsOf(tenantId: string, personId: string, as: 'mentor' | 'mentee', db: Db = this.knex): Promise<Relation[]> {
    const column = as === 'mentor' ? 'r.mentor_person_id' : 'r.mentee_person_id'
    return rowsOf<RelationRow>(await db.raw(`${RELATION_SELECT} where r.tenant_id = ? and ${column} = ? order by r.created_at, r.id`, [tenantId, personId])).map(toRelation)
  }

  async insertSession(db: Db, input: {
    tenantId: string; relationId: string; date: string; durationMinutes: number; topicTask?: LessonPlanTask; topicText: string; notes: string; afterWindow: boolean; userId: string
    evidence?: { name: string; mediaType: string; content: Buffer; sha256: string }
  }): Promise<string> {
    const [row] = (await db('mentoring_session').insert({
      tenant_id: input.tenantId, relation_id: input.relationId, session_date: input.date, duration_minutes: input.durationMinutes,
      topic_task: input.topicTask ?? null, topic_text: input.topicText, notes: input.notes, after_window: input.afterWindow, created_by_user_id: input.userId,
      ...(input.evidence !== undefined && {
        evidence_name: input.evidence.name, evidence_type: input.evidence.mediaType, evidence_size: input.evidence.content.length,
        evidence_sha256: input.evidence.sha256, evidence: input.evidence.content,
      }),
    }).returning('id')) as Array<{ id: string }>
    return row!.id
  }

  async session(tenantId: string, id: string, db: Db = this.knex): Promise<MentoringSession | undefined> {
    if (!isUuid(id)) return undefined
    const [row] = rowsOf<SessionRow>(await db.raw(`select ${SESSION_COLUMNS} from mentoring_session where tenant_id = ? and id = ?`, [tenantId, id]))
    return row === undefined ? undefined : toSession(row)
  }

  /** Sessions of some relations, newest first. */
  async sessionsOf(tenantId: string, relationIds: readonly string[], db: Db = this.knex): Promise<MentoringSession[]> {
    if (relationIds.length === 0) return []
    return rowsOf<SessionRow>(await db.raw(
      `select ${SESSION_COLUMNS} from mentoring_session where tenant_id = ? and relation_id = any(?::uuid[]) order by session_date desc, created_at desc`,
      [tenantId, [...relationIds]],
    )).map(toSession)
  }

  /** Sessions not yet verified or rejected, with their relations, oldest first. */
  async openSessions(tenantId: string, db: Db = this.knex): Promise<Array<{ session: MentoringSession; relationId: string }>> {
    return rowsOf<SessionRow>(await db.raw(
      `select ${SESSION_COLUMNS} from mentoring_session where tenant_id = ? and status in ('waiting', 'confirmed', 'disputed') order by created_at, id`, [tenantId],
    )).map((r) => ({ session: toSession(r), relationId: r.relation_id }))
  }

  /**
   * Move a session from one of `from` to `to`, in one conditional UPDATE, so two answers racing
   * cannot both win. @returns false when the session was in no state of `from`
   */
  async transition(db: Db, tenantId: string, id: string, from: readonly SessionStatus[], to: SessionStatus, fields: Record<string, unknown>): Promise<boolean> {
    const n = await db('mentoring_session').where({ tenant_id: tenantId, id }).whereIn('status', [...from]).update({ status: to, ...fields })
    return n === 1
  }

  async evidence(tenantId: string, id: string): Promise<{ content: Buffer; mediaType: string; name: string } | undefined> {
    if (!isUuid(id)) return undefined
    const row = (await this.knex('mentoring_session').where({ tenant_id: tenantId, id }).whereNotNull('evidence').first('evidence', 'evidence_type', 'evidence_name')) as { evidence: Buffer; evidence_type: string; evidence_name: string | null } | undefined
    return row === undefined ? undefined : { content: Buffer.from(row.evidence), mediaType: row.evidence_type, name: row.evidence_name ?? 'bukti' }
  }

  /** A new confirmation link for a session; earlier ones stop working. */
  async replaceConfirmation(db: Db, input: { tenantId: string; sessionId: string; tokenHash: string; nonce: string; expiresAt: Date }): Promise<void> {
    await db('mentoring_confirmation').where({ tenant_id: input.tenantId, session_id: input.sessionId }).delete()
    await db('mentoring_confirmation').insert({ token_hash: input.tokenHash, tenant_id: input.tenantId, session_id: input.sessionId, nonce: input.nonce, expires_at: input.expiresAt })
  }

  /** The live confirmation of a session (for the mentor to share again). */
  async confirmationOf(tenantId: string, sessionId: string, now: Date): Promise<{ nonce: string; expiresAt: Date } | undefined> {
    const row = (await this.knex('mentoring_confirmation').where({ tenant_id: tenantId, session_id: sessionId }).andWhere('expires_at', '>', now).first('nonce', 'expires_at')) as { nonce: string; expires_at: Date } | undefined
    return row === undefined ? undefined : { nonce: row.nonce, expiresAt: new Date(row.expires_at) }
  }

  /** The session a live link names (any tenant: the link is the credential). */
  async findConfirmation(tokenHash: string, now: Date, db: Db = this.knex): Promise<{ tenantId: string; sessionId: string } | undefined> {
    const row = (await db('mentoring_confirmation').where({ token_hash: tokenHash }).andWhere('expires_at', '>', now).first('tenant_id', 'session_id')) as { tenant_id: string; session_id: string } | undefined
    return row === undefined ? undefined : { tenantId: row.tenant_id, sessionId: row.session_id }
  }

  /** Use a link up (`DELETE … RETURNING`: of two concurrent uses one gets the row). */
  async consumeConfirmation(db: Db, tokenHash: string, now: Date): Promise<{ tenantId: string; sessionId: string } | undefined> {
    const [row] = rowsOf<{ tenant_id: string; session_id: string }>(await db.raw('delete from mentoring_confirmation where token_hash = ? and expires_at > ? returning tenant_id, session_id', [tokenHash, now]))
    return row === undefined ? undefined : { tenantId: row.tenant_id, sessionId: row.session_id }
  }

  async deleteConfirmations(db: Db, tenantId: string, sessionId: string): Promise<void> {
    await db('mentoring_confirmation').where({ tenant_id: tenantId, session_id: sessionId }).delete()
  }

  /** Which xAPI actor is which person (`person_identity`, read by the reports); the first writer wins. */
  async writeIdentity(db: Db, tenantId: string, ifiKey: string, personId: string): Promise<void> {
    await db.raw('insert into person_identity (tenant_id, ifi_key, person_id) values (?, ?, ?) on conflict do nothing', [tenantId, ifiKey, personId])
  }

  /**
   * The chain below a person: their mentees, their mentees' mentees, … (a recursive query that
   * never visits a person twice on one path, at most 20 deep), with sessions per relation.
   */
  async chain(tenantId: string, personId: string, db: Db = this.knex): Promise<ChainLink[]> {
    const rows = rowsOf<{ relation_id: string; mentor_id: string; mentee_id: string; mentee_name: string; depth: number; sessions: string | number }>(await db.raw(
      `with recursive chain (relation_id, mentor_id, mentee_id, depth, path) as (
         select id, mentor_person_id, mentee_person_id, 1, array[mentor_person_id, mentee_person_id]
           from mentoring_relation where tenant_id = ? and mentor_person_id = ?
         union all
         select r.id, r.mentor_person_id, r.mentee_person_id, c.depth + 1, c.path || r.mentee_person_id
           from mentoring_relation r join chain c on r.mentor_person_id = c.mentee_id
          where r.tenant_id = ? and not (r.mentee_person_id = any(c.path)) and c.depth < 20
       )
       select c.relation_id, c.mentor_id, c.mentee_id, p.name as mentee_name, c.depth,
              (select count(*) from mentoring_session s where s.relation_id = c.relation_id) as sessions
         from chain c join person p on p.id = c.mentee_id
        order by c.depth, p.name`,
      [tenantId, personId, tenantId],
    ))
    return rows.map((r) => ({ relationId: r.relation_id, mentorId: r.mentor_id, menteeId: r.mentee_id, menteeName: r.mentee_name, depth: Number(r.depth), sessions: Number(r.sessions) }))
  }
}
