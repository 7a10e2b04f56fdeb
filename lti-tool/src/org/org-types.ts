/** The levels of the organisation tree, top down (DOMAIN.md "Entities"). */
export type NodeKind = 'province' | 'district' | 'kecamatan' | 'school'

/** Lembaga PAUD types (DOMAIN.md). */
export type SchoolType = 'TK' | 'KB' | 'TPA' | 'SPS' | 'RA'
export const SCHOOL_TYPES: readonly SchoolType[] = ['TK', 'KB', 'TPA', 'SPS', 'RA']

/** The kind a node's parent must have. */
export const PARENT_KIND: Readonly<Record<NodeKind, NodeKind | undefined>> = {
  province: undefined, district: 'province', kecamatan: 'district', school: 'kecamatan',
}

/** A node of a tenant's tree. A kecamatan node is also its TLN group. */
export interface OrgNode {
  readonly id: string
  readonly tenantId: string
  readonly parentId?: string
  readonly kind: NodeKind
  /** Kemendagri code for regions, NPSN for schools; unique per tenant and kind. */
  readonly code: string
  readonly name: string
  readonly schoolType?: SchoolType
  /** Ids from the root down to this node, `/a/b/c/`. */
  readonly path: string
}

/** The roles a grant gives; each holds on one node (and its subtree), `admin` on the whole tenant. */
export type GrantRole = 'teacher' | 'facilitator' | 'coordinator' | 'monitor' | 'district-admin' | 'bppaud' | 'admin'
export const GRANT_ROLES: readonly GrantRole[] = ['teacher', 'facilitator', 'coordinator', 'monitor', 'district-admin', 'bppaud', 'admin']

/** A right: role on a node; `nodePath` undefined = the whole tenant. */
export interface Grant {
  readonly role: GrantRole
  readonly nodeId?: string
  readonly nodePath?: string
}

export interface Person {
  readonly id: string
  readonly tenantId: string
  readonly name: string
  readonly email?: string
  readonly phone?: string
  readonly schoolId?: string
  readonly externalId?: string
  readonly lti?: { readonly issuer: string; readonly sub: string }
}
