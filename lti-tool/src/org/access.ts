import type { Grant, GrantRole, OrgNode } from './org-types.ts'

/** What a person may be allowed to do; each page and API names one. */
export type Action =
  /** See a node of the tree, its schools and people. */
  | 'org:read'
  /** Change the tree below a node: import schools and teachers. */
  | 'org:manage'
  /** Invite and reset local accounts with grants below a node. */
  | 'accounts:manage'
  /** Competence reports and exports of a node. */
  | 'reports:read'
  /** Submit performance tasks and log mentoring (a teacher at their school). */
  | 'tasks:submit'
  /** Grade submissions, record meetings (facilitators and coordinators of a TLN group). */
  | 'tasks:grade'
  /** Fill in observation and interview instruments. */
  | 'evaluations:record'
  /** Configure programs, tiers, phases, modules and quotas (`programs/`; on a district or province node, or the tenant). */
  | 'program:manage'

/**
 * Role → actions. Data, not branches, so the table is read and reviewed in one place. A coordinator
 * leads a TLN group: a facilitator's rights plus managing the group's tree. Monitors observe.
 */
export const ROLE_ACTIONS: Readonly<Record<GrantRole, ReadonlySet<Action>>> = {
  teacher: new Set(['tasks:submit']),
  facilitator: new Set(['org:read', 'reports:read', 'tasks:grade', 'evaluations:record']),
  coordinator: new Set(['org:read', 'org:manage', 'reports:read', 'tasks:grade', 'evaluations:record']),
  monitor: new Set(['org:read', 'reports:read', 'evaluations:record']),
  'district-admin': new Set(['org:read', 'org:manage', 'accounts:manage', 'reports:read', 'program:manage']),
  bppaud: new Set(['org:read', 'reports:read']),
  admin: new Set(['org:read', 'org:manage', 'accounts:manage', 'reports:read', 'tasks:grade', 'evaluations:record', 'program:manage']),
}

/**
 * May someone holding `grants` do `action` on `node`? The rule: a grant on a node covers its
 * subtree (the node's `path` starts with the grant's), and a grant without a node (tenant admin)
 * covers the whole tenant. `node` undefined means the tenant itself, which only a tenant-wide
 * grant covers. Tenancy is not decided here: the caller has loaded `node` within the person's
 * tenant (another tenant's node is "not found" before it gets here).
 */
export function can(grants: readonly Grant[], action: Action, node: Pick<OrgNode, 'path'> | undefined): boolean {
  return grants.some((g) => ROLE_ACTIONS[g.role].has(action) && covers(g, node))
}

function covers(grant: Grant, node: Pick<OrgNode, 'path'> | undefined): boolean {
  if (grant.nodePath === undefined) return true
  return node !== undefined && node.path.startsWith(grant.nodePath)
}
