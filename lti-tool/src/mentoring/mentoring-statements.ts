import { nameUuid, type Statement } from '@tln/xapi'
import { kecamatanIri, noonWita, personAgent } from '../meetings/tln-group.ts'
import { taskActivityId, SCHOOL_ASSIGNMENT } from '../tasks/task-statements.ts'
import { REGISTRATION_NAMESPACE } from '../xapi/launch-statement.ts'
import { profileCategory, TLN_BASE, TLN_EXTENSIONS } from '../xapi/tln-profile.ts'
import { TASK_KEY, type MentoringSession, type PersonRef, type Relation } from './types.ts'

/**
 * Verbs. `mentored` is DOMAIN.md's ("mentoring session → http://id.tincanapi.com/verb/mentored,
 * object the mentee Agent, parent = the mentoring relation"). The mentee's and the verifier's
 * answers use the Activity Streams base schema verbs (activitystreams/activity-schema, "Verbs"):
 * confirm "the actor has confirmed or agrees with the object", deny "has denied the object",
 * approve "has approved the object", reject "has rejected the object", in the
 * `http://activitystrea.ms/schema/1.0/` form the tool already uses for `submit`.
 */
export const MENTORING_VERBS = {
  mentored: { id: 'http://id.tincanapi.com/verb/mentored', display: { 'en-US': 'mentored', id: 'mendampingi' } },
  confirm: { id: 'http://activitystrea.ms/schema/1.0/confirm', display: { 'en-US': 'confirmed', id: 'mengonfirmasi' } },
  deny: { id: 'http://activitystrea.ms/schema/1.0/deny', display: { 'en-US': 'denied', id: 'menyanggah' } },
  approve: { id: 'http://activitystrea.ms/schema/1.0/approve', display: { 'en-US': 'approved', id: 'memverifikasi' } },
  reject: { id: 'http://activitystrea.ms/schema/1.0/reject', display: { 'en-US': 'rejected', id: 'menolak' } },
} as const

export const MENTORING_RELATION_TYPE = `${TLN_BASE}/activitytypes/mentoring-relation`
export const MENTORING_EXTENSIONS = {
  kecamatan: TLN_EXTENSIONS.kecamatan,
  npsn: TLN_EXTENSIONS.npsn,
  /** true on a session logged after the relation's challenge window. */
  afterWindow: `${TLN_BASE}/extensions/after-challenge-window`,
  /** A topic that is no lesson-plan task, as the mentor wrote it. */
  topic: `${TLN_BASE}/extensions/mentoring-topic`,
} as const

/** Statement ids derived from the session, so a retried action never records twice. */
export const mentoringStatementId = (kind: 'mentored' | 'answer' | 'verification', sessionId: string) =>
  nameUuid(REGISTRATION_NAMESPACE, JSON.stringify(['mentoring', kind, sessionId]))

/** The relation as an Activity IRI: `<publicUrl>/lti/mentoring/relations/<id>`. */
export function relationActivityId(publicUrl: string, relationId: string): string {
  return `${publicUrl}/lti/mentoring/relations/${relationId}`
}

function relationActivity(publicUrl: string, r: Relation) {
  return {
    objectType: 'Activity', id: relationActivityId(publicUrl, r.id),
    definition: {
      type: MENTORING_RELATION_TYPE,
      name: { id: `Pendampingan sejawat: ${r.mentee.name}`, 'en-US': `Peer mentoring: ${r.mentee.name}` },
    },
  }
}

function context(publicUrl: string, r: Relation, extra: Record<string, unknown> = {}) {
  return {
    language: 'id-ID',
    extensions: {
      ...(r.kecamatan !== undefined && { [MENTORING_EXTENSIONS.kecamatan]: kecamatanIri(r.kecamatan) }),
      [MENTORING_EXTENSIONS.npsn]: r.school.npsn,
      ...extra,
    },
  }
}

/**
 * A session (DOMAIN.md: mentoring session → `mentored`): actor the mentor, object the mentee Agent,
 * parent the relation, other the lesson-plan task it was about, `result.duration` and completion,
 * the kecamatan and NPSN extensions as the demo's `fifteenDayChallenge`. Pure.
 */
export function mentoredStatement(publicUrl: string, r: Relation, s: MentoringSession): Statement {
  const task = s.topicTask === undefined ? undefined : { objectType: 'Activity', id: taskActivityId(publicUrl, r.tenant, TASK_KEY[s.topicTask]), definition: { type: SCHOOL_ASSIGNMENT } }
  return {
    id: mentoringStatementId('mentored', s.id),
    actor: personAgent(publicUrl, r.mentor),
    verb: MENTORING_VERBS.mentored,
    object: personAgent(publicUrl, r.mentee),
    result: { completion: true, duration: `PT${s.durationMinutes}M` },
    context: {
      contextActivities: { parent: [relationActivity(publicUrl, r)], ...(task !== undefined && { other: [task] }), category: profileCategory() },
      ...context(publicUrl, r, {
        ...(s.afterWindow && { [MENTORING_EXTENSIONS.afterWindow]: true }),
        ...(s.topicText !== '' && { [MENTORING_EXTENSIONS.topic]: s.topicText }),
      }),
    },
    timestamp: noonWita(s.date),
  } as Statement
}

/**
 * The mentee's answer: `confirm` or `deny` by the mentee, object a StatementRef to the session's
 * `mentored` statement (xAPI 1.0.3 Data 2.4.4.3: a statement about a statement), the relation as
 * parent, the mentee's note as `result.response`. Pure.
 */
export function answerStatement(publicUrl: string, r: Relation, s: MentoringSession, input: { confirmed: boolean; note: string; at: Date }): Statement {
  return refStatement(publicUrl, r, s, {
    kind: 'answer', actor: personAgent(publicUrl, r.mentee), verb: input.confirmed ? MENTORING_VERBS.confirm : MENTORING_VERBS.deny, note: input.note, at: input.at,
  })
}

/** The verification: `approve` or `reject` by the facilitator or school head, object a StatementRef to the session. Pure. */
export function verificationStatement(publicUrl: string, r: Relation, s: MentoringSession, input: { verifier: ReturnType<typeof personAgent> | { objectType: 'Agent'; name?: string; account: { homePage: string; name: string } }; approved: boolean; note: string; at: Date }): Statement {
  return refStatement(publicUrl, r, s, {
    kind: 'verification', actor: input.verifier, verb: input.approved ? MENTORING_VERBS.approve : MENTORING_VERBS.reject, note: input.note, at: input.at,
  })
}

function refStatement(publicUrl: string, r: Relation, s: MentoringSession, input: { kind: 'answer' | 'verification'; actor: unknown; verb: { id: string; display: Record<string, string> }; note: string; at: Date }): Statement {
  return {
    id: mentoringStatementId(input.kind, s.id),
    actor: input.actor,
    verb: input.verb,
    object: { objectType: 'StatementRef', id: mentoringStatementId('mentored', s.id) },
    ...(input.note !== '' && { result: { response: input.note } }),
    // xAPI 1.0.3 Data 2.4.6: `platform` and `revision` only with an Activity object; contextActivities are fine.
    context: { contextActivities: { parent: [relationActivity(publicUrl, r)], category: profileCategory() }, ...context(publicUrl, r) },
    timestamp: input.at.toISOString(),
  } as Statement
}
