import type { Knex } from 'knex'
import { runEach } from './run-each.ts'

/**
 * Every column of `xapi_statement`: the statistics target 10 instead of the default 100 (PostgreSQL
 * 18, ANALYZE, Notes: "The largest statistics target among the columns being analyzed determines
 * the number of table rows sampled"; 300 rows per unit of target). The rows carry the statement's
 * JSON (≈ 1.3 KB), so a 30,000-row sample was ≈ 60 MB inside PostgreSQL while ANALYZE ran. On
 * embedded PGlite that memory is WebAssembly memory, which stays resident once touched: the first
 * ANALYZE past 30,000 statements made the server ≈ 60 MB larger for good; 3,000 rows, 6 MB
 * (docs/performance-notes.md, "PGlite's peak under ingest", issue 7). The table is read by keys
 * (`seq`, `(tenant_id, id)`, `(txid, seq)`) and through the posting lists; the one range estimated
 * on it, `stored` (`since`/`until`), keeps an 11-bound histogram. A column added to this table later
 * needs the same target, or the sample is 30,000 rows again (statement-statistics-sample.int.test.ts
 * fails).
 */
const COLUMNS = ['seq', 'tenant_id', 'id', 'stored', 'verb_id', 'object_statement_id', 'voiding', 'voided', 'credential_id', 'statement', 'txid']

export async function up(knex: Knex): Promise<void> {
  await runEach(knex, [`alter table xapi_statement ${COLUMNS.map((c) => `alter column ${c} set statistics 10`).join(', ')}`])
}

export async function down(knex: Knex): Promise<void> {
  await runEach(knex, [`alter table xapi_statement ${COLUMNS.map((c) => `alter column ${c} set statistics -1`).join(', ')}`])
}
