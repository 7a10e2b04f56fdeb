/** The spec's own example statements (xAPI 1.0.3 Data Appendices A-C, 2.3.2, 2.4.4.3, 2.4.9) must pass. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { XapiVersion } from '../src/types.ts'
import { validateStatement } from '../src/validate-statement.ts'
import { statement, type Json } from './statement-builders.ts'

const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Json
const versions: XapiVersion[] = ['1.0.3', '2.0.0']

describe.each(versions)('spec examples under %s', (version) => {
  it('accepts the long example statement (xAPI 1.0.3 Data Appendix A)', () => {
    const input = fixture('long-example-statement.json')
    const result = validateStatement(input, { version })
    expect(result.context).toEqual(input.context)
  })
  it.each(Object.entries(fixture('example-statements.json')))('accepts the %s example (xAPI 1.0.3 Data 2.3.2, 2.4, 2.4.4.3, 2.4.9, Appendices A and D)', (_, input) => {
    expect(() => validateStatement(input, { version })).not.toThrow()
  })
  it.each(Object.entries(fixture('substatement-examples.json')))('accepts the %s SubStatement example (xAPI 1.0.3 Data 2.4.4.3, Appendix B)', (_, input) => {
    expect(() => validateStatement(input, { version })).not.toThrow()
  })
  it.each(Object.entries(fixture('statement-objects.json')))('accepts the %s object example (xAPI 1.0.3 Data Appendix B)', (_, object) => {
    expect(() => validateStatement(statement({ object }), { version })).not.toThrow()
  })
  it.each(Object.entries(fixture('interaction-definitions.json')))('accepts the %s interaction definition (xAPI 1.0.3 Data Appendix C)', (_, definition) => {
    expect(() => validateStatement(statement({ object: { id: 'http://example.com/q1', definition } }), { version })).not.toThrow()
  })
})

describe('xAPI 2.0.0 example with contextAgents and contextGroups', () => {
  it('passes under 2.0.0 with its timestamp normalised to UTC (xAPI 2.0.0 Data 2.4.6, 4.5)', () => {
    const result = validateStatement(fixture('context-agents-2.0.json'), { version: '2.0.0' })
    expect(result.timestamp).toBe('2008-09-15T08:53:00.601Z')
    expect(result.context?.contextAgents).toHaveLength(2)
  })
  it('fails under 1.0.3, which has no contextAgents (xAPI 1.0.3 Data 2.4.6, 2.2.s4.b1.b7)', () => {
    expect(() => validateStatement(fixture('context-agents-2.0.json'), { version: '1.0.3' })).toThrow()
  })
})
