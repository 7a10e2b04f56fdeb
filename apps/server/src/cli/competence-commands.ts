import type { Command } from 'commander'
import { CompetenceEngine, listSkipped, type EngineStatus, type RetrySkippedResult, type SkippedStatement } from '@tln/competence'
import type { Knex } from '@tln/db'
import type { Config } from '../config.ts'
import { ServerError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import type { Output } from './output.ts'
import { withLrs } from './with-lrs.ts'

/**
 * Registers `tln competence status` and `tln competence rebuild` (issue 6, "Aggregation engine":
 * progress shown, rebuild from scratch). The running servers' engines do the work; these commands
 * only read the partition or mark it for a rebuild. `tln competence skipped` lists the statements
 * the engine could not project (stored in the LRS, left out of the reports) and `tln competence
 * retry-skipped` projects them again once their cause is removed, under the partition's lock.
 */
export function registerCompetenceCommands(program: Command, ctx: { config(): Config; logger(config: Config): Logger; output: Output }): void {
  const competence = program.command('competence').description('the competence engine: projections of the statement stream behind the competence reports')
  competence
    .command('status')
    .description('how current the competence projections are: state, statements applied, rebuild progress, config version')
    .option('--tenant <slug>', 'the tenant', 'default')
    .option('--json', 'print the status as one JSON object')
    .action(async (opts: { tenant: string; json?: boolean }) => {
      const c = ctx.config()
      await withLrs(c, ctx.logger(c), async ({ db }) => {
        const status = await new CompetenceEngine({ knex: db.knex }).status(await tenantIdOf(db.knex, opts.tenant))
        ctx.output.out(opts.json === true ? JSON.stringify(status) : formatStatus(opts.tenant, status))
      })
    })
  competence
    .command('rebuild')
    .description('rebuild the tenant\'s competence projections from the start of the statement stream (running servers start within a second)')
    .option('--tenant <slug>', 'the tenant', 'default')
    .action(async (opts: { tenant: string }) => {
      const c = ctx.config()
      await withLrs(c, ctx.logger(c), async ({ db }) => {
        await requestRebuild(db.knex, await tenantIdOf(db.knex, opts.tenant))
        ctx.output.out(`competence projections of ${opts.tenant} will be rebuilt; follow with: tln competence status --tenant ${opts.tenant}`)
      })
    })
  competence
    .command('skipped')
    .description('statements stored in the LRS that the competence engine could not project, so the reports leave them out: why, since when, how often tried')
    .option('--tenant <slug>', 'only this tenant (default: every tenant)')
    .option('--json', 'print a JSON array')
    .action(async (opts: { tenant?: string; json?: boolean }) => {
      const c = ctx.config()
      await withLrs(c, ctx.logger(c), async ({ db }) => {
        const tenantId = opts.tenant === undefined ? undefined : await tenantIdOf(db.knex, opts.tenant)
        const rows = await listSkipped(db.knex, tenantId === undefined ? {} : { tenantId })
        const slugs = await tenantSlugs(db.knex)
        if (opts.json === true) return ctx.output.out(JSON.stringify(rows.map((r) => skippedJson(slugs.get(r.tenantId) ?? r.tenantId, r))))
        if (rows.length === 0) return ctx.output.err('No skipped statements: the competence engine projected every statement it read.')
        ctx.output.out(['TENANT', 'STATEMENT', 'POSITION', 'CODE', 'ATTEMPTS', 'FIRST SEEN', 'LAST SEEN', 'REASON'].join('\t'))
        for (const r of rows) ctx.output.out(skippedLine(slugs.get(r.tenantId) ?? r.tenantId, r))
      })
    })
  competence
    .command('retry-skipped')
    .description('project the skipped statements again, without a rebuild, once their cause is removed (safe beside running servers)')
    .option('--tenant <slug>', 'only this tenant (default: every tenant with skipped statements)')
    .option('--json', 'print one JSON object per tenant')
    .action(async (opts: { tenant?: string; json?: boolean }) => {
      const c = ctx.config()
      const logger = ctx.logger(c)
      await withLrs(c, logger, async ({ db }) => {
        const tenants = opts.tenant !== undefined ? [{ id: await tenantIdOf(db.knex, opts.tenant), slug: opts.tenant }] : await tenantsWithSkips(db.knex)
        if (tenants.length === 0) return ctx.output.err('No skipped statements to retry.')
        const engine = new CompetenceEngine({ knex: db.knex, logger: logger.child({ component: 'competence-engine' }) })
        for (const tenant of tenants) {
          const result = await engine.retrySkipped(tenant.id)
          ctx.output.out(opts.json === true ? JSON.stringify({ tenant: tenant.slug, ...result }) : formatRetry(tenant.slug, result))
        }
      })
    })
}

/** One line of `tln competence skipped`, tab-separated (the reason last: it may hold spaces). */
export function skippedLine(slug: string, r: SkippedStatement): string {
  return [slug, r.statementId, `${r.position.txid}:${r.position.seq}`, r.reasonCode, String(r.attempts), r.firstSeen.toISOString(), r.lastSeen.toISOString(), r.reason].join('\t')
}

function skippedJson(slug: string, r: SkippedStatement) {
  return {
    tenant: slug, statementId: r.statementId, position: r.position, reasonCode: r.reasonCode, reason: r.reason, configVersion: r.configVersion,
    firstSeen: r.firstSeen.toISOString(), lastSeen: r.lastSeen.toISOString(), attempts: r.attempts,
  }
}

export function formatRetry(slug: string, r: RetrySkippedResult): string {
  if (r.rebuildPending) return `tenant ${slug}: a rebuild is pending and will read all ${r.remaining} skipped statements again; follow with: tln competence status --tenant ${slug}`
  const left = r.remaining === 0 ? 'none left' : `${r.remaining} still skipped (see: tln competence skipped --tenant ${slug})`
  return `tenant ${slug}: ${r.retried} retried, ${r.projected} projected; ${left}`
}

/**
 * Marks the tenant's partition for a rebuild: a partition whose config version is not the active
 * one is emptied and rebuilt by the next engine pass (the same path as a new config version), so
 * no config version is stored for it.
 */
export async function requestRebuild(knex: Knex, tenantId: string): Promise<void> {
  await knex.raw(
    `insert into competence_engine (tenant_id, config_version) values (?, null)
     on conflict (tenant_id) do update set config_version = null, updated_at = now()`,
    [tenantId],
  )
}

export function formatStatus(tenant: string, s: EngineStatus): string {
  return [
    `tenant ${tenant}: ${s.state}`,
    `  statements applied: ${s.processed}`,
    ...(s.rebuildTotal !== undefined ? [`  last rebuild: ${s.rebuildDone ?? 0} of ${s.rebuildTotal} statements`] : []),
    ...(s.lastStored !== undefined ? [`  last statement stored: ${s.lastStored}`] : []),
    ...(s.configVersion !== undefined ? [`  config version: ${s.configVersion}${s.configVersion === 0 ? ' (default: no activities aligned to indicators)' : ''}`] : []),
    ...(s.skipped !== undefined ? [`  statements skipped: ${s.skipped}${s.skipped > 0 ? ` (left out of the reports; list: tln competence skipped --tenant ${tenant})` : ''}`] : []),
  ].join('\n')
}

async function tenantSlugs(knex: Knex): Promise<Map<string, string>> {
  return new Map(((await knex('tenant').select('id', 'slug')) as Array<{ id: string; slug: string }>).map((t) => [t.id, t.slug]))
}

async function tenantsWithSkips(knex: Knex): Promise<Array<{ id: string; slug: string }>> {
  return (await knex('tenant as t').select('t.id', 't.slug').whereExists(knex('competence_skipped_statement as k').whereRaw('k.tenant_id = t.id')).orderBy('t.slug')) as Array<{ id: string; slug: string }>
}

async function tenantIdOf(knex: Knex, slug: string): Promise<string> {
  const row = (await knex('tenant').select('id').where({ slug }).first()) as { id: string } | undefined
  if (row === undefined) throw new ServerError('ERR_NOT_FOUND', `no tenant ${slug}`, '--tenant')
  return row.id
}
