import type { Passback } from '../ags/passback-store.ts'

/**
 * How a passback looks to a facilitator:
 * - `queued`: waiting for its first attempt;
 * - `retrying`: an attempt failed for a reason that may pass (network, 408, 429, 5xx); the worker
 *   tries again at `nextAttemptAt` (backoff);
 * - `failed`: the platform refused the score (any other answer, e.g. Moodle's 400 for a user who
 *   cannot be graded), or did not grant the scope it needs (`ERR_PASSBACK_SCOPE_NOT_GRANTED`), or
 *   the tool refused the platform's private address (`ERR_LTI_PLATFORM_PRIVATE_ADDRESS`);
 *   retrying will not help until the cause is fixed in the LMS (or the operator allows the address);
 * - `dead`: the worker gave up on a retryable failure after its last attempt;
 * - `sent`: the gradebook has the score.
 */
export type PassbackState = 'queued' | 'retrying' | 'failed' | 'dead' | 'sent'

/** States shown by default: the ones that need someone's eyes. */
export const PROBLEM_STATES: readonly PassbackState[] = ['failed', 'retrying', 'dead']

/**
 * The state of a job (AGS 2.0 §3.4 leaves failures to the tool; the worker's rule is in
 * `ags/passback-worker.ts`: retryable = no HTTP answer, 408, 429 or 5xx). Pure.
 */
export function passbackState(job: Pick<Passback, 'status' | 'attempts' | 'lastError'>): PassbackState {
  if (job.status === 'sent') return 'sent'
  if (job.status === 'pending') return job.lastError === undefined ? 'queued' : 'retrying'
  // The tool's own refusals carry a code and no status: they are no network failure.
  if (job.lastError?.code !== undefined) return 'failed'
  return isRetryableStatus(job.lastError?.status) ? 'dead' : 'failed'
}

/** No answer at all (network), 408, 429 or 5xx: a failure that a later attempt may not see. */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 429 || status >= 500
}
