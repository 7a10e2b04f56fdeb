import type { Knex } from '@tln/db'
import { isUuid } from '../org/org-store.ts'
import type { MeetingKind } from './meeting-statements.ts'
import type { AccountAgent } from './tln-group.ts'

type Db = Knex | Knex.Transaction

export interface Meeting {
  readonly id: string
  readonly tenantId: string
  readonly kecamatanId: string
  readonly kind: MeetingKind
  readonly title: string
  readonly startsAt: Date
  readonly place: string
  readonly code: string
  /** Who scheduled it, as an Agent: the `instructor` of check-ins. */
  readonly facilitator: AccountAgent
  /** Non-voided attendances (lists only). */
  readonly attended?: number
}

export interface Attendance {
  readonly personId: string
  readonly personName: string
  readonly method: 'marked' | 'code'
  readonly revision: number
  readonly voided: boolean
  readonly instructor: AccountAgent
  readonly statementStored: boolean
}

interface MeetingRow { id: string; tenant_id: string; kecamatan_id: string; kind: MeetingKind; title: string; starts_at: Date | string; place: string; code: string; facilitator: AccountAgent | string; attended?: number | string }

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value)

function toMeeting(r: MeetingRow): Meeting {
  return {
    id: r.id, tenantId: r.tenant_id, kecamatanId: r.kecamatan_id, kind: r.kind, title: r.title, startsAt: new Date(r.starts_at), place: r.place, code: r.code, facilitator: json(r.facilitator),
    ...(r.attended !== undefined && { attended: Number(r.attended) }),
  }
}

/**
 * Meetings, attendance and the check-in throttle in PostgreSQL (`tln_meeting`,
 * `tln_meeting_attendance`, `meeting_checkin_throttle`). Every query names the tenant.
 */
export class MeetingStore {
  constructor(private readonly knex: Knex) {}

  /** Insert a meeting; `false` when its code is taken in the tenant (the caller draws another). */
  async insert(db: Db, row: { id: string; tenantId: string; kecamatanId: string; kind: MeetingKind; title: string; startsAt: Date; place: string; code: string; createdBy: string; facilitator: AccountAgent }): Promise<boolean> {
    const inserted = (await db.raw(
      `insert into tln_meeting (id, tenant_id, kecamatan_id, kind, title, starts_at, place, code, created_by_user_id, facilitator)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) on conflict (tenant_id, code) do nothing returning id`,
      [row.id, row.tenantId, row.kecamatanId, row.kind, row.title, row.startsAt, row.place, row.code, row.createdBy, JSON.stringify(row.facilitator)],
    )).rows as unknown[]
    return inserted.length === 1
  }

  async meeting(tenantId: string, id: string, db: Db = this.knex): Promise<Meeting | undefined> {
    if (!isUuid(id)) return undefined
    const row = (await db('tln_meeting').where({ tenant_id: tenantId, id }).first()) as MeetingRow | undefined
    return row === undefined ? undefined : toMeeting(row)
  }

  async byCode(tenantId: string, code: string): Promise<Meeting | undefined> {
    const row = (await this.knex('tln_meeting').where({ tenant_id: tenantId, code }).first()) as MeetingRow | undefined
    return row === undefined ? undefined : toMeeting(row)
  }

  /** A group's meetings, newest first, with their attendance counts. */
  async list(tenantId: string, kecamatanId: string): Promise<Meeting[]> {
    const rows = (await this.knex('tln_meeting as m')
      .select('m.*', this.knex.raw('(select count(*) from tln_meeting_attendance a where a.meeting_id = m.id and not a.voided) as attended'))
      .where({ 'm.tenant_id': tenantId, 'm.kecamatan_id': kecamatanId }).orderBy('m.starts_at', 'desc').limit(200)) as MeetingRow[]
    return rows.map(toMeeting)
  }

  /** Everyone marked for a meeting (voided included: the page shows them as undone), by name. */
  async attendance(tenantId: string, meetingId: string): Promise<Attendance[]> {
    const rows = (await this.knex('tln_meeting_attendance as a').join('person as p', 'p.id', 'a.person_id')
      .select('a.*', 'p.name as person_name').where({ 'a.tenant_id': tenantId, 'a.meeting_id': meetingId }).orderBy('p.name')) as Array<{
      person_id: string; person_name: string; method: 'marked' | 'code'; revision: number; voided: boolean; instructor: AccountAgent | string; statement_stored: boolean
    }>
    return rows.map((r) => ({
      personId: r.person_id, personName: r.person_name, method: r.method, revision: r.revision, voided: r.voided,
      instructor: json(r.instructor), statementStored: r.statement_stored,
    }))
  }

  /**
   * Mark one person present: a new row, or a voided row made live again with the next revision.
   * A live row already there changes nothing (each attendance once) and answers undefined.
   */
  async mark(db: Db, row: { tenantId: string; meetingId: string; personId: string; method: 'marked' | 'code'; userId: string; instructor: AccountAgent }): Promise<{ revision: number } | undefined> {
    const result = (await db.raw(
      `insert into tln_meeting_attendance (tenant_id, meeting_id, person_id, method, marked_by_user_id, instructor)
       values (?, ?, ?, ?, ?, ?::jsonb)
       on conflict (meeting_id, person_id) do update set
         voided = false, revision = tln_meeting_attendance.revision + 1, method = excluded.method,
         marked_by_user_id = excluded.marked_by_user_id, instructor = excluded.instructor, voided_by = null,
         statement_stored = false, void_statement_stored = false, updated_at = now()
       where tln_meeting_attendance.voided
       returning revision`,
      [row.tenantId, row.meetingId, row.personId, row.method, row.userId, JSON.stringify(row.instructor)],
    )).rows as Array<{ revision: number }>
    return result[0] === undefined ? undefined : { revision: Number(result[0].revision) }
  }

  /** Undo a live attendance; undefined when there is none (nothing changes). */
  async undo(db: Db, row: { tenantId: string; meetingId: string; personId: string; by: AccountAgent }): Promise<{ revision: number } | undefined> {
    const result = (await db('tln_meeting_attendance').where({ tenant_id: row.tenantId, meeting_id: row.meetingId, person_id: row.personId, voided: false })
      .update({ voided: true, voided_by: JSON.stringify(row.by), updated_at: db.fn.now() }).returning('revision')) as Array<{ revision: number }>
    return result[0] === undefined ? undefined : { revision: Number(result[0].revision) }
  }

  /** Failed code lookups of a subject in the window that started after `since`. */
  async failures(tenantId: string, subjects: readonly string[], since: Date): Promise<number> {
    const rows = (await this.knex('meeting_checkin_throttle').select('failures')
      .where({ tenant_id: tenantId }).whereIn('subject', subjects).andWhere('window_start', '>', since)) as Array<{ failures: number }>
    return Math.max(0, ...rows.map((r) => Number(r.failures)))
  }

  /** Count one failed lookup for a subject: a window older than `since` starts again at 1. */
  async countFailure(tenantId: string, subject: string, now: Date, since: Date): Promise<void> {
    await this.knex.raw(
      `insert into meeting_checkin_throttle (tenant_id, subject, window_start, failures) values (?, ?, ?, 1)
       on conflict (tenant_id, subject) do update set
         failures = case when meeting_checkin_throttle.window_start <= ? then 1 else meeting_checkin_throttle.failures + 1 end,
         window_start = case when meeting_checkin_throttle.window_start <= ? then excluded.window_start else meeting_checkin_throttle.window_start end`,
      [tenantId, subject, now, since, since],
    )
  }
}
