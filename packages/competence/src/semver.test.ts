import { describe, expect, it } from 'vitest'
import { compareSemver, isSemver } from './semver.ts'

describe('semantic versions (semver.org 2.0.0)', () => {
  it('accepts MAJOR.MINOR.PATCH with optional pre-release and build (§2, §9, §10)', () => {
    for (const v of ['0.0.0', '1.0.0', '10.20.30', '1.0.0-rc.1', '1.0.0+build.5', '1.0.0-alpha-a.b-c+sha.1']) expect(isSemver(v)).toBe(true)
  })

  it('rejects leading zeros, missing parts and prefixes (§2)', () => {
    for (const v of ['1', '1.0', '01.0.0', '1.02.0', 'v1.0.0', '1.0.0-', '', 1]) expect(isSemver(v)).toBe(false)
  })

  it('orders by precedence, a pre-release before its release, build ignored (§11)', () => {
    const sorted = ['1.0.0', '1.0.0-alpha', '1.0.0-alpha.beta', '1.0.0-beta.11', '1.0.0-beta.2', '1.0.0-rc.1', '1.0.0-alpha.1', '1.0.0-beta', '2.0.0', '1.1.0'].sort(compareSemver)
    expect(sorted).toEqual(['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.1.0', '2.0.0'])
    expect(compareSemver('1.0.0+a', '1.0.0+b')).toBe(0)
  })
})
