/**
 * The number of rows a DELETE removed. knex's `pg` dialect answers a number, but under PGlite
 * (knex-pglite 0.14 names the command `DEL`, which knex does not recognise) it hands back the raw
 * result, whose `affectedRows` / `rowCount` hold the number.
 */
export function rowCount(result: unknown): number {
  if (typeof result === 'number') return result
  const raw = result as { rowCount?: unknown; affectedRows?: unknown } | null
  const n = raw?.rowCount ?? raw?.affectedRows
  return typeof n === 'number' ? n : 0
}
