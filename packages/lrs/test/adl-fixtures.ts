import { randomUUID } from 'node:crypto'

/**
 * The ADL conformance suite's valid Attachment Object (test/v1_0_3 and test/v2_0, configs/attachments.js):
 * a fileUrl attachment, so a statement carrying it needs no multipart part.
 */
export const ADL_VALID_ATTACHMENT = {
  usageType: 'http://example.com/attachment-usage/test',
  display: { 'en-US': 'A test attachment' },
  description: { 'en-US': 'A test attachment (description)' },
  contentType: 'text/plain; charset=ascii',
  length: 27,
  sha2: '495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a',
  fileUrl: 'http://over.there.com/file.txt',
} as const

/**
 * The suite's statement for the `format` cases (XAPI-00168–00172): statements.object_substatement
 * with statements.unicode as the SubStatement's object and groups.default as its actor. Fresh
 * IFIs and activity id each call, so a query finds this statement only.
 */
export function adlSubStatementStatement() {
  const agent = { objectType: 'Agent', name: 'xAPI mbox', mbox: `mailto:agent${randomUUID()}@adlnet.gov` }
  const group = { objectType: 'Group', name: 'xAPI group', mbox: `mailto:group${randomUUID()}@adlnet.gov` }
  const attended = { id: 'http://adlnet.gov/expapi/verbs/attended', display: { 'en-GB': 'attended', 'en-US': 'attended' } }
  const reported = { id: 'http://adlnet.gov/expapi/verbs/reported', display: { 'en-GB': 'reported', 'en-US': 'reported', 'ja-JP': '報告した' } }
  const unicode = {
    objectType: 'Activity',
    id: `http://www.example.com/unicode/${randomUUID()}`,
    definition: {
      name: { 'en-GB': 'attended', 'en-US': 'attended', 'ja-JP': '出席した' },
      description: { 'en-GB': 'On this map', 'en-US': 'On this map', 'ja-JP': 'このマップ上' },
      type: 'http://adlnet.gov/expapi/activities/meeting',
      moreInfo: 'http://virtualmeeting.example.com/345256',
    },
  }
  return {
    agent, group, attended, reported, unicode,
    statement: { actor: agent, verb: attended, object: { objectType: 'SubStatement', actor: group, verb: reported, object: unicode } },
  }
}
