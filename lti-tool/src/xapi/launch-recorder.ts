import { randomUUID } from 'node:crypto'
import type { LtiLaunch } from '@tln/lti-v1p3'
import { launchStatement } from './launch-statement.ts'
import type { StatementOutbox } from './statement-outbox.ts'

export { toolCredentialKey } from './tool-credentials.ts'

/**
 * Records every launch as an xAPI statement in the platform's tenant, through the tool's outbox:
 * validated and kept before it is stored, so an LRS that fails now gets it later.
 */
export class LaunchRecorder {
  constructor(private readonly deps: { outbox: StatementOutbox; publicUrl: string; now: () => number }) {}

  /** Record the launched statement; returns its id. */
  async record(launch: LtiLaunch & { user: { sub: string } }, platform: { id: string; tenant: string; tenantId: string }): Promise<string> {
    const statement = launchStatement(launch, { publicUrl: this.deps.publicUrl, platformId: platform.id, timestamp: new Date(this.deps.now()), id: randomUUID() })
    const { ids } = await this.deps.outbox.record(platform.tenantId, [statement])
    return ids[0]!
  }
}
