import { describe, expect, it } from 'vitest'
import { coveringGrant, districtGrant, grantDepth, kecamatanGrants, landingOf } from '../../src/reports/access/report-access.ts'
import type { Grant } from '../../src/org/org-types.ts'

const P = '/p/'
const D = '/p/d/'
const K = '/p/d/k/'
const S = '/p/d/k/s/'
const admin: Grant = { role: 'admin' }
const dinas: Grant = { role: 'district-admin', nodeId: 'd', nodePath: D }
const bppaud: Grant = { role: 'bppaud', nodeId: 'p', nodePath: P }
const fasil: Grant = { role: 'facilitator', nodeId: 'k', nodePath: K }
const teacher: Grant = { role: 'teacher', nodeId: 's', nodePath: S }

/** Issue 6 access: district admins / admins / BPPAUD the district and below; facilitators their kecamatan; teachers only themselves. */
describe('report access rules', () => {
  it('measures a grant\'s depth in the tree (tenant 0 … school 4)', () => {
    expect([admin, bppaud, dinas, fasil, teacher].map(grantDepth)).toEqual([0, 1, 2, 3, 4])
  })

  it('opens the district dashboard to admin, BPPAUD and district admin grants only, widest first', () => {
    expect(districtGrant([dinas, bppaud])).toBe(bppaud)
    expect(districtGrant([dinas])).toBe(dinas)
    expect(districtGrant([admin, dinas])).toBe(admin)
    expect(districtGrant([fasil, teacher])).toBeUndefined()
  })

  it('covers a school path with a grant on it or above; a teacher grant gives no report right', () => {
    expect(coveringGrant([fasil], S)).toBe(fasil)
    expect(coveringGrant([fasil], '/p/d/k2/s2/')).toBeUndefined()
    expect(coveringGrant([teacher], S)).toBeUndefined()
    expect(coveringGrant([dinas], null)).toBeUndefined()
    expect(coveringGrant([admin], null)).toBe(admin)
  })

  it('sends each viewer to the widest report they may read', () => {
    expect(landingOf([dinas, fasil], ['k'])).toEqual({ kind: 'district' })
    expect(landingOf([fasil], ['k'])).toEqual({ kind: 'kecamatan', ids: ['k'] })
    expect(kecamatanGrants([fasil, { ...fasil, nodeId: 'k2', nodePath: '/p/d/k2/' }]).map((g) => g.nodeId)).toEqual(['k', 'k2'])
    expect(landingOf([teacher], ['key'])).toEqual({ kind: 'teacher', keys: ['key'] })
    expect(landingOf([teacher], [])).toEqual({ kind: 'none' })
  })
})
