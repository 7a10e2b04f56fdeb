import { describe, expect, it } from 'vitest'
import { hashPassword, passwordProblem, verifyPassword } from './password.ts'

const FAST = { logN: 10, r: 8, p: 1 }

describe('scrypt passwords (RFC 7914)', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('kata-sandi-rahasia', FAST)
    expect(await verifyPassword('kata-sandi-rahasia', stored)).toBe(true)
    expect(await verifyPassword('kata-sandi-rahasiA', stored)).toBe(false)
  })
  it('keeps the parameters in the string and salts every hash', async () => {
    const a = await hashPassword('same password', FAST)
    const b = await hashPassword('same password', FAST)
    expect(a).toMatch(/^scrypt\$ln=10,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/)
    expect(a).not.toBe(b)
  })
  it('uses the default cost N=2^15', async () => {
    expect(await hashPassword('x'.repeat(12))).toMatch(/^scrypt\$ln=15,r=8,p=1\$/)
  })
  it('refuses malformed or out-of-bounds stored hashes', async () => {
    expect(await verifyPassword('a', 'plain')).toBe(false)
    expect(await verifyPassword('a', 'scrypt$ln=30,r=8,p=1$AAAA$AAAA')).toBe(false)
  })
  it('asks for 10 to 200 characters', () => {
    expect(passwordProblem('short')).toBeDefined()
    expect(passwordProblem('long enough!')).toBeUndefined()
    expect(passwordProblem('x'.repeat(201))).toBeDefined()
  })
})
