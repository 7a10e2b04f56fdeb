import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { Option } from 'commander'
import { Accounts, formatProblems, importOrgCsv, LOCAL_ROLES, OrgStore, type ImportKind, type LocalRole } from '@tln/lti-tool'
import { resolvePublicUrl, type Config } from '../config.ts'
import { ServerError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { EXIT } from './exit-code.ts'
import type { Output } from './output.ts'
import { withLrs } from './with-lrs.ts'

export interface OrgCommandContext {
  config(): Config
  logger(config: Config): Logger
  output: Output
  setCode(code: number): void
}

/**
 * Registers `tln org import schools|teachers FILE` and `tln accounts invite|reset` (issue 5,
 * organisation data and local accounts). An import with any bad row stores nothing, prints every
 * problem (row, column, rule) and exits 2.
 */
export function registerOrgCommands(program: Command, ctx: OrgCommandContext): void {
  const { output } = ctx
  const run = <T>(action: (deps: { knex: Parameters<typeof importOrgCsv>[0]; config: Config; logger: Logger }) => Promise<T>) => {
    const c = ctx.config()
    const logger = ctx.logger(c)
    return withLrs(c, logger, ({ db }) => action({ knex: db.knex, config: c, logger }))
  }

  const org = program.command('org').description('the organisation tree: province, district, kecamatan (TLN group), school, teacher')
  const imports = org.command('import').description('import a CSV file (RFC 4180, header row; all rows or none)')
  for (const kind of ['schools', 'teachers'] as const satisfies readonly ImportKind[]) {
    imports
      .command(kind)
      .description(kind === 'schools' ? 'schools: columns npsn,name,type,kecamatan (type TK, KB, TPA, SPS, RA; kecamatan by code or name)' : 'teachers: columns name,npsn[,email,phone,id]; their schools must exist')
      .argument('<file>', 'the CSV file (UTF-8)')
      .option('--tenant <slug>', 'the tenant whose tree it goes into', 'default')
      .option('--dry-run', 'check every row, store nothing')
      .option('--json', 'print the result (or the problems) as one JSON object')
      .action(async (file: string, opts: { tenant: string; dryRun?: boolean; json?: boolean }) => {
        let csv: string
        try {
          csv = await readFile(file, 'utf8')
        } catch {
          throw new ServerError('ERR_USAGE', `cannot read ${file}`, 'FILE')
        }
        await run(async ({ knex, logger }) => {
          const tenantId = await new OrgStore(knex).tenantId(opts.tenant)
          const result = await importOrgCsv(knex, { tenantId, kind, csv, dryRun: opts.dryRun === true }, { logger })
          if (opts.json === true) output.out(JSON.stringify(result))
          if (!result.ok) {
            if (opts.json !== true) {
              output.err(`${file}: rejected, nothing stored (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}):`)
              for (const line of formatProblems(result.problems)) output.err(`  ${line}`)
            }
            ctx.setCode(EXIT.usage)
            return
          }
          if (opts.json !== true) output.out(`${result.dryRun ? 'checked (dry run, nothing stored)' : 'imported'} ${result.rows} ${kind}: ${result.created} new, ${result.updated} updated`)
        })
      })
  }

  const accounts = program.command('accounts').description('local accounts for people without an LMS account (district admins, BPPAUD staff, monitors)')
  accounts
    .command('invite')
    .description('create an account with a role on an organisation node and print its invitation link (valid 7 days, single use)')
    .requiredOption('--email <email>', 'the person\'s e-mail (their sign-in name)')
    .requiredOption('--name <name>', 'the person\'s name')
    .addOption(new Option('--role <role>', 'what they may do').choices([...LOCAL_ROLES]).makeOptionMandatory())
    .option('--scope <node>', 'the node their rights cover: a code (province 52, district 52.02, kecamatan 52.02.06), an NPSN, or a unique name; none for admin')
    .option('--tenant <slug>', 'the tenant', 'default')
    .action(async (opts: { email: string; name: string; role: LocalRole; scope?: string; tenant: string }) => {
      await run(async ({ knex, config }) => {
        const store = new OrgStore(knex)
        const tenantId = await store.tenantId(opts.tenant)
        const node = opts.scope === undefined ? undefined : await store.findByRef(tenantId, opts.scope)
        const invitation = await new Accounts({ knex, publicUrl: resolvePublicUrl(config, config.port) }).invite({
          tenantId, email: opts.email, name: opts.name, role: opts.role, ...(node !== undefined && { nodeId: node.id }),
        })
        output.err(`invited ${invitation.account.email} as ${opts.role}${node === undefined ? ' of the whole tenant' : ` of ${node.name} (${node.code})`}; the link works once, until ${invitation.expiresAt.toISOString()}:`)
        output.out(invitation.link)
      })
    })
  accounts
    .command('reset')
    .description('an administrator\'s reset: the old password and links stop working, the lockout is lifted; prints a new invitation link')
    .argument('<email>', 'the account\'s e-mail')
    .action(async (email: string) => {
      await run(async ({ knex, config }) => {
        const invitation = await new Accounts({ knex, publicUrl: resolvePublicUrl(config, config.port) }).reset(email)
        output.err(`reset ${invitation.account.email}; send this link (single use, until ${invitation.expiresAt.toISOString()}):`)
        output.out(invitation.link)
      })
    })
}
