import { describe, expect, it } from 'vitest'
import { formatStatement } from './format.ts'
import type { ActivityDefinition, Statement } from './types.ts'

const ACT = 'https://tln.example/modules/rpph'
function stored(): Statement {
  return {
    id: 'a3b5f8d2-4c1e-4f6a-9b7d-2e8c1f0a5b3c',
    actor: { objectType: 'Agent', name: 'Siti', mbox: 'mailto:siti@tln.example' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-US': 'answered', id: 'menjawab' } },
    object: {
      objectType: 'Activity', id: ACT,
      definition: {
        name: { 'en-US': 'Lesson plan', id: 'RPPH' }, description: { 'en-US': 'Daily plan', id: 'Rencana harian' },
        interactionType: 'choice', choices: [{ id: 'a', description: { 'en-US': 'Yes', id: 'Ya' } }],
        extensions: { 'https://tln.example/ext/x': { 'en-US': 'kept' } },
      },
    },
    result: { success: true },
    context: {
      instructor: { objectType: 'Group', name: 'Fasilitator', mbox: 'mailto:fas@tln.example', member: [{ name: 'F', mbox: 'mailto:f@tln.example' }] },
      team: { objectType: 'Group', name: 'Gugus', member: [{ name: 'A', account: { homePage: 'https://lms.example', name: 'a1' } }, { name: 'B', openid: 'https://id.example/b' }] },
      contextActivities: { parent: [{ id: 'https://tln.example/courses/paud', definition: { name: { en: 'PAUD', id: 'PAUD id' } } }] },
      contextAgents: [{ objectType: 'contextAgent', agent: { name: 'Mentor', mbox: 'mailto:m@tln.example' }, relevantTypes: ['https://tln.example/role/mentor'] }],
      contextGroups: [{ objectType: 'contextGroup', group: { objectType: 'Group', name: 'Sekolah', openid: 'https://id.example/s', member: [{ mbox: 'mailto:x@tln.example' }] } }],
    },
    timestamp: '2024-03-01T00:00:00.000Z',
    stored: '2024-03-01T00:00:01.000Z',
    authority: { objectType: 'Group', member: [{ name: 'App', account: { homePage: 'https://lrs.example', name: 'app' } }, { name: 'U', mbox: 'mailto:u@tln.example' }] },
    version: '1.0.0',
    attachments: [{ usageType: 'https://tln.example/usage/pdf', display: { 'en-US': 'File', id: 'Berkas' }, description: { 'en-US': 'A file', id: 'Sebuah berkas' }, contentType: 'application/pdf', length: 1, sha2: 'ab' }],
  }
}
const none = { languages: [] as string[] }

describe('formatStatement exact (xAPI 1.0.3 Communication 2.1.3 format)', () => {
  it('returns the statement exactly as stored', () => {
    const s = stored()
    expect(formatStatement(s, 'exact', { languages: ['id'] })).toBe(s)
  })
})

describe('formatStatement ids (xAPI 1.0.3 Communication 2.1.3 format)', () => {
  const out = formatStatement(stored(), 'ids', none)

  it('reduces an Agent to its IFI, keeping objectType', () => {
    expect(out.actor).toEqual({ objectType: 'Agent', mbox: 'mailto:siti@tln.example' })
    expect(out.context?.contextAgents?.[0]?.agent).toEqual({ mbox: 'mailto:m@tln.example' })
  })

  it('reduces a Verb and an Activity to their id, dropping an Activity\'s objectType, which an omitted one means (Data 2.4.4.1)', () => {
    expect(out.verb).toEqual({ id: 'http://adlnet.gov/expapi/verbs/answered' })
    expect(out.object).toEqual({ id: ACT })
    expect(out.context?.contextActivities?.parent).toEqual([{ id: 'https://tln.example/courses/paud' }])
  })

  it('reduces an Identified Group to objectType and its IFI, without members', () => {
    expect(out.context?.instructor).toEqual({ objectType: 'Group', mbox: 'mailto:fas@tln.example' })
    expect(out.context?.contextGroups?.[0]).toEqual({ objectType: 'contextGroup', group: { objectType: 'Group', openid: 'https://id.example/s' } })
  })

  it('keeps each member of an Anonymous Group reduced to its IFI ("the minimum information needed to identify each member")', () => {
    expect(out.context?.team).toEqual({ objectType: 'Group', member: [{ account: { homePage: 'https://lms.example', name: 'a1' } }, { openid: 'https://id.example/b' }] })
    expect(out.authority).toEqual({ objectType: 'Group', member: [{ account: { homePage: 'https://lrs.example', name: 'app' } }, { mbox: 'mailto:u@tln.example' }] })
  })

  it('keeps what is not an Agent, Group, Activity or Verb object', () => {
    const s = stored()
    expect([out.id, out.result, out.timestamp, out.stored, out.version, out.attachments]).toEqual([s.id, s.result, s.timestamp, s.stored, s.version, s.attachments])
    expect(out.context?.contextAgents?.[0]?.relevantTypes).toEqual(['https://tln.example/role/mentor'])
  })

  it('applies inside a SubStatement and leaves a StatementRef alone', () => {
    const s: Statement = { ...stored(), object: { objectType: 'SubStatement', actor: { name: 'X', mbox: 'mailto:x@tln.example' }, verb: { id: 'https://v', display: { en: 'v' } }, object: { objectType: 'StatementRef', id: 'a3b5f8d2-4c1e-4f6a-9b7d-2e8c1f0a5b3c' }, context: { team: { objectType: 'Group', name: 'T', openid: 'https://id.example/t' } } } }
    expect(formatStatement(s, 'ids', none).object).toEqual({ objectType: 'SubStatement', actor: { mbox: 'mailto:x@tln.example' }, verb: { id: 'https://v' }, object: { objectType: 'StatementRef', id: 'a3b5f8d2-4c1e-4f6a-9b7d-2e8c1f0a5b3c' }, context: { team: { objectType: 'Group', openid: 'https://id.example/t' } } })
  })

  it('does not modify its input', () => {
    const s = stored()
    formatStatement(s, 'ids', none)
    formatStatement(s, 'canonical', { languages: ['id'] })
    expect(s).toEqual(stored())
  })
})

describe('formatStatement canonical (xAPI 1.0.3 Communication 2.1.3 format, 2.1.3.s4)', () => {
  it('returns one language in each Activity language map, chosen by Accept-Language (2.1.3.s4.b1, b5)', () => {
    const out = formatStatement(stored(), 'canonical', { languages: ['id-ID', 'en'] })
    const object = out.object as { definition: ActivityDefinition }
    expect(object.definition.name).toEqual({ id: 'RPPH' })
    expect(object.definition.description).toEqual({ id: 'Rencana harian' })
    expect(object.definition.choices).toEqual([{ id: 'a', description: { id: 'Ya' } }])
    expect(object.definition.extensions).toEqual({ 'https://tln.example/ext/x': { 'en-US': 'kept' } })
    expect(out.context?.contextActivities?.parent?.[0]?.definition?.name).toEqual({ id: 'PAUD id' })
  })

  it('returns one language in the Verb display and attachment maps (2.1.3.s4.b2, b4)', () => {
    const out = formatStatement(stored(), 'canonical', { languages: ['en-US'] })
    expect(out.verb.display).toEqual({ 'en-US': 'answered' })
    expect(out.attachments?.[0]?.display).toEqual({ 'en-US': 'File' })
    expect(out.attachments?.[0]?.description).toEqual({ 'en-US': 'A file' })
  })

  it('populates Activities with the LRS canonical definition when it has one (2.1.3.s4.b3)', () => {
    const canonical: ActivityDefinition = { name: { en: 'Canonical plan', id: 'RPPH kanonik' }, type: 'http://adlnet.gov/expapi/activities/module' }
    const out = formatStatement(stored(), 'canonical', { languages: ['id'], canonicalDefinition: (id) => (id === ACT ? canonical : undefined) })
    expect(out.object).toEqual({ objectType: 'Activity', id: ACT, definition: { name: { id: 'RPPH kanonik' }, type: 'http://adlnet.gov/expapi/activities/module' } })
    expect(out.context?.contextActivities?.parent?.[0]?.definition?.name).toEqual({ id: 'PAUD id' })
  })

  it('returns the original Agent and Group objects as in exact', () => {
    const s = stored()
    const out = formatStatement(s, 'canonical', { languages: ['id'] })
    expect([out.actor, out.authority, out.context?.team, out.context?.instructor, out.context?.contextAgents, out.context?.contextGroups])
      .toEqual([s.actor, s.authority, s.context?.team, s.context?.instructor, s.context?.contextAgents, s.context?.contextGroups])
  })
})
