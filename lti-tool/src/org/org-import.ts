import { advisoryLockKey, type Knex } from '@tln/db'
import type { ToolLogger } from '../logger.ts'
import { checkSchools, checkTeachers, slugOf, type ImportLookup, type ImportProblem } from './import-rows.ts'
import { knownPeople, planTeachers, writeSchools, writeTeachers } from './import-writes.ts'
import { OrgStore } from './org-store.ts'
import type { OrgNode } from './org-types.ts'

export type ImportKind = 'schools' | 'teachers'

export interface ImportRequest {
  readonly tenantId: string
  readonly kind: ImportKind
  /** The CSV text (UTF-8). */
  readonly csv: string
  /** Check only; store nothing. */
  readonly dryRun?: boolean
  /**
   * Limit the import to a subtree (the importer's grant): kecamatan and schools outside it count as
   * unknown, and a school registered outside it cannot be moved in by NPSN.
   */
  readonly under?: OrgNode
}

export interface ImportOptions {
  /**
   * Rows stored by one import after which it runs `ANALYZE` on the tables it filled (default
   * `ANALYZE_AFTER_ROWS`); a positive integer.
   */
  readonly analyzeAfter?: number
  /** Told when that `ANALYZE` fails (the import itself has committed). */
  readonly logger?: Pick<ToolLogger, 'warn'>
}

/**
 * A district's file of schools or teachers (hundreds to thousands of rows) is worth fresh
 * statistics; a correction of a few rows is not, and autovacuum's own threshold (10% of a table)
 * catches up with those.
 */
export const ANALYZE_AFTER_ROWS = 1_000

/**
 * The tables an import of `kind` writes: its own rows and, through the triggers of migration
 * `20261130000100-learner-school`, the learners' stored school (`competence_learner.school_id`),
 * set when a school's NPSN or a teacher's school is imported. Reports plan their placement joins
 * from these statistics (docs/performance-notes.md, "statistics after an organisation import").
 */
const IMPORT_TABLES: Readonly<Record<ImportKind, readonly string[]>> = {
  schools: ['org_node', 'competence_learner'],
  teachers: ['person', 'person_grant', 'competence_learner'],
}

/**
 * The tables an import of `kind` analyses whatever its size: the organisation tree stays tens to a
 * few hundred rows, so its changes never pass autovacuum's threshold (50 + 10 % of the table) and
 * nothing else would ever analyse it; the reports' placement filters then planned 10,020 learners
 * as 63 (docs/performance-notes.md, issue 7). ANALYZE reads a table this small whole, in a few ms.
 */
const ALWAYS_ANALYZED: Readonly<Record<ImportKind, readonly string[]>> = {
  schools: ['org_node'],
  teachers: [],
}

export type ImportResult =
  | { readonly ok: true; readonly kind: ImportKind; readonly dryRun: boolean; readonly rows: number; readonly created: number; readonly updated: number }
  | { readonly ok: false; readonly kind: ImportKind; readonly problems: readonly ImportProblem[] }

/**
 * Import a CSV of schools or teachers into a tenant's tree: every row is checked first
 * (`import-rows.ts`), then all rows are written in one transaction, a few set-based statements per
 * file (`import-writes.ts`), so a file with one bad row stores nothing and its report lists every
 * problem (row, column, rule). Schools are matched by NPSN, teachers by `id` or e-mail, so
 * importing a file again updates instead of duplicating. Each
 * teacher holds the `teacher` grant on their school (and only that school). Writing imports of one
 * tenant run one after the other (`lockTenantImports`); dry runs do not wait. An import of at least
 * `options.analyzeAfter` rows then refreshes the planner statistics of the tables it filled; any
 * schools import refreshes the organisation tree's (`ALWAYS_ANALYZED`).
 * @throws TypeError for an `analyzeAfter` that is not a positive integer
 */
export async function importOrgCsv(knex: Knex, request: ImportRequest, options: ImportOptions = {}): Promise<ImportResult> {
  const analyzeAfter = options.analyzeAfter ?? ANALYZE_AFTER_ROWS
  if (!Number.isInteger(analyzeAfter) || analyzeAfter < 1) throw new TypeError('analyzeAfter must be a positive integer')
  const result = await importRows(knex, request)
  if (!result.ok || result.dryRun) return result
  const tables = result.rows >= analyzeAfter ? IMPORT_TABLES[request.kind] : ALWAYS_ANALYZED[request.kind]
  if (tables.length > 0) await analyzeImported(knex, tables, request.kind, result.rows, options.logger)
  return result
}

/**
 * `ANALYZE` after the import's commit, so it samples the new rows (PGlite has no autovacuum at
 * all). Statistics only guide the planner: a failure is logged and the import still succeeds.
 */
async function analyzeImported(knex: Knex, tables: readonly string[], kind: ImportKind, rows: number, logger: ImportOptions['logger']): Promise<void> {
  try {
    await knex.raw(`analyze ${tables.join(', ')}`)
  } catch (error) {
    logger?.warn({ err: error, kind, rows }, 'tables of the organisation import not analyzed; reports plan from older statistics until autovacuum does')
  }
}

async function importRows(knex: Knex, request: ImportRequest): Promise<ImportResult> {
  const store = new OrgStore(knex)
  const { tenantId, kind, under } = request
  // Read once, in the transaction that writes, so a check and the writes see the same tree.
  return knex.transaction(async (trx) => {
    if (request.dryRun !== true) await lockTenantImports(trx, tenantId)
    const kecamatan = await store.nodes(tenantId, { kind: 'kecamatan' }, trx)
    const schools = await store.nodes(tenantId, { kind: 'school' }, trx)
    const inside = (n: OrgNode) => under === undefined || n.path.startsWith(under.path)
    const byNpsn = new Map(schools.map((s) => [s.code, s]))
    // Slugged once, not per row: a province's file looks among a hundred kecamatan.
    const slugs = new Map(kecamatan.map((k) => [k, slugOf(k.name)]))
    const lookup: ImportLookup = {
      kecamatan: (value) => {
        const slug = slugOf(value)
        const found = kecamatan.filter((k) => inside(k) && (k.code === value || slugs.get(k) === slug))
        return found.length === 0 ? 'unknown' : found.length > 1 ? 'ambiguous' : { id: found[0]!.id }
      },
      school: (npsn) => { const s = byNpsn.get(npsn); return s !== undefined && inside(s) ? { id: s.id } : undefined },
    }
    if (kind === 'schools') {
      const checked = checkSchools(request.csv, lookup)
      if (!checked.ok) return { ok: false, kind, problems: checked.problems }
      const outside = checked.rows.filter((r) => { const s = byNpsn.get(r.npsn); return s !== undefined && !inside(s) })
      if (outside.length > 0) {
        return { ok: false, kind, problems: outside.map((r) => ({ row: r.row, column: 'npsn', rule: 'duplicate-npsn' as const, message: `NPSN ${r.npsn} sudah terdaftar di luar wilayah Anda / NPSN is registered outside your area` })) }
      }
      const updated = checked.rows.filter((r) => byNpsn.has(r.npsn)).length
      if (request.dryRun !== true) await writeSchools(trx, tenantId, checked.rows, new Map(schools.map((s) => [s.code, s.id])))
      return { ok: true, kind, dryRun: request.dryRun === true, rows: checked.rows.length, created: checked.rows.length - updated, updated }
    }
    const checked = checkTeachers(request.csv, lookup)
    if (!checked.ok) return { ok: false, kind, problems: checked.problems }
    const plan = planTeachers(checked.rows, await knownPeople(trx, tenantId, checked.rows))
    if (request.dryRun !== true) await writeTeachers(trx, tenantId, plan)
    const created = plan.created.length
    return { ok: true, kind, dryRun: request.dryRun === true, rows: checked.rows.length, created, updated: checked.rows.length - created }
  })
}

/**
 * Serialises the writing imports of one tenant until the transaction ends. Two imports read the
 * stored people and schools, then write what they planned from that read: run side by side, both
 * planned a new person for the same teacher, so one failed on `unique (tenant_id, external_id)`
 * and a teacher matched by e-mail was created twice. A transaction-scoped advisory lock taken
 * before the reads makes the second import wait and plan from the first one's commit (READ
 * COMMITTED: each statement sees what committed before it), as if run after it; imports of other
 * tenants do not wait. Works on PGlite too (one connection: its transactions never overlap anyway).
 */
async function lockTenantImports(trx: Knex.Transaction, tenantId: string): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(?::bigint)', [advisoryLockKey(`tln:org-import:${tenantId}`)])
}

/** The report of a rejected import as lines for people: `row 3, npsn: NPSN must be 8 digits (npsn-format)`. */
export function formatProblems(problems: readonly ImportProblem[]): string[] {
  return problems.map((p) => `baris/row ${p.row}${p.column !== undefined ? `, ${p.column}` : ''}: ${p.message} (${p.rule})`)
}
