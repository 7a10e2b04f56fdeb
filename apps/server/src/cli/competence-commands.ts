import type { Command } from 'commander'
import { CompetenceEngine, type EngineStatus } from '@tln/competence'
import type { Knex } from '@tln/db'
import type { Config } from '../config.ts'
import { ServerError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import type { Output } from './output.ts'
import { withLrs } from './with-lrs.ts'

/**
 * Registers `tln competence status` and `tln competence rebuild` (issue 6, "Aggregation engine":
 * progress shown, rebuild from scratch). The running servers' engines do the work; these commands
 * only read the partition or mark it for a rebuild.
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
  ].join('\n')
}

async function tenantIdOf(knex: Knex, slug: string): Promise<string> {
  const row = (await knex('tenant').select('id').where({ slug }).first()) as { id: string } | undefined
  if (row === undefined) throw new ServerError('ERR_NOT_FOUND', `no tenant ${slug}`, '--tenant')
  return row.id
}
