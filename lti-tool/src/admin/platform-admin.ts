import type { Knex } from '@tln/db'
import type { Platform } from '@tln/lti-v1p3'
import { LtiToolError } from '../errors.ts'
import { isUuid } from '../org/org-store.ts'
import type { DbPlatformStore, PlatformRecord, PlatformStatus } from '../stores/platform-store.ts'

/**
 * The admin page's operations on a tenant's LTI registrations. Creation, activation and adding a
 * deployment go through `DbPlatformStore` (the same code as `tln platform add|activate`); every
 * operation first loads the registration by id **within the tenant**, so another tenant's id is
 * "not found" and changes nothing.
 */
export class PlatformAdmin {
  constructor(private readonly knex: Knex, private readonly platforms: DbPlatformStore) {}

  /** The slug of a tenant (the registration store names tenants by slug). */
  async tenantSlug(tenantId: string): Promise<string> {
    const row = (await this.knex('tenant').select('slug').where({ id: tenantId }).first()) as { slug: string } | undefined
    if (row === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'tenant not found')
    return row.slug
  }

  /** The tenant's registrations, oldest first. */
  async list(tenantId: string): Promise<PlatformRecord[]> {
    return (await this.platforms.list()).filter((p) => p.tenantId === tenantId)
  }

  /** @throws LtiToolError `ERR_TOOL_NOT_FOUND` for an unknown id or one of another tenant */
  async get(tenantId: string, id: string): Promise<PlatformRecord> {
    const record = isUuid(id) ? await this.platforms.byId(id) : undefined
    if (record === undefined || record.tenantId !== tenantId) throw new LtiToolError('ERR_TOOL_NOT_FOUND', 'no such platform in this tenant', { platformId: id })
    return record
  }

  /** Is (issuer, client_id) registered already (in any tenant: the pair is unique across TLN)? */
  async exists(issuer: string, clientId: string): Promise<boolean> {
    return (await this.platforms.record(issuer, clientId)) !== undefined
  }

  /**
   * Register a platform by hand: active at once, like `tln platform add`.
   * @throws LtiToolError `ERR_TOOL_CONFLICT` when (issuer, client_id) is taken (also when a concurrent add won)
   */
  async add(tenantSlug: string, platform: Platform, deploymentIds: readonly string[]): Promise<PlatformRecord> {
    return this.platforms.add({ platform, deploymentIds, tenant: tenantSlug, status: 'active', registeredBy: 'cli' })
  }

  /** Accept (`active`) or stop (`pending`) launches from a registration. @returns the record after the change */
  async setStatus(tenantId: string, id: string, status: PlatformStatus): Promise<PlatformRecord> {
    const record = await this.get(tenantId, id)
    if (status === 'active') await this.platforms.activate(record.issuer, record.clientId)
    else await this.knex('lti_platform').where({ id: record.id, tenant_id: tenantId }).update({ status: 'pending' })
    return this.get(tenantId, id)
  }

  /** Add a deployment id (idempotent). */
  async addDeployment(tenantId: string, id: string, deploymentId: string): Promise<void> {
    const record = await this.get(tenantId, id)
    await this.platforms.addDeployment(record.issuer, record.clientId, deploymentId)
  }

  /** Remove a deployment id: launches naming it are refused from then on (LTI Core 1.3 §3.1.3). */
  async removeDeployment(tenantId: string, id: string, deploymentId: string): Promise<boolean> {
    const record = await this.get(tenantId, id)
    return (await this.knex('lti_deployment').where({ platform_id: record.id, deployment_id: deploymentId }).delete()) > 0
  }
}
