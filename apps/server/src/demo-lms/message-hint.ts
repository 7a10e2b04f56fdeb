import { createHmac, timingSafeEqual } from 'node:crypto'
import { purposeKey } from '../secret-key.ts'

/** What a "Launch as" button asks the demo LMS to sign: who, and which message. */
export interface LaunchHint {
  readonly sub: string
  readonly message: 'resource-link' | 'deep-linking'
  /** The course activity (resource link id) a resource-link launch opens. */
  readonly link?: string
  /** Epoch milliseconds after which the button no longer works (reload the page). */
  readonly exp: number
}

/** The key that signs the demo LMS's hints, derived from the server secret for that use only. */
export function hintKey(secretKey: string): Buffer {
  return Buffer.from(purposeKey(secretKey, 'tln-demo-lms-hints'))
}

/**
 * `lti_message_hint` of a demo launch: the hint as base64url JSON and its HMAC-SHA256. The
 * platform answers an authentication request only for a hint it issued (Security Framework 1.0
 * §5.1.1.2: `login_hint` and `lti_message_hint` are the platform's own, opaque to the tool), so
 * the auth endpoint needs no server-side state.
 */
export function issueHint(hint: LaunchHint, key: Buffer): string {
  const body = Buffer.from(JSON.stringify(hint)).toString('base64url')
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`
}

/** The hint if `value` is one `issueHint` made with `key`, for `loginHint`, and not expired; else undefined. */
export function openHint(value: string | undefined, loginHint: string, key: Buffer, now: number): LaunchHint | undefined {
  const [body, mac, ...rest] = (value ?? '').split('.')
  if (body === undefined || mac === undefined || rest.length > 0) return undefined
  const expected = createHmac('sha256', key).update(body).digest()
  const given = Buffer.from(mac, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
  const hint = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as LaunchHint
  return hint.sub === loginHint && hint.exp > now ? hint : undefined
}
