import { describe, expect, it } from 'vitest'
import { matches } from './forwarder.ts'
import { SecretBox } from './secret-box.ts'

const statement = (verb: string, object: Record<string, unknown>) => ({ json: JSON.stringify({ actor: { mbox: 'mailto:a@paud.example' }, verb: { id: verb }, object }) })
const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed'

describe('forwarding filter', () => {
  it('forwards everything when no verb or activity prefix is set', () => {
    expect(matches({ verbs: [], activityPrefix: null }, { json: 'not even parsed' })).toBe(true)
  })
  it('forwards only the listed verbs', () => {
    expect(matches({ verbs: [COMPLETED], activityPrefix: null }, statement(COMPLETED, { id: 'https://x.example/a' }))).toBe(true)
    expect(matches({ verbs: [COMPLETED], activityPrefix: null }, statement('http://adlnet.gov/expapi/verbs/passed', { id: 'https://x.example/a' }))).toBe(false)
  })
  it('forwards only Activities under the prefix (a StatementRef object is no Activity)', () => {
    const target = { verbs: [], activityPrefix: 'https://tln.example/xapi/activities/' }
    expect(matches(target, statement(COMPLETED, { id: 'https://tln.example/xapi/activities/task/1' }))).toBe(true)
    expect(matches(target, statement(COMPLETED, { id: 'https://other.example/task/1' }))).toBe(false)
    expect(matches(target, statement(COMPLETED, { objectType: 'StatementRef', id: 'e1b8c1a0-0000-4000-8000-000000000001' }))).toBe(false)
  })
})

describe('secret box', () => {
  it('seals so that only the same key opens, and the sealed text does not contain the secret', () => {
    const box = new SecretBox('k'.repeat(32))
    const sealed = box.seal('remote-secret')
    expect(sealed).not.toContain('remote-secret')
    expect(box.open(sealed)).toBe('remote-secret')
    expect(() => new SecretBox('x'.repeat(32)).open(sealed)).toThrow()
    expect(() => new SecretBox('short')).toThrow(TypeError)
  })
})
