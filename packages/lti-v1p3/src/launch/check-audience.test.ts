import { describe, expect, it } from 'vitest'
import type { Platform } from '../platform.ts'
import { verified } from '../testing/launch-harness.ts'
import { checkAudience } from './check-audience.ts'

const platform = { issuer: 'https://lms.example.org', clientId: 'tln' } as Platform
const code = (fn: () => void) => { try { fn() } catch (e) { return (e as { code?: string }).code } return undefined }

describe('checkAudience (Security Framework 1.0 §5.1.3 steps 3–5)', () => {
  it('accepts aud equal to the client_id', () => expect(code(() => checkAudience(verified({ aud: 'tln' }), platform))).toBeUndefined())
  it('accepts a single-element aud array', () => expect(code(() => checkAudience(verified({ aud: ['tln'] }), platform))).toBeUndefined())
  it('accepts several audiences when azp is the client_id', () => expect(code(() => checkAudience(verified({ aud: ['tln', 'other'], azp: 'tln' }), platform))).toBeUndefined())
  it('rejects aud without the client_id ("MUST validate that the aud Claim contains its client_id")', () =>
    expect(code(() => checkAudience(verified({ aud: 'someone-else' }), platform))).toBe('ERR_LTI_AUD_MISMATCH'))
  it('rejects a missing aud', () => expect(code(() => checkAudience(verified({}), platform))).toBe('ERR_LTI_AUD_MISMATCH'))
  it('rejects several audiences without azp (step 4)', () =>
    expect(code(() => checkAudience(verified({ aud: ['tln', 'other'] }), platform))).toBe('ERR_LTI_AZP_MISMATCH'))
  it('rejects several audiences when azp names another client (step 5)', () =>
    expect(code(() => checkAudience(verified({ aud: ['tln', 'other'], azp: 'other' }), platform))).toBe('ERR_LTI_AZP_MISMATCH'))
  it('rejects an azp that is not the client_id even with one audience (step 5)', () =>
    expect(code(() => checkAudience(verified({ aud: 'tln', azp: 'other' }), platform))).toBe('ERR_LTI_AZP_MISMATCH'))
})
