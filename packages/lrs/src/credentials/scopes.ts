/**
 * xAPI authorization scopes (xAPI 1.0.3 Communication 4.2, "OAuth Authorization Scope"), used
 * here for HTTP Basic credentials too.
 */
export const SCOPES = [
  'statements/write',
  'statements/read',
  'statements/read/mine',
  'all/read',
  'all',
  'define',
  'state',
  'profile',
] as const
export type Scope = (typeof SCOPES)[number]

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value)
}

/** What a credential may do with statements, derived from its scopes. */
export interface StatementRights {
  write: boolean
  /** 'all': every statement of the tenant; 'mine': only those it stored; 'none'. */
  read: 'all' | 'mine' | 'none'
}

export function statementRights(scopes: readonly Scope[]): StatementRights {
  const has = (scope: Scope) => scopes.includes(scope)
  return {
    write: has('all') || has('statements/write'),
    read: has('all') || has('all/read') || has('statements/read') ? 'all' : has('statements/read/mine') ? 'mine' : 'none',
  }
}
