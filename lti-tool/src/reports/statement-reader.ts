import type { Knex } from '@tln/db'
import type { RequestContext, StatementService } from '@tln/lrs'
import { ifiKeysOfActor, type Actor } from '@tln/xapi'
import { isUuid } from '../org/org-store.ts'
import type { ToolCredentials } from '../xapi/tool-credentials.ts'

/** A stored statement as the reports show it. */
export interface ShownStatement {
  readonly id: string
  readonly json: string
  readonly voided: boolean
  readonly actorKeys: readonly string[]
  readonly verb?: string
  readonly objectId?: string
  readonly objectName?: string
}

interface Parsed {
  actor?: Actor
  verb?: { id?: string; display?: Record<string, string> }
  object?: { id?: string; definition?: { name?: Record<string, string> } }
}

const firstOf = (map: Record<string, string> | undefined) => (map === undefined ? undefined : map.id ?? map['id-ID'] ?? map.en ?? map['en-US'] ?? Object.values(map)[0])

/**
 * Reads statements back from the LRS (`StatementService.getStatement`, the one way to statements)
 * under the tenant's tool credential, for the evidence page (verb, object) and the statement page.
 * Voided statements are found too (xAPI 1.0.3 Communication 2.1.3 `voidedStatementId`) and marked.
 */
export class StatementReader {
  constructor(private readonly deps: { knex: Knex; statements: StatementService; credentials: ToolCredentials }) {}

  private async context(tenantId: string): Promise<RequestContext> {
    const row = (await this.deps.knex('tenant').select('slug').where({ id: tenantId }).first()) as { slug: string } | undefined
    if (row === undefined) throw new TypeError(`tenant ${tenantId} vanished`)
    return { tenantId, credential: await this.deps.credentials.of(row.slug), version: '1.0.3' }
  }

  async find(tenantId: string, statementId: string): Promise<ShownStatement | undefined> {
    return (await this.findMany(tenantId, [statementId])).get(statementId)
  }

  /**
   * The statements of `ids` that exist in the tenant (at most `limit`, in order). An id that is
   * not a UUID names no statement (xAPI 1.0.3 Data 2.4.1: `id` is a UUID) and is not found: ids
   * come from URLs, and the store's column would refuse it with a database error.
   */
  async findMany(tenantId: string, ids: readonly string[], limit = 200): Promise<Map<string, ShownStatement>> {
    const context = await this.context(tenantId)
    const found = new Map<string, ShownStatement>()
    for (const id of ids.slice(0, limit)) {
      if (!isUuid(id)) continue
      const row = (await this.deps.statements.getStatement(context, { statementId: id })) ?? (await this.deps.statements.getStatement(context, { voidedStatementId: id }))
      if (row === undefined) continue
      const parsed = JSON.parse(row.json) as Parsed
      const verb = parsed.verb?.id
      const objectId = parsed.object?.id
      const objectName = firstOf(parsed.object?.definition?.name)
      found.set(id, {
        id, json: row.json, voided: row.voided,
        actorKeys: parsed.actor === undefined ? [] : ifiKeysOfActor(parsed.actor),
        ...(verb !== undefined && { verb }), ...(objectId !== undefined && { objectId }), ...(objectName !== undefined && { objectName }),
      })
    }
    return found
  }
}
