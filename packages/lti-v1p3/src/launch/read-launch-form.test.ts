import { describe, expect, it } from 'vitest'
import { readLaunchForm } from './read-launch-form.ts'

describe('readLaunchForm (Security Framework 1.0 §5.1.1.3; OIDC Core 1.0 §3.1.2.6)', () => {
  it('reads id_token and state', () => expect(readLaunchForm({ id_token: 't', state: 's' })).toEqual({ idToken: 't', state: 's' }))
  it('rejects a form without id_token', () =>
    expect(() => readLaunchForm({ state: 's' })).toThrow(expect.objectContaining({ code: 'ERR_LTI_MISSING_ID_TOKEN' })))
  it('rejects a form without state', () =>
    expect(() => readLaunchForm({ id_token: 't' })).toThrow(expect.objectContaining({ code: 'ERR_LTI_STATE_MISSING' })))
  it('rejects repeated fields (arrays)', () =>
    expect(() => readLaunchForm({ id_token: ['a', 'b'], state: 's' })).toThrow(expect.objectContaining({ code: 'ERR_LTI_MISSING_ID_TOKEN' })))
  it('surfaces the platform error response with its description in the detail', () =>
    expect(() => readLaunchForm({ error: 'login_required', error_description: 'no session' }))
      .toThrow(expect.objectContaining({ code: 'ERR_LTI_PLATFORM_ERROR_RESPONSE', detail: expect.objectContaining({ error: 'login_required' }) })))
})
