import type { Knex } from '@tln/db'
import { ServerError } from '../errors.ts'

export interface PruneCounts {
  accessAudit: number
  exportAudit: number
}

/**
 * Parses a retention period such as `365d` (days, 1–36500). Days only: months and years have
 * no fixed length, and a retention rule is stated in days (docs/privacy.md).
 */
export function parseRetention(text: string, option = '--older-than'): number {
  const match = /^(\d{1,5})d$/.exec(text.trim())
  const days = match === null ? Number.NaN : Number(match[1])
  if (!Number.isInteger(days) || days < 1 || days > 36_500) throw new ServerError('ERR_USAGE', `${option} must be a number of days from 1d to 36500d, e.g. 365d; got "${text}"`, option)
  return days
}

/**
 * Deletes audit rows older than `days` (UU 27/2022 art. 44: personal data is destroyed when its
 * retention period ends; audit rows name the person read about). Both logs: `access_audit`
 * (reads) and `export_audit`. `privacy_erasure` rows are
 * not pruned: they hold no personal data and prove the erasure was done.
 */
export async function pruneAudit(knex: Knex, days: number, options: { tenantId?: string; now?: Date; dryRun?: boolean } = {}): Promise<PruneCounts> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - days * 86_400_000)
  const scope = (q: Knex.QueryBuilder) => (options.tenantId === undefined ? q : q.where('tenant_id', options.tenantId))
  if (options.dryRun === true) {
    const count = async (q: Knex.QueryBuilder) => Number(((await q.count('* as n').first()) as { n: string | number }).n)
    return {
      accessAudit: await count(scope(knex('access_audit').where('at', '<', cutoff))),
      exportAudit: await count(scope(knex('export_audit').where('started_at', '<', cutoff))),
    }
  }
  return knex.transaction(async (trx) => ({
    accessAudit: await scope(trx('access_audit').where('at', '<', cutoff)).delete(),
    exportAudit: await scope(trx('export_audit').where('started_at', '<', cutoff)).delete(),
  }))
}
