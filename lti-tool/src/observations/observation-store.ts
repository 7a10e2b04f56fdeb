import type { Knex } from '@tln/db'
import type { AccountAgent } from '../meetings/tln-group.ts'
import { isUuid } from '../org/org-store.ts'
import type { InstrumentInput } from './instrument-form.ts'
import type { EvaluationRecord, Instrument, InstrumentIndicator, InstrumentKind, RatingScale } from './types.ts'

type Db = Knex | Knex.Transaction

interface InstrumentRow { id: string; tenant_id: string; name: string; kind: InstrumentKind; scale: RatingScale | string; indicators: InstrumentIndicator[] | string; created_at: Date | string }
interface RecordRow {
  id: string; tenant_id: string; instrument_id: string; teacher_person_id: string; teacher_name: string; monitor: AccountAgent | string
  observed_day: string; ratings: Record<string, number> | string; notes: string; supersedes_id: string | null; superseded: boolean; created_at: Date | string
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value)

function toInstrument(r: InstrumentRow): Instrument {
  return { id: r.id, tenantId: r.tenant_id, name: r.name, kind: r.kind, scale: json(r.scale), indicators: json(r.indicators), createdAt: new Date(r.created_at) }
}

function toRecord(r: RecordRow): EvaluationRecord {
  return {
    id: r.id, tenantId: r.tenant_id, instrumentId: r.instrument_id, teacherPersonId: r.teacher_person_id, teacherName: r.teacher_name,
    monitor: json(r.monitor), observedOn: r.observed_day, ratings: json(r.ratings), notes: r.notes, superseded: r.superseded,
    createdAt: new Date(r.created_at), ...(r.supersedes_id !== null && { supersedesId: r.supersedes_id }),
  }
}

/** Instruments and filled-in records in PostgreSQL (`observation_instrument`, `observation_record`); every query names the tenant. */
export class ObservationStore {
  constructor(private readonly knex: Knex) {}

  /** `userId` is the defining user; `null` for an instrument no user defined (the demo seed's). */
  async insertInstrument(tenantId: string, input: InstrumentInput, userId: string | null): Promise<Instrument> {
    const [row] = (await this.knex('observation_instrument').insert({
      tenant_id: tenantId, name: input.name, kind: input.kind, scale: JSON.stringify(input.scale), indicators: JSON.stringify(input.indicators), created_by_user_id: userId,
    }).returning('*')) as InstrumentRow[]
    return toInstrument(row!)
  }

  async instruments(tenantId: string): Promise<Instrument[]> {
    return ((await this.knex('observation_instrument').where({ tenant_id: tenantId }).orderBy('created_at', 'desc')) as InstrumentRow[]).map(toInstrument)
  }

  async instrument(tenantId: string, id: string, db: Db = this.knex): Promise<Instrument | undefined> {
    if (!isUuid(id)) return undefined
    const row = (await db('observation_instrument').where({ tenant_id: tenantId, id }).first()) as InstrumentRow | undefined
    return row === undefined ? undefined : toInstrument(row)
  }

  /** Records with the teacher's name; the date as text, so no driver turns it into a midnight in some time zone. */
  private records(db: Db) {
    return db('observation_record as r').join('person as p', 'p.id', 'r.teacher_person_id').select('r.*', 'p.name as teacher_name', db.raw(`to_char(r.observed_on, 'YYYY-MM-DD') as observed_day`))
  }

  async record(tenantId: string, id: string, db: Db = this.knex): Promise<EvaluationRecord | undefined> {
    if (!isUuid(id)) return undefined
    const row = (await this.records(db).where({ 'r.tenant_id': tenantId, 'r.id': id }).first()) as RecordRow | undefined
    return row === undefined ? undefined : toRecord(row)
  }

  /** Current (not superseded) records of these teachers, newest first. */
  async recent(tenantId: string, teacherIds: readonly string[], limit = 50): Promise<EvaluationRecord[]> {
    if (teacherIds.length === 0) return []
    return ((await this.records(this.knex).where({ 'r.tenant_id': tenantId, 'r.superseded': false }).whereIn('r.teacher_person_id', teacherIds)
      .orderBy([{ column: 'r.observed_on', order: 'desc' }, { column: 'r.created_at', order: 'desc' }]).limit(limit)) as RecordRow[]).map(toRecord)
  }

  /** Mark a record superseded; false when it was already (someone corrected it first). */
  async supersede(db: Db, tenantId: string, id: string): Promise<boolean> {
    return (await db('observation_record').where({ tenant_id: tenantId, id, superseded: false }).update({ superseded: true })) === 1
  }

  async insertRecord(db: Db, row: { id: string; tenantId: string; instrumentId: string; teacherId: string; monitorUserId: string; monitor: AccountAgent; observedOn: string; ratings: Record<string, number>; notes: string; supersedesId?: string }): Promise<void> {
    await db('observation_record').insert({
      id: row.id, tenant_id: row.tenantId, instrument_id: row.instrumentId, teacher_person_id: row.teacherId, monitor_user_id: row.monitorUserId,
      monitor: JSON.stringify(row.monitor), observed_on: row.observedOn, ratings: JSON.stringify(row.ratings), notes: row.notes, supersedes_id: row.supersedesId ?? null,
    })
  }

}
