import { ROLE_ACTIONS } from '../../org/access.ts'
import type { Grant } from '../../org/org-types.ts'

/** How deep a grant sits in the tree: 0 tenant, 1 province, 2 district, 3 kecamatan, 4 school. */
export function grantDepth(grant: Grant): number {
  return grant.nodePath === undefined ? 0 : grant.nodePath.split('/').filter((s) => s !== '').length
}

const readsReports = (g: Grant) => ROLE_ACTIONS[g.role].has('reports:read')
const widestFirst = (a: Grant, b: Grant) => grantDepth(a) - grantDepth(b) || (a.nodePath ?? '').localeCompare(b.nodePath ?? '')

/**
 * The grant that opens the district dashboard: `reports:read` on the tenant, a province or a
 * district (district admin, BPPAUD, admin, monitor), the widest first. Facilitators and
 * coordinators hold theirs on a kecamatan and see that kecamatan instead (issue 6).
 */
export function districtGrant(grants: readonly Grant[]): Grant | undefined {
  return grants.filter((g) => readsReports(g) && grantDepth(g) <= 2).sort(widestFirst)[0]
}

/**
 * The widest `reports:read` grant covering an org path (a grant on a node covers its subtree;
 * a tenant-wide grant covers everything, learners not placed at a school included: `path` null).
 */
export function coveringGrant(grants: readonly Grant[], path: string | null): Grant | undefined {
  return grants
    .filter((g) => readsReports(g) && (g.nodePath === undefined || (path !== null && path.startsWith(g.nodePath))))
    .sort(widestFirst)[0]
}

/** The kecamatan whose reports a facilitator or coordinator reads (grants on a kecamatan node). */
export function kecamatanGrants(grants: readonly Grant[]): Grant[] {
  return grants.filter((g) => readsReports(g) && grantDepth(g) === 3 && g.nodeId !== undefined).sort(widestFirst)
}

/** Where `/reports` sends a viewer: the widest report they may read. */
export type Landing =
  | { readonly kind: 'district' }
  | { readonly kind: 'kecamatan'; readonly ids: readonly string[] }
  | { readonly kind: 'teacher'; readonly keys: readonly string[] }
  | { readonly kind: 'none' }

export function landingOf(grants: readonly Grant[], learnerKeys: readonly string[]): Landing {
  if (districtGrant(grants) !== undefined) return { kind: 'district' }
  const kecamatan = kecamatanGrants(grants)
  if (kecamatan.length > 0) return { kind: 'kecamatan', ids: kecamatan.map((g) => g.nodeId!) }
  if (learnerKeys.length > 0) return { kind: 'teacher', keys: learnerKeys }
  return { kind: 'none' }
}
