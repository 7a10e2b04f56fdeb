import { CompactSign, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose'
import { CLAIM } from '../claims.ts'
import type { FetchLike } from '../fetch-like.ts'
import type { Platform } from '../platform.ts'
import { createServiceHandlers, type ServiceDoubleState } from './platform-services-double.ts'

export interface PlatformDoubleOptions {
  readonly issuer?: string
  readonly clientId?: string
  readonly deploymentId?: string
  /** Clock for the claims it signs (epoch ms); tests freeze it. */
  readonly now?: () => number
}

export interface SignOptions {
  /** Claims to remove from the default set (e.g. `CLAIM.roles`). */
  readonly omit?: readonly string[]
  /** Header fields to override (e.g. `{ kid: 'unknown' }`). */
  readonly header?: Readonly<Record<string, unknown>>
  /** Sign with another key (e.g. one the JWKS does not publish). */
  readonly key?: CryptoKey
}

/**
 * A test double of an LTI platform (Moodle-like): its own RS256 keys and JWKS, an id_token signer
 * with real signatures, and (via `fetch`) the JWKS URL, token endpoint, AGS and NRPS endpoints
 * with paging, openid-configuration and registration endpoint. No network: pass `double.fetch`
 * wherever the library takes a `fetch`.
 */
export async function createPlatformDouble(options: PlatformDoubleOptions = {}) {
  const issuer = options.issuer ?? 'https://lms.example.org'
  const clientId = options.clientId ?? 'tln-client'
  const deploymentId = options.deploymentId ?? 'deployment-1'
  const now = options.now ?? Date.now
  const { publicKey, privateKey } = await platformKeys()
  const kid = 'platform-key-1'
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }
  const platform: Platform = {
    issuer,
    clientId,
    authorizationEndpoint: `${issuer}/mod/lti/auth.php`,
    tokenEndpoint: `${issuer}/mod/lti/token.php`,
    jwksUri: `${issuer}/mod/lti/certs.php`,
  }
  let published: JWK[] = [publicJwk]
  const counters = { jwksFetches: 0 }
  const services: ServiceDoubleState = createServiceHandlers({ platform, now })

  /** The claims of a valid resource-link launch for `nonce`; override or omit what a test breaks. */
  const launchClaims = (nonce: string, overrides: Readonly<Record<string, unknown>> = {}): Record<string, unknown> => {
    const iat = Math.floor(now() / 1000)
    return {
      iss: issuer, aud: clientId, sub: 'user-17', iat, exp: iat + 60, nonce,
      name: 'Siti Rahayu', given_name: 'Siti', family_name: 'Rahayu', email: 'siti@example.org',
      [CLAIM.messageType]: 'LtiResourceLinkRequest', [CLAIM.version]: '1.3.0', [CLAIM.deploymentId]: deploymentId,
      [CLAIM.targetLinkUri]: 'https://tln.example/lti/launch',
      [CLAIM.resourceLink]: { id: 'rl-1', title: 'Modul 1' },
      [CLAIM.roles]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
      [CLAIM.context]: { id: 'course-1', label: 'PAUD-1', title: 'Pelatihan PAUD', type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'] },
      [CLAIM.custom]: { module: 'rpph' },
      [CLAIM.agsEndpoint]: { scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/lineitem', 'https://purl.imsglobal.org/spec/lti-ags/scope/score'], lineitems: services.lineItemsUrl },
      [CLAIM.nrpsService]: { context_memberships_url: services.membershipsUrl, service_versions: ['2.0'] },
      ...overrides,
    }
  }

  /** Deep-linking request claims (Deep Linking 2.0 §4.4), `data` included only when given. */
  const deepLinkingClaims = (nonce: string, settings: Readonly<Record<string, unknown>> = {}): Record<string, unknown> => {
    const base = launchClaims(nonce, { [CLAIM.messageType]: 'LtiDeepLinkingRequest' })
    delete base[CLAIM.resourceLink]
    base[CLAIM.deepLinkingSettings] = {
      deep_link_return_url: `${issuer}/mod/lti/contentitem_return.php?course=1`,
      accept_types: ['ltiResourceLink'], accept_presentation_document_targets: ['iframe', 'window'],
      accept_multiple: true, accept_lineitem: true, ...settings,
    }
    return base
  }

  /** Sign claims as the platform would (RS256, its kid) — a real signature. */
  const sign = async (claims: Readonly<Record<string, unknown>>, sign: SignOptions = {}): Promise<string> => {
    const payload = Object.fromEntries(Object.entries(claims).filter(([k]) => !sign.omit?.includes(k)))
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid, ...sign.header } as { alg: string })
      .sign(sign.key ?? privateKey)
  }

  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init)
    if (request.url === platform.jwksUri) {
      counters.jwksFetches += 1
      return Response.json({ keys: published } satisfies JSONWebKeySet)
    }
    return (await services.handle(request)) ?? new Response('not found', { status: 404 })
  }

  return {
    issuer, clientId, deploymentId, kid, platform, publicKey, privateKey, publicJwk,
    /** The public key as PEM — what an attacker would use as an HS256 secret. */
    publicKeyPem: await exportSPKI(publicKey),
    counters, services, launchClaims, deepLinkingClaims, sign, fetch,
    /** Replace the published JWKS (to simulate platform key rotation). */
    publish(keys: JWK[]): void {
      published = keys
    },
  }
}

// RSA key generation is slow; one platform key pair serves every test of a worker.
let cachedKeys: ReturnType<typeof generateKeyPair> | undefined
function platformKeys() {
  cachedKeys ??= generateKeyPair('RS256', { extractable: true })
  return cachedKeys
}

export type PlatformDouble = Awaited<ReturnType<typeof createPlatformDouble>>
