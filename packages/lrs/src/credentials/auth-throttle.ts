import type { Knex } from '@tln/db'

/** How many failed HTTP Basic attempts are allowed, and for how long a bucket remembers them. */
export interface ThrottlePolicy {
  /** Failures from one client address (any key) before that address gets 429. */
  maxFailuresPerAddress: number
  /**
   * Failures against one existing key (from any address) before that key gets 429 everywhere.
   * Higher than the address limit: it stops a brute force spread over many addresses, and an
   * attacker who reaches it locks the key for one window only.
   */
  maxFailuresPerKey: number
  /** The window, which starts at a bucket's first failure; when it ends, the bucket is clean. */
  windowMs: number
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { maxFailuresPerAddress: 10, maxFailuresPerKey: 50, windowMs: 15 * 60_000 }

/**
 * Failed-authentication counters in `auth_throttle`, shared by every server process (the server
 * is stateless). Reading is a SQL expression that the credential lookup embeds in its own query,
 * so a request pays no extra round trip and a successful one never writes. Times come from the
 * application clock, so tests can move them.
 */
export class AuthThrottle {
  constructor(
    private readonly knex: Knex,
    readonly policy: ThrottlePolicy,
    private readonly now: () => number,
  ) {}

  /**
   * A SQL expression: the start of the client's blocked window (the later one, when both its
   * address and the key are blocked), or null. Two primary-key probes; the arithmetic is left to
   * `retryAfterS`, so the query stays a plain index lookup.
   */
  blockedSinceSql(key: string, address: string | undefined): { sql: string; bindings: unknown[] } {
    const after = new Date(this.now() - this.policy.windowMs)
    const keyBucketName = keyBucket(key)
    return {
      sql: `(select max(t.window_start) from auth_throttle t
         where t.bucket in (?, ?) and t.window_start > ?
           and t.failures >= case when t.bucket = ? then ?::int else ?::int end)`,
      bindings: [keyBucketName, addressBucket(address), after, keyBucketName, this.policy.maxFailuresPerKey, this.policy.maxFailuresPerAddress],
    }
  }

  /** Whole seconds from now until a window that began at `since` ends (at least 1). */
  retryAfterS(since: Date): number {
    return Math.max(1, Math.ceil((since.getTime() + this.policy.windowMs - this.now()) / 1000))
  }

  /**
   * Counts one failure against the client's address and, when the key exists, against the key
   * (unknown keys are counted by address only, so random keys cannot fill the table). Buckets
   * whose window has ended are deleted in the same statement.
   */
  async recordFailure(key: string, address: string | undefined, keyExists: boolean): Promise<void> {
    const buckets = [...(address !== undefined ? [addressBucket(address)] : []), ...(keyExists ? [keyBucket(key)] : [])]
    if (buckets.length === 0) return
    await countInWindow(this.knex, buckets, { now: new Date(this.now()), windowMs: this.policy.windowMs, family: ['address:', 'key:'] })
  }
}

/** A limit on requests per client address: how many, in a window that starts at the first. */
export interface AddressLimitPolicy {
  maxPerAddress: number
  windowMs: number
}

/**
 * A per-address limit on an open route whose every request costs the server (outbound requests,
 * say), not only its failures. It counts in `auth_throttle` beside the failed authentications,
 * under buckets of its own (`<name>:address:<ip>`), so the two never share a count; like them it
 * is shared by every server process and reads the application clock.
 */
export class AddressRateLimit {
  constructor(
    private readonly knex: Knex,
    readonly name: string,
    readonly policy: AddressLimitPolicy,
    private readonly now: () => number,
  ) {
    if (!/^[a-z0-9-]+$/u.test(name)) throw new TypeError('AddressRateLimit name must be lowercase letters, digits and hyphens')
  }

  /**
   * Counts one request from `address` (one statement). Undefined while the address is within the
   * limit; past it, the whole seconds until its window ends (for `Retry-After`, at least 1).
   */
  async take(address: string | undefined): Promise<{ retryAfterS: number } | undefined> {
    const now = this.now()
    const [row] = await countInWindow(this.knex, [`${this.name}:${addressBucket(address)}`], { now: new Date(now), windowMs: this.policy.windowMs, family: [`${this.name}:`] })
    if (row === undefined || row.failures <= this.policy.maxPerAddress) return undefined
    return { retryAfterS: Math.max(1, Math.ceil((new Date(row.window_start).getTime() + this.policy.windowMs - now) / 1000)) }
  }
}

/**
 * Counts one event in each bucket, in a fixed window that starts at the bucket's first event
 * (an event after the window ended starts a new one), and deletes the ended windows of the other
 * buckets of the same `family` (bucket prefixes) in the same statement: each counter prunes by
 * its own window only.
 */
async function countInWindow(knex: Knex, buckets: readonly string[], options: { now: Date; windowMs: number; family: readonly string[] }): Promise<Array<{ bucket: string; failures: number; window_start: Date | string }>> {
  const { now, windowMs: window } = options
  const values = buckets.map(() => '(?, 1, ?::timestamptz)').join(', ')
  // The prune leaves the buckets being counted alone: one statement must not delete and upsert the same row.
  const result = (await knex.raw(
    `with pruned as (
       delete from auth_throttle where window_start <= ?::timestamptz - ?::int * interval '1 millisecond'
         and bucket like any(?) and not (bucket = any(?))
     )
     insert into auth_throttle (bucket, failures, window_start) values ${values}
     on conflict (bucket) do update set
       failures = case when auth_throttle.window_start > excluded.window_start - ?::int * interval '1 millisecond' then auth_throttle.failures + 1 else 1 end,
       window_start = case when auth_throttle.window_start > excluded.window_start - ?::int * interval '1 millisecond' then auth_throttle.window_start else excluded.window_start end
     returning bucket, failures, window_start`,
    [now, window, options.family.map((prefix) => `${prefix}%`), [...buckets], ...buckets.flatMap((bucket) => [bucket, now]), window, window],
  )) as { rows: Array<{ bucket: string; failures: number; window_start: Date | string }> }
  return result.rows
}

function keyBucket(key: string): string {
  return `key:${key}`
}

/** Without an address (a caller that has none), no address bucket matches. */
function addressBucket(address: string | undefined): string {
  return address === undefined ? 'address:' : `address:${address}`
}
