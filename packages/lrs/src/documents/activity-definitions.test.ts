import type { Statement } from '@tln/xapi'
import { describe, expect, it } from 'vitest'
import { definitionsInStatements, mergeDefinitions } from './activity-definitions.ts'

const verb = { id: 'http://adlnet.gov/expapi/verbs/completed' }
const actor = { mbox: 'mailto:guru@paud.example' }

describe('canonical Activity definitions', () => {
  it('merges name and description language by language and replaces the other properties', () => {
    const merged = mergeDefinitions(
      { name: { 'en-US': 'Lesson plan' }, description: { 'en-US': 'Daily' }, type: 'http://a.example/t1', moreInfo: 'http://a.example/info' },
      { name: { id: 'RPPH' }, type: 'http://a.example/t2' },
    )
    expect(merged).toEqual({ name: { 'en-US': 'Lesson plan', id: 'RPPH' }, description: { 'en-US': 'Daily' }, type: 'http://a.example/t2', moreInfo: 'http://a.example/info' })
  })

  it('collects definitions from objects, SubStatement objects and context Activities, later statements winning', () => {
    const statements = [
      { actor, verb, object: { id: 'http://a.example/1', definition: { name: { en: 'One' } } }, context: { contextActivities: { parent: [{ id: 'http://a.example/p', definition: { type: 'http://t.example/course' } }] } } },
      { actor, verb, object: { objectType: 'SubStatement', actor, verb, object: { id: 'http://a.example/2', definition: { name: { en: 'Two' } } } } },
      { actor, verb, object: { id: 'http://a.example/1', definition: { name: { en: 'One, renamed' } } } },
      { actor, verb, object: { id: 'http://a.example/no-definition' } },
    ] as unknown as Statement[]
    const found = definitionsInStatements(statements)
    expect([...found.keys()].sort()).toEqual(['http://a.example/1', 'http://a.example/2', 'http://a.example/p'])
    expect(found.get('http://a.example/1')).toEqual({ name: { en: 'One, renamed' } })
  })
})
