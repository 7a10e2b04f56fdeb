import { ifiKey } from '@tln/xapi'
import { describe, expect, it } from 'vitest'
import { namesOf, personOf } from './person.ts'

describe('Person objects (xAPI 1.0.3 Communication 2.4)', () => {
  it('holds only what the agent says when the LRS knows nothing more (2.4.s3.b3)', () => {
    expect(personOf({ mbox: 'mailto:lale@paud.example' }, [])).toEqual({ objectType: 'Person', mbox: ['mailto:lale@paud.example'] })
    expect(personOf({ name: 'Lale', account: { homePage: 'https://lms.example', name: 'lale' } }, ['Lale', 'Bu Lale'])).toEqual({
      objectType: 'Person',
      name: ['Lale', 'Bu Lale'],
      account: [{ homePage: 'https://lms.example', name: 'lale' }],
    })
  })

  it('takes names only from Agents with the same identifier, not from Groups', () => {
    const key = ifiKey({ mbox: 'mailto:lale@PAUD.example' })!
    const names = namesOf(key, [{ mbox: 'mailto:lale@paud.example', name: 'Lale' }, { objectType: 'Group', mbox: 'mailto:lale@paud.example', name: 'Group' }, { mbox: 'mailto:x@paud.example', name: 'X' }, undefined], ifiKey)
    expect(names).toEqual(['Lale'])
  })
})
