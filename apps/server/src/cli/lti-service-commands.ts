import type { Command } from 'commander'
import { createPlatformOutbound, DbAccessTokenCache, DbKeyStore, DbPlatformStore, isHttpLoopback, OutboxDeliverer, PassbackStore, RosterSync, StatementOutbox, ToolCredentials, type Passback } from '@tln/lti-tool'
import { parsePrivateAddressAllowance } from '@tln/lti-v1p3'
import type { Config } from '../config.ts'
import { ServerError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { ltiKeySecret, resolveSecretKey, SECRET_KEY_MISSING } from '../secret-key.ts'
import type { Output } from './output.ts'
import { withLrs } from './with-lrs.ts'

export interface LtiServiceCommandContext {
  config(): Config
  logger(config: Config): Logger
  output: Output
}

/**
 * Registers `tln grades list|retry` (the AGS passback queue) and `tln roster sync` (NRPS), issue 4.
 * Facilitator pages for the same come with issue 5.
 */
export function registerLtiServiceCommands(program: Command, ctx: LtiServiceCommandContext): void {
  const { output } = ctx

  const grades = program.command('grades').description('grade passback to the LMS gradebook (LTI Assignment and Grade Services)')
  grades
    .command('list')
    .description('list passback jobs, newest first')
    .option('--failed', 'only the jobs the platform refused or that ran out of attempts')
    .option('--status <status>', 'only jobs in this status: pending, sent or failed')
    .option('--tenant <slug>', 'only jobs of this tenant')
    .option('--limit <n>', 'at most this many', '200')
    .option('--json', 'print a JSON array')
    .action(async (opts: { failed?: boolean; status?: string; tenant?: string; limit: string; json?: boolean }) => {
      const status = opts.failed === true ? 'failed' : opts.status
      if (status !== undefined && status !== 'pending' && status !== 'sent' && status !== 'failed') throw new ServerError('ERR_USAGE', `--status must be pending, sent or failed, got "${status}"`, '--status')
      const limit = Number(opts.limit)
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new ServerError('ERR_USAGE', `--limit must be a whole number from 1 to 10000, got "${opts.limit}"`, '--limit')
      const c = ctx.config()
      await withLrs(c, ctx.logger(c), async ({ db }) => {
        const rows = await new PassbackStore(db.knex).list({ limit, ...(status !== undefined && { status }), ...(opts.tenant !== undefined && { tenant: opts.tenant }) })
        if (opts.json === true) return output.out(JSON.stringify(rows))
        if (rows.length === 0) return output.err('No grade passbacks.')
        output.out('ID  STATUS  ATTEMPTS  USER  SCORE  LMS  LAST_ERROR')
        for (const r of rows) output.out(line(r))
      })
    })
  grades
    .command('retry')
    .description('queue a failed passback again (after fixing the cause, e.g. enrolling the learner)')
    .argument('<id>', 'the job id from tln grades list')
    .action(async (idText: string) => {
      const id = Number(idText)
      if (!Number.isSafeInteger(id) || id < 1) throw new ServerError('ERR_USAGE', `the job id must be a positive whole number, got "${idText}"`, 'id')
      const c = ctx.config()
      await withLrs(c, ctx.logger(c), async ({ db }) => {
        const job = await new PassbackStore(db.knex).retry(id)
        output.out(`passback ${job.id} is ${job.status}; a running server posts it within seconds`)
      })
    })

  program
    .command('roster')
    .description('course rosters from the LMS (LTI Names and Role Provisioning Services)')
    .command('sync')
    .description('fetch a course\'s members now and update TLN users and the course roster')
    .requiredOption('--platform <issuer>', 'the platform issuer, e.g. https://moodle.example.org')
    .requiredOption('--context <url>', 'the context memberships URL (the launch\'s NRPS claim, context_memberships_url)')
    .option('--client-id <id>', 'the client_id, when the issuer has several registrations')
    .option('--json', 'print the result as one JSON object')
    .action(async (opts: { platform: string; context: string; clientId?: string; json?: boolean }) => {
      if (!URL.canParse(opts.context) || !/^https?:$/.test(new URL(opts.context).protocol)) throw new ServerError('ERR_USAGE', `--context must be an absolute http(s) URL, got "${opts.context}"`, '--context')
      const c = ctx.config()
      const logger = ctx.logger(c)
      await withLrs(c, logger, async ({ db }) => {
        const secret = resolveSecretKey(c)
        if (secret === undefined) throw new ServerError('ERR_CONFIG_INVALID', SECRET_KEY_MISSING, 'TLN_SECRET_KEY')
        const records = (await new DbPlatformStore(db.knex).list()).filter((r) => r.issuer === opts.platform.replace(/\/+$/, '') && (opts.clientId === undefined || r.clientId === opts.clientId))
        if (records.length === 0) throw new ServerError('ERR_NOT_FOUND', `no registration for ${opts.platform}${opts.clientId !== undefined ? ` client_id ${opts.clientId}` : ''} (tln platform list)`)
        if (records.length > 1) throw new ServerError('ERR_USAGE', `${opts.platform} has several registrations; choose one with --client-id`, '--client-id')
        const key = ltiKeySecret(secret)
        // A dynamically registered platform's URLs are guarded here as in the server, under the same allowance.
        const outbound = createPlatformOutbound({
          allowPrivate: parsePrivateAddressAllowance(c.ltiPlatformAllowPrivate ?? []), allowLoopback: isHttpLoopback(c.publicUrl ?? 'http://localhost'),
        })
        const sync = new RosterSync({ knex: db.knex, keys: new DbKeyStore(db.knex, key), tokenCache: new DbAccessTokenCache(db.knex, key), logger, outbound })
        const result = await sync.sync(records[0]!, opts.context)
        output.out(opts.json === true ? JSON.stringify(result) : `synced ${result.contextId}: ${result.members} members, ${result.active} active, ${result.deactivated} inactive`)
      })
    })

  program
    .command('statements')
    .description('the TLN tool\'s own xAPI statements')
    .command('outbox')
    .description('statements the tool owes the LRS: pending count, the oldest, the last error (a running server retries them)')
    .option('--deliver', 'deliver the due ones now, then report')
    .option('--json', 'print one JSON object')
    .action(async (opts: { deliver?: boolean; json?: boolean }) => {
      const c = ctx.config()
      const logger = ctx.logger(c)
      await withLrs(c, logger, async ({ db, lrs }) => {
        const outbox = new StatementOutbox({ knex: db.knex, statements: lrs.statements, credentials: new ToolCredentials(lrs.credentials), logger, now: Date.now })
        const delivered = opts.deliver === true ? await new OutboxDeliverer({ outbox, logger }).drain() : undefined
        const stats = await outbox.stats()
        if (opts.json === true) return output.out(JSON.stringify({ ...stats, ...(delivered !== undefined && { delivered }) }))
        if (delivered !== undefined) output.out(`delivered ${delivered.delivered}, failed again ${delivered.retry}, waiting ${delivered.waiting}`)
        output.out(`pending: ${stats.pending}`)
        if (stats.oldest !== undefined) output.out(`oldest: ${stats.oldest.toISOString()}`)
        if (stats.lastError !== undefined) output.out(`last error (${stats.lastError.attempts} attempts, next ${stats.lastError.nextAttemptAt.toISOString()}): ${stats.lastError.message.replace(/\s+/g, ' ').slice(0, 300)}`)
      })
    })
}

function line(r: Passback): string {
  const score = r.scoreGiven === undefined ? '-' : `${r.scoreGiven}/${r.scoreMaximum}`
  const error = r.lastError === undefined ? '' : `${r.lastError.status ?? ''} ${r.lastError.body ?? r.lastError.message}`.trim().replace(/\s+/g, ' ').slice(0, 200)
  return `${r.id}  ${r.status}  ${r.attempts}  ${r.userSub}  ${score}  ${r.issuer}  ${error}`
}
