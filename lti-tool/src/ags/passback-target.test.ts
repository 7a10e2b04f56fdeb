import { describe, expect, it } from 'vitest'
import { passbackTargetOf } from './passback-target.ts'

const SCORE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score'

describe('passbackTargetOf (AGS 2.0 §3.1 endpoint claim)', () => {
  it('prefers the link’s own line item', () => {
    expect(passbackTargetOf({ ags: { scope: [SCORE], lineItem: 'https://lms/li/1', lineItems: 'https://lms/li' }, resourceLink: { id: 'rl' } }, { label: 'RPPH' }))
      .toEqual({ lineItemUrl: 'https://lms/li/1', grantedScopes: [SCORE] })
  })

  it('falls back to the container and the resource link id', () => {
    expect(passbackTargetOf({ ags: { scope: [SCORE], lineItems: 'https://lms/li' }, resourceLink: { id: 'rl' } }, { label: 'RPPH', resourceId: 'task-rpph' }))
      .toEqual({ lineItemsUrl: 'https://lms/li', label: 'RPPH', resourceLinkId: 'rl', resourceId: 'task-rpph', grantedScopes: [SCORE] })
  })

  it('keeps the scopes the claim granted, so the passback asks tokens for those only (AGS 2.0 §3.1)', () => {
    const scope = [SCORE, 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly']
    expect(passbackTargetOf({ ags: { scope, lineItems: 'https://lms/li' }, resourceLink: { id: 'rl' } }, { label: 'RPPH' }))
      .toMatchObject({ grantedScopes: scope })
  })

  it('is undefined without the score scope or the claim', () => {
    expect(passbackTargetOf({ ags: { scope: [], lineItem: 'https://lms/li/1' } }, { label: 'x' })).toBeUndefined()
    expect(passbackTargetOf({}, { label: 'x' })).toBeUndefined()
  })
})
