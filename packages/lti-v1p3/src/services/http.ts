import { LtiError, LtiServiceError } from '../errors.ts'
import type { FetchLike } from '../fetch-like.ts'

const BODY_LIMIT = 4096

/**
 * The largest answer read from one service call (token endpoint, a line item, a score's answer),
 * 1 MiB: they are a few KiB. A platform's answer is read only up to a limit whatever `fetch` is
 * (the guarded fetch of a dynamically registered platform has its own; an operator's platform
 * goes through the plain `fetch`), so a huge or endless body cannot fill the tool's memory.
 */
export const MAX_SERVICE_RESPONSE_BYTES = 1024 * 1024

/** The longest `Retry-After` honoured, in seconds (a day): a platform cannot park a job for years. */
export const MAX_RETRY_AFTER_S = 86_400

/**
 * One HTTP call to a platform. Network failures become `ERR_LTI_SERVICE_NETWORK`, non-2xx answers
 * `ERR_LTI_SERVICE_HTTP` with the status, (truncated) body and `Retry-After` (RFC 9110 §10.2.3),
 * so callers decide to retry, when, or stop.
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
    const body = await readBoundedText(response, url, BODY_LIMIT, { truncate: true }).catch(() => '')
    const retryAfterS = retryAfterSeconds(response.headers.get('retry-after'), Date.now())
    throw new LtiServiceError('ERR_LTI_SERVICE_HTTP', `platform answered ${response.status} to ${init.method ?? 'GET'} ${url}`, url, response.status, body, retryAfterS === undefined ? {} : { retryAfterS })
  }
  return response
}

/**
 * `Retry-After` (RFC 9110 §10.2.3) as seconds from `now`: delay-seconds or an HTTP-date; at most
 * `MAX_RETRY_AFTER_S`; undefined when absent or not one of the two forms.
 */
export function retryAfterSeconds(header: string | null, now: number): number | undefined {
  if (header === null) return undefined
  const value = header.trim()
  const seconds = /^\d{1,12}$/u.test(value) ? Number(value) : /[a-z]/iu.test(value) && !Number.isNaN(Date.parse(value)) ? Math.ceil((Date.parse(value) - now) / 1000) : undefined
  return seconds === undefined ? undefined : Math.min(Math.max(seconds, 0), MAX_RETRY_AFTER_S)
}

/**
 * The body as text, read up to `maxBytes`: past that the read is cancelled and the answer refused
 * (`ERR_LTI_SERVICE_INVALID_RESPONSE`), or with `truncate` cut there (an error body for the log).
 */
export async function readBoundedText(response: Response, url: string, maxBytes: number, options: { truncate?: boolean } = {}): Promise<string> {
  if (response.body === null) return ''
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let size = 0
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>
    try {
      chunk = await reader.read()
    } catch (cause) {
      // The connection broke or the timeout fired in the middle of the body: a network failure, retryable like one.
      throw new LtiServiceError('ERR_LTI_SERVICE_NETWORK', `reading the platform answer from ${url} failed`, url, undefined, undefined, { cause })
    }
    const { done, value } = chunk
    if (done) return text + decoder.decode()
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined)
      if (options.truncate === true) return (text + decoder.decode(value.subarray(0, value.byteLength - (size - maxBytes)))).slice(0, maxBytes)
      throw new LtiServiceError('ERR_LTI_SERVICE_INVALID_RESPONSE', `platform answer from ${url} is larger than ${maxBytes} bytes`, url, response.status)
    }
    text += decoder.decode(value, { stream: true })
  }
}

/** Parse a JSON answer of at most `maxBytes`, or fail with `ERR_LTI_SERVICE_INVALID_RESPONSE`. */
export async function readJson(response: Response, url: string, maxBytes: number = MAX_SERVICE_RESPONSE_BYTES): Promise<unknown> {
  return parseJson(await readBoundedText(response, url, maxBytes), url, response.status)
}

/** JSON text of a platform's answer, or `ERR_LTI_SERVICE_INVALID_RESPONSE`. */
export function parseJson(text: string, url: string, status: number): unknown {
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new LtiServiceError('ERR_LTI_SERVICE_INVALID_RESPONSE', `platform answer from ${url} is not JSON`, url, status, text.slice(0, BODY_LIMIT), { cause })
  }
}
