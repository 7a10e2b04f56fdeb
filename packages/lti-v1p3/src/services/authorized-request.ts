import { LtiServiceError } from '../errors.ts'
import { getAccessToken } from './access-token.ts'
import { readJson, send } from './http.ts'
import type { ServiceContext } from './service-context.ts'

/**
 * A service call with a bearer token for `scopes`. A 401 (token revoked or expired early at the
 * platform) is retried once with a fresh token; any other failure is the caller's to handle.
 */
export async function authorizedRequest(ctx: ServiceContext, scopes: readonly string[], url: string, init: RequestInit & { headers?: Record<string, string> }): Promise<Response> {
  const attempt = async (fresh: boolean) => {
    const token = await getAccessToken(ctx, scopes, { fresh })
    return send(ctx.fetch, url, { ...init, headers: { ...init.headers, authorization: `Bearer ${token.accessToken}` } })
  }
  try {
    return await attempt(false)
  } catch (error) {
    if (error instanceof LtiServiceError && error.status === 401 && error.url === url) return attempt(true)
    throw error
  }
}

/** The `rel="next"` URL of a `Link` header (RFC 8288), if any (NRPS 2.0 §2.4.2, AGS 2.0 §3.2.3). */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined
  for (const part of header.split(/,(?=\s*<)/u)) {
    const match = /^\s*<([^>]*)>(.*)$/u.exec(part)
    if (!match) continue
    const rels = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;]+))/iu.exec(match[2] ?? '')
    const rel = rels?.[1] ?? rels?.[2] ?? ''
    if (rel.split(/\s+/u).includes('next')) return match[1]
  }
  return undefined
}

/**
 * GET every page of a container, following `Link: rel="next"` until it is absent. Stops with an
 * error on a loop (a URL seen twice) or after `maxPages`, rather than spinning forever.
 */
export async function getAllPages(ctx: ServiceContext, scopes: readonly string[], firstUrl: string, accept: string, maxPages = 1000): Promise<unknown[]> {
  const pages: unknown[] = []
  const seen = new Set<string>()
  let url: string | undefined = firstUrl
  while (url !== undefined) {
    if (seen.has(url) || pages.length >= maxPages) {
      throw new LtiServiceError('ERR_LTI_SERVICE_INVALID_RESPONSE', 'platform paging does not end', url)
    }
    seen.add(url)
    const response = await authorizedRequest(ctx, scopes, url, { headers: { accept } })
    pages.push(await readJson(response, url))
    const next = nextLink(response.headers.get('link'))
    url = next === undefined ? undefined : new URL(next, url).href
  }
  return pages
}
