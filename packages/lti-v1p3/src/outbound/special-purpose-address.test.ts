import { describe, expect, it } from 'vitest'
import { checkOutboundAddress, parsePrivateAddressAllowance } from './address-policy.ts'
import { parseCidr, parseIp } from './ip-address.ts'
import { specialPurposeRangeOf } from './special-purpose-address.ts'

describe('specialPurposeRangeOf (RFC 6890 special-purpose address registries; OWASP SSRF Prevention Cheat Sheet)', () => {
  it.each([
    ['0.0.0.0', 'this-network', '0.0.0.0/8'],
    ['0.1.2.3', 'this-network', '0.0.0.0/8'],
    ['10.0.0.5', 'private', '10.0.0.0/8'],
    ['100.64.0.1', 'shared', '100.64.0.0/10'],
    ['100.127.255.254', 'shared', '100.64.0.0/10'],
    ['127.0.0.1', 'loopback', '127.0.0.0/8'],
    ['127.255.255.254', 'loopback', '127.0.0.0/8'],
    ['169.254.169.254', 'link-local', '169.254.0.0/16'],
    ['172.16.0.1', 'private', '172.16.0.0/12'],
    ['172.31.255.255', 'private', '172.16.0.0/12'],
    ['192.0.0.8', 'protocol-assignments', '192.0.0.0/24'],
    ['192.0.2.1', 'documentation', '192.0.2.0/24'],
    ['192.88.99.1', 'reserved', '192.88.99.0/24'],
    ['192.168.10.20', 'private', '192.168.0.0/16'],
    ['198.18.0.1', 'benchmarking', '198.18.0.0/15'],
    ['198.51.100.7', 'documentation', '198.51.100.0/24'],
    ['203.0.113.9', 'documentation', '203.0.113.0/24'],
    ['224.0.0.1', 'multicast', '224.0.0.0/4'],
    ['239.255.255.250', 'multicast', '224.0.0.0/4'],
    ['240.0.0.1', 'reserved', '240.0.0.0/4'],
    ['255.255.255.255', 'reserved', '240.0.0.0/4'],
  ])('classifies IPv4 %s as %s (%s, RFC 6890 §2.2.2)', (address, kind, cidr) => {
    expect(specialPurposeRangeOf(address)).toMatchObject({ kind, cidr })
  })

  it.each([
    ['::', 'unspecified', '::/128'],
    ['::1', 'loopback', '::1/128'],
    ['[::1]', 'loopback', '::1/128'],
    ['0:0:0:0:0:0:0:1', 'loopback', '::1/128'],
    ['64:ff9b:1::10', 'translation', '64:ff9b:1::/48'],
    ['100::1', 'discard', '100::/64'],
    ['2001::1', 'protocol-assignments', '2001::/23'],
    ['2001:db8::1', 'documentation', '2001:db8::/32'],
    ['3fff::1', 'documentation', '3fff::/20'],
    ['fc00::1', 'unique-local', 'fc00::/7'],
    ['fd12:3456:789a::1', 'unique-local', 'fc00::/7'],
    ['fe80::1', 'link-local', 'fe80::/10'],
    ['fe80::1%eth0', 'link-local', 'fe80::/10'],
    ['fec0::1', 'site-local', 'fec0::/10'],
    ['ff02::1', 'multicast', 'ff00::/8'],
    ['::a00:5', 'reserved', '::/0 outside 2000::/3'],
    ['4000::1', 'reserved', '::/0 outside 2000::/3'],
  ])('classifies IPv6 %s as %s (%s, RFC 6890 §2.2.3)', (address, kind, cidr) => {
    expect(specialPurposeRangeOf(address)).toMatchObject({ kind, cidr })
  })

  it.each([
    ['::ffff:127.0.0.1', 'loopback', 'IPv4-mapped'],
    ['::ffff:7f00:1', 'loopback', 'IPv4-mapped'],
    ['::ffff:10.0.0.5', 'private', 'IPv4-mapped'],
    ['::ffff:169.254.169.254', 'link-local', 'IPv4-mapped'],
    ['64:ff9b::192.168.1.1', 'private', 'NAT64'],
    ['2002:a9fe:a9fe::1', 'link-local', '6to4'],
  ])('judges IPv6 %s by the IPv4 address it embeds: %s (RFC 4291 §2.5.5.2, RFC 6052, RFC 3056)', (address, kind, via) => {
    const range = specialPurposeRangeOf(address)
    expect(range).toMatchObject({ kind })
    expect(range?.embeddedIn).toContain(via)
  })

  it.each(['93.184.215.14', '8.8.8.8', '100.63.255.255', '100.128.0.0', '172.15.255.255', '172.32.0.0', '192.169.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8', '2002:808:808::1'])(
    'finds no special purpose in the public unicast address %s', (address) => {
      expect(specialPurposeRangeOf(address)).toBeUndefined()
    })

  it('throws a TypeError for what is not an IP address', () => {
    expect(() => specialPurposeRangeOf('moodle.lan')).toThrow(TypeError)
  })
})

describe('parseIp and parseCidr', () => {
  it('reads every spelling of an IPv6 address as one value', () => {
    expect(parseIp('::ffff:127.0.0.1')).toEqual(parseIp('0:0:0:0:0:ffff:7f00:0001'))
    expect(parseIp('not-an-ip')).toBeUndefined()
  })
  it('reads CIDR blocks and refuses bad prefixes', () => {
    expect(parseCidr('192.168.10.0/24')).toMatchObject({ family: 4, prefix: 24 })
    expect(parseCidr('fd00::/8')).toMatchObject({ family: 6, prefix: 8 })
    expect(parseCidr('10.0.0.1')).toMatchObject({ prefix: 32 })
    for (const bad of ['10.0.0.0/33', '10.0.0.0/x', '10.0.0.0/8/8', 'fd00::/129']) expect(parseCidr(bad)).toBeUndefined()
  })
})

describe('checkOutboundAddress (OWASP SSRF Prevention Cheat Sheet; operator allowance of LAN platforms)', () => {
  const url = new URL('https://moodle.lan/mod/lti/openid-configuration.php')
  it('refuses a private address with ERR_LTI_REGISTRATION_PRIVATE_ADDRESS naming the URL, the address and the block (RFC 1918)', () => {
    expect(() => checkOutboundAddress(url, '192.168.10.20', {}, 'openid_configuration')).toThrow(expect.objectContaining({
      code: 'ERR_LTI_REGISTRATION_PRIVATE_ADDRESS',
      message: expect.stringContaining('openid_configuration https://moodle.lan resolves to 192.168.10.20, a private address (192.168.0.0/16, RFC 1918)'),
      detail: expect.objectContaining({ field: 'openid_configuration', url: url.href, address: '192.168.10.20', kind: 'private', cidr: '192.168.0.0/16' }),
    }))
  })
  it('lets through an address inside an allowed CIDR block, and only there', () => {
    const allowPrivate = parsePrivateAddressAllowance(['192.168.10.0/24'])
    expect(() => checkOutboundAddress(url, '192.168.10.20', { allowPrivate })).not.toThrow()
    expect(() => checkOutboundAddress(url, '192.168.11.20', { allowPrivate })).toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_PRIVATE_ADDRESS' }))
    expect(() => checkOutboundAddress(url, '169.254.169.254', { allowPrivate })).toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_PRIVATE_ADDRESS' }))
  })
  it('lets through any address of an allowed host name, and no other host\'s', () => {
    const allowPrivate = parsePrivateAddressAllowance(['Moodle.LAN'])
    expect(() => checkOutboundAddress(url, '10.1.2.3', { allowPrivate })).not.toThrow()
    expect(() => checkOutboundAddress(new URL('https://intranet.lan/'), '10.1.2.3', { allowPrivate })).toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_PRIVATE_ADDRESS' }))
  })
  it('allows loopback, and only loopback, under allowLoopback (development)', () => {
    expect(() => checkOutboundAddress(url, '127.0.0.1', { allowLoopback: true })).not.toThrow()
    expect(() => checkOutboundAddress(url, '::1', { allowLoopback: true })).not.toThrow()
    expect(() => checkOutboundAddress(url, '10.0.0.5', { allowLoopback: true })).toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_PRIVATE_ADDRESS' }))
  })
  it('keeps families apart: an IPv4 block does not allow the IPv4-mapped IPv6 spelling (RFC 4291 §2.5.5.2)', () => {
    const allowPrivate = parsePrivateAddressAllowance(['192.168.10.0/24'])
    expect(() => checkOutboundAddress(url, '::ffff:192.168.10.20', { allowPrivate })).toThrow(expect.objectContaining({ code: 'ERR_LTI_REGISTRATION_PRIVATE_ADDRESS' }))
  })
  it('refuses an allowance entry that is no address, block or host name', () => {
    expect(parsePrivateAddressAllowance([' 192.168.10.0/24 ', 'fd00::/8', 'moodle.lan', ''])).toMatchObject({ hosts: ['moodle.lan'] })
    for (const bad of ['192.168.10.0/33', '*.lan', 'http://moodle.lan', '999.1.1.1', 'a b']) expect(() => parsePrivateAddressAllowance([bad])).toThrow(TypeError)
  })
})
