import * as crypto from 'node:crypto'
import { isDatabaseUnavailable } from '@tln/db'
import type { Credential, CredentialCheck, CredentialStore } from '../credentials/credential-store.ts'
import { LrsError } from '../errors.ts'

/**
 * Too many failed attempts from this client address or against this key: 429 with `Retry-After`
 * (RFC 6585 §4), answered without checking the secret.
 */
export class AuthThrottledError extends LrsError {
  constructor(readonly retryAfterS: number) {
    super('ERR_LRS_TOO_MANY_REQUESTS', `too many failed authentication attempts; try again in ${retryAfterS} s`, 'Authorization')
  }
}

/**
 * HTTP Basic authentication (RFC 7617) of an LRS client (xAPI 1.0.3 Communication 4.1: the LRS
 * MUST support HTTP Basic). Missing or wrong credentials are a 401; after too many failures from
 * `address` or against the key, a 429 (`AuthThrottledError`, see `AuthThrottle`).
 *
 * @param address the client address (`req.ip`: the socket, or the proxy's client when the
 *   operator set `TLN_TRUST_PROXY`)
 */
export async function authenticate(authorization: string | undefined, credentials: CredentialStore, address?: string): Promise<Credential> {
  const match = /^Basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i.exec(authorization ?? '')
  if (match === null) throw new LrsError('ERR_LRS_UNAUTHORIZED', 'this resource needs HTTP Basic credentials (Authorization: Basic …)', 'Authorization')
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) throw new LrsError('ERR_LRS_UNAUTHORIZED', 'the Basic credentials must be key:secret', 'Authorization')
  // "The user-id and password MUST NOT contain any control characters" (RFC 7617 §2). No key holds
  // one; a NUL reached the credential lookup as text and failed there (a 500).
  if (/[\u0000-\u001f\u007f]/u.test(decoded)) throw new LrsError('ERR_LRS_UNAUTHORIZED', 'the Basic credentials must not contain control characters (RFC 7617 §2)', 'Authorization')
  const checked = await sharedCheck(credentials, decoded.slice(0, colon), decoded.slice(colon + 1), address)
  if (checked.outcome === 'throttled') throw new AuthThrottledError(checked.retryAfterS)
  if (checked.outcome === 'invalid') throw new LrsError('ERR_LRS_UNAUTHORIZED', 'the key or secret is wrong, or the credential was revoked', 'Authorization')
  return checked.credential
}

/**
 * The credential check, shared by concurrent requests with the same key, secret and address
 * (issue 7): a client sending many requests at once (the tool's outbox, a bulk upload) would
 * otherwise read the credential row once per request. A request never takes the answer of a
 * check that began before it arrived: it waits for the next check, which starts when the
 * current one returns and answers every request that waited for it. So a revocation committed
 * before a request arrives refuses that request, as with a check of its own. Only a valid
 * answer is shared; a waiting request that gets another answer checks on its own, so every
 * failure is counted by the throttle.
 */
function sharedCheck(credentials: CredentialStore, key: string, secret: string, address: string | undefined): Promise<CredentialCheck> {
  let lanes = lanesByStore.get(credentials)
  if (lanes === undefined) lanesByStore.set(credentials, (lanes = new Map()))
  // A digest, so the secret is not kept as a map key.
  const laneKey = sha256Base64(`${key}\u0000${secret}\u0000${address ?? ''}`)
  const lane = lanes.get(laneKey)
  const run = () => credentials.check(key, secret, address)
  if (lane === undefined) return startCheck(lanes, laneKey, run)
  lane.next ??= deferred()
  return lane.next.promise.then((checked) => (checked.outcome === 'valid' ? checked : run()))
}

/**
 * SHA-256 in base64. Node's one-shot `crypto.hash` (20.12 and later) costs a third of a `Hash`
 * object's create, update and digest, once per request here (issue 7); older Node takes the latter.
 */
const sha256Base64: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'base64') : (text) => crypto.createHash('sha256').update(text).digest('base64')

/** A check in flight and the requests waiting for the next one. */
interface Lane {
  next?: Deferred<CredentialCheck>
}

const lanesByStore = new WeakMap<CredentialStore, Map<string, Lane>>()

function startCheck(lanes: Map<string, Lane>, laneKey: string, run: () => Promise<CredentialCheck>): Promise<CredentialCheck> {
  const lane: Lane = {}
  lanes.set(laneKey, lane)
  const checked = run()
  const handOver = (): void => {
    const waiting = lane.next
    if (waiting === undefined) {
      lanes.delete(laneKey)
      return
    }
    startCheck(lanes, laneKey, run).then(waiting.resolve, waiting.reject)
  }
  // The database did not answer (a pool wait ran out, the connection was lost): the requests that
  // waited for the next check get that answer, 503 with Retry-After, at once. A check of their own
  // would wait the pool's 10 s again, doubling every answer while slow queries hold the connections;
  // sharing a failure grants nobody anything, so the rule above (no earlier answer) is kept.
  const unavailable = (error: unknown): void => {
    if (!isDatabaseUnavailable(error)) { handOver(); return }
    const waiting = lane.next
    lanes.delete(laneKey)
    waiting?.reject(error)
  }
  checked.then(handOver, unavailable)
  return checked
}

interface Deferred<T> {
  promise: Promise<T>
  resolve: (value: T) => void
  reject: (error: unknown) => void
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}
