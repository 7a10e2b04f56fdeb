import { isLoopbackHost, MAX_PLATFORM_URL_LENGTH, platformUrlRule, type Platform } from '@tln/lti-v1p3'

/** The fields of the "add a platform" form, as posted (`name` attributes). */
export const PLATFORM_FIELDS = ['issuer', 'clientId', 'authorizationEndpoint', 'tokenEndpoint', 'jwksUri', 'authorizationServer', 'deploymentIds'] as const
export type PlatformField = (typeof PLATFORM_FIELDS)[number]

/** Which rule a field broke: stable names that tests and the page use. */
export type FormRule = 'required' | 'url' | 'https' | 'credentials' | 'fragment' | 'issuer-form' | 'too-long' | 'deployment-id' | 'duplicate-registration'

export interface FieldProblem {
  readonly field: PlatformField
  readonly rule: FormRule
  readonly message: { readonly id: string; readonly en: string }
}

export type PlatformFormResult =
  | { readonly ok: true; readonly platform: Platform; readonly deploymentIds: readonly string[] }
  | { readonly ok: false; readonly problems: readonly FieldProblem[]; readonly values: Readonly<Record<PlatformField, string>> }

/** LTI Core 1.3 §5.3.3 limits `deployment_id` to 255 ASCII characters; TLN holds `client_id` to the same. */
const MAX_ID = 255
const URL_FIELDS = ['issuer', 'authorizationEndpoint', 'tokenEndpoint', 'jwksUri', 'authorizationServer'] as const
const REQUIRED: readonly PlatformField[] = ['issuer', 'clientId', 'authorizationEndpoint', 'tokenEndpoint', 'jwksUri', 'deploymentIds']

const MESSAGES: Readonly<Record<Exclude<FormRule, 'duplicate-registration'>, { id: string; en: string }>> = {
  required: { id: 'Wajib diisi.', en: 'Required.' },
  url: { id: 'Harus alamat lengkap, misalnya https://moodle.example.org/mod/lti/auth.php.', en: 'Must be a full address, such as https://moodle.example.org/mod/lti/auth.php.' },
  https: { id: 'Harus memakai https:// (http:// hanya untuk localhost).', en: 'Must use https:// (http:// only for localhost).' },
  credentials: { id: 'Alamat tidak boleh memuat nama pengguna atau kata sandi (nama:sandi@).', en: 'The address must not contain a user name or password (name:password@).' },
  fragment: { id: 'Alamat tidak boleh memuat bagian # (fragmen).', en: 'The address must not contain a # part (fragment).' },
  'issuer-form': { id: 'Platform ID (issuer) tidak boleh memuat ? atau #.', en: 'The platform ID (issuer) must not contain ? or #.' },
  'too-long': { id: `Terlalu panjang (alamat paling banyak ${MAX_PLATFORM_URL_LENGTH} karakter, Client ID 255).`, en: `Too long (addresses at most ${MAX_PLATFORM_URL_LENGTH} characters, client ID 255).` },
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
 * host, for local testing), without credentials or fragment, at most 2,000 characters
 * (`platformUrlRule`, as at Dynamic Registration); LAN addresses are fine. The issuer is a URL
 * without query or fragment (OpenID Connect Core §2 `iss`), trailing slashes removed. Deployment
 * ids come one per line (or comma-separated), deduplicated. `tln platform add` runs the same
 * check. Pure.
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

/**
 * The library's platform URL rules (`platformUrlRule`), the same a dynamically registered platform's
 * URLs follow, with the one an operator may relax: plain http on a loopback host. A private or LAN
 * address is not refused here: an operator may name the school's Moodle on the LAN.
 */
function urlRule(value: string): 'url' | 'https' | 'credentials' | 'fragment' | 'too-long' | undefined {
  return platformUrlRule(value, { allowHttpLoopback: true })
}

/** localhost, 127.0.0.1, [::1] and `*.localhost` (RFC 6761 §6.3): only this machine answers there. */
export function isLoopback(hostname: string): boolean {
  return isLoopbackHost(hostname)
}

/** Check one deployment id added to an existing registration (same rule as the form). */
export function checkDeploymentId(value: unknown): string | undefined {
  const id = typeof value === 'string' ? value.trim() : ''
  return /^[\x21-\x7e]{1,255}$/u.test(id) ? id : undefined
}
