import { randomUUID } from 'node:crypto'
import type { Knex } from '@tln/db'
import { IndexKind, indexKey, rekeyAgentPostings } from '@tln/lrs'
import { ifiKey } from '@tln/xapi'
import { ERASED_TEXT, redactJson, textPattern, type Redaction } from './redaction.ts'
import { erasedHomePage, type DataSubject } from './data-subject.ts'

/** How many rows of each kind an erasure changed (or, on a dry run, would change). */
export interface ErasureCounts {
  statementsRewritten: number
  postingsRekeyed: number
  attachmentsDeleted: number
  activityDefinitionsRedacted: number
  documentsDeleted: number
  projectionRowsRekeyed: number
  badgesRevoked: number
  personsEmptied: number
  grantsDeleted: number
  localAccountsDeleted: number
  identitiesReplaced: number
  ltiUsersDeleted: number
  ltiUsersEmptied: number
  toolRowsDeleted: number
  toolRowsRedacted: number
  auditRowsPseudonymised: number
}

export interface ErasureReport {
  dryRun: boolean
  /** Whether there was anything to erase; a second run finds nothing. */
  found: boolean
  counts: ErasureCounts
  /** The pseudonymous account names that replaced the person's identities. */
  pseudonyms: string[]
  /** Set when an erasure row was written. */
  erasureId?: number
  /** Remote LRSs the tenant forwards to: they keep their copies (the operator asks them to erase). */
  forwardTargets: string[]
}

const ERASED_ISSUER = 'urn:tln:erased'
const REVOCATION_REASON = 'erased at the learner\'s request (UU 27/2022)'

/** Rolls the dry run's transaction back after counting. */
class DryRun extends Error {
  constructor(readonly report: ErasureReport) {
    super('dry run')
  }
}

function zeroCounts(): ErasureCounts {
  return {
    statementsRewritten: 0, postingsRekeyed: 0, attachmentsDeleted: 0, activityDefinitionsRedacted: 0, documentsDeleted: 0,
    projectionRowsRekeyed: 0, badgesRevoked: 0, personsEmptied: 0, grantsDeleted: 0, localAccountsDeleted: 0, identitiesReplaced: 0,
    ltiUsersDeleted: 0, ltiUsersEmptied: 0, toolRowsDeleted: 0, toolRowsRedacted: 0, auditRowsPseudonymised: 0,
  }
}

/**
 * Erases one person's personal data from a tenant (issue 7; docs/privacy.md has the method and
 * its reasons). One transaction: it all happens or none of it does. A dry run does the same work
 * and rolls back, so its counts are exact.
 *
 * Statements are kept and pseudonymised, not deleted: each of the person's identities becomes
 * a pseudonymous account `{ homePage: <publicUrl>/privacy/erased/<tenant>, name: <random UUID> }`
 * without `name`, their names and addresses in free text become "(dihapus)", postings are
 * re-keyed, and the competence projections are re-keyed in place, so reports keep counting an
 * anonymous learner and match what a rebuild from the rewritten stream makes.
 */
export async function erasePerson(knex: Knex, subject: DataSubject, options: { publicUrl: string; operator: string; dryRun: boolean }): Promise<ErasureReport> {
  const forwardTargets = ((await knex('forward_target').select('name').where({ tenant_id: subject.tenantId }).orderBy('name')) as Array<{ name: string }>).map((t) => t.name)
  if (subject.erasedAlready || (subject.ifiKeys.length === 0 && subject.personIds.length === 0)) {
    return { dryRun: options.dryRun, found: false, counts: zeroCounts(), pseudonyms: [], forwardTargets }
  }
  try {
    return await knex.transaction(async (trx) => {
      const report = await eraseIn(trx, subject, options)
      report.forwardTargets = forwardTargets
      if (options.dryRun) {
        delete report.erasureId // the record is rolled back with the rest
        throw new DryRun(report)
      }
      return report
    })
  } catch (error) {
    if (error instanceof DryRun) return error.report
    throw error
  }
}

async function eraseIn(trx: Knex.Transaction, subject: DataSubject, options: { publicUrl: string; operator: string; dryRun: boolean }): Promise<ErasureReport> {
  const { tenantId } = subject
  const counts = zeroCounts()
  // The competence engine applies pages holding this row: waiting for it means no page is
  // applied from statements read before the rewrite and written after the re-keying.
  await trx.raw('select tenant_id from competence_engine where tenant_id = ? for update', [tenantId])

  const homePage = erasedHomePage(options.publicUrl, subject.tenantSlug)
  const pseudonyms = new Map(subject.ifiKeys.map((key) => [key, { homePage, name: randomUUID() }] as const))
  const newKey = (key: string) => ifiKey({ account: pseudonyms.get(key)! })!
  const oldKeys = subject.ifiKeys
  const names = new Set(subject.names)

  // 1. Statements: every statement with a posting under one of the person's keys (as actor,
  // object, context agent, group member, authority, or inherited through a StatementRef).
  const postingKeys = oldKeys.map((k) => indexKey(IndexKind.agent, k))
  const rows = postingKeys.length === 0 ? [] : ((await trx.raw(
    `select s.seq, s.statement::text as text from xapi_statement s
      where s.tenant_id = ? and s.seq in (select i.seq from xapi_statement_index i where i.tenant_id = ? and i.kind = ? and i.key = any(?::uuid[]))
      order by s.seq`,
    [tenantId, tenantId, IndexKind.agent, postingKeys],
  )).rows as Array<{ seq: string; text: string }>)
  const parsed = rows.map((r) => ({ seq: r.seq, statement: JSON.parse(r.text) as unknown }))
  // First the names the statements gave the person, so every spelling is redacted everywhere.
  const bare: Redaction = { pseudonyms, names: [], identifiers: [] }
  for (const p of parsed) for (const n of redactJson(p.statement, bare).namesSeen) names.add(n)
  const redaction: Redaction = { pseudonyms, names: [...names], identifiers: subject.identifiers }
  const dropped = new Set<string>()
  const activityIds = new Set<string>()
  for (const p of parsed) {
    collectActivityIds(p.statement, activityIds)
    const out = redactJson(p.statement, redaction, { dropActorAttachments: true })
    for (const sha2 of out.droppedAttachments) dropped.add(sha2)
    if (!out.changed) continue
    await trx('xapi_statement').where({ tenant_id: tenantId, seq: p.seq }).update({ statement: JSON.stringify(out.value) })
    counts.statementsRewritten += 1
  }
  for (const key of oldKeys) counts.postingsRekeyed += await rekeyAgentPostings(trx, tenantId, key, newKey(key))

  // 2. Attachment content no statement of the tenant refers to any more.
  for (const sha2 of dropped) {
    counts.attachmentsDeleted += await trx('xapi_attachment').where({ tenant_id: tenantId, sha2 })
      .whereNotExists(trx('xapi_statement').select(trx.raw('1')).where('tenant_id', tenantId).whereRaw('position(? in statement::text) > 0', [sha2]))
      .delete()
  }

  // 3. Canonical Activity definitions of the Activities those statements name (e.g. a mentoring
  // relation titled with the mentee's name).
  if (activityIds.size > 0) {
    const definitions = (await trx('xapi_activity').select('key', 'definition').where({ tenant_id: tenantId }).whereIn('activity_id', [...activityIds])) as Array<{ key: string; definition: unknown }>
    for (const d of definitions) {
      const out = redactJson(typeof d.definition === 'string' ? JSON.parse(d.definition) : d.definition, redaction)
      if (!out.changed) continue
      await trx('xapi_activity').where({ tenant_id: tenantId, key: d.key }).update({ definition: JSON.stringify(out.value) })
      counts.activityDefinitionsRedacted += 1
    }
  }

  // 4. State and Agent Profile documents kept under the person's identities.
  if (oldKeys.length > 0) counts.documentsDeleted += await trx('xapi_document').where({ tenant_id: tenantId }).whereIn('agent_key', oldKeys).delete()

  // 5. Competence projections, re-keyed in place (the same rows a rebuild from the rewritten
  // statements makes: one pseudonymous learner per identity, no name).
  const pattern = textPattern(redaction)
  for (const key of oldKeys) {
    const to = newKey(key)
    counts.projectionRowsRekeyed += await trx('competence_learner').where({ tenant_id: tenantId, learner_key: key }).update({ learner_key: to, name: null })
    for (const table of ['competence_evidence', 'competence_rating', 'learner_month']) {
      counts.projectionRowsRekeyed += await trx(table).where({ tenant_id: tenantId, learner_key: key }).update({ learner_key: to })
    }
    counts.projectionRowsRekeyed += await trx('learning_fact').where({ tenant_id: tenantId, object_id: key }).update({ object_id: to, object_name: null })
    counts.projectionRowsRekeyed += await trx('learning_fact').where({ tenant_id: tenantId, related_key: key }).update({ related_key: to })
    counts.projectionRowsRekeyed += await trx('learning_fact').where({ tenant_id: tenantId, learner_key: key }).update({ learner_key: to })
    const badges = (await trx('open_badge').select('id', 'credential').where({ tenant_id: tenantId, learner_key: key })) as Array<{ id: string; credential: unknown }>
    for (const b of badges) {
      const credential = (typeof b.credential === 'string' ? JSON.parse(b.credential) : b.credential) as { name?: unknown; type?: unknown }
      await trx('open_badge').where({ id: b.id }).update({
        learner_key: to,
        credential: JSON.stringify({ type: credential.type ?? ['VerifiableCredential', 'OpenBadgeCredential'], name: typeof credential.name === 'string' ? credential.name : '', erased: true }),
        jwt: '',
        revoked_at: trx.raw('coalesce(revoked_at, now())'),
        revocation_reason: trx.raw('coalesce(revocation_reason, ?)', [REVOCATION_REASON]),
      })
      counts.badgesRevoked += 1
    }
  }
  if (pattern !== undefined && oldKeys.length > 0) {
    // Names of the facts' objects (Activities titled with the person's name).
    const facts = (await trx('learning_fact').select('statement_id', 'object_name').where({ tenant_id: tenantId })
      .where((q) => q.whereIn('learner_key', oldKeys.map(newKey)).orWhereIn('related_key', oldKeys.map(newKey)))
      .whereNotNull('object_name')) as Array<{ statement_id: string; object_name: string }>
    for (const f of facts) {
      const redacted = f.object_name.replace(pattern, ERASED_TEXT)
      if (redacted !== f.object_name) counts.projectionRowsRekeyed += await trx('learning_fact').where({ tenant_id: tenantId, statement_id: f.statement_id }).update({ object_name: redacted })
    }
  }

  // The competence engine's record of a statement it skipped keeps the database's message, which
  // can quote a value of the statement (a name).
  if (pattern !== undefined && rows.length > 0) {
    const skipped = (await trx('competence_skipped_statement').select('statement_id', 'reason').where({ tenant_id: tenantId })
      .whereIn('seq', rows.map((r) => r.seq))) as Array<{ statement_id: string; reason: string }>
    for (const s of skipped) {
      const redacted = s.reason.replace(pattern, ERASED_TEXT)
      if (redacted !== s.reason) counts.projectionRowsRekeyed += await trx('competence_skipped_statement').where({ tenant_id: tenantId, statement_id: s.statement_id }).update({ reason: redacted })
    }
  }

  // 6. The TLN tool's rows.
  await eraseToolRows(trx, subject, redaction, counts)

  // 7. The organisation tree: each person becomes an empty tombstone (its id stays, so a
  // colleague's mentoring relation or a meeting's attendance list stays whole), linked to the
  // pseudonymous identities so reports still place the anonymous learner at the school.
  // Which of the old identities the organisation tree placed, so the pseudonyms are placed the same.
  const placed = (await trx('person_identity').select('ifi_key', 'person_id').where({ tenant_id: tenantId }).whereIn('ifi_key', oldKeys)) as Array<{ ifi_key: string; person_id: string }>
  for (const personId of subject.personIds) {
    counts.grantsDeleted += await trx('person_grant').where({ tenant_id: tenantId, person_id: personId }).delete()
    counts.localAccountsDeleted += await trx('local_account').where({ tenant_id: tenantId, person_id: personId }).delete()
    await trx('course_roster').where({ person_id: personId }).update({ person_id: null })
    counts.identitiesReplaced += await trx('person_identity').where({ tenant_id: tenantId, person_id: personId }).delete()
    await trx('person').where({ tenant_id: tenantId, id: personId }).update({ name: ERASED_TEXT, email: null, phone: null, external_id: null, lti_issuer: null, lti_sub: null, updated_at: trx.fn.now() })
    counts.personsEmptied += 1
  }
  counts.identitiesReplaced += await trx('person_identity').where({ tenant_id: tenantId }).whereIn('ifi_key', oldKeys).delete()
  for (const p of placed) await trx.raw('insert into person_identity (tenant_id, ifi_key, person_id) values (?, ?, ?) on conflict do nothing', [tenantId, newKey(p.ifi_key), p.person_id])
  const owner = subject.personIds[0]

  // 8. Audit rows stay (who read or exported, when, how much: UU 27/2022 art. 31) but name the
  // pseudonym instead of the person.
  for (const key of oldKeys) {
    const audits = (await trx('access_audit').select('id', 'query').where({ tenant_id: tenantId, agent_ifi: key })) as Array<{ id: string; query: unknown }>
    for (const a of audits) {
      await trx('access_audit').where({ id: a.id }).update({ agent_ifi: newKey(key), query: JSON.stringify(redactJson(parseJson(a.query), redaction).value) })
      counts.auditRowsPseudonymised += 1
    }
  }
  const readers = [...subject.personIds, ...subject.ltiUserIds]
  if (readers.length > 0) counts.auditRowsPseudonymised += await trx('access_audit').where({ tenant_id: tenantId, actor_kind: 'session' }).whereIn('actor_id', readers).update({ actor_label: ERASED_TEXT })
  if (pattern !== undefined) {
    for (const table of [{ name: 'access_audit', column: 'query' }, { name: 'export_audit', column: 'filters' }]) {
      const candidates = (await trx(table.name).select('id', table.column).where({ tenant_id: tenantId })
        .where((q) => { for (const term of [...redaction.identifiers, ...redaction.names]) q.orWhereRaw(`position(lower(?) in lower(${table.column}::text)) > 0`, [term]) })) as Array<Record<string, unknown>>
      for (const row of candidates) {
        const out = redactJson(parseJson(row[table.column]), redaction)
        if (!out.changed) continue
        await trx(table.name).where({ id: row['id'] }).update({ [table.column]: JSON.stringify(out.value) })
        counts.auditRowsPseudonymised += 1
      }
    }
  }

  const total = Object.values(counts).reduce((a, b) => a + b, 0)
  const report: ErasureReport = { dryRun: options.dryRun, found: total > 0, counts, pseudonyms: [...pseudonyms.values()].map((p) => p.name), forwardTargets: [] }
  if (total > 0) {
    const inserted = (await trx('privacy_erasure').insert({
      tenant_id: tenantId, operator: options.operator, person_id: owner ?? null,
      pseudonyms: report.pseudonyms, counts: JSON.stringify(counts),
    }).returning('id')) as Array<{ id: string | number }>
    report.erasureId = Number(inserted[0]!.id)
  }
  return report
}

/** Rows of `@tln/lti-tool` that hold the person: sign-in, submissions and files, passback, mentoring, meetings, observations. */
async function eraseToolRows(trx: Knex.Transaction, subject: DataSubject, redaction: Redaction, counts: ErasureCounts): Promise<void> {
  const { tenantId } = subject
  // Grade passback jobs for the person (their score, the facilitator's comment) and as instructor.
  for (const s of subject.ltiSubjects) {
    const platforms = trx('lti_platform').select('id').where({ tenant_id: tenantId, issuer: s.issuer })
    counts.toolRowsDeleted += await trx('grade_passback').where({ tenant_id: tenantId, user_sub: s.sub }).whereIn('platform_id', platforms.clone()).delete()
    counts.toolRowsRedacted += await trx('grade_passback').where({ tenant_id: tenantId, instructor_sub: s.sub }).whereIn('platform_id', platforms.clone()).update({ instructor_sub: null, instructor_name: null })
  }
  for (const userId of subject.ltiUserIds) {
    counts.toolRowsDeleted += await trx('lti_session').where({ user_id: userId }).delete()
    counts.toolRowsDeleted += await trx('lti_session_handoff').where({ user_id: userId }).delete()
    counts.toolRowsDeleted += await trx('lti_deep_linking_request').where({ user_id: userId }).delete()
    counts.toolRowsDeleted += await trx('course_roster').where({ user_id: userId }).delete()
    // Assignments cascade to uploads, submissions (the files) and their grades.
    counts.toolRowsDeleted += await trx('task_assignment').where({ tenant_id: tenantId, user_id: userId }).delete()
    try {
      // A savepoint: a user who graded others' submissions is still referenced by those grades.
      counts.ltiUsersDeleted += await trx.transaction(async (sp): Promise<number> => sp('lti_user').where({ tenant_id: tenantId, id: userId }).delete())
    } catch {
      await trx('lti_user').where({ tenant_id: tenantId, id: userId }).update({ issuer: ERASED_ISSUER, sub: randomUUID(), name: null, email: null, updated_at: trx.fn.now() })
      counts.ltiUsersEmptied += 1
    }
  }
  if (subject.personIds.length > 0) {
    const relations = trx('mentoring_relation').select('id').where({ tenant_id: tenantId })
      .where((q) => q.whereIn('mentor_person_id', subject.personIds).orWhereIn('mentee_person_id', subject.personIds))
    const sessions = trx('mentoring_session').select('id').where({ tenant_id: tenantId }).whereIn('relation_id', relations.clone())
    counts.toolRowsDeleted += await trx('mentoring_confirmation').where({ tenant_id: tenantId }).whereIn('session_id', sessions).delete()
    // The session stays (the colleague's record: date, minutes, status); the evidence file and
    // the free text about the person go.
    counts.toolRowsRedacted += await trx('mentoring_session').where({ tenant_id: tenantId }).whereIn('relation_id', relations.clone()).update({
      evidence: null, evidence_name: null, evidence_type: null, evidence_size: null, evidence_sha256: null, notes: '', mentee_note: '', verification_note: '',
    })
    counts.toolRowsDeleted += await trx('mentoring_upload').where({ tenant_id: tenantId }).whereIn('relation_id', relations.clone()).delete()
    counts.toolRowsRedacted += await trx('observation_record').where({ tenant_id: tenantId }).whereIn('teacher_person_id', subject.personIds).whereNot({ notes: '' }).update({ notes: '' })
    counts.toolRowsDeleted += await trx('meeting_checkin_throttle').where({ tenant_id: tenantId })
      .where((q) => { for (const id of subject.personIds) q.orWhereRaw('position(? in subject) > 0', [id]) }).delete()
  }
  // Tool rows that keep an xAPI Agent (who scheduled, marked, observed) and statements still owed to the LRS.
  const agentColumns = [
    { table: 'tln_meeting', key: 'id', column: 'facilitator' },
    { table: 'tln_meeting_attendance', key: ['meeting_id', 'person_id'], column: 'instructor' },
    { table: 'tln_meeting_attendance', key: ['meeting_id', 'person_id'], column: 'voided_by' },
    { table: 'observation_record', key: 'id', column: 'monitor' },
    { table: 'tool_statement_outbox', key: 'id', column: 'statement' },
  ]
  const terms = [...redaction.identifiers, ...redaction.names]
  if (terms.length === 0) return
  for (const c of agentColumns) {
    const keyColumns = Array.isArray(c.key) ? c.key : [c.key]
    const rows = (await trx(c.table).select([...keyColumns, c.column]).where({ tenant_id: tenantId }).whereNotNull(c.column)
      .where((q) => { for (const term of terms) q.orWhereRaw(`position(lower(?) in lower(${c.column}::text)) > 0`, [term]) })) as Array<Record<string, unknown>>
    for (const row of rows) {
      const out = redactJson(parseJson(row[c.column]), redaction)
      if (!out.changed) continue
      await trx(c.table).where(Object.fromEntries(keyColumns.map((k) => [k, row[k]]))).update({ [c.column]: JSON.stringify(out.value) })
      counts.toolRowsRedacted += 1
    }
  }
}


function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value
}

/** Activity ids a statement names (object, context activities, sub-statement), for their definitions. */
function collectActivityIds(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectActivityIds(item, into)
    return
  }
  if (node === null || typeof node !== 'object') return
  const object = node as Record<string, unknown>
  if (typeof object['id'] === 'string' && (object['objectType'] === 'Activity' || object['definition'] !== undefined)) into.add(object['id'])
  for (const value of Object.values(object)) collectActivityIds(value, into)
}
