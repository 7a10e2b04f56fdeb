import { LtiToolError } from '../errors.ts'
import { ROLE_ACTIONS } from '../org/access.ts'
import type { OrgStore } from '../org/org-store.ts'
import type { Grant, OrgNode } from '../org/org-types.ts'

/**
 * Who may configure programs: a `program:manage` grant (tenant `admin`, `district-admin`) on the
 * whole tenant or on a district or province node. Programs belong to the tenant, so any such
 * grant edits them; the quotas of a kecamatan only under the grant's node (a tenant-wide grant:
 * all). A grant on a kecamatan or school does not reach programs.
 * @returns the nodes whose kecamatan the person may plan (`undefined` in the list = the tenant)
 * @throws LtiToolError `ERR_TOOL_FORBIDDEN` without such a grant
 */
export async function programScopes(org: OrgStore, tenantId: string, grants: readonly Grant[]): Promise<Array<OrgNode | undefined>> {
  const scopes: Array<OrgNode | undefined> = []
  for (const g of grants) {
    if (!ROLE_ACTIONS[g.role].has('program:manage')) continue
    if (g.nodeId === undefined) { scopes.push(undefined); continue }
    const node = await org.node(tenantId, g.nodeId)
    if (node !== undefined && (node.kind === 'district' || node.kind === 'province')) scopes.push(node)
  }
  if (scopes.length === 0) throw new LtiToolError('ERR_TOOL_FORBIDDEN', 'programs need program:manage on the tenant, a province or a district')
  return scopes
}

/** Does one of `scopes` cover the kecamatan? */
export function coversKecamatan(scopes: ReadonlyArray<OrgNode | undefined>, kecamatan: Pick<OrgNode, 'path'>): boolean {
  return scopes.some((s) => s === undefined || kecamatan.path.startsWith(s.path))
}

/** May someone read programs as JSON: a program manager, or anyone who reads reports (the reports show phases and quotas)? */
export function mayReadPrograms(grants: readonly Grant[]): boolean {
  return grants.some((g) => ROLE_ACTIONS[g.role].has('program:manage') || ROLE_ACTIONS[g.role].has('reports:read'))
}
