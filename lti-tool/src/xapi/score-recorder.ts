import type { Passback } from '../ags/passback-store.ts'
import { scoreStatement } from './score-statement.ts'
import type { StatementOutbox } from './statement-outbox.ts'

/**
 * Records the `scored` statement of a passback that reached the platform, through the tool's
 * outbox (kept until the LRS has it). Its id is derived from the job, so recording it twice stores it once.
 */
export class ScoreRecorder {
  constructor(private readonly deps: { outbox: StatementOutbox; publicUrl: string }) {}

  /** @returns the statement id, or undefined for a progress-only score (nothing scored) */
  async record(job: Passback, lineItemUrl: string): Promise<string | undefined> {
    const statement = scoreStatement(job, { publicUrl: this.deps.publicUrl, lineItemUrl })
    if (statement === undefined) return undefined
    const { ids } = await this.deps.outbox.record(job.tenantId, [statement])
    return ids[0]
  }
}
