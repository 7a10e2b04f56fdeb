import { nameUuid, type Statement } from '@tln/xapi'
import { REGISTRATION_NAMESPACE } from '../xapi/launch-statement.ts'
import { profileCategory } from '../xapi/tln-profile.ts'
import { kecamatanIri, tlnGroupAgent, tlnGroupIri, TLN_EXTENSIONS, type AccountAgent, type GroupRef } from './tln-group.ts'

export const ATTENDED = { id: 'http://adlnet.gov/expapi/verbs/attended', display: { 'en-US': 'attended', id: 'menghadiri' } } as const
export const VOIDED = { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-US': 'voided', id: 'membatalkan' } } as const
/** The activity type the report engine counts attendance on (`@tln/competence` `meetingType`). */
export const MEETING_TYPE = 'http://adlnet.gov/expapi/activities/meeting'

export type MeetingKind = 'routine' | 'workshop'

export interface MeetingRef {
  readonly id: string
  readonly kind: MeetingKind
  readonly title: string
  readonly startsAt: Date
}

/** Who attended, and who stands for the meeting (the facilitator). */
export interface AttendanceRef {
  readonly personId: string
  readonly teacher: AccountAgent
  /** The teacher's school NPSN, when known. */
  readonly npsn?: string
  readonly instructor: AccountAgent
  /** 0 for the first mark; each mark after an undo counts up, so its statement id is new. */
  readonly revision: number
}

/**
 * The `attended` statement id: v5 UUID of (meeting, person), and of the revision after an undo
 * (a voided statement's id cannot carry a new statement: xAPI 1.0.3 Data 2.3.2, statements are immutable).
 */
export function attendedStatementId(meetingId: string, personId: string, revision: number): string {
  return nameUuid(REGISTRATION_NAMESPACE, JSON.stringify(revision === 0 ? ['meeting', meetingId, personId] : ['meeting', meetingId, personId, revision]))
}

/** The voiding statement's id for one revision's undo. */
export function attendanceVoidId(meetingId: string, personId: string, revision: number): string {
  return nameUuid(REGISTRATION_NAMESPACE, JSON.stringify(['meeting-void', meetingId, personId, revision]))
}

/** The meeting as an Activity: `<publicUrl>/lti/meetings/<id>`, type meeting, its title as name. */
export function meetingActivity(publicUrl: string, m: MeetingRef) {
  return {
    objectType: 'Activity' as const, id: `${publicUrl}/lti/meetings/${m.id}`,
    definition: {
      type: MEETING_TYPE,
      name: { id: m.title, 'en-US': m.title },
      description: m.kind === 'routine'
        ? { id: 'Pertemuan rutin dua mingguan kelompok TLN', 'en-US': 'Biweekly routine TLN group meeting' }
        : { id: 'Hari lokakarya kelompok TLN', 'en-US': 'TLN group workshop day' },
    },
  }
}

/**
 * DOMAIN.md "meeting → attended, object the meeting, team = TLN group", in the demo's shape
 * (`routineMeetings`): actor the teacher, `context.instructor` the facilitator (the report's
 * related person), `context.team` the TLN group, the profile category, the kecamatan, NPSN and
 * TLN group extensions; `timestamp` the meeting's start (the day it counts for). Pure.
 */
export function attendedStatement(publicUrl: string, group: GroupRef, m: MeetingRef, a: AttendanceRef): Statement {
  return {
    id: attendedStatementId(m.id, a.personId, a.revision),
    actor: a.teacher,
    verb: ATTENDED,
    object: meetingActivity(publicUrl, m),
    context: {
      instructor: a.instructor,
      team: tlnGroupAgent(group),
      contextActivities: { category: profileCategory() },
      language: 'id-ID',
      extensions: {
        [TLN_EXTENSIONS.kecamatan]: kecamatanIri(group),
        ...(a.npsn !== undefined && { [TLN_EXTENSIONS.npsn]: a.npsn }),
        [TLN_EXTENSIONS.tlnGroup]: tlnGroupIri(group),
      },
    },
    timestamp: m.startsAt.toISOString(),
  } as unknown as Statement
}

/**
 * The undo: a voiding statement (xAPI 1.0.3 Data 2.3.2: verb `voided`, object a StatementRef to
 * the attended statement) by the facilitator who undid it. It names the profile category like
 * every TLN statement; `platform` is left out (only with an Activity object, Data 2.4.6). Pure.
 */
export function voidStatement(input: { id: string; target: string; actor: AccountAgent; at: Date }): Statement {
  return {
    id: input.id,
    actor: input.actor,
    verb: VOIDED,
    object: { objectType: 'StatementRef', id: input.target },
    context: { contextActivities: { category: profileCategory() } },
    timestamp: input.at.toISOString(),
  } as unknown as Statement
}
