import type { Knex } from '@tln/db'
import { IndexKind, indexKey } from '@tln/lrs'
import type { DataSubject } from './data-subject.ts'

/** One line of a privacy export bundle (NDJSON): `type` says what the rest is. */
export type BundleLine = { type: string } & Record<string, unknown>

/**
 * Everything TLN holds about one person, as NDJSON lines (issue 7, the data subject's right of
 * access, UU 27/2022 art. 7): the statements they are the actor of or are named in (exact
 * stored JSON), their State and Agent Profile documents, the attachment content of their own
 * statements, the organisation-tree and sign-in rows (never a password hash), their submissions
 * with the files, mentoring, meetings, observations, competence projections and badges, and the
 * audit rows of who read about them. Files are base64. Written line by line: `write` may stream.
 */
export async function exportPerson(knex: Knex, subject: DataSubject, write: (line: BundleLine) => Promise<void> | void): Promise<number> {
  const { tenantId } = subject
  let lines = 0
  const emit = async (line: BundleLine) => {
    lines += 1
    await write(line)
  }
  await emit({ type: 'subject', tenant: subject.tenantSlug, identities: subject.ifiKeys, personIds: subject.personIds, exportedAt: new Date().toISOString() })
  const keys = subject.ifiKeys
  const personIds = subject.personIds
  const userIds = subject.ltiUserIds

  const rows = keys.length === 0 ? [] : ((await knex.raw(
    `select s.id, s.stored, s.voided, s.statement::text as text from xapi_statement s
      where s.tenant_id = ? and s.seq in (select i.seq from xapi_statement_index i where i.tenant_id = ? and i.kind = ? and i.key = any(?::uuid[]))
      order by s.seq`,
    [tenantId, tenantId, IndexKind.agent, keys.map((k) => indexKey(IndexKind.agent, k))],
  )).rows as Array<{ id: string; stored: Date; voided: boolean; text: string }>)
  const attachmentShas = new Set<string>()
  for (const r of rows) {
    const statement = JSON.parse(r.text) as { attachments?: Array<{ sha2?: string }> }
    for (const a of statement.attachments ?? []) if (typeof a.sha2 === 'string') attachmentShas.add(a.sha2.toLowerCase())
    await emit({ type: 'statement', stored: new Date(r.stored).toISOString(), voided: r.voided, statement })
  }
  if (attachmentShas.size > 0) {
    for (const a of (await knex('xapi_attachment').select('sha2', 'content').where({ tenant_id: tenantId }).whereIn('sha2', [...attachmentShas])) as Array<{ sha2: string; content: Uint8Array }>) {
      await emit({ type: 'attachment', sha2: a.sha2, contentBase64: Buffer.from(a.content).toString('base64') })
    }
  }
  if (keys.length > 0) {
    const documents = (await knex('xapi_document').select('kind', 'activity_id', 'agent_key', 'registration', 'document_id', 'content_type', 'content', 'updated')
      .where({ tenant_id: tenantId }).whereIn('agent_key', keys).orderBy(['kind', 'document_id'])) as Array<Record<string, unknown> & { kind: number; content: Uint8Array }>
    for (const d of documents) {
      await emit({ type: d.kind === 1 ? 'state-document' : 'agent-profile-document', activityId: d['activity_id'], agent: d['agent_key'], registration: d['registration'], documentId: d['document_id'], contentType: d['content_type'], updated: d['updated'], contentBase64: Buffer.from(d.content).toString('base64') })
    }
  }

  const table = async (type: string, query: Knex.QueryBuilder, files: readonly string[] = []) => {
    for (const row of (await query) as Array<Record<string, unknown>>) {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(row)) out[k] = files.includes(k) && v !== null && v !== undefined ? Buffer.from(v as Uint8Array).toString('base64') : v
      await emit({ type, ...out })
    }
  }
  if (personIds.length > 0) {
    await table('person', knex('person').select('id', 'name', 'email', 'phone', 'school_id', 'external_id', 'lti_issuer', 'lti_sub', 'created_at', 'updated_at').where({ tenant_id: tenantId }).whereIn('id', personIds))
    await table('person-grant', knex('person_grant').select('role', 'node_id', 'created_at').where({ tenant_id: tenantId }).whereIn('person_id', personIds))
    await table('local-account', knex('local_account').select('id', 'email', 'failed_logins', 'locked_until', 'created_at', 'updated_at').where({ tenant_id: tenantId }).whereIn('person_id', personIds))
    await table('person-identity', knex('person_identity').select('ifi_key').where({ tenant_id: tenantId }).whereIn('person_id', personIds))
    const relations = knex('mentoring_relation').select('id').where({ tenant_id: tenantId }).where((q) => q.whereIn('mentor_person_id', personIds).orWhereIn('mentee_person_id', personIds))
    await table('mentoring-relation', knex('mentoring_relation').select('id', 'mentor_person_id', 'mentee_person_id', 'school_id', 'window_start', 'window_days', 'created_at').whereIn('id', relations.clone()))
    await table('mentoring-session', knex('mentoring_session').select('id', 'relation_id', 'session_date', 'duration_minutes', 'topic_task', 'topic_text', 'notes', 'after_window', 'evidence_name', 'evidence_type', 'evidence', 'status', 'mentee_note', 'confirmed_at', 'verification_note', 'verified_at', 'created_at')
      .where({ tenant_id: tenantId }).whereIn('relation_id', relations.clone()), ['evidence'])
    await table('meeting-attendance', knex('tln_meeting_attendance as a').join('tln_meeting as m', 'm.id', 'a.meeting_id').select('m.title', 'm.kind', 'm.starts_at', 'm.place', 'a.method', 'a.voided', 'a.updated_at')
      .where('a.tenant_id', tenantId).whereIn('a.person_id', personIds))
    await table('observation', knex('observation_record as r').join('observation_instrument as i', 'i.id', 'r.instrument_id').select('r.id', 'i.name as instrument', 'i.kind', 'r.monitor', 'r.observed_on', 'r.ratings', 'r.notes', 'r.superseded', 'r.created_at')
      .where('r.tenant_id', tenantId).whereIn('r.teacher_person_id', personIds))
  }
  if (userIds.length > 0) {
    await table('lti-user', knex('lti_user').select('id', 'issuer', 'sub', 'name', 'email', 'role', 'created_at', 'updated_at').where({ tenant_id: tenantId }).whereIn('id', userIds))
    await table('course-roster', knex('course_roster').select('platform_id', 'context_id', 'roles', 'tln_role', 'status', 'last_seen_at').where({ tenant_id: tenantId }).whereIn('user_id', userIds))
    const assignments = knex('task_assignment').select('id').where({ tenant_id: tenantId }).whereIn('user_id', userIds)
    await table('task-assignment', knex('task_assignment as a').join('performance_task as t', 't.id', 'a.task_id').select('a.id', 't.key as task', 't.title_id', 't.title_en', 'a.context_title', 'a.status', 'a.score_scaled', 'a.created_at', 'a.updated_at')
      .where('a.tenant_id', tenantId).whereIn('a.user_id', userIds))
    await table('task-submission', knex('task_submission').select('id', 'assignment_id', 'version', 'kind', 'url', 'file_name', 'media_type', 'size', 'sha256', 'content', 'created_at')
      .where({ tenant_id: tenantId }).whereIn('assignment_id', assignments.clone()), ['content'])
    await table('task-grade', knex('task_grade as g').join('task_submission as s', 's.id', 'g.submission_id').select('g.submission_id', 'g.decision', 'g.levels', 'g.score_scaled', 'g.score_raw', 'g.passed', 'g.feedback', 'g.created_at')
      .where('g.tenant_id', tenantId).whereIn('s.assignment_id', assignments.clone()))
  }
  if (keys.length > 0) {
    await table('competence-learner', knex('competence_learner').select('learner_key', 'name', 'npsn', 'kecamatan_iri', 'first_at', 'last_at').where({ tenant_id: tenantId }).whereIn('learner_key', keys))
    await table('competence-rating', knex('competence_rating').select('learner_key', 'code', 'level', 'rating', 'proficient', 'method', 'config_version', 'updated_at').where({ tenant_id: tenantId }).whereIn('learner_key', keys).orderBy('code'))
    await table('open-badge', knex('open_badge').select('id', 'achievement', 'issued_at', 'revoked_at', 'revocation_reason', 'jwt').where({ tenant_id: tenantId }).whereIn('learner_key', keys))
    await table('access-audit', knex('access_audit').select('at', 'actor_kind', 'actor_label', 'resource', 'agent_ifi', 'query', 'records').where({ tenant_id: tenantId }).whereIn('agent_ifi', keys).orderBy('at'))
  }
  return lines
}
