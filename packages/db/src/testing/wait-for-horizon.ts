import type { Knex } from 'knex'

/**
 * Waits until the stream horizon has passed every stored statement. On a PostgreSQL server that
 * other test databases share, a transaction running anywhere holds the horizon back (the stream
 * never reads past a transaction that might still commit), so a statement just stored can stay
 * invisible to the engine for a moment; tests that expect "everything" wait for it first.
 */
export async function waitForHorizon(knex: Knex, timeoutMs = 30_000): Promise<void> {
  const started = Date.now()
  for (;;) {
    const { rows } = (await knex.raw(
      `select pg_snapshot_xmin(pg_current_snapshot())::text::bigint as xmin, (select coalesce(max(txid), 0) from xapi_statement) as last`,
    )) as { rows: Array<{ xmin: number; last: number }> }
    if (Number(rows[0]!.xmin) > Number(rows[0]!.last) || Date.now() - started > timeoutMs) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
