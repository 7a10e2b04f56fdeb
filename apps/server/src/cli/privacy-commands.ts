import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { userInfo } from 'node:os'
import { Option, type Command } from 'commander'
import type { Knex } from '@tln/db'
import { resolvePublicUrl, type Config } from '../config.ts'
import { ServerError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { parseRetention, pruneAudit } from '../privacy/audit-retention.ts'
import { agentKeyOf } from '../agent-option.ts'
import { resolveSubject, tenantOf, type DataSubject, type SubjectSelector } from '../privacy/data-subject.ts'
import { erasePerson, type ErasureReport } from '../privacy/erasure.ts'
import { exportPerson, type BundleLine } from '../privacy/export.ts'
import type { Output } from './output.ts'
import { withLrs } from './with-lrs.ts'

interface SubjectOptions {
  tenant: string
  agent?: string
  person?: string
}

/**
 * Registers `tln privacy export`, `tln privacy erase` and `tln audit prune` (issue 7, UU 27/2022;
 * docs/privacy.md). CLI only, on purpose: both act on everything about a person after the
 * operator has checked who is asking (docs/privacy.md, "Why the command line").
 */
export function registerPrivacyCommands(program: Command, ctx: { config(): Config; logger(config: Config): Logger; output: Output }): void {
  const privacy = program.command('privacy').description('one person\'s data: export it or erase it (UU 27/2022)')
  privacy
    .command('export')
    .description('write everything TLN holds about one person as NDJSON (statements, documents, files, organisation and account rows, ratings, badges); audited')
    .option('--tenant <slug>', 'the tenant', 'default')
    .option('--agent <ifi-json>', 'the person as an xAPI Agent, e.g. \'{"mbox":"mailto:siti@paud.example"}\'')
    .option('--person <id>', 'the person\'s id in the organisation tree')
    .option('--out <file>', 'write the bundle to this file instead of stdout')
    .option('--operator <name>', 'who runs the export, for the audit log (default: the system user)')
    .action(async (opts: SubjectOptions & { out?: string; operator?: string }) => {
      const selector = selectorOf(opts)
      const c = ctx.config()
      await withLrs(c, ctx.logger(c), async ({ db }) => {
        const subject = await subjectOf(db.knex, c, opts.tenant, selector)
        const result = await runExport(db.knex, subject, { ...(opts.out !== undefined ? { out: opts.out } : {}), operator: opts.operator ?? systemUser(), selector, output: ctx.output })
        ctx.output.err(`privacy export: ${result.lines} lines${opts.out !== undefined ? ` written to ${opts.out}` : ''}`)
      })
    })
  privacy
    .command('erase')
    .description('erase one person\'s personal data: statements pseudonymised, documents, files, accounts and identities removed, reports re-keyed; audited')
    .option('--tenant <slug>', 'the tenant', 'default')
    .option('--agent <ifi-json>', 'the person as an xAPI Agent, e.g. \'{"mbox":"mailto:siti@paud.example"}\'')
    .option('--person <id>', 'the person\'s id in the organisation tree')
    .option('--dry-run', 'count what would change, change nothing')
    .option('--operator <name>', 'who runs the erasure, for the erasure record (default: the system user)')
    .option('--json', 'print the report as one JSON object')
    .action(async (opts: SubjectOptions & { dryRun?: boolean; operator?: string; json?: boolean }) => {
      const selector = selectorOf(opts)
      const c = ctx.config()
      await withLrs(c, ctx.logger(c), async ({ db }) => {
        const subject = await subjectOf(db.knex, c, opts.tenant, selector)
        const report = await erasePerson(db.knex, subject, { publicUrl: resolvePublicUrl(c, c.port), operator: opts.operator ?? systemUser(), dryRun: opts.dryRun === true })
        ctx.output.out(opts.json === true ? JSON.stringify(report) : formatErasure(opts.tenant, report))
      })
    })

  // `tln audit prune` belongs with `tln audit list` (cli/audit-commands.ts registers `audit`).
  const audit = program.commands.find((command) => command.name() === 'audit') ?? program.command('audit').description('the access audit log (UU 27/2022)')
  audit
    .command('prune')
    .description('delete access and export audit rows older than the retention period (UU 27/2022 art. 44); erasure records are kept')
    .addOption(new Option('--older-than <days>', 'the retention period in days, e.g. 365d').makeOptionMandatory())
    .option('--tenant <slug>', 'only this tenant')
    .option('--dry-run', 'count the rows, delete nothing')
    .action(async (opts: { olderThan: string; tenant?: string; dryRun?: boolean }) => {
      const days = parseRetention(opts.olderThan)
      const c = ctx.config()
      await withLrs(c, ctx.logger(c), async ({ db }) => {
        const tenantId = opts.tenant === undefined ? undefined : (await tenantOf(db.knex, opts.tenant)).id
        const counts = await pruneAudit(db.knex, days, { ...(tenantId !== undefined ? { tenantId } : {}), dryRun: opts.dryRun === true })
        ctx.output.out(`${opts.dryRun === true ? 'would delete' : 'deleted'} ${counts.accessAudit} access audit rows and ${counts.exportAudit} export audit rows older than ${days} days`)
      })
    })
}

function selectorOf(opts: SubjectOptions): SubjectSelector {
  if ((opts.agent === undefined) === (opts.person === undefined)) throw new ServerError('ERR_USAGE', 'name the person with exactly one of --agent <ifi-json> or --person <id>', '--agent')
  if (opts.agent !== undefined) {
    agentKeyOf(opts.agent) // a bad Agent is a usage error before the database is opened
    return { agent: opts.agent }
  }
  return { personId: opts.person! }
}

async function subjectOf(knex: Knex, config: Config, tenant: string, selector: SubjectSelector): Promise<DataSubject> {
  return resolveSubject(knex, await tenantOf(knex, tenant), selector, resolvePublicUrl(config, config.port))
}

/**
 * Writes the bundle and records the export in `access_audit` (resource `privacy-export`, actor
 * kind `operator`), in that order: a bundle whose audit row cannot be written is not reported as done.
 */
export async function runExport(knex: Knex, subject: DataSubject, options: { out?: string; operator: string; selector: SubjectSelector; output: Output }): Promise<{ lines: number }> {
  let lines: number
  if (options.out !== undefined) {
    const file = createWriteStream(options.out, { flags: 'wx', mode: 0o600 })
    try {
      await once(file, 'open')
    } catch (error) {
      // A personal-data bundle never replaces a file: the operator names a new one.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ServerError('ERR_USAGE', `--out ${options.out} already exists; an export never overwrites a file, name a new one`, '--out')
      throw error
    }
    lines = await exportPerson(knex, subject, async (line: BundleLine) => {
      if (!file.write(`${JSON.stringify(line)}\n`)) await once(file, 'drain')
    })
    file.end()
    await once(file, 'finish')
  } else {
    lines = await exportPerson(knex, subject, (line: BundleLine) => options.output.out(JSON.stringify(line)))
  }
  await knex('access_audit').insert({
    tenant_id: subject.tenantId,
    actor_kind: 'operator',
    actor_id: options.operator,
    actor_label: `tln privacy export (${options.operator})`,
    resource: 'privacy-export',
    agent_ifi: 'agent' in options.selector ? agentKeyOf(options.selector.agent) : (subject.ifiKeys[0] ?? `person:${options.selector.personId}`),
    query: JSON.stringify('agent' in options.selector ? { agent: options.selector.agent } : { person: options.selector.personId }),
    records: lines,
  })
  return { lines }
}

export function formatErasure(tenant: string, r: ErasureReport): string {
  if (!r.found) return `tenant ${tenant}: nothing to erase (no data of this person, or erased already)`
  const lines = [`tenant ${tenant}: ${r.dryRun ? 'dry run, nothing changed; would change' : `erased (record ${r.erasureId ?? '-'})`}:`]
  for (const [name, n] of Object.entries(r.counts)) if (n > 0) lines.push(`  ${name}: ${n}`)
  if (r.forwardTargets.length > 0) lines.push(`  note: statements forwarded earlier to ${r.forwardTargets.join(', ')} stay there; ask those LRSs to erase them`)
  return lines.join('\n')
}

function systemUser(): string {
  try {
    return userInfo().username
  } catch {
    return 'unknown'
  }
}
