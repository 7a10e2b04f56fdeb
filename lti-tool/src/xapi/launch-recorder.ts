import { randomUUID } from 'node:crypto'
import { LrsError, type Credential, type CredentialStore, type StatementService } from '@tln/lrs'
import type { LtiLaunch } from '@tln/lti-v1p3'
import { validateStatement } from '@tln/xapi'
import { launchStatement } from './launch-statement.ts'

/** The LRS credential key of the tool in a tenant: its statements' `authority`. */
export const toolCredentialKey = (tenant: string) => `lti-tool.${tenant}`

/**
 * Stores every launch as an xAPI statement through the LRS, under a credential of the tool in the
 * platform's tenant (made on first use; its secret is thrown away: the tool never calls the LRS
 * over HTTP). Validated like any client's statement before storage ever sees it.
 */
export class LaunchRecorder {
  private readonly credentials = new Map<string, Credential>()

  constructor(private readonly deps: { lrs: { statements: StatementService; credentials: CredentialStore }; publicUrl: string; now: () => number }) {}

  /** Store the launched statement; returns its id. */
  async record(launch: LtiLaunch & { user: { sub: string } }, platform: { id: string; tenant: string; tenantId: string }): Promise<string> {
    const credential = await this.credentialFor(platform.tenant)
    const statement = launchStatement(launch, { publicUrl: this.deps.publicUrl, platformId: platform.id, timestamp: new Date(this.deps.now()), id: randomUUID() })
    const [id] = await this.deps.lrs.statements.storeStatements(
      { tenantId: platform.tenantId, credential, version: '1.0.3' },
      [validateStatement(statement, { version: '1.0.3' })],
    )
    return id!
  }

  private async credentialFor(tenant: string): Promise<Credential> {
    const cached = this.credentials.get(tenant)
    if (cached !== undefined) return cached
    const key = toolCredentialKey(tenant)
    const find = async () => (await this.deps.lrs.credentials.list()).find((c) => c.key === key && c.tenant === tenant)
    let credential: Credential | undefined = await find()
    if (credential === undefined) {
      try {
        credential = (await this.deps.lrs.credentials.create({ key, tenant, scopes: ['statements/write', 'define'], label: 'TLN LTI tool' })).credential
      } catch (error) {
        // Another process made it first.
        if (!(error instanceof LrsError && error.code === 'ERR_LRS_CONFLICT')) throw error
        credential = await find()
        if (credential === undefined) throw error
      }
    }
    this.credentials.set(tenant, credential)
    return credential
  }
}
