/** Attachment Objects (xAPI 1.0.3 Data 2.4.11). */
import { isSha2Hex } from './hex-digest.ts'
import { childPath, type IssueList } from './issue-list.ts'
import { isMediaType } from './media-type.ts'
import {
  asObject, closeObject, forEachElement, readFormatted, readIri, readIrl, readLanguageMap, readNumber, type JsonObject,
} from './validate-values.ts'

const SECTION = '2.4.11'
const KEYS = ['usageType', 'display', 'description', 'contentType', 'length', 'sha2', 'fileUrl']

/** Validates `parent.attachments` when present: an array of Attachment Objects. */
export function validateAttachments(parent: JsonObject, path: string, list: IssueList): void {
  forEachElement(parent, 'attachments', path, list, { section: SECTION }, (element, at) => {
    const attachment = asObject(element, at, list, SECTION)
    if (attachment === undefined) return
    closeObject(attachment, KEYS, at, list)
    readIri(attachment, 'usageType', at, list, { required: true, section: SECTION })
    readLanguageMap(attachment, 'display', at, list, { required: true, section: SECTION })
    readLanguageMap(attachment, 'description', at, list, { section: SECTION })
    readFormatted(attachment, 'contentType', at, list, { required: true, section: SECTION, rule: 'media-type', what: 'an Internet media type (RFC 2046)', test: isMediaType })
    const length = readNumber(attachment, 'length', at, list, { required: true, section: SECTION })
    if (length !== undefined && !(Number.isInteger(length) && length >= 0)) {
      list.add(childPath(at, 'length'), 'non-negative-integer', 'must be an integer number of octets, 0 or more', SECTION)
    }
    readFormatted(attachment, 'sha2', at, list, { required: true, section: SECTION, rule: 'sha2-hex', what: 'a hex-encoded SHA-2 hash', test: isSha2Hex })
    readIrl(attachment, 'fileUrl', at, list, { section: SECTION })
  })
}
