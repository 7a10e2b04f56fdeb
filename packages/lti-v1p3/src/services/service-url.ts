/**
 * The URL of a line item's sub-resource: `/scores` or `/results` appended to the PATH, the query
 * string kept (AGS 2.0 §3.3.1 / §3.4: "the scores service endpoint is the line item URL with
 * /scores appended to the path"; Moodle line item URLs carry `?type_id=…`).
 */
export function lineItemSubUrl(lineItemUrl: string, sub: 'scores' | 'results'): string {
  const url = new URL(lineItemUrl)
  url.pathname = `${url.pathname.replace(/\/+$/u, '')}/${sub}`
  return url.href
}

/** Add query parameters to a service URL, keeping the ones it already has. */
export function withQuery(serviceUrl: string, params: Readonly<Record<string, string | number | undefined>>): string {
  const url = new URL(serviceUrl)
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, String(value))
  return url.href
}
