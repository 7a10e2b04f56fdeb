/** How retries of a failed grade passback are spaced. */
export interface BackoffPolicy {
  /** Delay before the first retry; default 30 s. */
  readonly baseMs: number
  /** No delay longer than this; default 1 hour. */
  readonly capMs: number
  /** After this many attempts a retryable failure also ends `failed`; default 12 (about half a day). */
  readonly maxAttempts: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, capMs: 3_600_000, maxAttempts: 12 }

/**
 * Exponential backoff with jitter: attempt n (1-based, the one that just failed) waits
 * `min(cap, base·2^(n-1))`, scaled by a random factor in [0.5, 1) ("equal jitter"), so that many
 * jobs failing together (a platform outage) do not come back in one burst. Pure: `random` is given.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: number): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new TypeError('attempt must be an integer ≥ 1')
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt - 1, 40))
  return Math.round(exponential * (0.5 + Math.min(Math.max(random, 0), 0.999_999) / 2))
}
