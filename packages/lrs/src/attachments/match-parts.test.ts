import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Attachment, Statement } from '@tln/xapi'
import { LrsError } from '../errors.ts'
import { sha2Like, type ReceivedPart } from './attachment-content.ts'
import { matchAttachmentParts } from './match-parts.ts'

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const attachment = (content: Buffer, extra: Partial<Attachment> = {}): Attachment => ({
  usageType: 'https://tln.example/usage', display: { en: 'x' }, contentType: 'text/plain', length: content.length, sha2: sha256(content), ...extra,
})
const statement = (attachments: Attachment[], subAttachments?: Attachment[]): Statement => ({
  actor: { mbox: 'mailto:guru@paud.example' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/shared' },
  object: subAttachments === undefined
    ? { id: 'https://tln.example/a' }
    : { objectType: 'SubStatement', actor: { mbox: 'mailto:b@paud.example' }, verb: { id: 'http://adlnet.gov/expapi/verbs/made' }, object: { id: 'https://tln.example/b' }, attachments: subAttachments },
  attachments,
})
const parts = (...contents: Buffer[]) => new Map(contents.map((c, i): [string, ReceivedPart] => [sha256(c), { sha2: sha256(c), content: c, path: `multipart[${i + 1}]` }]))

function failure(run: () => unknown): LrsError {
  try {
    run()
  } catch (error) {
    if (error instanceof LrsError) return error
    throw error
  }
  throw new Error('expected an LrsError')
}

describe('matchAttachmentParts (xAPI 1.0.3 Communication 1.5.2)', () => {
  const a = Buffer.from('a')
  const b = Buffer.from('b')

  it('returns one content entry per distinct part, matched by sha2 in any letter case (1.5.2.s1.b4)', () => {
    const s = statement([attachment(a, { sha2: sha256(a).toUpperCase() }), attachment(a)])
    expect(matchAttachmentParts([s], { parts: parts(a), multipart: true, batch: false })).toEqual([{ sha2: sha256(a), content: a }])
  })

  it('needs a part for an attachment without fileUrl, also in a SubStatement (1.5.2.s3.b5)', () => {
    expect(failure(() => matchAttachmentParts([statement([], [attachment(b)])], { parts: parts(), multipart: true, batch: true })).path).toBe('[0].object.attachments[0].sha2')
  })

  it('needs a fileUrl on every attachment of an application/json request (1.5.2.s2.b1)', () => {
    expect(failure(() => matchAttachmentParts([statement([attachment(a)])], { parts: parts(), multipart: false, batch: false })).path).toBe('attachments[0].fileUrl')
  })

  it('accepts fileUrl-only attachments without parts, and stores a part sent for a fileUrl attachment', () => {
    const url = { fileUrl: 'https://files.example/a' }
    expect(matchAttachmentParts([statement([attachment(a, url)])], { parts: parts(), multipart: false, batch: false })).toEqual([])
    expect(matchAttachmentParts([statement([attachment(a, url)])], { parts: parts(a), multipart: true, batch: false })).toHaveLength(1)
  })

  it('rejects a part that no attachment declares', () => {
    const error = failure(() => matchAttachmentParts([statement([attachment(a)])], { parts: parts(a, b), multipart: true, batch: false }))
    expect(error).toMatchObject({ code: 'ERR_LRS_INVALID_ATTACHMENT', path: 'multipart[2].X-Experience-API-Hash' })
  })
})

describe('sha2Like (Data 2.4.11)', () => {
  it('hashes with the SHA-2 function the declared digest length names', () => {
    const c = Buffer.from('content')
    for (const algorithm of ['sha224', 'sha256', 'sha384', 'sha512']) {
      const digest = createHash(algorithm).update(c).digest('hex')
      expect(sha2Like(digest, c)).toBe(digest)
    }
    expect(sha2Like('abc', c)).toBeUndefined()
  })
})
