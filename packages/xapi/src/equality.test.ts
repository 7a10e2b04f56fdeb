import { describe, expect, it } from 'vitest'
import { statementsEqual } from './equality.ts'
import type { Statement } from './types.ts'

const ID = 'a3b5f8d2-4c1e-4f6a-9b7d-2e8c1f0a5b3c'

/** A statement as a client sends it, and a deep copy to vary. */
function sent(): Statement {
  return {
    id: ID,
    actor: { objectType: 'Agent', name: 'Siti', mbox: 'mailto:siti@sekolah.sch.id' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
    object: {
      objectType: 'Activity',
      id: 'https://tln.example/modules/rpph',
      definition: { name: { 'en-US': 'Lesson plan' }, type: 'http://adlnet.gov/expapi/activities/module' },
    },
    result: { completion: true, duration: 'PT1H30M', score: { scaled: 0.8 } },
    context: {
      registration: 'e168d6a3-46b2-4233-82e7-66b73a179727',
      contextActivities: { parent: [{ id: 'https://tln.example/courses/paud', definition: { name: { en: 'PAUD' } } }] },
      extensions: { 'https://tln.example/ext/kecamatan': { code: 'K01', tags: ['a', 'b'] } },
    },
    timestamp: '2024-03-01T07:00:00+07:00',
  }
}
const copy = (s: Statement): Statement => structuredClone(s)

describe('statementsEqual (xAPI 1.0.3 Data 2.3.1 Statement Comparison Requirements)', () => {
  it('matches a statement with itself', () => {
    expect(statementsEqual(sent(), sent())).toBe(true)
  })

  it('ignores id, authority, stored and version, which the LRS assigns (Data 2.3.1.b1)', () => {
    const stored: Statement = {
      ...sent(), id: ID.toUpperCase(), stored: '2024-03-01T00:00:05Z', version: '1.0.0',
      authority: { objectType: 'Agent', account: { homePage: 'https://lrs.example', name: 'client-1' } },
    }
    expect(statementsEqual(sent(), stored)).toBe(true)
  })

  it('ignores a timestamp the LRS assigned to a statement sent without one (Data 2.3.1.b1, 2.4.7)', () => {
    const withoutTimestamp = sent()
    delete withoutTimestamp.timestamp
    expect(statementsEqual(withoutTimestamp, { ...sent(), timestamp: '2024-03-01T00:00:05Z' })).toBe(true)
  })

  it('ignores Activity Definitions, in the object and in context activities (Data 2.3.1.b2)', () => {
    const b = copy(sent())
    b.object = { objectType: 'Activity', id: 'https://tln.example/modules/rpph', definition: { name: { id: 'RPPH' } } }
    delete b.context?.contextActivities?.parent?.[0]?.definition
    expect(statementsEqual(sent(), b)).toBe(true)
  })

  it('ignores the Verb display (Data 2.3.1.b3)', () => {
    const b = copy(sent())
    b.verb = { id: b.verb.id, display: { id: 'menyelesaikan' } }
    const c = copy(sent())
    delete c.verb.display
    expect(statementsEqual(sent(), b)).toBe(true)
    expect(statementsEqual(sent(), c)).toBe(true)
  })

  it('compares timestamps as instants, not as strings (Data 2.3.1.b4)', () => {
    expect(statementsEqual(sent(), { ...sent(), timestamp: '2024-03-01T00:00:00.000Z' })).toBe(true)
    expect(statementsEqual(sent(), { ...sent(), timestamp: '2024-03-01T00:00:00.001Z' })).toBe(false)
  })

  it('ignores the order of Group members (Data 2.3.1.b5)', () => {
    const members = [{ mbox: 'mailto:a@tln.example' }, { mbox: 'mailto:b@tln.example', name: 'B' }]
    const a = { ...sent(), actor: { objectType: 'Group' as const, name: 'Gugus 1', member: members } }
    const b = { ...sent(), actor: { objectType: 'Group' as const, name: 'Gugus 1', member: [...members].reverse() } }
    expect(statementsEqual(a, b)).toBe(true)
    expect(statementsEqual(a, { ...b, actor: { ...b.actor, member: [members[0]!] } })).toBe(false)
  })

  it('compares attachment metadata, whose raw data is not part of the statement (Data 2.3.1.b6, 2.4.11)', () => {
    const attachment = { usageType: 'https://tln.example/usage/rpph', display: { 'en-US': 'RPPH' }, contentType: 'application/pdf', length: 10, sha2: 'AB'.repeat(32) }
    const a = { ...sent(), attachments: [attachment] }
    expect(statementsEqual(a, { ...sent(), attachments: [{ ...attachment, sha2: 'ab'.repeat(32), display: { 'EN-us': 'RPPH' } }] })).toBe(true)
    expect(statementsEqual(a, { ...sent(), attachments: [{ ...attachment, length: 11 }] })).toBe(false)
  })

  it('ignores case where the value is case-insensitive: e-mail domain, UUIDs, hex, language tags (Data 2.3.1.b7)', () => {
    const a = copy(sent())
    a.object = { objectType: 'StatementRef', id: 'e168d6a3-46b2-4233-82e7-66b73a179727' }
    a.context = { ...a.context, language: 'id-ID' }
    const b = copy(a)
    b.actor = { objectType: 'Agent', name: 'Siti', mbox: 'MAILTO:siti@SEKOLAH.sch.id' }
    b.object = { objectType: 'StatementRef', id: 'E168D6A3-46B2-4233-82E7-66B73A179727' }
    b.context = { ...b.context, registration: 'E168D6A3-46B2-4233-82E7-66B73A179727', language: 'ID-id' }
    expect(statementsEqual(a, b)).toBe(true)
    expect(statementsEqual({ ...sent(), actor: { mbox_sha1sum: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' } }, { ...sent(), actor: { mbox_sha1sum: 'abcdef0123456789abcdef0123456789abcdef01' } })).toBe(true)
  })

  it('does not ignore the case of the e-mail local part (Data 2.2.s4.b5: values are case-sensitive unless specified otherwise)', () => {
    expect(statementsEqual(sent(), { ...sent(), actor: { objectType: 'Agent', name: 'Siti', mbox: 'mailto:Siti@sekolah.sch.id' } })).toBe(false)
  })

  it('compares Result Duration as a string (Data 2.3.1.b8)', () => {
    expect(statementsEqual(sent(), { ...sent(), result: { completion: true, duration: 'PT90M', score: { scaled: 0.8 } } })).toBe(false)
  })

  it('ignores a duration\'s precision beyond 0.01 s under xAPI 2.0.0, cutting rather than rounding, also in a SubStatement (IEEE 9274.1.1 Data 4.2.7)', () => {
    const withDuration = (duration: string): Statement => ({ ...sent(), result: { completion: true, duration, score: { scaled: 0.8 } } })
    expect(statementsEqual(withDuration('P1DT12H36M0.12S'), withDuration('P1DT12H36M0.1237S'), '2.0.0')).toBe(true)
    expect(statementsEqual(withDuration('PT1S'), withDuration('PT1.009S'), '2.0.0')).toBe(true)
    expect(statementsEqual(withDuration('PT0.12S'), withDuration('PT0.13S'), '2.0.0')).toBe(false)
    expect(statementsEqual(withDuration('PT0.12S'), withDuration('PT0.129S'), '2.0.0')).toBe(true)
    expect(statementsEqual(withDuration('PT1H30M'), withDuration('PT90M'), '2.0.0')).toBe(false)
    const sub = (duration: string): Statement => ({ ...sent(), object: { objectType: 'SubStatement', actor: sent().actor, verb: sent().verb, object: { id: 'https://tln.example/x' }, result: { duration } } })
    expect(statementsEqual(sub('PT5.001S'), sub('PT5S'), '2.0.0')).toBe(true)
    // 1.0.3 keeps Data 2.3.1.b8: the duration is a string.
    expect(statementsEqual(withDuration('P1DT12H36M0.12S'), withDuration('P1DT12H36M0.1237S'))).toBe(false)
  })

  it('does not ignore any other difference (Data 2.3.1.s9.b2)', () => {
    const changes: ((s: Statement) => void)[] = [
      (s) => { s.verb.id = 'http://adlnet.gov/expapi/verbs/attempted' },
      (s) => { s.actor = { ...s.actor, name: 'Siti R.' } },
      (s) => { s.object = { objectType: 'Activity', id: 'https://tln.example/modules/RPPH' } },
      (s) => { s.result = { ...s.result, success: true } },
      (s) => { delete s.result },
      (s) => { s.context = { ...s.context, registration: 'f168d6a3-46b2-4233-82e7-66b73a179727' } },
      (s) => { s.context!.contextActivities!.parent!.push({ id: 'https://tln.example/x' }) },
      (s) => { s.context!.extensions = { 'https://tln.example/ext/kecamatan': { code: 'K01', tags: ['b', 'a'] } } },
      (s) => { s.context = { ...s.context, platform: 'Moodle' } },
    ]
    for (const change of changes) {
      const b = copy(sent())
      change(b)
      expect(statementsEqual(sent(), b)).toBe(false)
    }
  })

  it('ignores the order of object keys, in language maps and extensions too', () => {
    const b = copy(sent())
    b.context = { extensions: { 'https://tln.example/ext/kecamatan': { tags: ['a', 'b'], code: 'K01' } }, contextActivities: b.context!.contextActivities!, registration: b.context!.registration! }
    expect(statementsEqual(sent(), b)).toBe(true)
  })

  it('reads an omitted objectType as its default, Agent for actors and Activity for objects (Data 2.4.2.1, 2.4.4.1)', () => {
    const b = copy(sent())
    b.actor = { name: 'Siti', mbox: 'mailto:siti@sekolah.sch.id' }
    b.object = { id: 'https://tln.example/modules/rpph' }
    expect(statementsEqual(sent(), b)).toBe(true)
  })

  it('applies the same rules inside a SubStatement, where the timestamp is not LRS-assigned (Data 2.4.4.3)', () => {
    const sub = (timestamp: string | undefined, display: string): Statement => ({
      ...sent(),
      object: {
        objectType: 'SubStatement',
        actor: { mbox: 'mailto:guru@tln.example' },
        verb: { id: 'https://tln.example/verbs/planned', display: { en: display } },
        object: { id: 'https://tln.example/modules/rpph', definition: { name: { en: display } } },
        ...(timestamp === undefined ? {} : { timestamp }),
      },
    })
    expect(statementsEqual(sub('2024-03-01T07:00:00+07:00', 'x'), sub('2024-03-01T00:00:00Z', 'y'))).toBe(true)
    expect(statementsEqual(sub('2024-03-01T07:00:00+07:00', 'x'), sub(undefined, 'x'))).toBe(false)
  })

  it('compares xAPI 2.0 contextAgents and contextGroups, ignoring member order only (xAPI 2.0.0 Data 2.4.6)', () => {
    const ctx = (members: { mbox: string }[], relevantTypes: string[]): Statement => ({
      ...sent(),
      context: {
        contextAgents: [{ objectType: 'contextAgent', agent: { mbox: 'mailto:mentor@tln.example' }, relevantTypes }],
        contextGroups: [{ objectType: 'contextGroup', group: { objectType: 'Group', member: members } }],
      },
    })
    const m = [{ mbox: 'mailto:a@tln.example' }, { mbox: 'mailto:b@tln.example' }]
    expect(statementsEqual(ctx(m, ['https://tln.example/role/mentor']), ctx([...m].reverse(), ['https://tln.example/role/mentor']))).toBe(true)
    expect(statementsEqual(ctx(m, ['https://tln.example/role/mentor']), ctx(m, ['https://tln.example/role/peer']))).toBe(false)
  })
})
