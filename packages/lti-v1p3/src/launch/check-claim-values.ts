import { CLAIM } from '../claims.ts'
import { LtiError } from '../errors.ts'
import type { Platform } from '../platform.ts'
import { isObject, type VerifiedClaims } from './id-token-claims.ts'

/** The longest identifier LTI Core 1.3 allows (§5.3.3, §5.3.5, §5.3.6, §5.4.1: "MUST NOT exceed 255 ASCII characters"). */
export const MAX_LTI_ID_LENGTH = 255

type Path = readonly string[]

/** Identifiers with the 255-character limit, as data (claim path → spec section). */
export const LIMITED_IDS: readonly (readonly [path: Path, section: string])[] = [
  [['sub'], 'LTI Core 1.3 §5.3.6'],
  [[CLAIM.deploymentId], 'LTI Core 1.3 §5.3.3'],
  [[CLAIM.resourceLink, 'id'], 'LTI Core 1.3 §5.3.5'],
  [[CLAIM.context, 'id'], 'LTI Core 1.3 §5.4.1'],
]

/**
 * Platform URLs the tool later calls with a bearer token (AGS, NRPS) or posts the user's browser
 * to (Deep Linking), as data (claim path → spec section).
 */
export const SERVICE_URLS: readonly (readonly [path: Path, section: string])[] = [
  [[CLAIM.agsEndpoint, 'lineitems'], 'AGS 2.0 §3.1'],
  [[CLAIM.agsEndpoint, 'lineitem'], 'AGS 2.0 §3.1'],
  [[CLAIM.nrpsService, 'context_memberships_url'], 'NRPS 2.0 §3.6.1'],
  [[CLAIM.deepLinkingSettings, 'deep_link_return_url'], 'Deep Linking 2.0 §4.4.1'],
]

/**
 * The values of the verified claims the tool stores or calls, beyond their presence
 * (`checkRequiredClaims`):
 *
 * 1. Every string in the payload is Unicode text without U+0000: no unpaired surrogate (RFC 8259
 *    §8.2: such strings make "behavior unpredictable"; they have no UTF-8 form, RFC 3629 §3) and no
 *    NUL, which PostgreSQL text and jsonb cannot hold. Refused here, with the claim named, rather
 *    than failing later in storage after part of the launch was written.
 * 2. `sub`, `deployment_id`, `resource_link.id` and `context.id`, when present, are strings of at
 *    most 255 characters (LTI Core 1.3 §5.3.3, §5.3.5, §5.3.6, §5.4.1: "MUST NOT exceed 255 ASCII
 *    characters in length").
 * 3. The AGS, NRPS and Deep Linking URLs, when present, are absolute http(s) URLs, and https when
 *    the platform's issuer is (Security Framework 1.0 §3: messages and service calls go over TLS;
 *    a platform on https may not send the tool's bearer token or the user's form over plain http).
 *    Where they may point (private addresses) is the outbound fetch's rule, not this one.
 *
 * @throws LtiError `ERR_LTI_INVALID_CLAIM` with `detail.claim` (the path joined by `#`) and `detail.rule`.
 */
export function checkClaimValues(claims: VerifiedClaims, platform: Pick<Platform, 'issuer'>): void {
  checkText(claims)
  for (const [path, section] of LIMITED_IDS) {
    const value = valueAt(claims, path)
    if (value === undefined) continue
    if (typeof value !== 'string' || value.length > MAX_LTI_ID_LENGTH) {
      invalid(path, `must be a string of at most ${MAX_LTI_ID_LENGTH} characters (${section})`)
    }
  }
  const httpsOnly = new URL(platform.issuer).protocol === 'https:'
  for (const [path, section] of SERVICE_URLS) {
    const value = valueAt(claims, path)
    if (value === undefined) continue
    const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined
    if (url === undefined || !(url.protocol === 'https:' || (url.protocol === 'http:' && !httpsOnly))) {
      invalid(path, `must be an absolute ${httpsOnly ? 'https' : 'http(s)'} URL (${section}; Security Framework 1.0 §3)`)
    }
  }
}

function valueAt(claims: VerifiedClaims, path: Path): unknown {
  let value: unknown = claims
  for (const key of path) value = isObject(value) ? value[key] : undefined
  return value
}

/** Lone surrogates (no UTF-8 form) and NUL. */
const UNSTORABLE = /[\u0000]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u

/** True for Unicode text without U+0000 or unpaired surrogates (RFC 8259 §8.2): what PostgreSQL text and jsonb can hold. */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value)
}

interface Node { readonly value: unknown; readonly key?: string; readonly parent?: Node }

/** Walks the payload without recursion and names a path only on failure: a deeply nested payload costs linear time and no stack. */
function checkText(root: unknown): void {
  const stack: Node[] = [{ value: root }]
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const { value } = node
    if (typeof value === 'string') {
      if (!isStorableText(value)) invalid(pathOf(node), 'must be Unicode text without U+0000 or unpaired surrogates (RFC 8259 §8.2)')
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, key: String(i), parent: node }))
    } else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        const child = { value: item, key, parent: node }
        if (!isStorableText(key)) invalid(pathOf(child), 'must be named in Unicode text without U+0000 or unpaired surrogates (RFC 8259 §8.2)')
        stack.push(child)
      }
    }
  }
}

function pathOf(node: Node): string[] {
  const path: string[] = []
  for (let at: Node | undefined = node; at?.key !== undefined; at = at.parent) path.unshift(at.key)
  return path
}

function invalid(path: Path, rule: string): never {
  const claim = path.join('#')
  throw new LtiError('ERR_LTI_INVALID_CLAIM', `id_token claim ${claim} ${rule}`, { claim, rule })
}
