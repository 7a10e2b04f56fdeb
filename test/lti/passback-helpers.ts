import type { LtiTool, PassbackOutcome, PassbackWorker } from '@tln/lti-tool'
import { expect } from 'vitest'

/**
 * Grade passback in tests that need a job to reach its end, robust to a loaded CI machine.
 *
 * A call to the platform simulator can fail transiently under load (a dropped keep-alive
 * connection, the 15 s timeout of an AGS call). The worker then keeps the job as a `retry`, due
 * again only after its backoff (30 s by default): the product keeping the grade, as it should. A
 * test that drains the queue once would read `sent: 0`. These helpers run the worker as the
 * server's would over time, with its retries due at once and at most {@link MAX_ATTEMPTS} attempts
 * a job, so a transient failure costs an attempt, not the test. A failure that is not transient
 * (a 400, a scope not granted) still ends the job `failed` at the first attempt.
 *
 * Tests of the backoff itself (delays, Retry-After, `maxAttempts`) keep their own worker and make
 * the failure deterministic with `sim.fail`.
 */

/** Attempts a job gets before a retryable failure ends it `failed`: room for a few transient ones. */
export const MAX_ATTEMPTS = 5

/** A passback worker whose retries are due at once (no backoff, no jitter), at most {@link MAX_ATTEMPTS} attempts a job. */
export function retryingAtOnce(tool: LtiTool): PassbackWorker {
  return tool.createPassbackWorker({ random: () => 0, backoff: { baseMs: 0, maxAttempts: MAX_ATTEMPTS } })
}

/**
 * Process every due job, retrying transient failures at once.
 * @returns the outcome of every attempt: a transient failure shows as a `retry` before the job's `sent` or `failed`
 */
export function drainPassbacks(tool: LtiTool): Promise<Record<PassbackOutcome, number>> {
  return retryingAtOnce(tool).drain()
}

/** What became of one job after {@link passBack}. */
export interface PassbackResult {
  status: string | undefined
  /** The job's attempts counter: 1 + `retried` for a job that was due alone. */
  attempts: number | undefined
  lastError: unknown
  /** Attempts of this drain that ended `retry` (transient failures, or ones a test injected). */
  retried: number
}

/** Drain the queue with {@link drainPassbacks}, then read job `id`. */
export async function passBack(tool: LtiTool, id: number): Promise<PassbackResult> {
  const counts = await drainPassbacks(tool)
  const job = await tool.passbacks.find(id)
  return { status: job?.status, attempts: job?.attempts, lastError: job?.lastError, retried: counts.retry }
}

/**
 * {@link passBack}, then require the job `sent`. A failure names the job's last error and attempts
 * (a `toMatchObject` diff would leave them out as properties not asked about).
 */
export async function expectSent(tool: LtiTool, id: number): Promise<PassbackResult> {
  const result = await passBack(tool, id)
  expect(result.status, `grade passback ${id}: ${JSON.stringify(result)}`).toBe('sent')
  return result
}
