import { describe, expect, it } from 'vitest'
import type { Platform } from '../platform.ts'
import { verified } from '../testing/launch-harness.ts'
import { checkIssuer } from './check-issuer.ts'

const platform = { issuer: 'https://lms.example.org', clientId: 'tln' } as Platform

describe('checkIssuer (Security Framework 1.0 §5.1.3 step 2)', () => {
  it('accepts the registered issuer', () => expect(() => checkIssuer(verified({ iss: platform.issuer }), platform)).not.toThrow())
  it.each([['another issuer', 'https://evil.example'], ['a trailing slash', 'https://lms.example.org/'], ['a missing iss', undefined]])(
    'rejects %s: the issuer "MUST exactly match the value of the iss Claim"', (_, iss) =>
      expect(() => checkIssuer(verified({ iss }), platform)).toThrow(expect.objectContaining({ code: 'ERR_LTI_ISS_MISMATCH' })),
  )
})
