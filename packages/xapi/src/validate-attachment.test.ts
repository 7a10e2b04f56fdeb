import { describe, it } from 'vitest'
import { expectIssue, expectValid, statement } from '../test/statement-builders.ts'

const valid = {
  usageType: 'http://example.com/attachment-usage/test',
  display: { 'en-US': 'A test attachment' },
  description: { 'en-US': 'A test attachment (description)' },
  contentType: 'text/plain; charset=ascii',
  length: 27,
  sha2: '495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a',
  fileUrl: 'http://over.there.com/file.txt',
}
const withAttachment = (overrides: Record<string, unknown>) => statement({ attachments: [{ ...valid, ...overrides }] })

describe('Attachments (xAPI 1.0.3 Data 2.4.11)', () => {
  it('accepts a complete attachment', () => expectValid(withAttachment({})))
  it('rejects a usageType that is not an IRI (xAPI 1.0.3 Data 2.4.11)', () => {
    expectIssue(withAttachment({ usageType: 'signature' }), 'attachments[0].usageType', 'iri')
  })
  it('rejects an attachment without display (xAPI 1.0.3 Data 2.4.11)', () => {
    expectIssue(withAttachment({ display: undefined }), 'attachments[0].display', 'required')
  })
  it('rejects an empty display language map (xAPI 1.0.3 Data 4.2)', () => {
    expectIssue(withAttachment({ display: {} }), 'attachments[0].display', 'language-map-empty')
  })
  it('rejects a contentType that is not an Internet media type (xAPI 1.0.3 Data 2.4.11)', () => {
    expectIssue(withAttachment({ contentType: 'text' }), 'attachments[0].contentType', 'media-type')
  })
  it('rejects a length that is not a non-negative integer (xAPI 1.0.3 Data 2.4.11)', () => {
    expectIssue(withAttachment({ length: 2.5 }), 'attachments[0].length', 'non-negative-integer')
    expectIssue(withAttachment({ length: -1 }), 'attachments[0].length', 'non-negative-integer')
  })
  it('rejects a sha2 that is not a hex SHA-2 digest (xAPI 1.0.3 Data 2.4.11)', () => {
    expectIssue(withAttachment({ sha2: 'abc' }), 'attachments[0].sha2', 'sha2-hex')
  })
  it('rejects a fileUrl that is not an IRL (xAPI 1.0.3 Data 2.4.11)', () => {
    expectIssue(withAttachment({ fileUrl: 'file.txt' }), 'attachments[0].fileUrl', 'irl')
  })
  it('rejects attachments that are not an array (xAPI 1.0.3 Data 2.4)', () => {
    expectIssue(statement({ attachments: valid }), 'attachments', 'type')
  })
})
