import type { Knex } from '@tln/db'
import { ifiKey, type Actor, type Agent } from '@tln/xapi'
import { agentIndexKey, IndexKind } from '../statements/statement-rows.ts'
import { namesOf } from './person.ts'

/** How many recent statements about an agent are read for its names. */
const RECENT = 50

/**
 * What the LRS knows about an Agent from its statements, for the Agents resource: the names used
 * with its IFI as actor or object in the most recent statements that mention it (through the
 * statement index, so the cost does not grow with the table). Tenant in every query.
 */
export class PersonStore {
  async knownNames(db: Knex, tenantId: string, agent: Agent): Promise<string[]> {
    const indexKey = agentIndexKey(agent)
    const key = ifiKey(agent)
    if (indexKey === undefined || key === undefined) return []
    const rows = (await db('xapi_statement_index as i')
      .join('xapi_statement as s', function joinStatement() {
        this.on('s.tenant_id', 'i.tenant_id').andOn('s.seq', 'i.seq')
      })
      .select(db.raw(`(s.statement->'actor')::text as actor`), db.raw(`(s.statement->'object')::text as object`))
      .where({ 'i.tenant_id': tenantId, 'i.kind': IndexKind.agent, 'i.key': indexKey, 'i.narrow': true })
      .orderBy('i.seq', 'desc')
      .limit(RECENT)) as Array<{ actor: string | null; object: string | null }>
    const actors = rows.flatMap((row) => [row.actor, row.object].map((json) => (json === null ? undefined : (JSON.parse(json) as Actor))))
    return namesOf(key, actors, ifiKey)
  }
}
