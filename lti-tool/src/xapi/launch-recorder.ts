import { randomUUID } from 'node:crypto'
import type { StatementService } from '@tln/lrs'
import type { LtiLaunch } from '@tln/lti-v1p3'
import { validateStatement } from '@tln/xapi'
import { launchStatement } from './launch-statement.ts'
import type { ToolCredentials } from './tool-credentials.ts'

export { toolCredentialKey } from './tool-credentials.ts'

/**
 * Stores every launch as an xAPI statement through the LRS, under the tool's credential in the
 * platform's tenant. Validated like any client's statement before storage ever sees it.
 */
export class LaunchRecorder {
  constructor(private readonly deps: { statements: StatementService; credentials: ToolCredentials; publicUrl: string; now: () => number }) {}

  /** Store the launched statement; returns its id. */
  async record(launch: LtiLaunch & { user: { sub: string } }, platform: { id: string; tenant: string; tenantId: string }): Promise<string> {
    const credential = await this.deps.credentials.of(platform.tenant)
    const statement = launchStatement(launch, { publicUrl: this.deps.publicUrl, platformId: platform.id, timestamp: new Date(this.deps.now()), id: randomUUID() })
    const [id] = await this.deps.statements.storeStatements(
      { tenantId: platform.tenantId, credential, version: '1.0.3' },
      [validateStatement(statement, { version: '1.0.3' })],
    )
    return id!
  }
}
