import type { Command } from 'commander'
import type { Knex } from '@tln/db'
import type { AccessAuditRow, Lrs } from '@tln/lrs'
import { agentKeyOf } from '../agent-option.ts'
import type { Config } from '../config.ts'
import { ServerError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import type { Output } from './output.ts'
import { withLrs } from './with-lrs.ts'

export interface AuditListOptions {
  /** JSON text of the Agent read about, e.g. `{"mbox":"mailto:siti@paud.example"}`. */
  agent?: string
  /** A date or timestamp (ISO 8601); rows from then on. */
  since?: string
  tenant?: string
  limit?: string
  json?: boolean
}

/** Registers `tln audit list`: who read or exported whose records (UU 27/2022). */
export function registerAuditCommands(program: Command, ctx: { config(): Config; logger(config: Config): Logger; output: Output }): void {
  program
    .command('audit')
    .description('the access audit log: who read or exported whose records (UU 27/2022)')
    .command('list')
    .description('reads that named a person (statements by agent, State, Agent Profile, Agents) and every bulk export, newest first')
    .option('--agent <ifi-json>', 'only reads about this person, e.g. \'{"mbox":"mailto:siti@paud.example"}\' (exports are always listed: they carry everyone)')
    .option('--since <date>', 'only from this date or timestamp on, e.g. 2026-03-01 or 2026-03-01T08:00:00+08:00')
    .option('--tenant <slug>', 'only this tenant')
    .option('--limit <n>', 'at most this many rows of each log', '1000')
    .option('--json', 'print a JSON array')
    .action(async (opts: AuditListOptions) => {
      const c = ctx.config()
      await withLrs(c, ctx.logger(c), async ({ db, lrs }) => {
        const tenantId = opts.tenant === undefined ? undefined : await tenantIdOf(db.knex, opts.tenant)
        await listAudit(lrs, opts, tenantId, ctx.output)
      })
    })
}

/** `tln audit list`: access audit rows and export rows, merged newest first. */
export async function listAudit(lrs: Pick<Lrs, 'audit'>, opts: AuditListOptions, tenantId: string | undefined, output: Output): Promise<void> {
  const filter = {
    ...(tenantId !== undefined ? { tenantId } : {}),
    ...(opts.since !== undefined ? { since: parseSince(opts.since) } : {}),
    limit: parseLimit(opts.limit ?? '1000'),
  }
  const reads = await lrs.audit.list({ ...filter, ...(opts.agent !== undefined ? { agentIfi: agentKeyOf(opts.agent) } : {}) })
  const exports = await lrs.audit.exports(filter)
  const rows = [...reads, ...exports].sort((a, b) => b.at.getTime() - a.at.getTime())
  if (opts.json === true) {
    output.out(JSON.stringify(rows.map((r) => ({ at: r.at.toISOString(), tenant: r.tenant, actor: r.actor, resource: r.resource, agent: r.agentIfi, query: r.query, records: r.records, address: r.address ?? null }))))
    return
  }
  if (rows.length === 0) {
    output.err('No audit rows match.')
    return
  }
  output.out(['AT', 'TENANT', 'WHO', 'RESOURCE', 'AGENT', 'RECORDS', 'FROM', 'QUERY'].join('\t'))
  for (const r of rows) output.out(line(r))
}

function line(r: AccessAuditRow): string {
  return [r.at.toISOString(), r.tenant, `${r.actor.kind}:${r.actor.label}`, r.resource, r.agentIfi, String(r.records), r.address ?? '-', JSON.stringify(r.query)].join('\t')
}


function parseSince(text: string): Date {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text)
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text)) throw new ServerError('ERR_USAGE', `--since must be a date (2026-03-01) or an ISO 8601 timestamp, got "${text}"`, '--since')
  return date
}

function parseLimit(text: string): number {
  if (!/^\d{1,6}$/.test(text) || Number(text) < 1) throw new ServerError('ERR_USAGE', `--limit must be a whole number from 1 to 999999, got "${text}"`, '--limit')
  return Number(text)
}

async function tenantIdOf(knex: Knex, slug: string): Promise<string> {
  const row = (await knex('tenant').first('id').where({ slug })) as { id: string } | undefined
  if (row === undefined) throw new ServerError('ERR_NOT_FOUND', `no tenant ${slug}`, '--tenant')
  return row.id
}
