import { describe, expect, it } from 'vitest'
import { hintKey, issueHint, openHint } from '../src/demo-lms/message-hint.ts'

const key = hintKey('a-test-server-secret-of-at-least-32-chars')
const T0 = Date.UTC(2026, 10, 30, 2, 0, 0)

describe('the demo LMS\'s lti_message_hint', () => {
  const hint = issueHint({ sub: 'demo-ptk-001', message: 'resource-link', exp: T0 + 60_000 }, key)

  it('opens for the login_hint it was issued with, before it expires', () => {
    expect(openHint(hint, 'demo-ptk-001', key, T0)).toEqual({ sub: 'demo-ptk-001', message: 'resource-link', exp: T0 + 60_000 })
  })

  it('does not open for another login_hint, after expiry, under another server secret, or altered', () => {
    expect(openHint(hint, 'demo-fas-02', key, T0)).toBeUndefined()
    expect(openHint(hint, 'demo-ptk-001', key, T0 + 60_000)).toBeUndefined()
    expect(openHint(hint, 'demo-ptk-001', hintKey('another-server-secret-of-at-least-32-chars'), T0)).toBeUndefined()
    const [body, mac] = hint.split('.')
    const forged = Buffer.from(JSON.stringify({ sub: 'demo-ptk-001', message: 'deep-linking', exp: T0 + 60_000 })).toString('base64url')
    expect(openHint(`${forged}.${mac}`, 'demo-ptk-001', key, T0)).toBeUndefined()
    expect(openHint(`${body}.`, 'demo-ptk-001', key, T0)).toBeUndefined()
    expect(openHint(undefined, 'demo-ptk-001', key, T0)).toBeUndefined()
    expect(openHint('a.b.c', 'demo-ptk-001', key, T0)).toBeUndefined()
  })
})
