/**
 * Programs, tiers, phases, modules and quotas in PostgreSQL (migration `20261129001630-programs`).
 * Every query names the tenant; an id of another tenant (or not a UUID) is "not found". Every
 * write is one transaction that first locks the tenant's row, so the rules that need the stored
 * program (a code or position taken, hours over the parent's) are checked without a race, and that
 * ends by republishing the program vocabulary (`program-publish.ts`): nothing is half-saved.
 */
import type { Knex } from '@tln/db'
import { LtiToolError } from '../errors.ts'
import { isUuid } from '../org/org-store.ts'
import { moduleActivityId, phaseActivityId, programActivityId, tierActivityId } from './program-iris.ts'
import { publishProgramVocabulary } from './program-publish.ts'
import {
  PROGRAM_DOCUMENT_FORMAT,
  type FieldProblem, type ModuleFields, type PhaseFields, type PhaseKind, type Program, type ProgramDocument, type ProgramFields, type ProgramModule,
  type ProgramPhase, type ProgramQuota, type ProgramSummary, type ProgramTier, type Published, type Text, type TierFields, type TierLevel,
} from './types.ts'

type Db = Knex | Knex.Transaction
type Row = Record<string, unknown>

/**
 * A save that breaks a rule of the stored program. `problems` name the field and rule; `conflict`
 * marks a taken code, level or position (409) rather than a bad value (400). Nothing was stored.
 */
export class ProgramInputError extends Error {
  constructor(readonly problems: readonly FieldProblem[], readonly conflict: boolean) {
    super(problems.map((p) => `${p.field}: ${p.rule}`).join('; '))
    this.name = 'ProgramInputError'
  }
}

const UNIQUE_VIOLATION = '23505'
const LEVEL_ORDER = `case level when 'dasar' then 1 when 'lanjut' then 2 else 3 end`

const taken = (field: string, what: Text): FieldProblem => ({ field, rule: 'taken', message: { id: `${what.id} sudah dipakai.`, en: `${what.en} is taken already.` } })
const over = (field: string, message: Text): FieldProblem => ({ field, rule: 'hours-total', message })

/** What a write returns: the saved row's id and what happened to the competence configuration. */
export type Saved = { readonly id: string } & Published

export class ProgramStore {
  constructor(private readonly knex: Knex) {}

  /** The tenant's programs, by code. */
  async list(tenantId: string, db: Db = this.knex): Promise<ProgramSummary[]> {
    const rows = (await db('program').where({ tenant_id: tenantId }).orderBy('code')) as Row[]
    const tiers = (await db('program_tier').where({ tenant_id: tenantId }).orderByRaw(LEVEL_ORDER).select('program_id', 'level')) as Row[]
    return rows.map((r) => toSummary(r, tiers.filter((t) => t['program_id'] === r['id']).map((t) => t['level'] as TierLevel)))
  }

  /** One program with its tiers (by level), phases and modules (by position) and quotas; undefined for another tenant's or an unknown id. */
  async program(tenantId: string, id: string, db: Db = this.knex): Promise<Program | undefined> {
    if (!isUuid(id)) return undefined
    const row = (await db('program').where({ tenant_id: tenantId, id }).first()) as Row | undefined
    if (row === undefined) return undefined
    const tierRows = (await db('program_tier').where({ tenant_id: tenantId, program_id: id }).orderByRaw(LEVEL_ORDER)) as Row[]
    const tierIds = tierRows.map((t) => t['id'] as string)
    const phaseRows = tierIds.length === 0 ? [] : (await db('program_phase').where({ tenant_id: tenantId }).whereIn('tier_id', tierIds).orderBy('position')) as Row[]
    const moduleRows = tierIds.length === 0 ? [] : (await db('program_module').where({ tenant_id: tenantId }).whereIn('tier_id', tierIds).orderBy('position')) as Row[]
    const quotaRows = (await db('program_quota as q').join('org_node as k', 'k.id', 'q.kecamatan_id')
      .where({ 'q.tenant_id': tenantId, 'q.program_id': id }).orderBy('k.code')
      .select('q.kecamatan_id', 'q.participants', 'k.code', 'k.name')) as Row[]
    const tierList: ProgramTier[] = tierRows.map((t) => ({
      ...toTierFields(t), id: t['id'] as string, activityId: t['activity_id'] as string,
      phases: phaseRows.filter((ph) => ph['tier_id'] === t['id']).map((ph): ProgramPhase => ({
        ...toPhaseFields(ph), id: ph['id'] as string, activityId: ph['activity_id'] as string,
        modules: moduleRows.filter((m) => m['phase_id'] === ph['id']).map(toModule),
      })),
    }))
    const quotas: ProgramQuota[] = quotaRows.map((q) => ({ kecamatanId: q['kecamatan_id'] as string, kecamatanCode: q['code'] as string, kecamatanName: q['name'] as string, participants: Number(q['participants']) }))
    return { ...toSummary(row, tierList.map((t) => t.level)), tierList, quotas }
  }

  /** @throws LtiToolError `ERR_TOOL_NOT_FOUND` */
  async mustProgram(tenantId: string, id: string): Promise<Program> {
    const program = await this.program(tenantId, id)
    if (program === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such program in this tenant', { id })
    return program
  }

  /** @throws ProgramInputError a taken code (or the IRI its code gives) */
  createProgram(tenantId: string, fields: ProgramFields, by: string): Promise<Saved> {
    return this.write(tenantId, by, async (trx) => {
      const activityId = programActivityId(fields.code)
      if (await exists(trx('program').where({ tenant_id: tenantId, code: fields.code }))) throw new ProgramInputError([taken('code', { id: 'Kode program', en: 'The program code' })], true)
      if (await exists(trx('program').where({ tenant_id: tenantId, activity_id: activityId }))) throw new ProgramInputError([taken('code', { id: 'ID aktivitas dari kode ini', en: 'The activity id this code gives' })], true)
      const [row] = (await trx('program').insert({ tenant_id: tenantId, code: fields.code, name_id: fields.name.id, name_en: fields.name.en, active: fields.active, activity_id: activityId, updated_by: by }).returning('id')) as Array<{ id: string }>
      return row!.id
    })
  }

  /** Changes code, names and `active`; the activity IRI stays. @throws LtiToolError `ERR_TOOL_NOT_FOUND`; ProgramInputError */
  updateProgram(tenantId: string, id: string, fields: ProgramFields, by: string): Promise<Saved> {
    return this.write(tenantId, by, async (trx) => {
      await this.lockProgram(trx, tenantId, id)
      if (await exists(trx('program').where({ tenant_id: tenantId, code: fields.code }).whereNot({ id }))) throw new ProgramInputError([taken('code', { id: 'Kode program', en: 'The program code' })], true)
      await trx('program').where({ tenant_id: tenantId, id }).update({ code: fields.code, name_id: fields.name.id, name_en: fields.name.en, active: fields.active, updated_by: by, updated_at: trx.fn.now() })
      return id
    })
  }

  /**
   * Adds (`tierId` undefined) or changes a tier. A level is one tier per program; a tier's hours
   * cover its phases' hours. @throws LtiToolError `ERR_TOOL_NOT_FOUND`; ProgramInputError
   */
  saveTier(tenantId: string, programId: string, tierId: string | undefined, fields: TierFields, by: string): Promise<Saved> {
    return this.write(tenantId, by, async (trx) => {
      const program = await this.lockProgram(trx, tenantId, programId)
      if (tierId !== undefined) await this.tierRow(trx, tenantId, programId, tierId)
      const sameLevel = trx('program_tier').where({ program_id: programId, level: fields.level })
      if (await exists(tierId === undefined ? sameLevel : sameLevel.whereNot({ id: tierId }))) throw new ProgramInputError([taken('level', { id: 'Jenjang ini di program ini', en: 'This level in this program' })], true)
      const values = { level: fields.level, name_id: fields.name.id, name_en: fields.name.en, hours: fields.hours, ...completionColumns(fields) }
      if (tierId !== undefined) {
        const phaseHours = await sum(trx('program_phase').where({ tier_id: tierId }), 'hours')
        if (fields.hours < phaseHours) throw new ProgramInputError([over('hours', { id: `Fase-fase jenjang ini sudah ${phaseHours} JP; jam jenjang tidak boleh kurang dari itu.`, en: `The phases of this tier add up to ${phaseHours} JP already; the tier's hours cannot be fewer.` })], false)
        await trx('program_tier').where({ tenant_id: tenantId, id: tierId }).update(values)
        return tierId
      }
      const [row] = (await trx('program_tier').insert({ tenant_id: tenantId, program_id: programId, activity_id: tierActivityId(program['activity_id'] as string, fields.level), ...values }).returning('id')) as Array<{ id: string }>
      return row!.id
    })
  }

  /**
   * Adds or changes a phase of a tier: code and position unique in the tier, the tier's phases
   * within the tier's hours, the phase's modules within its hours.
   * @throws LtiToolError `ERR_TOOL_NOT_FOUND`; ProgramInputError
   */
  savePhase(tenantId: string, programId: string, tierId: string, phaseId: string | undefined, fields: PhaseFields, by: string): Promise<Saved> {
    return this.write(tenantId, by, async (trx) => {
      await this.lockProgram(trx, tenantId, programId)
      const tier = await this.tierRow(trx, tenantId, programId, tierId)
      if (phaseId !== undefined) await this.phaseRow(trx, tierId, phaseId)
      const others = () => { const q = trx('program_phase').where({ tier_id: tierId }); return phaseId === undefined ? q : q.whereNot({ id: phaseId }) }
      const problems: FieldProblem[] = []
      if (await exists(others().where({ code: fields.code }))) problems.push(taken('code', { id: 'Kode fase di jenjang ini', en: 'The phase code in this tier' }))
      if (await exists(others().where({ position: fields.position }))) problems.push(taken('position', { id: 'Urutan ini di jenjang ini', en: 'This order in this tier' }))
      if (problems.length > 0) throw new ProgramInputError(problems, true)
      const otherHours = await sum(others(), 'hours')
      const tierHours = Number(tier['hours'])
      if (otherHours + fields.hours > tierHours) throw new ProgramInputError([over('hours', { id: `Jenjang ini ${tierHours} JP dan fase lainnya sudah ${otherHours} JP: fase ini paling banyak ${tierHours - otherHours} JP.`, en: `This tier has ${tierHours} JP and its other phases ${otherHours} JP: this phase can have at most ${tierHours - otherHours} JP.` })], false)
      const values = { position: fields.position, code: fields.code, name_id: fields.name.id, name_en: fields.name.en, kind: fields.kind, hours: fields.hours }
      if (phaseId !== undefined) {
        const moduleHours = await sum(trx('program_module').where({ phase_id: phaseId }), 'hours')
        if (fields.hours < moduleHours) throw new ProgramInputError([over('hours', { id: `Modul-modul fase ini sudah ${moduleHours} JP; jam fase tidak boleh kurang dari itu.`, en: `The modules of this phase add up to ${moduleHours} JP already; the phase's hours cannot be fewer.` })], false)
        await trx('program_phase').where({ id: phaseId }).update(values)
        return phaseId
      }
      const [row] = (await trx('program_phase').insert({ tenant_id: tenantId, tier_id: tierId, activity_id: phaseActivityId(tier['activity_id'] as string, fields.code), ...values }).returning('id')) as Array<{ id: string }>
      return row!.id
    })
  }

  /**
   * Adds or changes a module: its phase one of the tier's, code unique in the tier, position
   * unique in the phase, the phase's modules within the phase's hours, and an LMS activity id
   * counting for one module of the tier only.
   * @throws LtiToolError `ERR_TOOL_NOT_FOUND`; ProgramInputError
   */
  saveModule(tenantId: string, programId: string, tierId: string, moduleId: string | undefined, fields: ModuleFields & { phaseId: string }, by: string): Promise<Saved> {
    return this.write(tenantId, by, async (trx) => {
      await this.lockProgram(trx, tenantId, programId)
      const tier = await this.tierRow(trx, tenantId, programId, tierId)
      const phase = await this.phaseRow(trx, tierId, fields.phaseId)
      if (moduleId !== undefined && !(await exists(trx('program_module').where({ tier_id: tierId, id: moduleId })))) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such module in this tier', { moduleId })
      const others = (q: Knex.QueryBuilder) => (moduleId === undefined ? q : q.whereNot({ id: moduleId }))
      const problems: FieldProblem[] = []
      if (await exists(others(trx('program_module').where({ tier_id: tierId, code: fields.code })))) problems.push(taken('code', { id: 'Kode modul di jenjang ini', en: 'The module code in this tier' }))
      if (await exists(others(trx('program_module').where({ phase_id: fields.phaseId, position: fields.position })))) problems.push(taken('position', { id: 'Urutan ini di fase ini', en: 'This order in this phase' }))
      const used = (await others(trx('program_module').where({ tier_id: tierId })).select('code', 'lms_activity_ids')) as Array<{ code: string; lms_activity_ids: string[] }>
      const clash = used.find((m) => m.lms_activity_ids.some((x) => fields.lmsActivityIds.includes(x)))
      if (clash !== undefined) problems.push({ field: 'lmsActivityIds', rule: 'taken', message: { id: `ID aktivitas LMS ini sudah dihitung untuk modul ${clash.code}.`, en: `An LMS activity id here counts for module ${clash.code} already.` } })
      if (problems.length > 0) throw new ProgramInputError(problems, true)
      const otherHours = await sum(others(trx('program_module').where({ phase_id: fields.phaseId })), 'hours')
      const phaseHours = Number(phase['hours'])
      if (otherHours + fields.hours > phaseHours) throw new ProgramInputError([over('hours', { id: `Fase ini ${phaseHours} JP dan modul lainnya sudah ${otherHours} JP: modul ini paling banyak ${Math.max(0, phaseHours - otherHours)} JP.`, en: `This phase has ${phaseHours} JP and its other modules ${otherHours} JP: this module can have at most ${Math.max(0, phaseHours - otherHours)} JP.` })], false)
      const values = { phase_id: fields.phaseId, position: fields.position, code: fields.code, name_id: fields.name.id, name_en: fields.name.en, hours: fields.hours, lms_activity_ids: JSON.stringify(fields.lmsActivityIds) }
      if (moduleId !== undefined) {
        await trx('program_module').where({ id: moduleId }).update(values)
        return moduleId
      }
      const [row] = (await trx('program_module').insert({ tenant_id: tenantId, tier_id: tierId, activity_id: moduleActivityId(tier['activity_id'] as string, fields.code), ...values }).returning('id')) as Array<{ id: string }>
      return row!.id
    })
  }

  /**
   * Sets (a number) or removes (null) the quota of kecamatan of the tenant; others stay.
   * @throws LtiToolError `ERR_TOOL_NOT_FOUND` for a program or kecamatan not in this tenant
   */
  setQuotas(tenantId: string, programId: string, quotas: ReadonlyMap<string, number | null>, by: string): Promise<Saved> {
    return this.write(tenantId, by, async (trx) => {
      await this.lockProgram(trx, tenantId, programId)
      const ids = [...quotas.keys()]
      const known = ids.length === 0 ? [] : (await trx('org_node').where({ tenant_id: tenantId, kind: 'kecamatan' }).whereIn('id', ids.filter(isUuid)).pluck('id')) as string[]
      const unknown = ids.find((id) => !known.includes(id))
      if (unknown !== undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such kecamatan in this tenant', { kecamatanId: unknown })
      for (const [kecamatanId, participants] of quotas) {
        if (participants === null) await trx('program_quota').where({ program_id: programId, kecamatan_id: kecamatanId }).delete()
        else await trx('program_quota').insert({ tenant_id: tenantId, program_id: programId, kecamatan_id: kecamatanId, participants }).onConflict(['program_id', 'kecamatan_id']).merge(['participants'])
      }
      return programId
    })
  }

  /**
   * Stores a whole program document (import, the demo seed) in one transaction: the program by
   * its code, tiers by level, phases and modules by code; what the document leaves out is
   * removed; positions are the document's order; quotas are replaced. Stored rows keep their
   * activity IRIs; new rows take the document's or the derived one. Importing the same document
   * again changes nothing (and publishes nothing).
   * @throws ProgramInputError hours over a parent's, a kecamatan code not in the tenant, an IRI taken
   */
  putDocument(tenantId: string, doc: ProgramDocument, by: string): Promise<Saved> {
    return this.write(tenantId, by, async (trx) => {
      const problems = hoursProblems(doc)
      const kecamatan = new Map(((await trx('org_node').where({ tenant_id: tenantId, kind: 'kecamatan' }).select('id', 'code')) as Array<{ id: string; code: string }>).map((k) => [k.code, k.id]))
      for (const code of Object.keys(doc.quotas)) if (!kecamatan.has(code)) problems.push({ field: `quotas.${code}`, rule: 'unknown-kecamatan', message: { id: `Tidak ada kecamatan berkode ${code}.`, en: `There is no kecamatan with code ${code}.` } })
      if (problems.length > 0) throw new ProgramInputError(problems, false)
      let program = (await trx('program').where({ tenant_id: tenantId, code: doc.code }).forUpdate().first()) as Row | undefined
      const programValues = { name_id: doc.name.id, name_en: doc.name.en, active: doc.active, updated_by: by }
      if (program === undefined) {
        ;[program] = (await trx('program').insert({ tenant_id: tenantId, code: doc.code, activity_id: doc.activityId ?? programActivityId(doc.code), ...programValues }).returning('*')) as Row[]
      } else if (changed(program, programValues)) {
        await trx('program').where({ id: program['id'] }).update({ ...programValues, updated_at: trx.fn.now() })
      }
      const programId = program!['id'] as string
      const tierRows = (await trx('program_tier').where({ program_id: programId })) as Row[]
      for (const tier of doc.tiers) {
        const values = { name_id: tier.name.id, name_en: tier.name.en, hours: tier.hours, ...completionColumns(tier) }
        let row = tierRows.find((t) => t['level'] === tier.level)
        if (row === undefined) [row] = (await trx('program_tier').insert({ tenant_id: tenantId, program_id: programId, level: tier.level, activity_id: tier.activityId ?? tierActivityId(program!['activity_id'] as string, tier.level), ...values }).returning('*')) as Row[]
        else if (changed(row, values)) await trx('program_tier').where({ id: row['id'] }).update(values)
        await putPhases(trx, tenantId, row!, tier.phases)
      }
      const levels = doc.tiers.map((t) => t.level)
      const gone = tierRows.filter((t) => !levels.includes(t['level'] as TierLevel)).map((t) => t['id'] as string)
      if (gone.length > 0) await trx('program_tier').whereIn('id', gone).delete()
      const quotas = Object.entries(doc.quotas).map(([code, participants]) => ({ kecamatan_id: kecamatan.get(code)!, participants }))
      const stored = (await trx('program_quota').where({ program_id: programId }).select('kecamatan_id', 'participants')) as Array<{ kecamatan_id: string; participants: number }>
      const same = stored.length === quotas.length && quotas.every((q) => stored.some((s) => s.kecamatan_id === q.kecamatan_id && Number(s.participants) === q.participants))
      if (!same) {
        await trx('program_quota').where({ program_id: programId }).delete()
        if (quotas.length > 0) await trx('program_quota').insert(quotas.map((q) => ({ tenant_id: tenantId, program_id: programId, ...q })))
      }
      return programId
    })
  }

  /** A program as a document (`tln-program/1`), activity IRIs included. @throws LtiToolError `ERR_TOOL_NOT_FOUND` */
  async document(tenantId: string, id: string): Promise<ProgramDocument> {
    const p = await this.mustProgram(tenantId, id)
    return {
      format: PROGRAM_DOCUMENT_FORMAT, code: p.code, name: p.name, active: p.active, activityId: p.activityId,
      tiers: p.tierList.map((t) => ({
        level: t.level, name: t.name, hours: t.hours, completion: t.completion, activityId: t.activityId,
        phases: t.phases.map((ph) => ({
          code: ph.code, name: ph.name, kind: ph.kind, hours: ph.hours, activityId: ph.activityId,
          modules: ph.modules.map((m) => ({ code: m.code, name: m.name, hours: m.hours, lmsActivityIds: m.lmsActivityIds, activityId: m.activityId })),
        })),
      })),
      quotas: Object.fromEntries(p.quotas.map((q) => [q.kecamatanCode, q.participants])),
    }
  }

  /** One write: the tenant locked, `change` run, the vocabulary republished, all in one transaction. */
  private async write(tenantId: string, by: string, change: (trx: Knex.Transaction) => Promise<string>): Promise<Saved> {
    try {
      return await this.knex.transaction(async (trx) => {
        // Program writes of a tenant queue here, so their checks see every committed change. `no key
        // update`, not `update`: it leaves the foreign-key checks of statement inserts (`for key share`) unblocked.
        await trx.raw('select id from tenant where id = ? for no key update', [tenantId])
        const id = await change(trx)
        return { id, ...(await publishProgramVocabulary(trx, tenantId, by)) }
      })
    } catch (error) {
      // The database's own unique constraints back the checks (deferred order constraints fire at commit).
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new ProgramInputError([uniqueProblem(String((error as { constraint?: string }).constraint ?? ''))], true)
      throw error
    }
  }

  private async lockProgram(trx: Knex.Transaction, tenantId: string, id: string): Promise<Row> {
    const row = isUuid(id) ? ((await trx('program').where({ tenant_id: tenantId, id }).forUpdate().first()) as Row | undefined) : undefined
    if (row === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such program in this tenant', { id })
    return row
  }

  private async tierRow(db: Db, tenantId: string, programId: string, tierId: string): Promise<Row> {
    const row = isUuid(tierId) ? ((await db('program_tier').where({ tenant_id: tenantId, program_id: programId, id: tierId }).first()) as Row | undefined) : undefined
    if (row === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such tier in this program', { tierId })
    return row
  }

  private async phaseRow(db: Db, tierId: string, phaseId: string): Promise<Row> {
    const row = isUuid(phaseId) ? ((await db('program_phase').where({ tier_id: tierId, id: phaseId }).first()) as Row | undefined) : undefined
    if (row === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such phase in this tier', { phaseId })
    return row
  }
}

async function putPhases(trx: Knex.Transaction, tenantId: string, tier: Row, phases: ProgramDocument['tiers'][number]['phases']): Promise<void> {
  const tierId = tier['id'] as string
  const tierIri = tier['activity_id'] as string
  const phaseRows = (await trx('program_phase').where({ tier_id: tierId })) as Row[]
  const moduleRows = (await trx('program_module').where({ tier_id: tierId })) as Row[]
  const keptModules: string[] = []
  for (const [i, phase] of phases.entries()) {
    const values = { position: i + 1, name_id: phase.name.id, name_en: phase.name.en, kind: phase.kind, hours: phase.hours }
    let row = phaseRows.find((p) => p['code'] === phase.code)
    if (row === undefined) [row] = (await trx('program_phase').insert({ tenant_id: tenantId, tier_id: tierId, code: phase.code, activity_id: phase.activityId ?? phaseActivityId(tierIri, phase.code), ...values }).returning('*')) as Row[]
    else if (changed(row, values)) await trx('program_phase').where({ id: row['id'] }).update(values)
    for (const [j, mod] of phase.modules.entries()) {
      keptModules.push(mod.code)
      const moduleValues = { phase_id: row!['id'], position: j + 1, name_id: mod.name.id, name_en: mod.name.en, hours: mod.hours, lms_activity_ids: mod.lmsActivityIds }
      const existing = moduleRows.find((m) => m['code'] === mod.code)
      if (existing === undefined) await trx('program_module').insert({ tenant_id: tenantId, tier_id: tierId, code: mod.code, activity_id: mod.activityId ?? moduleActivityId(tierIri, mod.code), ...moduleValues, lms_activity_ids: JSON.stringify(mod.lmsActivityIds) })
      else if (changed(existing, moduleValues)) await trx('program_module').where({ id: existing['id'] }).update({ ...moduleValues, lms_activity_ids: JSON.stringify(mod.lmsActivityIds) })
    }
  }
  const goneModules = moduleRows.filter((m) => !keptModules.includes(m['code'] as string)).map((m) => m['id'] as string)
  if (goneModules.length > 0) await trx('program_module').whereIn('id', goneModules).delete()
  const codes = phases.map((p) => p.code)
  const gonePhases = phaseRows.filter((p) => !codes.includes(p['code'] as string)).map((p) => p['id'] as string)
  if (gonePhases.length > 0) await trx('program_phase').whereIn('id', gonePhases).delete()
}

/** The document's hours rules: a tier's phases within the tier's hours, a phase's modules within the phase's. */
function hoursProblems(doc: ProgramDocument): FieldProblem[] {
  const problems: FieldProblem[] = []
  doc.tiers.forEach((t, ti) => {
    const phaseHours = t.phases.reduce((n, p) => n + p.hours, 0)
    if (phaseHours > t.hours) problems.push(over(`tiers[${ti}].hours`, { id: `Fase-fase ${phaseHours} JP, lebih dari ${t.hours} JP jenjang ini.`, en: `The phases add up to ${phaseHours} JP, more than the tier's ${t.hours} JP.` }))
    t.phases.forEach((p, pi) => {
      const moduleHours = p.modules.reduce((n, m) => n + m.hours, 0)
      if (moduleHours > p.hours) problems.push(over(`tiers[${ti}].phases[${pi}].hours`, { id: `Modul-modul ${moduleHours} JP, lebih dari ${p.hours} JP fase ini.`, en: `The modules add up to ${moduleHours} JP, more than the phase's ${p.hours} JP.` }))
    })
  })
  return problems
}

function completionColumns(t: TierFields): Row {
  return {
    requires_all_modules: t.completion.allModules, post_test_min_percent: t.completion.postTestMinPercent,
    requires_tasks_accepted: t.completion.tasksAccepted, min_attendance_percent: t.completion.minAttendancePercent,
  }
}

/** Would `values` change `row`? (Unchanged rows are not written, so a repeated import touches nothing.) */
function changed(row: Row, values: Row): boolean {
  return Object.entries(values).some(([k, v]) => {
    const stored = row[k]
    if (Array.isArray(v)) return JSON.stringify(stored) !== JSON.stringify(v)
    if (typeof v === 'number' && stored !== null && stored !== undefined) return Number(stored) !== v
    return stored !== v
  })
}

function uniqueProblem(constraint: string): FieldProblem {
  if (constraint.includes('order')) return taken('position', { id: 'Urutan ini', en: 'This order' })
  if (constraint.includes('level')) return taken('level', { id: 'Jenjang ini', en: 'This level' })
  if (constraint.includes('activity_id')) return taken('code', { id: 'ID aktivitas dari kode ini', en: 'The activity id this code gives' })
  return taken('code', { id: 'Kode ini', en: 'This code' })
}

async function exists(q: Knex.QueryBuilder): Promise<boolean> {
  return (await q.first('id')) !== undefined
}

async function sum(q: Knex.QueryBuilder, column: string): Promise<number> {
  const row = (await q.sum(`${column} as total`).first()) as { total: number | string | null } | undefined
  return Number(row?.total ?? 0)
}

function toSummary(r: Row, tiers: TierLevel[]): ProgramSummary {
  return {
    id: r['id'] as string, code: r['code'] as string, name: { id: r['name_id'] as string, en: r['name_en'] as string },
    active: r['active'] === true, activityId: r['activity_id'] as string, tiers,
    updatedAt: new Date(r['updated_at'] as string | Date).toISOString(),
  }
}

function toTierFields(t: Row): TierFields {
  const pct = (v: unknown) => (v === null || v === undefined ? null : Number(v))
  return {
    level: t['level'] as TierLevel, name: { id: t['name_id'] as string, en: t['name_en'] as string }, hours: Number(t['hours']),
    completion: {
      allModules: t['requires_all_modules'] === true, postTestMinPercent: pct(t['post_test_min_percent']),
      tasksAccepted: t['requires_tasks_accepted'] === true, minAttendancePercent: pct(t['min_attendance_percent']),
    },
  }
}

function toPhaseFields(p: Row): PhaseFields {
  return { code: p['code'] as string, position: Number(p['position']), name: { id: p['name_id'] as string, en: p['name_en'] as string }, kind: p['kind'] as PhaseKind, hours: Number(p['hours']) }
}

function toModule(m: Row): ProgramModule {
  return {
    id: m['id'] as string, phaseId: m['phase_id'] as string, activityId: m['activity_id'] as string, code: m['code'] as string, position: Number(m['position']),
    name: { id: m['name_id'] as string, en: m['name_en'] as string }, hours: Number(m['hours']), lmsActivityIds: m['lms_activity_ids'] as string[],
  }
}
