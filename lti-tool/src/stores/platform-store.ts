import type { Knex } from '@tln/db'
import type { Platform, PlatformStore } from '@tln/lti-v1p3'
import { LtiToolError } from '../errors.ts'

export type PlatformStatus = 'active' | 'pending'

/** A registration as TLN keeps it: the library's `Platform` plus owner, status and deployments. */
export interface PlatformRecord extends Platform {
  readonly id: string
  readonly tenantId: string
  /** Tenant slug. */
  readonly tenant: string
  readonly status: PlatformStatus
  readonly registeredBy: 'cli' | 'dynamic'
  readonly deploymentIds: readonly string[]
  readonly createdAt: Date
}

export interface NewPlatform {
  readonly platform: Platform
  readonly deploymentIds: readonly string[]
  /** Tenant slug; `default` when absent. */
  readonly tenant?: string
  readonly status: PlatformStatus
  readonly registeredBy: 'cli' | 'dynamic'
}

interface Row {
  id: string; tenant_id: string; tenant: string; issuer: string; client_id: string; authorization_endpoint: string
  token_endpoint: string; jwks_uri: string; authorization_server: string | null; status: PlatformStatus
  registered_by: 'cli' | 'dynamic'; created_at: Date; deployment_ids: string[] | null
}

const UNIQUE_VIOLATION = '23505'

/**
 * Platform registrations in PostgreSQL (`lti_platform`, `lti_deployment`), per tenant. The
 * library's `PlatformStore` view sees **active** registrations only: a pending one (saved by
 * Dynamic Registration, not yet activated) cannot start a login.
 */
export class DbPlatformStore implements PlatformStore {
  constructor(private readonly knex: Knex) {}

  async find(issuer: string, clientId: string): Promise<Platform | undefined> {
    const record = await this.record(issuer, clientId)
    return record?.status === 'active' ? toPlatform(record) : undefined
  }

  async findByIssuer(issuer: string): Promise<readonly Platform[]> {
    return (await this.select().where('p.issuer', issuer).andWhere('p.status', 'active')).map((r) => toPlatform(toRecord(r)))
  }

  async listDeployments(issuer: string, clientId: string): Promise<readonly string[]> {
    const record = await this.record(issuer, clientId)
    return record?.status === 'active' ? record.deploymentIds : []
  }

  /** The registration whatever its status, or undefined. */
  async record(issuer: string, clientId: string): Promise<PlatformRecord | undefined> {
    const row = (await this.select().where('p.issuer', issuer).andWhere('p.client_id', clientId))[0]
    return row === undefined ? undefined : toRecord(row)
  }

  /** The registration with this id whatever its status, or undefined. */
  async byId(id: string): Promise<PlatformRecord | undefined> {
    const row = (await this.select().where('p.id', id))[0]
    return row === undefined ? undefined : toRecord(row)
  }

  /** Every registration, oldest first. */
  async list(): Promise<PlatformRecord[]> {
    return (await this.select().orderBy('p.created_at')).map(toRecord)
  }

  /**
   * Save a registration with its deployments, in one transaction.
   * @throws LtiToolError `ERR_TOOL_NOT_FOUND` for an unknown tenant, `ERR_TOOL_CONFLICT` when (issuer, client_id) is taken
   */
  async add(input: NewPlatform): Promise<PlatformRecord> {
    const tenantSlug = input.tenant ?? 'default'
    const p = input.platform
    try {
      await this.knex.transaction(async (trx) => {
        const tenant = (await trx('tenant').select('id').where({ slug: tenantSlug }).first()) as { id: string } | undefined
        if (tenant === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', `tenant ${tenantSlug} does not exist`)
        const [row] = (await trx('lti_platform').insert({
          tenant_id: tenant.id, issuer: p.issuer, client_id: p.clientId, authorization_endpoint: p.authorizationEndpoint,
          token_endpoint: p.tokenEndpoint, jwks_uri: p.jwksUri, authorization_server: p.authorizationServer ?? null,
          status: input.status, registered_by: input.registeredBy,
        }).returning('id')) as { id: string }[]
        const deployments = [...new Set(input.deploymentIds)]
        if (deployments.length > 0) await trx('lti_deployment').insert(deployments.map((d) => ({ platform_id: row!.id, deployment_id: d })))
      })
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new LtiToolError('ERR_TOOL_CONFLICT', `a registration for issuer ${p.issuer} and client_id ${p.clientId} exists already`)
      }
      throw error
    }
    return (await this.record(p.issuer, p.clientId))!
  }

  /** Add a deployment id to a registration (idempotent). */
  async addDeployment(issuer: string, clientId: string, deploymentId: string): Promise<void> {
    const record = await this.record(issuer, clientId)
    if (record === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', `no registration for issuer ${issuer} and client_id ${clientId}`)
    await this.knex('lti_deployment').insert({ platform_id: record.id, deployment_id: deploymentId }).onConflict(['platform_id', 'deployment_id']).ignore()
  }

  /** Make a pending registration active. Returns false when it was active already. */
  async activate(issuer: string, clientId: string): Promise<boolean> {
    if ((await this.record(issuer, clientId)) === undefined) throw new LtiToolError('ERR_TOOL_NOT_FOUND', `no registration for issuer ${issuer} and client_id ${clientId}`)
    const count = await this.knex('lti_platform').update({ status: 'active' }).where({ issuer, client_id: clientId, status: 'pending' })
    return count > 0
  }

  private select() {
    return this.knex('lti_platform as p')
      .join('tenant as t', 't.id', 'p.tenant_id')
      .select('p.*', 't.slug as tenant')
      .select(this.knex.raw('(select array_agg(d.deployment_id order by d.created_at, d.deployment_id) from lti_deployment d where d.platform_id = p.id) as deployment_ids')) as unknown as Knex.QueryBuilder<Row, Row[]>
  }
}

function toRecord(row: Row): PlatformRecord {
  return {
    id: row.id, tenantId: row.tenant_id, tenant: row.tenant, issuer: row.issuer, clientId: row.client_id,
    authorizationEndpoint: row.authorization_endpoint, tokenEndpoint: row.token_endpoint, jwksUri: row.jwks_uri,
    ...(row.authorization_server !== null && { authorizationServer: row.authorization_server }),
    status: row.status, registeredBy: row.registered_by, deploymentIds: row.deployment_ids ?? [], createdAt: new Date(row.created_at),
  }
}

/**
 * The library's `Platform` view of a registration. A dynamic one says so (`dynamicallyRegistered`):
 * its URLs are requested through the guarded fetch (`outbound/platform-outbound.ts`).
 */
export function toPlatform(record: PlatformRecord): Platform {
  const { issuer, clientId, authorizationEndpoint, tokenEndpoint, jwksUri, authorizationServer } = record
  return {
    issuer, clientId, authorizationEndpoint, tokenEndpoint, jwksUri, ...(authorizationServer !== undefined && { authorizationServer }),
    ...(record.registeredBy === 'dynamic' && { dynamicallyRegistered: true }),
  }
}
