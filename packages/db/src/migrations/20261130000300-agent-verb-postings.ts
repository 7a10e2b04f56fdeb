import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Posting lists of kind 5 (`agentVerb`) in `xapi_statement_index`: the statements that match a
 * plain `agent` filter and a `verb` filter together (issue 7: `GET /statements?agent=…&verb=…` at
 * 1,000,000 statements read all of the agent's statements, p95 44 ms; docs/performance-notes.md).
 * One posting per narrow agent posting × verb posting of a statement, its own and those inherited
 * through StatementRefs (each filter condition is met by the statement or a target, xAPI 1.0.3
 * Communication 2.1.3), keyed by a hash of the two keys. The LRS computes the same key in
 * `agentVerbKey` (packages/lrs/src/statements/statement-rows.ts).
 *
 * Statements stored before are given theirs here, from their postings.
 */
export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [
    `insert into xapi_statement_index (tenant_id, kind, key, seq, narrow)
     select a.tenant_id, 5, substr(encode(sha256(convert_to(a.key::text || '/' || v.key::text, 'UTF8')), 'hex'), 1, 32)::uuid, a.seq, true
       from xapi_statement_index a
       join xapi_statement_index v on v.tenant_id = a.tenant_id and v.kind = 3 and v.seq = a.seq
      where a.kind = 1 and a.narrow
     on conflict do nothing`,
  ])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, ['delete from xapi_statement_index where kind = 5'])
}
