import type { Command } from 'commander'
import { checkDeploymentId, checkPlatformForm, DbKeyStore, DbPlatformStore, type PlatformField, type PlatformFieldProblem, type PlatformRecord } from '@tln/lti-tool'
import { rotateToolKeys } from '@tln/lti-v1p3'
import type { Config } from '../config.ts'
import { ServerError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { ltiKeySecret, resolveSecretKey, SECRET_KEY_MISSING } from '../secret-key.ts'
import type { Output } from './output.ts'
import { withLrs } from './with-lrs.ts'

export interface LtiCommandContext {
  config(): Config
  logger(config: Config): Logger
  output: Output
}

/** The `tln platform add` option of each field of the admin page's form. */
const FLAG_OF: Readonly<Record<PlatformField, string>> = {
  issuer: '--issuer', clientId: '--client-id', authorizationEndpoint: '--auth-url', tokenEndpoint: '--token-url', jwksUri: '--jwks-url',
  authorizationServer: '--auth-server', deploymentIds: '--deployment-id',
}

interface AddOptions { issuer: string; clientId: string; authUrl: string; tokenUrl: string; jwksUrl: string; deploymentId: string[]; tenant: string; authServer?: string; json?: boolean }

/** Registers `tln platform add|list|activate` and `tln keys rotate` (LTI 1.3, issue 4). */
export function registerLtiCommands(program: Command, ctx: LtiCommandContext): void {
  const { output } = ctx
  const run = <T>(action: (deps: { platforms: DbPlatformStore; config: Config; knex: Parameters<Parameters<typeof withLrs>[2]>[0]['db']['knex'] }) => Promise<T>) => {
    const c = ctx.config()
    return withLrs(c, ctx.logger(c), ({ db }) => action({ platforms: new DbPlatformStore(db.knex), config: c, knex: db.knex }))
  }
  const collect = (value: string, previous: string[] = []) => [...previous, value]

  const platform = program.command('platform').description('LTI 1.3 platforms (LMS registrations) that may launch TLN')
  platform
    .command('add')
    .description('register a platform by hand (manual registration); active at once')
    .requiredOption('--issuer <url>', 'the platform issuer (iss), e.g. https://moodle.example.org')
    .requiredOption('--client-id <id>', 'the client_id the platform gave TLN')
    .requiredOption('--auth-url <url>', 'OIDC authorization endpoint (Moodle: <site>/mod/lti/auth.php)')
    .requiredOption('--token-url <url>', 'OAuth 2 token endpoint (Moodle: <site>/mod/lti/token.php)')
    .requiredOption('--jwks-url <url>', 'platform JWKS URL (Moodle: <site>/mod/lti/certs.php)')
    .requiredOption('--deployment-id <id>', 'a deployment id (repeat for several)', collect)
    .option('--tenant <slug>', 'the tenant that owns the platform', 'default')
    .option('--auth-server <url>', 'token audience: the client assertion aud tried when the token URL is refused as aud')
    .option('--json', 'print the result as one JSON object')
    .action(async (opts: AddOptions) => {
      // The admin page's rules, so both ways of adding a platform by hand take the same URLs (https,
      // http only on loopback; no credentials, no fragment, at most 2,000 characters; LAN hosts fine).
      // The page reads one deployment id per line or comma; here each is its own option.
      const joined = opts.deploymentId.find((d) => /[\n,]/u.test(d))
      if (joined !== undefined) throw new ServerError('ERR_USAGE', `--deployment-id takes one id (repeat the option for several), got "${joined}"`, '--deployment-id')
      const checked = checkPlatformForm({
        issuer: opts.issuer, clientId: opts.clientId, authorizationEndpoint: opts.authUrl, tokenEndpoint: opts.tokenUrl, jwksUri: opts.jwksUrl,
        authorizationServer: opts.authServer ?? '', deploymentIds: opts.deploymentId.join('\n'),
      })
      if (!checked.ok) {
        // The value is shown back only where it cannot hold a password (the credentials rule comes before these) or 2,000 characters.
        const echoed = new Set(['https', 'fragment', 'issuer-form', 'deployment-id'])
        const got = (p: PlatformFieldProblem) => (echoed.has(p.rule) ? `, got "${checked.values[p.field]}"` : '')
        const lines = checked.problems.map((p) => `${FLAG_OF[p.field]}: ${p.message.en} (rule ${p.rule}${got(p)})`)
        throw new ServerError('ERR_USAGE', lines.join('\n'), FLAG_OF[checked.problems[0]!.field])
      }
      await run(async ({ platforms }) => {
        const record = await platforms.add({
          platform: checked.platform, deploymentIds: checked.deploymentIds, tenant: opts.tenant, status: 'active', registeredBy: 'cli',
        })
        output.out(opts.json === true ? JSON.stringify(toJson(record)) : `added ${record.issuer} client_id ${record.clientId} (tenant ${record.tenant}, deployments ${record.deploymentIds.join(', ')})`)
      })
    })
  platform
    .command('list')
    .description('list registered platforms and their deployments')
    .option('--json', 'print a JSON array')
    .action(async (opts: { json?: boolean }) => {
      await run(async ({ platforms }) => {
        const rows = await platforms.list()
        if (opts.json === true) return output.out(JSON.stringify(rows.map(toJson)))
        if (rows.length === 0) return output.err('No platforms. Register TLN in the LMS (Dynamic Registration at <public URL>/lti/register) or run: tln platform add --help')
        output.out('ISSUER  CLIENT_ID  TENANT  STATUS  DEPLOYMENTS')
        for (const r of rows) output.out(`${r.issuer}  ${r.clientId}  ${r.tenant}  ${r.status}  ${r.deploymentIds.join(',') || '-'}`)
      })
    })
  platform
    .command('activate')
    .description('accept launches from a platform saved as pending by Dynamic Registration')
    .requiredOption('--issuer <url>', 'the platform issuer')
    .requiredOption('--client-id <id>', 'the client_id')
    .action(async (opts: { issuer: string; clientId: string }) => {
      await run(async ({ platforms }) => {
        const changed = await platforms.activate(opts.issuer, opts.clientId)
        output.out(changed ? `activated ${opts.issuer} client_id ${opts.clientId}` : `${opts.issuer} client_id ${opts.clientId} was active already`)
      })
    })

  platform
    .command('add-deployment')
    .description('accept launches from one more deployment of a registered platform (Canvas makes its deployment when the tool is installed, after Dynamic Registration)')
    .requiredOption('--issuer <url>', 'the platform issuer')
    .requiredOption('--client-id <id>', 'the client_id')
    .requiredOption('--deployment-id <id>', 'the deployment id, as the refused launch named it')
    .action(async (opts: { issuer: string; clientId: string; deploymentId: string }) => {
      // The admin page's rule: 1 to 255 visible ASCII characters, no space.
      const deploymentId = checkDeploymentId(opts.deploymentId)
      if (deploymentId === undefined) throw new ServerError('ERR_USAGE', `--deployment-id must be 1 to 255 visible ASCII characters without spaces, got "${opts.deploymentId}"`, '--deployment-id')
      await run(async ({ platforms }) => {
        const before = (await platforms.record(opts.issuer, opts.clientId))?.deploymentIds ?? []
        await platforms.addDeployment(opts.issuer, opts.clientId, deploymentId)
        output.out(before.includes(deploymentId) ? `${opts.issuer} client_id ${opts.clientId} has deployment ${deploymentId} already` : `added deployment ${deploymentId} to ${opts.issuer} client_id ${opts.clientId}`)
      })
    })

  program
    .command('keys')
    .description('the LTI tool\'s signing keys')
    .command('rotate')
    .description('make a new signing key current; the previous one stays in /lti/jwks for the overlap')
    .option('--overlap-days <days>', 'how long the previous key stays published', '7')
    .action(async (opts: { overlapDays: string }) => {
      const days = Number(opts.overlapDays)
      if (!Number.isFinite(days) || days < 0 || days > 365) throw new ServerError('ERR_USAGE', `--overlap-days must be a number of days from 0 to 365, got "${opts.overlapDays}"`, '--overlap-days')
      await run(async ({ config, knex }) => {
        const secret = resolveSecretKey(config)
        if (secret === undefined) throw new ServerError('ERR_CONFIG_INVALID', SECRET_KEY_MISSING, 'TLN_SECRET_KEY')
        const keys = new DbKeyStore(knex, ltiKeySecret(secret))
        const next = await rotateToolKeys(keys, { overlapMs: days * 86_400_000 })
        const previous = await keys.previous()
        output.out(`current key ${next.kid}; still published: ${previous.map((k) => k.kid).join(', ') || 'none'}`)
      })
    })
}

function toJson(r: PlatformRecord) {
  return { issuer: r.issuer, clientId: r.clientId, tenant: r.tenant, status: r.status, registeredBy: r.registeredBy, deploymentIds: r.deploymentIds, authorizationEndpoint: r.authorizationEndpoint, tokenEndpoint: r.tokenEndpoint, jwksUri: r.jwksUri }
}
