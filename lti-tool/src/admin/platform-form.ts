import type { Platform } from '@tln/lti-v1p3'

/** The fields of the "add a platform" form, as posted (`name` attributes). */
export const PLATFORM_FIELDS = ['issuer', 'clientId', 'authorizationEndpoint', 'tokenEndpoint', 'jwksUri', 'authorizationServer', 'deploymentIds'] as const
export type PlatformField = (typeof PLATFORM_FIELDS)[number]

/** Which rule a field broke: stable names that tests and the page use. */
export type FormRule = 'required' | 'url' | 'https' | 'issuer-form' | 'too-long' | 'deployment-id' | 'duplicate-registration'

export interface FieldProblem {
  readonly field: PlatformField
  readonly rule: FormRule
  readonly message: { readonly id: string; readonly en: string }
}

export type PlatformFormResult =
  | { readonly ok: true; readonly platform: Platform; readonly deploymentIds: readonly string[] }
  | { readonly ok: false; readonly problems: readonly FieldProblem[]; readonly values: Readonly<Record<PlatformField, string>> }

const MAX_URL = 2000
/** LTI Core 1.3 §5.3.3 limits `deployment_id` to 255 ASCII characters; TLN holds `client_id` to the same. */
const MAX_ID = 255
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])
const URL_FIELDS = ['issuer', 'authorizationEndpoint', 'tokenEndpoint', 'jwksUri', 'authorizationServer'] as const
const REQUIRED: readonly PlatformField[] = ['issuer', 'clientId', 'authorizationEndpoint', 'tokenEndpoint', 'jwksUri', 'deploymentIds']

const MESSAGES: Readonly<Record<Exclude<FormRule, 'duplicate-registration'>, { id: string; en: string }>> = {
  required: { id: 'Wajib diisi.', en: 'Required.' },
  url: { id: 'Harus alamat lengkap, misalnya https://moodle.example.org/mod/lti/auth.php.', en: 'Must be a full address, such as https://moodle.example.org/mod/lti/auth.php.' },
  https: { id: 'Harus memakai https:// (http:// hanya untuk localhost).', en: 'Must use https:// (http:// only for localhost).' },
  'issuer-form': { id: 'Platform ID (issuer) tidak boleh memuat ? atau #.', en: 'The platform ID (issuer) must not contain ? or #.' },
  'too-long': { id: 'Terlalu panjang.', en: 'Too long.' },
  'deployment-id': { id: 'Setiap Deployment ID: satu per baris, huruf dan tanda baca ASCII tanpa spasi, paling banyak 255 karakter.', en: 'Each deployment ID: one per line, ASCII letters and punctuation without spaces, at most 255 characters.' },
}

/** The message of a field that names a registration that exists already (same issuer and client ID). */
export const DUPLICATE_MESSAGE = {
  id: 'Platform dengan Platform ID dan Client ID ini sudah terdaftar.',
  en: 'A platform with this platform ID and client ID is registered already.',
} as const

/**
 * Check the "add a platform" form (LTI Core 1.3 §3.1.3 registration data; Security Framework 1.0
 * §3: every endpoint over TLS). Every field is checked and every problem reported with its field
 * and rule; nothing partial passes. URLs must be absolute `https:` (`http:` only for a loopback
 * host, for local testing); the issuer is a URL without query or fragment (OpenID Connect Core
 * §2 `iss`), trailing slashes removed as `tln platform add` does. Deployment ids come one per
 * line (or comma-separated), deduplicated. Pure.
 */
export function checkPlatformForm(body: Readonly<Record<string, unknown>>): PlatformFormResult {
  const values = Object.fromEntries(PLATFORM_FIELDS.map((f) => [f, typeof body[f] === 'string' ? (body[f] as string).trim() : ''])) as Record<PlatformField, string>
  const problems: FieldProblem[] = []
  const add = (field: PlatformField, rule: Exclude<FormRule, 'duplicate-registration'>) => problems.push({ field, rule, message: MESSAGES[rule] })
  for (const field of REQUIRED) if (values[field] === '') add(field, 'required')
  for (const field of URL_FIELDS) {
    const value = values[field]
    if (value === '') continue
    const rule = urlRule(value)
    if (rule !== undefined) add(field, rule)
    else if (field === 'issuer' && /[?#]/u.test(value)) add(field, 'issuer-form')
  }
  if (values.clientId.length > MAX_ID) add('clientId', 'too-long')
  const deploymentIds = [...new Set(values.deploymentIds.split(/[\n,]/u).map((d) => d.trim()).filter((d) => d !== ''))]
  if (deploymentIds.some((d) => !/^[\x21-\x7e]{1,255}$/u.test(d))) add('deploymentIds', 'deployment-id')
  if (problems.length > 0) return { ok: false, problems, values }
  return {
    ok: true,
    deploymentIds,
    platform: {
      issuer: values.issuer.replace(/\/+$/u, ''), clientId: values.clientId,
      authorizationEndpoint: values.authorizationEndpoint, tokenEndpoint: values.tokenEndpoint, jwksUri: values.jwksUri,
      ...(values.authorizationServer !== '' && { authorizationServer: values.authorizationServer }),
    },
  }
}

function urlRule(value: string): 'url' | 'https' | 'too-long' | undefined {
  if (value.length > MAX_URL) return 'too-long'
  if (!URL.canParse(value)) return 'url'
  const url = new URL(value)
  if (url.protocol === 'https:') return undefined
  if (url.protocol === 'http:') return isLoopback(url.hostname) ? undefined : 'https'
  return 'url'
}

/** localhost, 127.0.0.1, [::1] and `*.localhost` (RFC 6761 §6.3): only this machine answers there. */
export function isLoopback(hostname: string): boolean {
  return LOOPBACK.has(hostname) || hostname.endsWith('.localhost')
}

/** Check one deployment id added to an existing registration (same rule as the form). */
export function checkDeploymentId(value: unknown): string | undefined {
  const id = typeof value === 'string' ? value.trim() : ''
  return /^[\x21-\x7e]{1,255}$/u.test(id) ? id : undefined
}
