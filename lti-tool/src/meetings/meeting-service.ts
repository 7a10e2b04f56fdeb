import { randomUUID } from 'node:crypto'
import type { Knex } from '@tln/db'
import { ifiKey, type Agent } from '@tln/xapi'
import { LtiToolError } from '../errors.ts'
import type { ToolLogger } from '../logger.ts'
import { can } from '../org/access.ts'
import { accessOf } from '../org/grant-guard.ts'
import type { OrgStore } from '../org/org-store.ts'
import type { Grant, OrgNode, Person } from '../org/org-types.ts'
import type { Session } from '../session/session-store.ts'
import { checkInWindow, newCheckInCode, normaliseCode } from './check-in-code.ts'
import type { StatementOutbox } from '../xapi/statement-outbox.ts'
import type { MeetingInput } from './meeting-form.ts'
import { attendanceVoidId, attendedStatement, attendedStatementId, voidStatement } from './meeting-statements.ts'
import { MeetingStore, type Attendance, type Meeting } from './meeting-store.ts'
import { personAgent, userAgent, type AccountAgent, type GroupRef } from './tln-group.ts'

export interface MeetingServiceDeps {
  readonly knex: Knex
  readonly org: OrgStore
  /** The tool's statement outbox: statements are added in the row's transaction, delivered after the commit. */
  readonly recorder: StatementOutbox
  readonly publicUrl: string
  readonly logger: ToolLogger
  readonly now: () => number
}

/** Who is asking: the session, their person (if any) and grants. */
export interface Actor {
  readonly session: Pick<Session, 'user'>
  readonly person?: Person
  readonly grants: readonly Grant[]
}

/** Failed code lookups allowed per person, and per client address, in one window. */
export const CHECK_IN_LIMITS = { person: 5, address: 20, windowMs: 15 * 60_000 } as const

export type CheckInOutcome =
  | { readonly ok: true; readonly meeting: Meeting; readonly group: OrgNode; readonly already: boolean }
  | { readonly ok: false; readonly problem: 'wrong-code' | 'not-yet' | 'closed' | 'throttled' | 'not-a-teacher'; readonly meeting?: Meeting }

/** A meeting page's data: the meeting, its group, the group's teachers and who attended. */
export interface MeetingView {
  readonly meeting: Meeting
  readonly group: OrgNode
  readonly teachers: readonly Person[]
  readonly attendance: readonly Attendance[]
}

/**
 * Meetings of TLN groups and their attendance (issue 5, "Meetings and evaluations"). A facilitator
 * or coordinator (`tasks:grade` on the kecamatan) schedules meetings and marks or undoes
 * attendance; a teacher of the group checks in with the meeting's code during its window. Every
 * access is checked here: a meeting outside the actor's groups, or of another tenant, is "not
 * found". Statements go to the LRS after the commit (`attended`; a voiding statement for an undo).
 */
export class MeetingService {
  readonly store: MeetingStore

  constructor(private readonly deps: MeetingServiceDeps) {
    this.store = new MeetingStore(deps.knex)
  }

  async actorOf(session: Pick<Session, 'user'>): Promise<Actor> {
    const { person, grants } = await accessOf(this.deps.org, session.user)
    return { session, grants, ...(person !== undefined && { person }) }
  }

  /** The TLN groups (kecamatan) where the actor may run meetings. */
  async groupsOf(actor: Actor): Promise<OrgNode[]> {
    const kecamatan = await this.deps.org.nodes(actor.session.user.tenantId, { kind: 'kecamatan' })
    return kecamatan.filter((k) => can(actor.grants, 'tasks:grade', k))
  }

  /** A group the actor runs; another tenant's, another kecamatan's, or a node that is no kecamatan is "not found". */
  async group(actor: Actor, kecamatanId: string): Promise<OrgNode> {
    const node = await this.deps.org.node(actor.session.user.tenantId, kecamatanId)
    if (node === undefined || node.kind !== 'kecamatan' || !can(actor.grants, 'tasks:grade', node)) {
      throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such TLN group in scope', { kecamatanId })
    }
    return node
  }

  /** Schedule a meeting (the form is checked already), with a fresh check-in code. */
  async create(actor: Actor, kecamatanId: string, input: MeetingInput): Promise<Meeting> {
    const group = await this.group(actor, kecamatanId)
    const tenantId = actor.session.user.tenantId
    const facilitator = userAgent(this.deps.publicUrl, actor.session.user, actor.person)
    if (actor.person !== undefined) await this.writeIdentity(this.deps.knex, tenantId, facilitator, actor.person.id)
    for (let attempt = 0; attempt < 5; attempt++) {
      const id = randomUUID()
      const code = newCheckInCode()
      if (await this.store.insert(this.deps.knex, { id, tenantId, kecamatanId: group.id, ...input, code, createdBy: actor.session.user.id, facilitator })) {
        return (await this.store.meeting(tenantId, id))!
      }
    }
    throw new Error('no free check-in code after 5 draws')
  }

  async list(actor: Actor, kecamatanId: string): Promise<{ group: OrgNode; meetings: Meeting[] }> {
    const group = await this.group(actor, kecamatanId)
    return { group, meetings: await this.store.list(actor.session.user.tenantId, group.id) }
  }

  /** A meeting the actor runs (its group in their scope), with the group's teachers and the attendance. */
  async view(actor: Actor, meetingId: string): Promise<MeetingView> {
    const meeting = await this.store.meeting(actor.session.user.tenantId, meetingId)
    if (meeting === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such meeting', { meetingId })
    const group = await this.group(actor, meeting.kecamatanId)
    const [teachers, attendance] = await Promise.all([this.teachersOf(group), this.store.attendance(meeting.tenantId, meeting.id)])
    return { meeting, group, teachers, attendance }
  }

  /**
   * The facilitator marks people present. Each must be a teacher of the meeting's group (else
   * `ERR_TOOL_BAD_REQUEST`, nothing stored); people marked already are left as they are.
   * @returns how many were newly marked
   */
  async mark(actor: Actor, meetingId: string, personIds: readonly string[]): Promise<number> {
    const v = await this.view(actor, meetingId)
    const byId = new Map(v.teachers.map((t) => [t.id, t]))
    const unknown = personIds.filter((id) => !byId.has(id))
    if (unknown.length > 0) throw new LtiToolError('ERR_TOOL_BAD_REQUEST', 'not a teacher of this TLN group', { unknown })
    const instructor = userAgent(this.deps.publicUrl, actor.session.user, actor.person)
    let marked = 0
    for (const id of new Set(personIds)) if (await this.attend(v.meeting, v.group, byId.get(id)!, 'marked', actor, instructor)) marked++
    return marked
  }

  /** Undo one attendance: the row is kept as voided and a voiding statement goes to the LRS. @returns false when there was none */
  async undo(actor: Actor, meetingId: string, personId: string): Promise<boolean> {
    const v = await this.view(actor, meetingId)
    if (!v.teachers.some((t) => t.id === personId) && !v.attendance.some((a) => a.personId === personId)) {
      throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such person at this meeting', { personId })
    }
    const by = userAgent(this.deps.publicUrl, actor.session.user, actor.person)
    const tenantId = v.meeting.tenantId
    const pending = await this.deps.knex.transaction(async (trx) => {
      const undone = await this.store.undo(trx, { tenantId, meetingId: v.meeting.id, personId, by })
      if (undone === undefined) return undefined
      const statement = voidStatement({
        id: attendanceVoidId(v.meeting.id, personId, undone.revision), target: attendedStatementId(v.meeting.id, personId, undone.revision),
        actor: by, at: new Date(this.deps.now()),
      })
      return this.deps.recorder.add(trx, tenantId, [statement], { table: 'tln_meeting_attendance', column: 'void_statement_stored', key: { meeting_id: v.meeting.id, person_id: personId, revision: undone.revision } })
    })
    if (pending === undefined) return false
    await this.deps.recorder.deliver(pending)
    return true
  }

  /**
   * A teacher checks in with a code. Order of checks: the throttle (failed lookups per person and
   * per address in the database), the code's shape and existence in the tenant, the person is a
   * teacher of that meeting's group (else the same answer as a wrong code: a code of another group
   * tells nothing), the window. A wrong code counts as a failure; checking in twice changes nothing.
   */
  async checkIn(actor: Actor, typed: string, address: string): Promise<CheckInOutcome> {
    const tenantId = actor.session.user.tenantId
    const now = this.deps.now()
    const since = new Date(now - CHECK_IN_LIMITS.windowMs)
    const personKey = `person:${actor.person?.id ?? actor.session.user.id}`
    const addressKey = `address:${address}`
    if (await this.store.failures(tenantId, [personKey], since) >= CHECK_IN_LIMITS.person
      || await this.store.failures(tenantId, [addressKey], since) >= CHECK_IN_LIMITS.address) return { ok: false, problem: 'throttled' }
    const teacher = await this.teacherSchool(actor)
    if (teacher === undefined) return { ok: false, problem: 'not-a-teacher' }
    const code = normaliseCode(typed)
    const meeting = code === undefined ? undefined : await this.store.byCode(tenantId, code)
    const group = meeting === undefined ? undefined : await this.deps.org.node(tenantId, meeting.kecamatanId)
    if (meeting === undefined || group === undefined || !teacher.school.path.startsWith(group.path)) {
      await this.store.countFailure(tenantId, personKey, new Date(now), since)
      await this.store.countFailure(tenantId, addressKey, new Date(now), since)
      return { ok: false, problem: 'wrong-code' }
    }
    const state = checkInWindow(meeting.startsAt, now)
    if (state !== 'open') return { ok: false, problem: state, meeting }
    // The instructor of a check-in is the facilitator who scheduled the meeting.
    const fresh = await this.attend(meeting, group, teacher.person, 'code', actor, meeting.facilitator)
    return { ok: true, meeting, group, already: !fresh }
  }

  /** The person of a teacher session with their school (a `teacher` grant on it); undefined otherwise. */
  private async teacherSchool(actor: Actor): Promise<{ person: Person; school: OrgNode } | undefined> {
    const person = actor.person
    if (person?.schoolId === undefined) return undefined
    const school = await this.deps.org.node(actor.session.user.tenantId, person.schoolId)
    if (school === undefined || !can(actor.grants, 'tasks:submit', school)) return undefined
    return { person, school }
  }

  /** Mark one person and record the statement; false when they were marked already (nothing changes). */
  private async attend(meeting: Meeting, group: OrgNode, teacher: Person, method: 'marked' | 'code', actor: Actor, instructor: AccountAgent): Promise<boolean> {
    const tenantId = meeting.tenantId
    const agent = personAgent(this.deps.publicUrl, teacher)
    const school = teacher.schoolId === undefined ? undefined : await this.deps.org.node(tenantId, teacher.schoolId)
    const groupRef = await this.groupRef(group)
    // The row and the statement it owes the LRS commit together (the outbox), delivered after the commit.
    const pending = await this.deps.knex.transaction(async (trx) => {
      const row = await this.store.mark(trx, { tenantId, meetingId: meeting.id, personId: teacher.id, method, userId: actor.session.user.id, instructor })
      if (row === undefined) return undefined
      await this.writeIdentity(trx, tenantId, agent, teacher.id)
      const statement = attendedStatement(this.deps.publicUrl, groupRef, meeting, {
        personId: teacher.id, teacher: agent, instructor, revision: row.revision, ...(school?.kind === 'school' && { npsn: school.code }),
      })
      return this.deps.recorder.add(trx, tenantId, [statement], { table: 'tln_meeting_attendance', column: 'statement_stored', key: { meeting_id: meeting.id, person_id: teacher.id, revision: row.revision } })
    })
    if (pending === undefined) return false
    await this.deps.recorder.deliver(pending)
    return true
  }

  /** `person_identity` (read by the reports): which xAPI actor is which person; the first writer wins. */
  private async writeIdentity(db: Knex | Knex.Transaction, tenantId: string, agent: AccountAgent, personId: string): Promise<void> {
    const key = ifiKey(agent as unknown as Agent)
    if (key !== undefined) await db.raw('insert into person_identity (tenant_id, ifi_key, person_id) values (?, ?, ?) on conflict do nothing', [tenantId, key, personId])
  }

  private async teachersOf(group: OrgNode): Promise<Person[]> {
    return (await this.deps.org.people(group.tenantId, group)).filter((p) => p.schoolId !== undefined)
  }

  async groupRef(group: OrgNode): Promise<GroupRef> {
    const district = group.parentId === undefined ? undefined : await this.deps.org.node(group.tenantId, group.parentId)
    return { id: group.id, name: group.name, ...(district !== undefined && { districtName: district.name }) }
  }
}
