import { describe, expect, it } from 'vitest'
import { can } from './access.ts'
import type { Grant } from './org-types.ts'

// province P → districts D1, D2 → kecamatan K1 (under D1) → school S1
const P = { path: '/p/' }
const D1 = { path: '/p/d1/' }
const D2 = { path: '/p/d2/' }
const K1 = { path: '/p/d1/k1/' }
const S1 = { path: '/p/d1/k1/s1/' }

describe('can (a grant on a node covers its subtree)', () => {
  const districtAdmin: Grant[] = [{ role: 'district-admin', nodeId: 'd1', nodePath: D1.path }]
  it('lets a district admin manage their district and everything below it', () => {
    for (const node of [D1, K1, S1]) expect(can(districtAdmin, 'org:manage', node)).toBe(true)
  })
  it('refuses a district admin on another district, the province and the tenant', () => {
    expect(can(districtAdmin, 'org:manage', D2)).toBe(false)
    expect(can(districtAdmin, 'org:read', P)).toBe(false)
    expect(can(districtAdmin, 'org:read', undefined)).toBe(false)
  })
  it('does not mistake a sibling whose id starts the same for a child', () => {
    expect(can(districtAdmin, 'org:read', { path: '/p/d1x/' })).toBe(false)
  })
  it('gives an action only to roles that have it', () => {
    expect(can([{ role: 'teacher', nodeId: 's1', nodePath: S1.path }], 'tasks:submit', S1)).toBe(true)
    expect(can([{ role: 'teacher', nodeId: 's1', nodePath: S1.path }], 'org:read', S1)).toBe(false)
    expect(can([{ role: 'bppaud', nodeId: 'p', nodePath: P.path }], 'org:manage', S1)).toBe(false)
    expect(can([{ role: 'bppaud', nodeId: 'p', nodePath: P.path }], 'reports:read', S1)).toBe(true)
    expect(can([{ role: 'facilitator', nodeId: 'k1', nodePath: K1.path }], 'tasks:grade', S1)).toBe(true)
  })
  it('lets a tenant admin act anywhere, including on the tenant itself', () => {
    expect(can([{ role: 'admin' }], 'org:manage', undefined)).toBe(true)
    expect(can([{ role: 'admin' }], 'accounts:manage', S1)).toBe(true)
  })
  it('refuses when there are no grants', () => {
    expect(can([], 'org:read', S1)).toBe(false)
  })
})
