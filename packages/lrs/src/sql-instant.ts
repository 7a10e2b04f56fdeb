/**
 * A query bound (`since`, `until`) as PostgreSQL's `timestamptz` takes it. `toInstant` keeps every
 * digit a client sent and every year ISO 8601 and RFC 3339 allow, but `timestamptz` holds
 * microseconds from 4713 BC and refuses year 0000 ("date/time field value out of range") and
 * fractions over its input length: `since=0000-01-01T00:00:00Z` and a 5,000-digit fraction were
 * answered 500.
 *
 * - Before year 1 nothing is stored, so the bound is `-infinity`: `stored > since` keeps every
 *   statement, `stored <= until` none, as for the instant itself.
 * - The fraction is cut to microseconds. Stored times have microseconds, so for them
 *   `t > x` ⇔ `t > trunc(x)` and `t <= x` ⇔ `t <= trunc(x)`: the same rows, for both operators.
 *
 * @param instant a canonical UTC instant from `toInstant` (`YYYY-MM-DDThh:mm:ss.fffZ`)
 */
export function sqlInstant(instant: string): string {
  if (instant.startsWith('0000-')) return '-infinity'
  const dot = instant.indexOf('.')
  return dot < 0 || instant.length - dot - 2 <= 6 ? instant : `${instant.slice(0, dot + 7)}Z`
}
