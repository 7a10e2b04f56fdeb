import type { ForwardTargetWithSecret } from './forward-target-store.ts'

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ status: number; text(): Promise<string> }>

/** What a remote LRS answered to a batch. */
export type RemoteAnswer =
  | { kind: 'accepted' }
  /** The remote refused the content (400, 409, 413, 422): some statement in the batch is at fault. */
  | { kind: 'refused'; status: number; error: string }
  /** Anything else (5xx, 401/403/404/429, network, timeout): the batch may succeed later. */
  | { kind: 'unavailable'; status: number; error: string }

/** Statuses that blame the batch's content rather than the remote or the credential. */
const REFUSED = new Set([400, 409, 413, 422])

/**
 * POSTs statements (their stored JSON text, unchanged) to a remote LRS's Statement Resource
 * (xAPI 1.0.3 Communication 2.1.2). The secret goes only into the Authorization header.
 */
export async function postStatements(target: ForwardTargetWithSecret, jsons: readonly string[], fetch: FetchLike, signal: AbortSignal): Promise<RemoteAnswer> {
  const url = new URL('statements', target.endpoint).toString()
  let status = 0
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${target.key}:${target.secret}`).toString('base64')}`,
        'X-Experience-API-Version': target.xapiVersion,
        'Content-Type': 'application/json',
      },
      body: `[${jsons.join(',')}]`,
      signal,
    })
    status = res.status
    const text = await res.text()
    if (status >= 200 && status < 300) return { kind: 'accepted' }
    const error = `${status}: ${text.slice(0, 2000)}`
    return REFUSED.has(status) ? { kind: 'refused', status, error } : { kind: 'unavailable', status, error }
  } catch (error) {
    if (signal.aborted) throw error
    return { kind: 'unavailable', status, error: `network: ${(error as Error).message}` }
  }
}
