import { loadConfig } from '@tln/server'
import { describe, expect, it } from 'vitest'

/**
 * `TLN_TRUST_PROXY` decides whose word the server takes for the client address that failed
 * authentications are counted against (issue 7, Security). Unset, the socket address counts and
 * `X-Forwarded-For` is ignored, so a client cannot choose its own address.
 */
describe('TLN_TRUST_PROXY', () => {
  it('is absent unless set: the socket address counts', () => {
    expect(loadConfig({}, '/srv/tln')).not.toHaveProperty('trustProxy')
  })

  it('takes true, false, a hop count, or a list of addresses, subnets and proxy-addr names', () => {
    expect(loadConfig({ TLN_TRUST_PROXY: 'true' }, '/srv/tln').trustProxy).toBe(true)
    expect(loadConfig({ TLN_TRUST_PROXY: 'false' }, '/srv/tln').trustProxy).toBe(false)
    expect(loadConfig({ TLN_TRUST_PROXY: '1' }, '/srv/tln').trustProxy).toBe(1)
    expect(loadConfig({ TLN_TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1' }, '/srv/tln').trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::1'])
  })

  it('rejects anything else, naming the variable and the rule', () => {
    expect(() => loadConfig({ TLN_TRUST_PROXY: 'yes please' }, '/srv/tln')).toThrow(/TLN_TRUST_PROXY must be true, false, a number of proxy hops/)
  })
})
