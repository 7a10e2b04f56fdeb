import type { Knex } from '@tln/db'
import { accessOf } from './org/grant-guard.ts'
import type { OrgStore } from './org/org-store.ts'
import type { Grant } from './org/org-types.ts'
import { TIER_LEVELS } from './programs/types.ts'
import { toUser, type TlnUser } from './session/user-store.ts'
import type { TaskStore } from './tasks/task-store.ts'
import type { TaskType, Text } from './tasks/types.ts'

/**
 * What the Deep Linking picker offers and what a resource-link launch names, read from the
 * database per tenant (issue 5): the modules of the tenant's active programs (`program_module`,
 * grouped program → tier → phase) and its performance tasks (`performance_task`). Item ids are
 * stable: they travel to the LMS in custom parameters and line-item `resourceId`s, so never rename one.
 *
 * - A module's id is `<program code>.<tier level>.<module code>`: codes are `[a-z0-9-]`, so the
 *   dots cannot be ambiguous, and a module code is unique only within its tier.
 * - A task's id is its `key` (`task-rpph`; a coordinator's new task gets `task-<slug>`).
 * - The three phase items of the first, static catalogue (`dbd-in-service-1` …) are the only static
 *   data left: links placed with them keep launching, as the matching phase of the tenant's active
 *   program with a Dasar tier. They are no longer offered.
 *
 * Who may pick what: modules of every active program; tasks for the whole tenant, plus node-scoped
 * tasks whose node is on a path of one of the instructor's grants (the node itself, above it —
 * a district's task for a kecamatan facilitator — or below it — a school's task in their
 * kecamatan): the tasks the teachers they serve can get. A tenant-wide grant (admin) picks every
 * task. An LMS instructor not placed in a TLN group picks the tenant-wide ones.
 */

export type { TaskType, Text }

/** Every task is graded by a facilitator against a rubric, scaled to this maximum in the LMS. */
export const TASK_SCORE_MAXIMUM = 100

export interface CatalogueModule {
  readonly kind: 'module'
  readonly id: string
  readonly title: Text
  readonly description: Text
}

export interface CatalogueTask {
  readonly kind: 'task'
  readonly id: string
  readonly taskType: TaskType
  readonly title: Text
  readonly description: Text
  /** The LMS line item gets this maximum. */
  readonly scoreMaximum: number
}

export type CatalogueItem = CatalogueModule | CatalogueTask

/** The modules of one phase, under its program and tier: one `fieldset` of the picker. */
export interface ModuleGroup {
  readonly program: Text
  readonly tier: Text
  readonly phase: Text
  readonly modules: readonly CatalogueModule[]
}

/** What one instructor may pick, in the picker's order. */
export interface PickerCatalogue {
  readonly moduleGroups: readonly ModuleGroup[]
  readonly tasks: readonly CatalogueTask[]
}

/** Links placed from the first, static catalogue: they name a phase of a Dasar tier. */
const LEGACY_PHASE_ITEMS: Readonly<Record<string, { tier: string; phase: string }>> = {
  'dbd-in-service-1': { tier: 'dasar', phase: 'in-service-1' },
  'dbd-on-the-job': { tier: 'dasar', phase: 'on-the-job-learning' },
  'dbd-in-service-2': { tier: 'dasar', phase: 'in-service-2' },
}

/** The picker's items, flat. */
export function pickerItems(catalogue: PickerCatalogue): CatalogueItem[] {
  return [...catalogue.moduleGroups.flatMap((g) => g.modules), ...catalogue.tasks]
}

interface ModuleRow {
  program_code: string; program_name_id: string; program_name_en: string
  tier_level: string; tier_name_id: string; tier_name_en: string
  phase_id: string; phase_code: string; phase_name_id: string; phase_name_en: string
  module_code: string | null; module_name_id: string | null; module_name_en: string | null; module_hours: number | null
}

interface TaskRow { key: string; task_type: TaskType; title_id: string; title_en: string; description_id: string; description_en: string }

const tierOrder = (level: string) => TIER_LEVELS.indexOf(level as (typeof TIER_LEVELS)[number])

/** The catalogue of a tenant, read from the program and task tables. Every query names the tenant. */
export class Catalogue {
  constructor(private readonly deps: { knex: Knex; org: OrgStore; tasks: Pick<TaskStore, 'ensureDefaults'> }) {}

  /** What `user` (an LMS instructor) may pick, and the tenant's default tasks seeded first. */
  async forInstructor(user: TlnUser): Promise<PickerCatalogue> {
    await this.deps.tasks.ensureDefaults(user.tenantId)
    const { grants } = await accessOf(this.deps.org, user)
    const [moduleGroups, tasks] = await Promise.all([this.moduleGroups(user.tenantId), this.tasks(user.tenantId, grants)])
    return { moduleGroups, tasks }
  }

  /** The picker of the user with this id (a Deep Linking request remembers the user id); undefined when the user is gone. */
  async forInstructorId(userId: string): Promise<PickerCatalogue | undefined> {
    const row = await this.deps.knex('lti_user').where({ id: userId }).first()
    return row === undefined ? undefined : this.forInstructor(toUser(row))
  }

  /**
   * The item a launch names, in its tenant: a module of an active program, a task by key, or a
   * legacy phase item. Node scope is not checked here: the instructor's pick placed the link.
   * Reads only (`/lti/items/:id` is a GET); a launch seeds the defaults first (`itemAtLaunch`).
   */
  async item(tenantId: string, id: string): Promise<CatalogueItem | undefined> {
    // Own keys only: an id such as `__proto__` or `constructor` names no item.
    const legacy = Object.hasOwn(LEGACY_PHASE_ITEMS, id) ? LEGACY_PHASE_ITEMS[id] : undefined
    if (legacy !== undefined) return this.legacyPhase(tenantId, id, legacy)
    const parts = id.split('.')
    if (parts.length === 3) {
      const [program, tier, module] = parts as [string, string, string]
      const [row] = (await this.moduleRows(tenantId).where({ 'p.code': program, 't.level': tier, 'm.code': module })) as ModuleRow[]
      return row === undefined ? undefined : toModule(row)
    }
    const row = (await this.deps.knex('performance_task').where({ tenant_id: tenantId, key: id }).first()) as TaskRow | undefined
    return row === undefined ? undefined : toTask(row)
  }

  /** The item a launch (a POST) names, the tenant's default tasks seeded first: a tenant made after the tool started has them from its first launch. */
  async itemAtLaunch(tenantId: string, id: string): Promise<CatalogueItem | undefined> {
    await this.deps.tasks.ensureDefaults(tenantId)
    return this.item(tenantId, id)
  }

  private moduleRows(tenantId: string): Knex.QueryBuilder {
    return this.deps.knex('program as p')
      .join('program_tier as t', function () { this.on('t.program_id', 'p.id').andOn('t.tenant_id', 'p.tenant_id') })
      .join('program_phase as ph', function () { this.on('ph.tier_id', 't.id').andOn('ph.tenant_id', 't.tenant_id') })
      .leftJoin('program_module as m', function () { this.on('m.phase_id', 'ph.id').andOn('m.tenant_id', 'ph.tenant_id') })
      .where({ 'p.tenant_id': tenantId, 'p.active': true })
      .orderBy(['p.code', 't.level', 'ph.position', 'm.position'])
      .select(
        'p.code as program_code', 'p.name_id as program_name_id', 'p.name_en as program_name_en',
        't.level as tier_level', 't.name_id as tier_name_id', 't.name_en as tier_name_en',
        'ph.id as phase_id', 'ph.code as phase_code', 'ph.name_id as phase_name_id', 'ph.name_en as phase_name_en',
        'm.code as module_code', 'm.name_id as module_name_id', 'm.name_en as module_name_en', 'm.hours as module_hours',
      )
  }

  private async moduleGroups(tenantId: string): Promise<ModuleGroup[]> {
    const rows = ((await this.moduleRows(tenantId)) as ModuleRow[]).filter((r) => r.module_code !== null)
    rows.sort((a, b) => a.program_code.localeCompare(b.program_code) || tierOrder(a.tier_level) - tierOrder(b.tier_level))
    const groups = new Map<string, { program: Text; tier: Text; phase: Text; modules: CatalogueModule[] }>()
    for (const r of rows) {
      const group = groups.get(r.phase_id) ?? { program: programName(r), tier: tierName(r), phase: phaseName(r), modules: [] }
      groups.set(r.phase_id, group)
      group.modules.push(toModule(r))
    }
    return [...groups.values()]
  }

  private async tasks(tenantId: string, grants: readonly Grant[]): Promise<CatalogueTask[]> {
    const tenantWide = grants.some((g) => g.nodePath === undefined)
    const paths = grants.flatMap((g) => (g.nodePath === undefined ? [] : [g.nodePath]))
    const q = this.deps.knex('performance_task as k').leftJoin('org_node as n', 'n.id', 'k.node_id')
      .where('k.tenant_id', tenantId).orderBy(['k.title_id', 'k.key'])
      .select('k.key', 'k.task_type', 'k.title_id', 'k.title_en', 'k.description_id', 'k.description_en')
    if (!tenantWide) {
      q.andWhere((w) => {
        w.whereNull('k.node_id')
        for (const p of paths) w.orWhereRaw('starts_with(n.path, ?) or starts_with(?, n.path)', [p, p])
      })
    }
    return ((await q) as TaskRow[]).map(toTask)
  }

  private async legacyPhase(tenantId: string, id: string, legacy: { tier: string; phase: string }): Promise<CatalogueModule | undefined> {
    const rows = (await this.moduleRows(tenantId).where({ 't.level': legacy.tier, 'ph.code': legacy.phase })) as ModuleRow[]
    const first = rows[0]
    if (first === undefined) return undefined
    const phase = rows.filter((r) => r.phase_id === first.phase_id && r.module_name_id !== null)
    return {
      kind: 'module', id,
      title: { id: `${first.tier_name_id} — ${first.phase_name_id}`, en: `${first.tier_name_en} — ${first.phase_name_en}` },
      description: {
        id: `${first.program_name_id}. Modul: ${phase.map((r) => r.module_name_id).join('; ') || '—'}.`,
        en: `${first.program_name_en}. Modules: ${phase.map((r) => r.module_name_en).join('; ') || '—'}.`,
      },
    }
  }
}

const programName = (r: ModuleRow): Text => ({ id: r.program_name_id, en: r.program_name_en })
const tierName = (r: ModuleRow): Text => ({ id: r.tier_name_id, en: r.tier_name_en })
const phaseName = (r: ModuleRow): Text => ({ id: r.phase_name_id, en: r.phase_name_en })

function toModule(r: ModuleRow): CatalogueModule {
  return {
    kind: 'module', id: `${r.program_code}.${r.tier_level}.${r.module_code!}`,
    title: { id: r.module_name_id!, en: r.module_name_en! },
    description: {
      id: `${r.program_name_id} — ${r.tier_name_id} — ${r.phase_name_id} (${r.module_hours ?? 0} JP)`,
      en: `${r.program_name_en} — ${r.tier_name_en} — ${r.phase_name_en} (${r.module_hours ?? 0} lesson hours)`,
    },
  }
}

function toTask(r: TaskRow): CatalogueTask {
  return {
    kind: 'task', id: r.key, taskType: r.task_type, scoreMaximum: TASK_SCORE_MAXIMUM,
    title: { id: r.title_id, en: r.title_en }, description: { id: r.description_id, en: r.description_en },
  }
}
