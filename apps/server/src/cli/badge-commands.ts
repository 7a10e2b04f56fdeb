import type { Command } from 'commander'
import { badgeUrls, IssuerKeyStore, type IssuerKeyInfo, type RotatedKeys } from '@tln/competence'
import type { Knex } from '@tln/db'
import { badgeKeySecret } from '../badges.ts'
import { resolvePublicUrl, type Config } from '../config.ts'
import { ServerError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { resolveSecretKey, SECRET_KEY_MISSING } from '../secret-key.ts'
import type { Output } from './output.ts'
import { withLrs } from './with-lrs.ts'

export interface BadgeCommandContext {
  config(): Config
  logger(config: Config): Logger
  output: Output
}

interface Tenant { id: string; slug: string }

/**
 * Registers `tln badges keys rotate|list` (issue 6, Open Badges): the badge issuers' RS256 signing
 * keys. Rotation makes a new key current; the retired one stays in the issuer's JWKS, so every
 * badge issued before still verifies, and loses its private half, so it signs nothing more.
 * Running servers sign with the new key from their next badge on.
 */
export function registerBadgeCommands(program: Command, ctx: BadgeCommandContext): void {
  const { output } = ctx
  const run = <T>(action: (deps: { knex: Knex; config: Config }) => Promise<T>) => {
    const c = ctx.config()
    return withLrs(c, ctx.logger(c), ({ db }) => action({ knex: db.knex, config: c }))
  }

  const keys = program.command('badges').description('Open Badges 3.0 and CLR 2.0 credentials of completed tiers').command('keys').description('the badge issuers\' signing keys (one issuer per tenant)')
  keys
    .command('rotate')
    .description('make a new signing key current; the old ones stay in /badges/issuer/<tenant>/jwks so every badge issued before still verifies')
    .option('--tenant <slug>', 'only this tenant (default: every tenant that has a badge key)')
    .option('--json', 'print one JSON object per tenant')
    .action(async (opts: { tenant?: string; json?: boolean }) => {
      await run(async ({ knex, config }) => {
        const secret = resolveSecretKey(config)
        if (secret === undefined) throw new ServerError('ERR_CONFIG_INVALID', SECRET_KEY_MISSING, 'TLN_SECRET_KEY')
        const store = new IssuerKeyStore(knex, badgeKeySecret(secret))
        const tenants = opts.tenant !== undefined ? [await tenantBySlug(knex, opts.tenant)] : await tenantsWithKeys(knex)
        if (tenants.length === 0) {
          output.err('No badge keys yet: a tenant gets its first key when its first badge is issued (or name one with --tenant).')
          return
        }
        const publicUrl = resolvePublicUrl(config, config.port)
        for (const tenant of tenants) {
          const rotated = await store.rotate(tenant.id)
          output.out(opts.json === true ? JSON.stringify({ tenant: tenant.slug, ...rotated }) : formatRotation(tenant.slug, rotated, badgeUrls(publicUrl, tenant.slug).jwks))
        }
      })
    })
  keys
    .command('list')
    .description('list the badge keys (never their private halves): the current one signs, retired ones only verify')
    .option('--tenant <slug>', 'only this tenant')
    .option('--json', 'print a JSON array')
    .action(async (opts: { tenant?: string; json?: boolean }) => {
      await run(async ({ knex }) => {
        const tenant = opts.tenant !== undefined ? await tenantBySlug(knex, opts.tenant) : undefined
        const rows = await new IssuerKeyStore(knex).list(tenant?.id)
        if (opts.json === true) return output.out(JSON.stringify(rows.map(toJson)))
        if (rows.length === 0) return output.err('No badge keys yet: a tenant gets its first key when its first badge is issued.')
        output.out('TENANT  KID  STATUS  CREATED  RETIRED')
        for (const r of rows) output.out(`${r.tenantSlug}  ${r.thumbprint}  ${r.retiredAt === null ? 'current' : 'retired'}  ${r.createdAt.toISOString()}  ${r.retiredAt?.toISOString() ?? '-'}`)
      })
    })
}

export function formatRotation(slug: string, rotated: RotatedKeys, jwksUrl: string): string {
  const retired = rotated.retired.length === 0 ? 'none (first key)' : rotated.retired.join(', ')
  return `tenant ${slug}: current key ${rotated.current}; retired ${retired}, still published at ${jwksUrl}`
}

function toJson(r: IssuerKeyInfo) {
  return { tenant: r.tenantSlug, kid: r.thumbprint, status: r.retiredAt === null ? 'current' : 'retired', createdAt: r.createdAt.toISOString(), retiredAt: r.retiredAt?.toISOString() ?? null }
}

async function tenantBySlug(knex: Knex, slug: string): Promise<Tenant> {
  const row = (await knex('tenant').select('id', 'slug').where({ slug }).first()) as Tenant | undefined
  if (row === undefined) throw new ServerError('ERR_NOT_FOUND', `no tenant ${slug}`, '--tenant')
  return row
}

async function tenantsWithKeys(knex: Knex): Promise<Tenant[]> {
  return (await knex('tenant as t').select('t.id', 't.slug').whereExists(knex('badge_issuer_key as k').whereRaw('k.tenant_id = t.id')).orderBy('t.slug')) as Tenant[]
}
