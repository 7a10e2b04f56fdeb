import { ifiKey } from '@tln/xapi'
import { describe, expect, it } from 'vitest'
import { ERASED_TEXT, redactJson, type Redaction } from '../src/privacy/redaction.ts'
import { parseRetention } from '../src/privacy/audit-retention.ts'

/** How erasure rewrites JSON (docs/privacy.md, "Erasure"): identities, names in free text, attachments. */
const SITI = { objectType: 'Agent', name: 'Siti Aminah', mbox: 'mailto:siti@paud.example' }
const PSEUDONYM = { homePage: 'https://tln.example/privacy/erased/default', name: '0b5f6a1e-4c1d-4c55-9a55-7f0e8d6c4b10' }
const redaction: Redaction = {
  pseudonyms: new Map([[ifiKey({ mbox: SITI.mbox })!, PSEUDONYM]]),
  names: ['Siti Aminah', 'Siti'],
  identifiers: ['siti@paud.example'],
}

describe('redactJson', () => {
  it('replaces the person\'s Agent by the pseudonymous account and drops its name (xAPI 1.0.3 Data 2.4.2.4 account)', () => {
    const out = redactJson({ actor: SITI, verb: { id: 'http://adlnet.gov/expapi/verbs/completed' } }, redaction)
    expect(out.value.actor).toEqual({ objectType: 'Agent', account: PSEUDONYM })
    expect(out.changed).toBe(true)
    expect(out.namesSeen).toEqual(['Siti Aminah'])
  })

  it('matches the person by IFI, not by name: an mbox differing only in the domain\'s case is the same person (Data 2.3.1)', () => {
    const out = redactJson({ object: { mbox: 'mailto:siti@PAUD.example' } }, redaction)
    expect(out.value.object).toEqual({ account: PSEUDONYM })
  })

  it('leaves other people\'s Agents exactly as they are, even when their name contains the person\'s', () => {
    const other = { objectType: 'Agent', name: 'Siti Rahayu', account: { homePage: 'https://lms.example', name: 'u-9' } }
    const out = redactJson({ actor: other, context: { instructor: other } }, redaction)
    expect(out.value).toEqual({ actor: other, context: { instructor: other } })
    expect(out.changed).toBe(false)
  })

  it('rewrites the person as a member of a Group and keeps the Group', () => {
    const group = { objectType: 'Group', name: 'TLN Praya', member: [SITI, { mbox: 'mailto:dewi@paud.example', name: 'Dewi' }] }
    const out = redactJson({ context: { team: group } }, redaction)
    expect(out.value.context.team).toEqual({ objectType: 'Group', name: 'TLN Praya', member: [{ objectType: 'Agent', account: PSEUDONYM }, { mbox: 'mailto:dewi@paud.example', name: 'Dewi' }] })
  })

  it('redacts the person\'s names and addresses in free text as whole words only', () => {
    const out = redactJson({ result: { response: 'Siti Aminah dan Sitiawati; tulis ke siti@paud.example' }, name: { id: 'Pendampingan sejawat: Siti' } }, redaction)
    expect(out.value.result.response).toBe(`${ERASED_TEXT} dan Sitiawati; tulis ke ${ERASED_TEXT}`)
    expect(out.value.name.id).toBe(`Pendampingan sejawat: ${ERASED_TEXT}`)
  })

  it('keeps ids (Activity, statement) and attachment hashes, which other rows and LRSs hold as keys', () => {
    const statement = { id: 'f03f25c7-77d3-5a6a-acff-a1878d813b2e', object: { id: 'https://tln.example/siti/plan' } }
    const redactionWithId: Redaction = { ...redaction, identifiers: ['siti'] }
    expect(redactJson(statement, redactionWithId).value).toEqual(statement)
  })

  it('drops the attachments of a statement the person is the actor of, and reports their sha2', () => {
    const statement = { actor: SITI, attachments: [{ usageType: 'u', sha2: 'ABC123', contentType: 'application/pdf', length: 3, display: { id: 'RPPH Siti' } }] }
    const out = redactJson(statement, redaction, { dropActorAttachments: true })
    expect(out.value).toEqual({ actor: { objectType: 'Agent', account: PSEUDONYM } })
    expect(out.droppedAttachments).toEqual(['abc123'])
    const ofOther = { actor: { mbox: 'mailto:dewi@paud.example' }, attachments: [{ sha2: 'def' }] }
    expect(redactJson(ofOther, redaction, { dropActorAttachments: true }).droppedAttachments).toEqual([])
  })
})

describe('parseRetention', () => {
  it('takes whole days from 1d to 36500d and refuses anything else with the option named', () => {
    expect(parseRetention('365d')).toBe(365)
    for (const bad of ['0d', '1y', '12m', '365', '-3d', '36501d']) expect(() => parseRetention(bad)).toThrow(/--older-than must be a number of days/)
  })
})
