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
