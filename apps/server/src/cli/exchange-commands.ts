import type { Command } from 'commander'
import type { Knex } from '@tln/db'
import type { Config } from '../config.ts'
import { ServerError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { addTarget, listDeadLetters, listTargets, removeTarget, retryTarget, type AddTargetOptions } from './forward-commands.ts'
import { importCommand } from './import-command.ts'
import type { Output } from './output.ts'
import { withLrs } from './with-lrs.ts'

export interface CommandContext {
  config(): Config
  logger(config: Config): Logger
  output: Output
  setCode(code: number): void
}

/** Registers `tln forward …` and `tln import statements` (data exchange, issue 3). */
export function registerExchangeCommands(program: Command, ctx: CommandContext): void {
  const { output } = ctx
  const run = <T>(action: (deps: Parameters<Parameters<typeof withLrs<T>>[2]>[0]) => Promise<T>) => {
    const c = ctx.config()
    return withLrs(c, ctx.logger(c), action)
  }
  const collect = (value: string, previous: string[] = []) => [...previous, value]

  const forward = program.command('forward').description('forward statements to a remote LRS (e.g. BPPAUD\'s): targets and dead letters')
  forward
    .command('add')
    .description('add a remote LRS; running servers start forwarding to it within seconds (needs TLN_SECRET_KEY)')
    .requiredOption('--name <name>', 'a short name, e.g. bppaud-ntb')
    .requiredOption('--endpoint <url>', 'the remote xAPI endpoint, e.g. https://lrs.bppaud.example/xapi/')
    .requiredOption('--key <key>', 'the remote Basic key')
    .requiredOption('--secret <secret>', 'the remote Basic secret (stored encrypted, never shown again)')
    .option('--xapi-version <version>', '1.0.3 or 2.0.0', '1.0.3')
    .option('--verb <iri>', 'forward only this verb (repeat for several)', collect)
    .option('--activity-prefix <prefix>', 'forward only statements whose object id starts with this')
    .option('--from <where>', 'beginning (every stored statement) or now (only new ones)', 'beginning')
    .option('--disabled', 'add it switched off')
    .option('--tenant <slug>', 'the tenant whose statements are forwarded', 'default')
    .action(async (opts: AddTargetOptions & { tenant: string }) => {
      await run(async ({ db, lrs }) => addTarget(lrs.forwarding, await tenantId(db.knex, opts.tenant), opts, output))
    })
  forward
    .command('list')
    .description('list targets with their progress and last error (never secrets)')
    .option('--tenant <slug>', 'the tenant', 'default')
    .option('--json', 'print a JSON array')
    .action(async (opts: { tenant: string; json?: boolean }) => {
      await run(async ({ db, lrs }) => listTargets(lrs.forwarding, await tenantId(db.knex, opts.tenant), opts, output))
    })
  forward
    .command('remove')
    .description('remove a target and its dead letters')
    .argument('<name>')
    .option('--tenant <slug>', 'the tenant', 'default')
    .action(async (name: string, opts: { tenant: string }) => {
      await run(async ({ db, lrs }) => removeTarget(lrs.forwarding, await tenantId(db.knex, opts.tenant), name, output))
    })
  forward
    .command('dead-letters')
    .description('list the statements the remote refused, with its answer')
    .argument('<name>')
    .option('--tenant <slug>', 'the tenant', 'default')
    .option('--json', 'print a JSON array')
    .action(async (name: string, opts: { tenant: string; json?: boolean }) => {
      await run(async ({ db, lrs }) => listDeadLetters(lrs.forwarding, await tenantId(db.knex, opts.tenant), name, opts, output))
    })
  forward
    .command('retry')
    .description('send the dead letters of a target again; accepted ones leave the list')
    .argument('<name>')
    .option('--tenant <slug>', 'the tenant', 'default')
    .action(async (name: string, opts: { tenant: string }) => {
      await run(async ({ db, lrs }) => retryTarget(lrs.forwarding, await tenantId(db.knex, opts.tenant), name, output))
    })

  program
    .command('import')
    .description('load data from files')
    .command('statements')
    .description('import the statements of another LRS\'s export: NDJSON (one per line), a JSON array or a StatementResult')
    .argument('<file>')
    .option('--tenant <slug>', 'the tenant that receives them', 'default')
    .option('--batch <n>', 'statements per transaction', '500')
    .action(async (file: string, opts: { tenant: string; batch: string }) => {
      const batch = /^\d+$/.test(opts.batch) ? Number(opts.batch) : Number.NaN
      if (!(batch >= 1 && batch <= 5000)) throw new ServerError('ERR_USAGE', '--batch must be a whole number from 1 to 5000', '--batch')
      const code = await run(({ db, lrs }) =>
        importCommand({ knex: db.knex, statements: lrs.statements }, file, { tenant: opts.tenant, batch, progress: process.stderr.isTTY ? 'bar' : 'lines' }, output),
      )
      ctx.setCode(code)
    })
}

async function tenantId(knex: Knex, slug: string): Promise<string> {
  const row = (await knex('tenant').select('id').where({ slug }).first()) as { id: string } | undefined
  if (row === undefined) throw new ServerError('ERR_NOT_FOUND', `tenant ${slug} does not exist`, '--tenant')
  return row.id
}
