import type { StatementService } from '@tln/lrs'
import { validateStatement } from '@tln/xapi'
import type { Passback } from '../ags/passback-store.ts'
import { scoreStatement } from './score-statement.ts'
import type { ToolCredentials } from './tool-credentials.ts'

/**
 * Stores the `scored` statement of a passback that reached the platform, validated like any
 * client's statement. Its id is derived from the job, so storing it twice stores it once.
 */
export class ScoreRecorder {
  constructor(private readonly deps: { statements: StatementService; credentials: ToolCredentials; publicUrl: string }) {}

  /** @returns the statement id, or undefined for a progress-only score (nothing scored) */
  async record(job: Passback, lineItemUrl: string): Promise<string | undefined> {
    const statement = scoreStatement(job, { publicUrl: this.deps.publicUrl, lineItemUrl })
    if (statement === undefined) return undefined
    const credential = await this.deps.credentials.of(job.tenant)
    const { ids } = await this.deps.statements.storeCounting(
      { tenantId: job.tenantId, credential, version: '1.0.3' },
      [validateStatement(statement, { version: '1.0.3' })],
    )
    return ids[0]
  }
}
