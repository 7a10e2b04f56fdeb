import { describe, expect, it } from 'vitest'
import { ifiKey, ifiKeysOfActor, normalizeMbox } from './ifi.ts'

describe('ifiKey', () => {
  it('keys an Agent by its mbox (xAPI 1.0.3 Data 2.4.2.3)', () => {
    expect(ifiKey({ mbox: 'mailto:ana@example.org', name: 'Ana' })).toBe('mbox:mailto:ana@example.org')
  })

  it('ignores the case of the mailto scheme and the e-mail domain, not of the local part (xAPI 1.0.3 Data 2.3.1.b7)', () => {
    expect(ifiKey({ mbox: 'MAILTO:Ana@EXAMPLE.org' })).toBe(ifiKey({ mbox: 'mailto:Ana@example.org' }))
    expect(ifiKey({ mbox: 'mailto:Ana@example.org' })).not.toBe(ifiKey({ mbox: 'mailto:ana@example.org' }))
    expect(normalizeMbox('mailto:a@b@Example.ORG')).toBe('mailto:a@b@example.org')
  })

  it('lowercases mbox_sha1sum hex (hex digits are case-insensitive)', () => {
    expect(ifiKey({ mbox_sha1sum: 'EBD31E95054C018B10727CCFFD2EF2EC3A016EE9' })).toBe('mbox_sha1sum:ebd31e95054c018b10727ccffd2ef2ec3a016ee9')
  })

  it('keys openid as sent', () => {
    expect(ifiKey({ openid: 'https://id.example.org/Ana' })).toBe('openid:https://id.example.org/Ana')
  })

  it('keys an account by homePage and name so no pair can forge another (xAPI 1.0.3 Data 2.4.2.4)', () => {
    const a = ifiKey({ account: { homePage: 'https://a.example', name: 'b c' } })
    const b = ifiKey({ account: { homePage: 'https://a.example b', name: 'c' } })
    expect(a).toBe('account:["https://a.example","b c"]')
    expect(a).not.toBe(b)
  })

  it('treats different IFI kinds as different identifiers (xAPI 1.0.3 Communication 2.1.3 agent)', () => {
    expect(ifiKey({ mbox: 'mailto:x@y.z' })).not.toBe(ifiKey({ openid: 'mailto:x@y.z' }))
  })

  it('keys an Identified Group by its IFI and gives none for an Anonymous Group (xAPI 1.0.3 Data 2.4.2.2)', () => {
    expect(ifiKey({ objectType: 'Group', openid: 'https://g.example' })).toBe('openid:https://g.example')
    expect(ifiKey({ objectType: 'Group', member: [{ mbox: 'mailto:a@b.c' }] })).toBeUndefined()
  })
})

describe('ifiKeysOfActor', () => {
  it('returns an Agent\'s own key', () => {
    expect(ifiKeysOfActor({ mbox: 'mailto:a@b.c' })).toEqual(['mbox:mailto:a@b.c'])
  })

  it('includes the keys of a Group\'s members, which match the agent filter (xAPI 1.0.3 Communication 2.1.3 agent)', () => {
    expect(ifiKeysOfActor({
      objectType: 'Group', openid: 'https://g.example',
      member: [{ mbox: 'mailto:a@b.c' }, { mbox: 'mailto:a@B.C' }, { account: { homePage: 'https://h', name: 'n' } }],
    })).toEqual(['openid:https://g.example', 'mbox:mailto:a@b.c', 'account:["https://h","n"]'])
  })

  it('returns only member keys for an Anonymous Group', () => {
    expect(ifiKeysOfActor({ objectType: 'Group', member: [{ mbox: 'mailto:a@b.c' }] })).toEqual(['mbox:mailto:a@b.c'])
    expect(ifiKeysOfActor({ objectType: 'Group' })).toEqual([])
  })
})
