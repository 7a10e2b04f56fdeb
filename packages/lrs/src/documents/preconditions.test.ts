import { describe, expect, it } from 'vitest'
import { LrsError } from '../errors.ts'
import { checkPreconditions, parseEntityTags } from './preconditions.ts'

const ETAG = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3'

function codeOf(run: () => void): string | undefined {
  try {
    run()
    return undefined
  } catch (error) {
    return (error as LrsError).code
  }
}

describe('checkPreconditions (xAPI 1.0.3 Communication 3.1)', () => {
  it('passes If-Match with the current ETag, quoted or bare', () => {
    expect(codeOf(() => checkPreconditions('PUT', 'activity-profile', '1.0.3', { ifMatch: `"${ETAG}"` }, ETAG))).toBeUndefined()
    expect(codeOf(() => checkPreconditions('PUT', 'activity-profile', '1.0.3', { ifMatch: ETAG.toUpperCase() }, ETAG))).toBeUndefined()
  })

  it('fails If-Match with another ETag, a weak ETag, or when there is no document (RFC 7232 3.1)', () => {
    expect(codeOf(() => checkPreconditions('PUT', 'state', '1.0.3', { ifMatch: '"1234"' }, ETAG))).toBe('ERR_LRS_PRECONDITION_FAILED')
    expect(codeOf(() => checkPreconditions('PUT', 'state', '1.0.3', { ifMatch: `W/"${ETAG}"` }, ETAG))).toBe('ERR_LRS_PRECONDITION_FAILED')
    expect(codeOf(() => checkPreconditions('POST', 'state', '1.0.3', { ifMatch: '*' }, undefined))).toBe('ERR_LRS_PRECONDITION_FAILED')
  })

  it('passes If-Match: * when the document exists and If-None-Match: * when it does not', () => {
    expect(codeOf(() => checkPreconditions('DELETE', 'agent-profile', '1.0.3', { ifMatch: '*' }, ETAG))).toBeUndefined()
    expect(codeOf(() => checkPreconditions('PUT', 'agent-profile', '1.0.3', { ifNoneMatch: '*' }, undefined))).toBeUndefined()
  })

  it('fails If-None-Match: * or a matching list when the document exists (RFC 7232 3.2)', () => {
    expect(codeOf(() => checkPreconditions('PUT', 'agent-profile', '1.0.3', { ifNoneMatch: '*' }, ETAG))).toBe('ERR_LRS_PRECONDITION_FAILED')
    expect(codeOf(() => checkPreconditions('POST', 'agent-profile', '1.0.3', { ifNoneMatch: `"x", W/"${ETAG}"` }, ETAG))).toBe('ERR_LRS_PRECONDITION_FAILED')
  })

  it('answers 409 to a profile PUT without either header over an existing document (3.1.s4.b13)', () => {
    expect(codeOf(() => checkPreconditions('PUT', 'activity-profile', '1.0.3', {}, ETAG))).toBe('ERR_LRS_CONFLICT')
    expect(codeOf(() => checkPreconditions('POST', 'activity-profile', '1.0.3', {}, ETAG))).toBeUndefined()
  })

  it('answers 400 to a 1.0.3 profile PUT without either header over no document: the client MUST send one (3.1.s3.b1)', () => {
    expect(codeOf(() => checkPreconditions('PUT', 'activity-profile', '1.0.3', {}, undefined))).toBe('ERR_LRS_BAD_REQUEST')
    expect(codeOf(() => checkPreconditions('PUT', 'agent-profile', '1.0.3', {}, undefined))).toBe('ERR_LRS_BAD_REQUEST')
    expect(codeOf(() => checkPreconditions('PUT', 'agent-profile', '2.0.0', {}, undefined))).toBeUndefined()
    expect(codeOf(() => checkPreconditions('PUT', 'state', '1.0.3', {}, undefined))).toBeUndefined()
    expect(codeOf(() => checkPreconditions('POST', 'agent-profile', '1.0.3', {}, undefined))).toBeUndefined()
  })

  it('exempts State from the 409 rule under 1.0.3 (3.1.s3) but not under 2.0', () => {
    expect(codeOf(() => checkPreconditions('PUT', 'state', '1.0.3', {}, ETAG))).toBeUndefined()
    expect(codeOf(() => checkPreconditions('PUT', 'state', '2.0.0', {}, ETAG))).toBe('ERR_LRS_CONFLICT')
  })

  it('rejects a malformed entity-tag list with 400 naming the header', () => {
    expect(() => parseEntityTags('"a" , bad tag', 'If-Match')).toThrow(expect.objectContaining({ code: 'ERR_LRS_BAD_REQUEST', path: 'If-Match' }))
    expect(() => parseEntityTags(' , ', 'If-None-Match')).toThrow(expect.objectContaining({ path: 'If-None-Match' }))
  })
})
