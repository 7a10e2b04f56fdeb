import type { Knex } from '@tln/db'
import type { StatementService } from '@tln/lrs'
import { validateStatement, type Statement } from '@tln/xapi'
import type { ToolLogger } from '../logger.ts'
import type { ToolCredentials } from '../xapi/tool-credentials.ts'

/**
 * Stores the tool's statements through the LRS (`StatementService`, validated like any client's)
 * under the tenant's tool credential. Called after the row's transaction committed: a failure is
 * logged and reported as `false`, the row stays marked unrecorded, and since every id is derived
 * from the row, recording it again stores each statement once.
 */
export class LrsRecorder {
  private readonly slugs = new Map<string, string>()

  constructor(private readonly deps: { knex: Knex; statements: StatementService; credentials: ToolCredentials; logger: ToolLogger }) {}

  async record(tenantId: string, statements: readonly Statement[], what: Record<string, unknown>): Promise<boolean> {
    if (statements.length === 0) return true
    try {
      const credential = await this.deps.credentials.of(await this.slugOf(tenantId))
      await this.deps.statements.storeCounting(
        { tenantId, credential, version: '1.0.3' },
        statements.map((s) => validateStatement(s, { version: '1.0.3' })),
      )
      return true
    } catch (err) {
      this.deps.logger.error({ err, ...what }, 'statements not stored')
      return false
    }
  }

  private async slugOf(tenantId: string): Promise<string> {
    const cached = this.slugs.get(tenantId)
    if (cached !== undefined) return cached
    const row = (await this.deps.knex('tenant').select('slug').where({ id: tenantId }).first()) as { slug: string } | undefined
    if (row === undefined) throw new TypeError(`tenant ${tenantId} does not exist`)
    this.slugs.set(tenantId, row.slug)
    return row.slug
  }
}
