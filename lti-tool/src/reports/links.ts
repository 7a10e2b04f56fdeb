/**
 * The report URLs (mounted at `/reports`; the JSON API mirrors them under `/api/reports`). A
 * learner key is an xAPI IFI key such as `account:["https://lms.example","u-1"]`, so it travels
 * URL-encoded as one path segment. `query` is the validated filter (`?from=…`) carried along, so
 * following a number keeps the period and program the reader chose.
 */
export const REPORTS_BASE = '/reports'

export const districtUrl = (query = ''): string => `${REPORTS_BASE}/district${query}`
/** The district's full mentoring network (who mentored whom), linked from the dashboard. */
export const mentoringNetworkUrl = (query = ''): string => `${REPORTS_BASE}/mentoring-network${query}`
export const kecamatanUrl = (id: string, query = ''): string => `${REPORTS_BASE}/kecamatan/${encodeURIComponent(id)}${query}`
export const teacherUrl = (learnerKey: string, query = ''): string => `${REPORTS_BASE}/teacher/${encodeURIComponent(learnerKey)}${query}`
export const evidenceUrl = (learnerKey: string, code: string, query = ''): string => `${teacherUrl(learnerKey)}/evidence/${encodeURIComponent(code)}${query}`
/** One statement behind a number, shown to whoever may see that teacher. */
export const statementUrl = (learnerKey: string, statementId: string): string => `${teacherUrl(learnerKey)}/statements/${encodeURIComponent(statementId)}`

/** The same URL with other query parameters (export links). */
export function withParams(query: string, params: Readonly<Record<string, string>>): string {
  const search = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query)
  for (const [k, v] of Object.entries(params)) search.set(k, v)
  const text = search.toString()
  return text === '' ? '' : `?${text}`
}
