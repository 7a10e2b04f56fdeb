import { createHash, createHmac, randomBytes } from 'node:crypto'
import type { Knex } from '@tln/db'
import { ifiKey, type Agent } from '@tln/xapi'
import { LOCAL_ISSUER } from '../accounts/accounts.ts'
import { LtiToolError } from '../errors.ts'
import type { ToolLogger } from '../logger.ts'
import { can } from '../org/access.ts'
import { accessOf } from '../org/grant-guard.ts'
import type { OrgStore } from '../org/org-store.ts'
import type { Grant, OrgNode, Person } from '../org/org-types.ts'
import type { Session } from '../session/session-store.ts'
import type { StatementOutbox } from '../xapi/statement-outbox.ts'
import { appendChunk, checkUploadSize, ChunkedUploadStore, UPLOAD_TTL_MS, type ChunkedUpload } from '../uploads/chunked-uploads.ts'
import { checkEvidence, EVIDENCE_TYPES, MAX_EVIDENCE_BYTES, type UploadedFile } from './evidence.ts'
import { cleanFileName } from './file-name.ts'
import { personAgent } from '../meetings/tln-group.ts'
import { answerStatement, mentoredStatement, verificationStatement } from './mentoring-statements.ts'
import { MentoringStore, type ChainLink } from './mentoring-store.ts'
import { checkMentee, checkNote, checkSession, isAfterWindow } from './rules.ts'
import { localDateText } from '../http/local-time.ts'
import { DEFAULT_WINDOW_DAYS, type FieldProblem, type MentoringSession, type PersonRef, type Relation } from './types.ts'

/** A confirmation link lives a week: long enough for a colleague without data credit, short enough to go stale. */
export const CONFIRMATION_TTL_MS = 7 * 86_400_000

/** Bad form input: `ERR_TOOL_BAD_REQUEST` with every bad field, so the page can show each beside its field. */
export class MentoringInputError extends LtiToolError {
  constructor(readonly problems: readonly FieldProblem[]) {
    super('ERR_TOOL_BAD_REQUEST', `mentoring form: ${problems.map((p) => `${p.field} ${p.rule}`).join(', ')}`, { problems: problems.map((p) => `${p.field}:${p.rule}`) })
  }
}

export interface MentoringServiceDeps {
  readonly knex: Knex
  readonly org: OrgStore
  /** The tool's statement outbox: statements are added in the session's transaction, delivered after the commit. */
  readonly recorder: StatementOutbox
  readonly publicUrl: string
  /** Keys the confirmation links (HMAC of a stored nonce). */
  readonly secret: Uint8Array
  readonly logger: ToolLogger
  readonly now: () => number
  /** The deployment's IANA zone (`TLN_TIME_ZONE`): "today" for the forms' dates, and the pages' times. */
  readonly timeZone: string
}

/** Who is asking: the session, their person record, grants and school (a mentor needs the last). */
export interface Viewer {
  readonly session: Pick<Session, 'user' | 'launch'>
  readonly person?: Person
  readonly grants: readonly Grant[]
  readonly school?: OrgNode
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')
const notFound = (what: string, detail: Record<string, unknown>) => new LtiToolError('ERR_TOOL_NOT_FOUND', `no such ${what} in scope`, detail)

/**
 * Peer mentoring: relations, sessions, the mentee's answer, verification, chains. Each step checks
 * the tenant (the store's queries) and the person (mentor of the relation, its mentee, or a
 * verifier whose grant covers the school) before it acts; anything out of scope is "not found".
 * Statements are added to the outbox in the session's transaction and delivered after the commit
 * (ids derived from the session, so a retry stores nothing new); the `*_stored` flags turn true on delivery.
 */
export class MentoringService {
  readonly store: MentoringStore
  /** Resumable evidence uploads (`mentoring_upload`), the tasks' code (`uploads/`). */
  readonly uploads: ChunkedUploadStore

  constructor(private readonly deps: MentoringServiceDeps) {
    this.store = new MentoringStore(deps.knex)
    this.uploads = new ChunkedUploadStore(deps.knex, 'mentoring_upload')
  }

  /** The deployment's zone (`TLN_TIME_ZONE`), for the pages' times. */
  get timeZone(): string {
    return this.deps.timeZone
  }

  /** Today on the deployment's calendar (`YYYY-MM-DD`): sessions may not lie after it. */
  today(): string {
    return localDateText(new Date(this.deps.now()), this.deps.timeZone)
  }

  async viewer(session: Pick<Session, 'user' | 'launch'>): Promise<Viewer> {
    const { person, grants } = await accessOf(this.deps.org, session.user)
    const school = person?.schoolId === undefined ? undefined : await this.deps.org.node(session.user.tenantId, person.schoolId)
    return { session, grants, ...(person !== undefined && { person }), ...(school !== undefined && { school }) }
  }

  /** A mentor: a person at a school whose grants let them log work there (`tasks:submit`). */
  mentor(v: Viewer): { person: Person; school: OrgNode } {
    if (v.person === undefined || v.school === undefined || !can(v.grants, 'tasks:submit', v.school)) {
      throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'logging mentoring needs a teacher linked to a school', { userId: v.session.user.id })
    }
    return { person: v.person, school: v.school }
  }

  /** May this viewer verify sessions at `school`? (a facilitator of its kecamatan, its coordinator, an admin) */
  canVerify(v: Viewer, school: Pick<OrgNode, 'path'>): boolean {
    return can(v.grants, 'tasks:grade', school)
  }

  /** The colleagues a mentor may pick: the school's people but themself. */
  async colleagues(v: Viewer): Promise<Person[]> {
    const { person, school } = this.mentor(v)
    return (await this.deps.org.people(v.session.user.tenantId, school)).filter((p) => p.id !== person.id && p.schoolId === school.id)
  }

  async windowDays(tenantId: string): Promise<number> {
    return this.store.windowDays(tenantId, DEFAULT_WINDOW_DAYS)
  }

  /** May this viewer change the tenant's window? (a tenant-wide grant that manages the organisation) */
  canConfigure(v: Viewer): boolean {
    return can(v.grants, 'org:manage', undefined)
  }

  /** The settings form of an administrator: the window in days (1..365). */
  async configure(v: Viewer, value: unknown): Promise<number> {
    if (!this.canConfigure(v)) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'the challenge window needs a tenant-wide org:manage grant', { userId: v.session.user.id })
    const days = typeof value === 'string' && /^\d{1,3}$/u.test(value.trim()) ? Number(value.trim()) : NaN
    await this.setWindowDays(v.session.user.tenantId, days)
    return days
  }

  /** An administrator sets the tenant's challenge window (days); relations made before keep theirs. */
  async setWindowDays(tenantId: string, days: number): Promise<void> {
    if (!Number.isInteger(days) || days < 1 || days > 365) throw new MentoringInputError([{ field: 'windowDays', rule: 'window-range', message: { id: 'Jendela tantangan 1 sampai 365 hari.', en: 'The challenge window is 1 to 365 days.' } }])
    await this.store.setWindowDays(tenantId, days)
  }

  /**
   * Record a colleague the viewer mentors: a person of their school (another school's → 400,
   * another tenant's or unknown → 404), or a new person by name at their school. The window
   * (start + the tenant's days) is stored on the relation. @returns the relation
   */
  async addRelation(v: Viewer, form: Readonly<Record<string, unknown>>): Promise<Relation> {
    const { person: mentor, school } = this.mentor(v)
    const tenantId = v.session.user.tenantId
    const checked = checkMentee(form, { today: this.today() })
    if (!checked.ok) throw new MentoringInputError(checked.problems)
    const input = checked.value
    const days = await this.windowDays(tenantId)
    const relationId = await this.deps.knex.transaction(async (trx) => {
      let menteeId: string
      if (input.kind === 'existing') {
        const mentee = await this.deps.org.person(tenantId, input.personId, trx)
        if (mentee === undefined) throw notFound('person', { personId: input.personId })
        if (mentee.id === mentor.id) throw new MentoringInputError([{ field: 'mentee', rule: 'mentee-self', message: { id: 'Anda tidak dapat mendampingi diri sendiri.', en: 'You cannot mentor yourself.' } }])
        if (mentee.schoolId !== school.id) throw new MentoringInputError([{ field: 'mentee', rule: 'mentee-other-school', message: { id: 'Rekan yang didampingi harus dari sekolah Anda sendiri.', en: 'The colleague you mentor must be from your own school.' } }])
        menteeId = mentee.id
      } else {
        const same = input.email === undefined ? undefined : await this.store.personByEmail(trx, tenantId, input.email)
        if (same !== undefined && same.schoolId !== school.id) throw new MentoringInputError([{ field: 'email', rule: 'email-other-school', message: { id: 'Email ini milik orang dari sekolah lain.', en: 'This e-mail belongs to a person of another school.' } }])
        if (same?.id === mentor.id) throw new MentoringInputError([{ field: 'email', rule: 'mentee-self', message: { id: 'Anda tidak dapat mendampingi diri sendiri.', en: 'You cannot mentor yourself.' } }])
        menteeId = same?.id ?? (await this.store.insertPerson(trx, tenantId, { name: input.name, schoolId: school.id, ...(input.phone !== undefined && { phone: input.phone }), ...(input.email !== undefined && { email: input.email }) })).id
        // Like an imported teacher: a teacher grant at the school, so a later account or launch works there at once.
        await this.deps.org.grant(tenantId, menteeId, 'teacher', school.id, trx)
      }
      return this.store.insertRelation(trx, { tenantId, mentorId: mentor.id, menteeId, schoolId: school.id, windowStart: input.start, windowDays: days, userId: v.session.user.id })
    })
    const relation = await this.store.relation(tenantId, relationId)
    await this.writeIdentities(relation!, [relation!.mentor, relation!.mentee])
    return relation!
  }

  /** A relation the viewer mentors in; anyone else's (or another tenant's) is "not found". */
  async ownRelation(v: Viewer, relationId: string, trx?: Knex.Transaction): Promise<Relation> {
    const r = await this.store.relation(v.session.user.tenantId, relationId, trx)
    if (r === undefined || v.person === undefined || r.mentor.id !== v.person.id) throw notFound('relation', { relationId })
    return r
  }

  /**
   * Log a session on the viewer's relation. Date, duration and topic follow `checkSession`; a
   * session after the window is taken and flagged. Evidence (optional) is a photo or PDF judged by
   * its content: the file of the form, or a resumable upload of this relation finished before
   * (`{ uploadId }`, used up with the session). Stores the row, a confirmation link and the
   * `mentored` statement (outbox) in one transaction.
   */
  async logSession(v: Viewer, relationId: string, form: Readonly<Record<string, unknown>>, file?: UploadedFile | { uploadId: string }): Promise<{ relation: Relation; session: MentoringSession; link: string }> {
    this.mentor(v)
    const r = await this.ownRelation(v, relationId)
    const checked = checkSession(form, { today: this.today(), relationStart: r.windowStart })
    const uploaded = file !== undefined && 'uploadId' in file ? await this.uploadedFile(r, file.uploadId) : undefined
    const evidence = file === undefined ? undefined : uploaded !== undefined ? uploaded.evidence : checkEvidence(file as UploadedFile)
    const problems = [...(checked.ok ? [] : checked.problems), ...(evidence !== undefined && !evidence.ok ? evidence.problems : [])]
    if (problems.length > 0 || !checked.ok) throw new MentoringInputError(problems)
    const input = checked.value
    const link = this.newLink()
    const { sessionId, pending } = await this.deps.knex.transaction(async (trx) => {
      const id = await this.store.insertSession(trx, {
        tenantId: r.tenantId, relationId: r.id, date: input.date, durationMinutes: input.durationMinutes, topicText: input.topicText, notes: input.notes,
        afterWindow: isAfterWindow(input.date, r.windowStart, r.windowDays), userId: v.session.user.id,
        ...(input.topicTask !== undefined && { topicTask: input.topicTask }), ...(evidence?.ok === true && { evidence: evidence.value }),
      })
      if (uploaded !== undefined) await this.uploads.delete(r.tenantId, uploaded.id, trx)
      await this.store.replaceConfirmation(trx, { tenantId: r.tenantId, sessionId: id, tokenHash: sha256(link.token), nonce: link.nonce, expiresAt: new Date(this.deps.now() + CONFIRMATION_TTL_MS) })
      const inserted = (await this.store.session(r.tenantId, id, trx))!
      return { sessionId: id, pending: await this.deps.recorder.add(trx, r.tenantId, [mentoredStatement(this.deps.publicUrl, r, inserted)], { table: 'mentoring_session', column: 'statement_stored', key: { id } }) }
    })
    await this.deps.recorder.deliver(pending)
    const session = (await this.store.session(r.tenantId, sessionId))!
    await this.writeIdentities(r, [r.mentor, r.mentee])
    return { relation: r, session, link: this.linkUrl(link.token) }
  }

  /** Start a resumable evidence upload on the viewer's relation; oversize is refused before any content travels. */
  async createUpload(v: Viewer, relationId: string, fileName: string, size: number): Promise<ChunkedUpload> {
    this.mentor(v)
    const r = await this.ownRelation(v, relationId)
    checkUploadSize(size, MAX_EVIDENCE_BYTES)
    return this.uploads.create({ tenantId: r.tenantId, ownerId: r.id, fileName: cleanFileName(fileName), size, expiresAt: new Date(this.deps.now() + UPLOAD_TTL_MS) })
  }

  /** An upload of the viewer's own relation (anyone else's is "not found"): where it stands. */
  async upload(v: Viewer, uploadId: string): Promise<ChunkedUpload> {
    const u = await this.uploads.find(v.session.user.tenantId, uploadId)
    if (u === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such upload', { uploadId })
    await this.ownRelation(v, u.ownerId)
    return u
  }

  /** Append a chunk (the shared rules); the first one must be a photo or a PDF by its content. */
  async putChunk(v: Viewer, uploadId: string, offset: number, chunk: Buffer): Promise<ChunkedUpload> {
    const u = await this.upload(v, uploadId)
    return appendChunk(this.uploads, v.session.user.tenantId, u, offset, chunk, (type) => type !== undefined && type !== 'zip' && EVIDENCE_TYPES.includes(type))
  }

  /** A finished upload of relation `r` as evidence, judged like a posted file (content, size); a wrong type is dropped. */
  private async uploadedFile(r: Relation, uploadId: string): Promise<{ id: string; evidence: ReturnType<typeof checkEvidence> }> {
    const incomplete = new MentoringInputError([{ field: 'file', rule: 'upload-incomplete', message: { id: 'Unggahan bukti belum selesai atau sudah kedaluwarsa. Pilih berkas lagi.', en: 'The evidence upload is not finished or has expired. Choose the file again.' } }])
    const u = await this.uploads.find(r.tenantId, uploadId)
    if (u === undefined || u.ownerId !== r.id) throw incomplete
    const content = await this.deps.knex.transaction((trx) => this.uploads.content(trx, r.tenantId, u.id))
    if (content === undefined) throw incomplete
    const evidence = checkEvidence({ name: u.fileName, content })
    if (!evidence.ok) await this.uploads.delete(r.tenantId, u.id)
    return { id: u.id, evidence }
  }

  /** The viewer's session on their own relation (mentor) — for the share page and the evidence. */
  async ownSession(v: Viewer, sessionId: string): Promise<{ relation: Relation; session: MentoringSession }> {
    const s = await this.store.session(v.session.user.tenantId, sessionId)
    if (s === undefined) throw notFound('session', { sessionId })
    return { relation: await this.ownRelation(v, s.relationId), session: s }
  }

  /** The confirmation link of a waiting session, made anew when the last one expired. */
  async shareLink(v: Viewer, sessionId: string, renew = false): Promise<{ relation: Relation; session: MentoringSession; link?: string; expiresAt?: Date }> {
    const { relation, session } = await this.ownSession(v, sessionId)
    if (session.status !== 'waiting') return { relation, session }
    const live = renew ? undefined : await this.store.confirmationOf(relation.tenantId, session.id, new Date(this.deps.now()))
    if (live !== undefined) return { relation, session, link: this.linkUrl(this.tokenOf(live.nonce)), expiresAt: live.expiresAt }
    const link = this.newLink()
    const expiresAt = new Date(this.deps.now() + CONFIRMATION_TTL_MS)
    await this.deps.knex.transaction((trx) => this.store.replaceConfirmation(trx, { tenantId: relation.tenantId, sessionId: session.id, tokenHash: sha256(link.token), nonce: link.nonce, expiresAt }))
    return { relation, session, link: this.linkUrl(link.token), expiresAt }
  }

  /** What a confirmation link shows, without using it up; undefined when unknown, used or expired. */
  async byLink(token: string): Promise<{ relation: Relation; session: MentoringSession } | undefined> {
    if (!/^[\w-]{20,64}$/u.test(token)) return undefined
    const found = await this.store.findConfirmation(sha256(token), new Date(this.deps.now()))
    if (found === undefined) return undefined
    const session = await this.store.session(found.tenantId, found.sessionId)
    const relation = session === undefined ? undefined : await this.store.relation(found.tenantId, session.relationId)
    return session === undefined || relation === undefined ? undefined : { relation, session }
  }

  /** The mentee answers through the link (no account): confirm or dispute; the link is used up. */
  async answerByLink(token: string, input: { confirmed: boolean; note: unknown }): Promise<{ relation: Relation; session: MentoringSession } | undefined> {
    const note = checkNote(input.note, 'note', !input.confirmed)
    if (!note.ok) throw new MentoringInputError(note.problems)
    if (!/^[\w-]{20,64}$/u.test(token)) return undefined
    return this.answer(async (trx) => this.store.consumeConfirmation(trx, sha256(token), new Date(this.deps.now())), input.confirmed, note.value)
  }

  /** A mentee with a TLN session answers in their own list. */
  async answerAsMentee(v: Viewer, sessionId: string, input: { confirmed: boolean; note: unknown }): Promise<{ relation: Relation; session: MentoringSession }> {
    const note = checkNote(input.note, 'note', !input.confirmed)
    if (!note.ok) throw new MentoringInputError(note.problems)
    const tenantId = v.session.user.tenantId
    const s = await this.store.session(tenantId, sessionId)
    const r = s === undefined ? undefined : await this.store.relation(tenantId, s.relationId)
    if (s === undefined || r === undefined || v.person === undefined || r.mentee.id !== v.person.id) throw notFound('session', { sessionId })
    const done = await this.answer(async () => ({ tenantId, sessionId: s.id }), input.confirmed, note.value)
    if (done === undefined) throw new LtiToolError('ERR_TOOL_CONFLICT', 'the session was answered already', { sessionId })
    return done
  }

  private async answer(claim: (trx: Knex.Transaction) => Promise<{ tenantId: string; sessionId: string } | undefined>, confirmed: boolean, note: string) {
    const at = new Date(this.deps.now())
    const done = await this.deps.knex.transaction(async (trx) => {
      const found = await claim(trx)
      if (found === undefined) return undefined
      const moved = await this.store.transition(trx, found.tenantId, found.sessionId, ['waiting'], confirmed ? 'confirmed' : 'disputed', { mentee_note: note, confirmed_at: at })
      if (!moved) return undefined
      await this.store.deleteConfirmations(trx, found.tenantId, found.sessionId)
      const session = (await this.store.session(found.tenantId, found.sessionId, trx))!
      const relation = (await this.store.relation(found.tenantId, session.relationId, trx))!
      const pending = await this.deps.recorder.add(trx, relation.tenantId, [answerStatement(this.deps.publicUrl, relation, session, { confirmed, note, at })], { table: 'mentoring_session', column: 'confirm_statement_stored', key: { id: session.id } })
      return { relation, session, pending }
    })
    if (done === undefined) return undefined
    await this.deps.recorder.deliver(done.pending)
    return { relation: done.relation, session: (await this.store.session(done.relation.tenantId, done.session.id)) ?? done.session }
  }

  /** Sessions waiting for the viewer's answer as a mentee. */
  async toAnswer(v: Viewer): Promise<Array<{ relation: Relation; session: MentoringSession }>> {
    if (v.person === undefined) return []
    const relations = await this.store.relationsOf(v.session.user.tenantId, v.person.id, 'mentee')
    const sessions = await this.store.sessionsOf(v.session.user.tenantId, relations.map((r) => r.id))
    return sessions.filter((s) => s.status === 'waiting').map((s) => ({ session: s, relation: relations.find((r) => r.id === s.relationId)! }))
  }

  /** The viewer's relations as mentor, each with its sessions (newest first). */
  async mine(v: Viewer): Promise<Array<{ relation: Relation; sessions: MentoringSession[] }>> {
    if (v.person === undefined) return []
    const relations = await this.store.relationsOf(v.session.user.tenantId, v.person.id, 'mentor')
    const sessions = await this.store.sessionsOf(v.session.user.tenantId, relations.map((r) => r.id))
    return relations.map((relation) => ({ relation, sessions: sessions.filter((s) => s.relationId === relation.id) }))
  }

  /** The verification queue: open sessions at schools the viewer's grants cover, oldest first. */
  async queue(v: Viewer): Promise<Array<{ relation: Relation; session: MentoringSession }>> {
    const tenantId = v.session.user.tenantId
    const open = await this.store.openSessions(tenantId)
    const relations = new Map<string, Relation | undefined>()
    const out: Array<{ relation: Relation; session: MentoringSession }> = []
    for (const { session, relationId } of open) {
      if (!relations.has(relationId)) relations.set(relationId, await this.store.relation(tenantId, relationId))
      const relation = relations.get(relationId)
      if (relation !== undefined && this.canVerify(v, relation.school)) out.push({ relation, session })
    }
    return out
  }

  /** A session the viewer may verify (out of scope → not found). */
  async verifiable(v: Viewer, sessionId: string): Promise<{ relation: Relation; session: MentoringSession }> {
    const tenantId = v.session.user.tenantId
    const s = await this.store.session(tenantId, sessionId)
    const r = s === undefined ? undefined : await this.store.relation(tenantId, s.relationId)
    if (s === undefined || r === undefined || !this.canVerify(v, r.school)) throw notFound('session', { sessionId })
    return { relation: r, session: s }
  }

  /**
   * A facilitator or the school head verifies or rejects a session (a rejection needs a note). A
   * session verified or rejected already is a conflict and nothing changes. Records approve/reject.
   */
  async verify(v: Viewer, sessionId: string, input: { approved: boolean; note: unknown }): Promise<{ relation: Relation; session: MentoringSession }> {
    const note = checkNote(input.note, 'note', !input.approved)
    const { relation } = await this.verifiable(v, sessionId)
    if (!note.ok) throw new MentoringInputError(note.problems)
    const at = new Date(this.deps.now())
    const verifier = this.verifierAgent(v)
    const { session, pending } = await this.deps.knex.transaction(async (trx) => {
      const moved = await this.store.transition(trx, relation.tenantId, sessionId, ['waiting', 'confirmed', 'disputed'], input.approved ? 'verified' : 'rejected', {
        verification_note: note.value, verifier_user_id: v.session.user.id, verified_at: at,
      })
      if (!moved) throw new LtiToolError('ERR_TOOL_CONFLICT', 'the session was verified or rejected already', { sessionId })
      await this.store.deleteConfirmations(trx, relation.tenantId, sessionId)
      const verified = (await this.store.session(relation.tenantId, sessionId, trx))!
      const statement = verificationStatement(this.deps.publicUrl, relation, verified, { verifier, approved: input.approved, note: note.value, at })
      return { session: verified, pending: await this.deps.recorder.add(trx, relation.tenantId, [statement], { table: 'mentoring_session', column: 'verify_statement_stored', key: { id: sessionId } }) }
    })
    await this.deps.recorder.deliver(pending)
    if (v.person !== undefined) await this.store.writeIdentity(this.deps.knex, relation.tenantId, ifiKey(verifier as Agent)!, v.person.id)
    return { relation, session }
  }

  /** The evidence file, for the mentor, the mentee or a verifier in scope. */
  async evidence(v: Viewer, sessionId: string): Promise<{ content: Buffer; mediaType: string; name: string }> {
    const tenantId = v.session.user.tenantId
    const s = await this.store.session(tenantId, sessionId)
    const r = s === undefined ? undefined : await this.store.relation(tenantId, s.relationId)
    const allowed = r !== undefined && ((v.person !== undefined && (r.mentor.id === v.person.id || r.mentee.id === v.person.id)) || this.canVerify(v, r.school))
    const file = allowed ? await this.store.evidence(tenantId, sessionId) : undefined
    if (file === undefined) throw notFound('evidence', { sessionId })
    return file
  }

  /**
   * A person's chain (their mentees, and theirs, …) with its depth, and who mentored them. The
   * person themself, or someone whose grants read their school, may see it.
   */
  async chain(v: Viewer, personId?: string): Promise<{ person: PersonRef; links: ChainLink[]; depth: number; mentoredBy: PersonRef[] }> {
    const tenantId = v.session.user.tenantId
    const person = personId === undefined ? v.person : await this.deps.org.person(tenantId, personId)
    if (person === undefined) throw notFound('person', { personId })
    if (person.id !== v.person?.id) {
      const school = person.schoolId === undefined ? undefined : await this.deps.org.node(tenantId, person.schoolId)
      if (school === undefined || !(can(v.grants, 'org:read', school) || can(v.grants, 'tasks:grade', school))) throw notFound('person', { personId })
    }
    const links = await this.store.chain(tenantId, person.id)
    const mentoredBy = (await this.store.relationsOf(tenantId, person.id, 'mentee')).map((r) => r.mentor)
    return { person: { id: person.id, name: person.name }, links, depth: links.reduce((d, l) => Math.max(d, l.depth), 0), mentoredBy }
  }

  private verifierAgent(v: Viewer): ReturnType<typeof personAgent> {
    const u = v.session.user
    if (u.issuer !== LOCAL_ISSUER) return { objectType: 'Agent', name: u.name ?? v.person?.name ?? u.sub, account: { homePage: u.issuer, name: u.sub } }
    if (v.person !== undefined) return personAgent(this.deps.publicUrl, v.person)
    return { objectType: 'Agent', name: u.name ?? u.sub, account: { homePage: this.deps.publicUrl, name: `account:${u.sub}` } }
  }

  private newLink(): { nonce: string; token: string } {
    const nonce = randomBytes(16).toString('base64url')
    return { nonce, token: this.tokenOf(nonce) }
  }

  /** 128 bits of HMAC-SHA256(secret, nonce): unguessable, and the mentor can be shown it again. */
  private tokenOf(nonce: string): string {
    return createHmac('sha256', this.deps.secret).update(`tln-mentoring-confirm|${nonce}`).digest().subarray(0, 16).toString('base64url')
  }

  private linkUrl(token: string): string {
    return `${this.deps.publicUrl}/lti/mentoring/confirm/${token}`
  }

  /** `person_identity` rows for the people a statement names, so reports can name mentees and follow chains. */
  private async writeIdentities(r: Relation, people: readonly PersonRef[]): Promise<void> {
    for (const p of people) await this.store.writeIdentity(this.deps.knex, r.tenantId, ifiKey(personAgent(this.deps.publicUrl, p) as Agent)!, p.id)
  }
}
