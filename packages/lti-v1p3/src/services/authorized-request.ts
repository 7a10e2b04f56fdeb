import { LtiServiceError } from '../errors.ts'
import { getAccessToken } from './access-token.ts'
import { parseJson, readBoundedText, send } from './http.ts'
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

/** Limits of `getAllPages`. */
export interface PagingLimits {
  /** Most pages followed; default 1000. */
  readonly maxPages?: number
  /** Most bytes read over all pages together; default 64 MiB (some 100,000 NRPS members). */
  readonly maxTotalBytes?: number
}

/** Default of `PagingLimits.maxTotalBytes`. */
export const MAX_PAGED_BYTES = 64 * 1024 * 1024

/**
 * GET every page of a container, following `Link: rel="next"` until it is absent (NRPS 2.0
 * §2.4.2, AGS 2.0 §3.2.3). A platform's paging is untrusted, so it stops with
 * `ERR_LTI_SERVICE_INVALID_RESPONSE` rather than spin or grow: on a loop (a URL seen before, itself
 * or an earlier page), past `maxPages`, past `maxTotalBytes` read in all, or on a next link to
 * another origin than the first page's: the tool's bearer token goes only where the container is
 * (RFC 6750 §5.3: "Don't pass bearer tokens" to a party they were not issued for; that includes a
 * downgrade from https to http).
 */
export async function getAllPages(ctx: ServiceContext, scopes: readonly string[], firstUrl: string, accept: string, limits: PagingLimits = {}): Promise<unknown[]> {
  const maxPages = limits.maxPages ?? 1000
  let budget = limits.maxTotalBytes ?? MAX_PAGED_BYTES
  const origin = new URL(firstUrl).origin
  const pages: unknown[] = []
  const seen = new Set<string>()
  let url: string | undefined = firstUrl
  while (url !== undefined) {
    if (seen.has(url) || pages.length >= maxPages) {
      throw new LtiServiceError('ERR_LTI_SERVICE_INVALID_RESPONSE', `platform paging does not end (${seen.has(url) ? 'a page links back to an earlier one' : `more than ${maxPages} pages`})`, url)
    }
    seen.add(url)
    const response = await authorizedRequest(ctx, scopes, url, { headers: { accept } })
    const text = await readBoundedText(response, url, budget)
    budget -= Buffer.byteLength(text)
    pages.push(parseJson(text, url, response.status))
    const next = nextLink(response.headers.get('link'))
    if (next === undefined) break
    const nextUrl: URL | undefined = URL.canParse(next, url) ? new URL(next, url) : undefined
    if (nextUrl === undefined || nextUrl.origin !== origin) {
      throw new LtiServiceError('ERR_LTI_SERVICE_INVALID_RESPONSE', `platform paging leads to another origin than ${origin} (RFC 6750 §5.3)`, url, response.status)
    }
    url = nextUrl.href
  }
  return pages
}
