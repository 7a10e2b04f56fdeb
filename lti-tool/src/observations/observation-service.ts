import { randomUUID } from 'node:crypto'
import type { Knex } from '@tln/db'
import { CompetenceConfigStore, flattenFramework } from '@tln/competence'
import { ifiKey, type Agent } from '@tln/xapi'
import { LtiToolError } from '../errors.ts'
import type { StatementOutbox } from '../xapi/statement-outbox.ts'
import type { Actor } from '../meetings/meeting-service.ts'
import { personAgent, userAgent, type AccountAgent, type GroupRef } from '../meetings/tln-group.ts'
import { can } from '../org/access.ts'
import type { OrgStore } from '../org/org-store.ts'
import type { OrgNode, Person } from '../org/org-types.ts'
import type { InstrumentInput } from './instrument-form.ts'
import { evaluationStatement, evaluationStatementId, evaluationVoidId } from './observation-statements.ts'
import { ObservationStore } from './observation-store.ts'
import type { RecordInput } from './record-form.ts'
import type { EvaluationRecord, Instrument } from './types.ts'
import { voidStatement } from '../meetings/meeting-statements.ts'

/**
 * The competence indicator codes an instrument may link to: the indicators of the tenant's active
 * framework (the seed when none is stored). The instrument form (`checkInstrumentForm`) takes these.
 */
export async function instrumentCompetenceCodes(knex: Knex, tenantId: string): Promise<Set<string>> {
  const { framework } = await new CompetenceConfigStore(knex).active(tenantId)
  return new Set(flattenFramework(framework).filter((n) => n.level === 'indicator').map((n) => n.code))
}

export interface ObservationServiceDeps {
  readonly knex: Knex
  readonly org: OrgStore
  /** The tool's statement outbox: statements are added in the record's transaction, delivered after the commit. */
  readonly recorder: StatementOutbox
  readonly publicUrl: string
  readonly now: () => number
}

/**
 * Observation and interview instruments and their records (issue 5, "Meetings and evaluations").
 * An administrator (tenant `admin` or a `district-admin`) defines instruments; a monitor,
 * facilitator or coordinator (`evaluations:record` on the teacher's school) fills one in for a
 * teacher of their scope. A correction is a new record; the old one is kept, marked superseded,
 * and its statement voided. Out-of-scope or other tenants' ids are "not found".
 */
export class ObservationService {
  readonly store: ObservationStore

  constructor(private readonly deps: ObservationServiceDeps) {
    this.store = new ObservationStore(deps.knex)
  }

  /** May the actor define instruments? */
  canDefine(actor: Actor): boolean {
    return actor.grants.some((g) => g.role === 'admin' || g.role === 'district-admin')
  }

  /** The competence indicator codes an instrument may link to (`instrumentCompetenceCodes`). */
  competenceCodes(tenantId: string): Promise<Set<string>> {
    return instrumentCompetenceCodes(this.deps.knex, tenantId)
  }

  async defineInstrument(actor: Actor, input: InstrumentInput): Promise<Instrument> {
    if (!this.canDefine(actor)) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'defining instruments needs an admin or district admin')
    return this.store.insertInstrument(actor.session.user.tenantId, input, actor.session.user.id)
  }

  instruments(actor: Actor): Promise<Instrument[]> {
    return this.store.instruments(actor.session.user.tenantId)
  }

  async instrument(actor: Actor, id: string): Promise<Instrument> {
    const i = await this.store.instrument(actor.session.user.tenantId, id)
    if (i === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such instrument', { id })
    return i
  }

  /** May the actor evaluate at all (`evaluations:record` anywhere)? */
  canRecord(actor: Actor): boolean {
    return actor.grants.some((g) => can([g], 'evaluations:record', g.nodePath === undefined ? undefined : { path: g.nodePath }))
  }

  /** The teachers the actor may evaluate: people at schools under their `evaluations:record` grants, by name. */
  async teachers(actor: Actor): Promise<Person[]> {
    const tenantId = actor.session.user.tenantId
    const roots: Array<OrgNode | undefined> = []
    for (const g of actor.grants) {
      if (!can([g], 'evaluations:record', g.nodePath === undefined ? undefined : { path: g.nodePath })) continue
      if (g.nodeId === undefined) roots.push(undefined)
      else roots.push(await this.deps.org.node(tenantId, g.nodeId))
    }
    const byId = new Map<string, Person>()
    for (const root of roots) {
      const people = root === undefined
        ? await this.everyone(tenantId)
        : await this.deps.org.people(tenantId, root)
      for (const p of people) if (p.schoolId !== undefined) byId.set(p.id, p)
    }
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name))
  }

  /** A teacher in the actor's scope, with their school. @throws `ERR_TOOL_NOT_FOUND` otherwise */
  async teacher(actor: Actor, personId: string): Promise<{ person: Person; school: OrgNode }> {
    const tenantId = actor.session.user.tenantId
    const person = await this.deps.org.person(tenantId, personId)
    const school = person?.schoolId === undefined ? undefined : await this.deps.org.node(tenantId, person.schoolId)
    if (person === undefined || school === undefined || !can(actor.grants, 'evaluations:record', school)) {
      throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such teacher in scope', { personId })
    }
    return { person, school }
  }

  /** A record the actor may see (its teacher in scope). */
  async record(actor: Actor, id: string): Promise<{ record: EvaluationRecord; instrument: Instrument }> {
    const record = await this.store.record(actor.session.user.tenantId, id)
    if (record === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such record', { id })
    await this.teacher(actor, record.teacherPersonId)
    return { record, instrument: (await this.store.instrument(record.tenantId, record.instrumentId))! }
  }

  async recent(actor: Actor): Promise<EvaluationRecord[]> {
    return this.store.recent(actor.session.user.tenantId, (await this.teachers(actor)).map((t) => t.id))
  }

  /**
   * Store a filled-in instrument (checked by `checkRecordForm` already) and record its statement;
   * with `supersedes`, the correction of an earlier record of the same teacher and instrument:
   * the old one is marked superseded in the same transaction and its statement voided. Correcting
   * a record already corrected is a conflict and changes nothing.
   * @returns the new record's id
   */
  async fill(actor: Actor, instrument: Instrument, input: RecordInput, supersedes?: EvaluationRecord): Promise<string> {
    if (!this.canRecord(actor)) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'recording evaluations needs a monitor, facilitator or coordinator grant')
    const { person, school } = await this.teacher(actor, input.teacherId)
    if (supersedes !== undefined && (supersedes.teacherPersonId !== person.id || supersedes.instrumentId !== instrument.id)) {
      throw new LtiToolError('ERR_TOOL_BAD_REQUEST', 'a correction keeps the teacher and the instrument')
    }
    const tenantId = actor.session.user.tenantId
    const monitor = userAgent(this.deps.publicUrl, actor.session.user, actor.person)
    const teacher = personAgent(this.deps.publicUrl, person)
    const id = randomUUID()
    const group = await this.groupOf(school)
    const pending = await this.deps.knex.transaction(async (trx) => {
      if (supersedes !== undefined && !(await this.store.supersede(trx, tenantId, supersedes.id))) {
        throw new LtiToolError('ERR_TOOL_CONFLICT', 'this record was corrected already', { id: supersedes.id })
      }
      await this.store.insertRecord(trx, {
        id, tenantId, instrumentId: instrument.id, teacherId: person.id, monitorUserId: actor.session.user.id, monitor,
        observedOn: input.observedOn, ratings: { ...input.ratings }, notes: input.notes, ...(supersedes !== undefined && { supersedesId: supersedes.id }),
      })
      await this.writeIdentity(trx, tenantId, teacher, person.id)
      if (actor.person !== undefined) await this.writeIdentity(trx, tenantId, monitor, actor.person.id)
      // The record and the statements it owes the LRS commit together (the outbox).
      const statement = evaluationStatement(this.deps.publicUrl, instrument, { id, ratings: input.ratings, observedOn: input.observedOn, monitor }, {
        teacher, npsn: school.code, ...(group !== undefined && { group }),
      })
      const added = [await this.deps.recorder.add(trx, tenantId, [statement], { table: 'observation_record', column: 'statement_stored', key: { id } })]
      if (supersedes !== undefined) {
        const voiding = voidStatement({ id: evaluationVoidId(supersedes.id), target: evaluationStatementId(supersedes.id), actor: monitor, at: new Date(this.deps.now()) })
        added.push(await this.deps.recorder.add(trx, tenantId, [voiding], { table: 'observation_record', column: 'void_statement_stored', key: { id: supersedes.id } }))
      }
      return added
    })
    for (const p of pending) await this.deps.recorder.deliver(p)
    return id
  }

  private async everyone(tenantId: string): Promise<Person[]> {
    const provinces = await this.deps.org.nodes(tenantId, { kind: 'province' })
    return (await Promise.all(provinces.map((p) => this.deps.org.people(tenantId, p)))).flat()
  }

  private async groupOf(school: OrgNode): Promise<GroupRef | undefined> {
    const kecamatan = school.parentId === undefined ? undefined : await this.deps.org.node(school.tenantId, school.parentId)
    if (kecamatan === undefined) return undefined
    const district = kecamatan.parentId === undefined ? undefined : await this.deps.org.node(school.tenantId, kecamatan.parentId)
    return { id: kecamatan.id, name: kecamatan.name, ...(district !== undefined && { districtName: district.name }) }
  }

  private async writeIdentity(db: Knex.Transaction, tenantId: string, agent: AccountAgent, personId: string): Promise<void> {
    const key = ifiKey(agent as unknown as Agent)
    if (key !== undefined) await db.raw('insert into person_identity (tenant_id, ifi_key, person_id) values (?, ?, ?) on conflict do nothing', [tenantId, key, personId])
  }
}
