import { describe, expect, it } from 'vitest'
import { checkTopLevelTarget, TOP_LEVEL_PATHS } from './top-level-paths.ts'

describe('checkTopLevelTarget (session hand-off target: allowlist only, no open redirect)', () => {
  it('accepts each allowlisted top-level path as it is', () => {
    for (const path of TOP_LEVEL_PATHS) expect(checkTopLevelTarget(path)).toEqual({ ok: true, path })
    expect(TOP_LEVEL_PATHS.has('/lti/admin/platforms')).toBe(true)
  })

  it('refuses a missing or empty target (rule required)', () => {
    for (const value of [undefined, '', null, 42, ['/lti/admin/platforms']]) {
      expect(checkTopLevelTarget(value)).toEqual({ ok: false, problem: { field: 'target', rule: 'required' } })
    }
  })

  it('refuses absolute URLs, scheme-relative URLs, other spellings and framed pages (rule top-level-path)', () => {
    for (const value of [
      'https://evil.example/lti/admin/platforms', '//evil.example/', '/\\evil.example', 'javascript:alert(1)',
      '/lti/admin/platforms?x=1', '/lti/admin/platforms#x', '/lti/admin/platforms/', '/lti/admin/platforms/../../account',
      '/LTI/admin/platforms', '/lti/admin/%70latforms', ' /lti/admin/platforms', '/lti/grades', '/account', '/',
    ]) expect(checkTopLevelTarget(value), value).toEqual({ ok: false, problem: { field: 'target', rule: 'top-level-path' } })
  })
})
