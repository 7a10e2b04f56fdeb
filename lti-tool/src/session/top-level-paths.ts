/**
 * The pages (path → name) that are never framed (`frame-ancestors 'none'`) yet linked from the menu a framed
 * launch shows: the only targets of a session hand-off (`session-handoff-store.ts`). A fixed set
 * of paths, compared whole, so a hand-off can never send the browser to another site or page
 * (no open redirect, OWASP Unvalidated Redirects and Forwards Cheat Sheet: "allow-list").
 */
export const TOP_LEVEL_PAGES: ReadonlyMap<string, { readonly id: string; readonly en: string }> = new Map([
  ['/lti/admin/platforms', { id: 'Platform LMS', en: 'LMS platforms' }],
])

/** The paths of `TOP_LEVEL_PAGES`. */
export const TOP_LEVEL_PATHS: ReadonlySet<string> = new Set(TOP_LEVEL_PAGES.keys())

/** A path of `TOP_LEVEL_PATHS`: what a checked hand-off target is. */
export type TopLevelPath = string & { readonly __brand: 'TopLevelPath' }

/** Why a hand-off target was refused: the field and rule a 400 names. */
export interface TargetProblem { readonly field: 'target'; readonly rule: 'required' | 'top-level-path' }

/** `value` as a `TopLevelPath`, or the rule it breaks. Exact match only: no query, fragment, host or other spelling. */
export function checkTopLevelTarget(value: unknown): { ok: true; path: TopLevelPath } | { ok: false; problem: TargetProblem } {
  if (typeof value !== 'string' || value === '') return { ok: false, problem: { field: 'target', rule: 'required' } }
  if (!TOP_LEVEL_PATHS.has(value)) return { ok: false, problem: { field: 'target', rule: 'top-level-path' } }
  return { ok: true, path: value as TopLevelPath }
}
