import { LtiError, LtiServiceError } from '../errors.ts'
import type { FetchLike } from '../fetch-like.ts'

const BODY_LIMIT = 4096

/**
 * One HTTP call to a platform. Network failures become `ERR_LTI_SERVICE_NETWORK`, non-2xx answers
 * `ERR_LTI_SERVICE_HTTP` with the status and (truncated) body, so callers decide to retry or stop.
 */
export async function send(doFetch: FetchLike | undefined, url: string, init: RequestInit): Promise<Response> {
  let response: Response
  try {
    response = await (doFetch ?? ((u, i) => globalThis.fetch(u, i)))(url, { ...init, signal: init.signal ?? AbortSignal.timeout(15_000) })
  } catch (cause) {
    // A refusal of the transport itself (a guarded fetch that would not connect to a private address) is no network failure.
    if (cause instanceof LtiError) throw cause
    throw new LtiServiceError('ERR_LTI_SERVICE_NETWORK', `request to the platform failed: ${init.method ?? 'GET'} ${url}`, url, undefined, undefined, { cause })
  }
  if (!response.ok) {
    const body = (await response.text().catch(() => '')).slice(0, BODY_LIMIT)
    throw new LtiServiceError('ERR_LTI_SERVICE_HTTP', `platform answered ${response.status} to ${init.method ?? 'GET'} ${url}`, url, response.status, body)
  }
  return response
}

/** Parse a JSON answer, or fail with `ERR_LTI_SERVICE_INVALID_RESPONSE`. */
export async function readJson(response: Response, url: string): Promise<unknown> {
  const text = await response.text()
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new LtiServiceError('ERR_LTI_SERVICE_INVALID_RESPONSE', `platform answer from ${url} is not JSON`, url, response.status, text.slice(0, BODY_LIMIT), { cause })
  }
}
