import { LrsError, type Credential, type CredentialStore } from '@tln/lrs'

/** The LRS credential key of the tool in a tenant: its statements' `authority`. */
export const toolCredentialKey = (tenant: string) => `lti-tool.${tenant}`

/**
 * The tool's own LRS credential per tenant (made on first use; its secret is thrown away: the
 * tool never calls the LRS over HTTP). Shared by everything the tool records: launches, scores.
 */
export class ToolCredentials {
  private readonly cache = new Map<string, Credential>()

  constructor(private readonly credentials: CredentialStore) {}

  async of(tenant: string): Promise<Credential> {
    const cached = this.cache.get(tenant)
    if (cached !== undefined) return cached
    const key = toolCredentialKey(tenant)
    const find = async () => (await this.credentials.list()).find((c) => c.key === key && c.tenant === tenant)
    let credential: Credential | undefined = await find()
    if (credential === undefined) {
      try {
        credential = (await this.credentials.create({ key, tenant, scopes: ['statements/write', 'define'], label: 'TLN LTI tool' })).credential
      } catch (error) {
        // Another process made it first.
        if (!(error instanceof LrsError && error.code === 'ERR_LRS_CONFLICT')) throw error
        credential = await find()
        if (credential === undefined) throw error
      }
    }
    this.cache.set(tenant, credential)
    return credential
  }
}
