/**
 * The VC-JWT proof of a badge (OB 3.0 §"JSON Web Token Proof Format", #jwt-proof): the credential
 * signed as a compact JWS, and its verification as an ordered list of small named checks
 * (STYLE.md rule 5). Claims are read only after the signature verified.
 */
import { compactVerify, decodeProtectedHeader, importJWK, SignJWT, type JWK } from 'jose'
import { BADGE_ALG, CLR_V2_CONTEXT, OB_V3_CONTEXT, VC_V2_CONTEXT } from './badge-urls.ts'
import type { OpenBadgeCredential } from './types.ts'

/** What the JWT claims are taken from: an OpenBadgeCredential, or the issuer's status list credential. */
export type SignableCredential = Pick<OpenBadgeCredential, 'id' | 'validFrom' | 'validUntil'> & {
  readonly issuer: { readonly id: string }
  readonly credentialSubject: { readonly id: string }
}

/** NumericDate (seconds) of an ISO 8601 instant. */
function numericDate(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000)
}

/**
 * Sign a credential as a VC-JWT. JOSE header (#joseheader): `alg` RS256, `kid` a URI that
 * dereferences to the JWK, `typ` "JWT" ("If present, MUST be set to JWT"); "Additional JOSE
 * Headers are NOT allowed". Payload ("JWT Payload Format"): the credential itself (VC DM 2.0; the
 * `vc` claim is the VC DM 1.1 form) with `iss` = issuer.id, `jti` = id, `sub` =
 * credentialSubject.id, `nbf` = validFrom, and `exp` = validUntil when there is one.
 */
export async function signCredential(credential: SignableCredential, privateJwk: JWK, kid: string): Promise<string> {
  const key = await importJWK(privateJwk, BADGE_ALG)
  const jwt = new SignJWT({ ...credential })
    .setProtectedHeader({ alg: BADGE_ALG, kid, typ: 'JWT' })
    .setIssuer(credential.issuer.id)
    .setJti(credential.id)
    .setSubject(credential.credentialSubject.id)
    .setNotBefore(numericDate(credential.validFrom))
  if (credential.validUntil !== undefined) jwt.setExpirationTime(numericDate(credential.validUntil))
  return jwt.sign(key)
}

export type CheckName = 'format' | 'issuer-key-known' | 'signature' | 'credential' | 'claims' | 'valid-from' | 'not-expired' | 'not-revoked'
  /** A CLR: every OpenBadgeCredential it embeds is a badge of its issuer, unrevoked. */
  | 'badges-not-revoked'

/** One named verification step: `passed`, `failed` (with why), or `skipped` because an earlier step failed. */
export interface Check {
  readonly name: CheckName
  readonly status: 'passed' | 'failed' | 'skipped'
  readonly detail?: string
}

export interface JwtVerification {
  readonly checks: readonly Check[]
  /** The credential, only when the signature verified. */
  readonly credential?: Record<string, unknown>
}

const ALLOWED_HEADERS = new Set(['alg', 'kid', 'jwk', 'typ'])
const ORDER: readonly CheckName[] = ['format', 'issuer-key-known', 'signature', 'credential', 'claims', 'valid-from', 'not-expired']

class CheckFailed extends Error {
  constructor(readonly check: CheckName, detail: string) {
    super(detail)
  }
}

/**
 * Verify a badge's VC-JWT (OB 3.0 #jwt-verify and #jwt-verify-credential) against the issuer's
 * published keys. Steps in order, each named; the first failure stops the rest (they are
 * `skipped`), so no claim is trusted before its signature is checked.
 *
 * An OpenBadgeCredential or a CLR 2.0 ClrCredential (the same VC-JWT proof, CLR 2.0 #jwt-proof).
 *
 * @param keys the issuer's JWKS keys (their `kid` the full `kid` URI)
 * @param expectedIssuer the issuer whose JWKS `keys` is: `iss` must name it, so one tenant's key cannot vouch for another issuer
 */
export async function verifyCredentialJwt(jwt: string, keys: readonly JWK[], now: Date, expectedIssuer?: string): Promise<JwtVerification> {
  const passed: Check[] = []
  let credential: Record<string, unknown> | undefined
  const step = async (name: CheckName, run: () => void | Promise<void>): Promise<void> => {
    await run()
    passed.push({ name, status: 'passed' })
  }
  try {
    let kid = ''
    await step('format', () => {
      kid = checkFormat(jwt)
    })
    const jwk = keys.find((k) => k.kid === kid)
    await step('issuer-key-known', () => {
      if (jwk === undefined) throw new CheckFailed('issuer-key-known', `kid ${kid} is not in the issuer's JWKS`)
    })
    await step('signature', async () => {
      try {
        const { payload } = await compactVerify(jwt, await importJWK(jwk!, BADGE_ALG), { algorithms: [BADGE_ALG] })
        credential = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>
      } catch (error) {
        throw new CheckFailed('signature', `RFC 7515 §5.2: the signature does not verify (${(error as Error).message})`)
      }
    })
    await step('credential', () => checkCredentialShape(credential!))
    await step('claims', () => checkClaims(credential!, expectedIssuer))
    await step('valid-from', () => {
      if (Date.parse(credential!.validFrom as string) > now.getTime()) throw new CheckFailed('valid-from', `validFrom ${String(credential!.validFrom)} has not yet occurred`)
    })
    await step('not-expired', () => {
      const until = credential!.validUntil
      if (typeof until === 'string' && Date.parse(until) <= now.getTime()) throw new CheckFailed('not-expired', `validUntil ${until} has passed`)
    })
  } catch (error) {
    if (!(error instanceof CheckFailed)) throw error
    const failed: Check = { name: error.check, status: 'failed', detail: error.message }
    const rest = ORDER.slice(ORDER.indexOf(error.check) + 1).map((name): Check => ({ name, status: 'skipped' }))
    return { checks: [...passed, failed, ...rest], ...(credential !== undefined && passed.some((c) => c.name === 'signature') ? { credential } : {}) }
  }
  return { checks: passed, credential: credential! }
}

/** Compact JWS, JOSE header as OB 3.0 #joseheader allows; returns the `kid`. Only `alg` and `kid` are read before the signature is verified. */
function checkFormat(jwt: string): string {
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/u.test(jwt)) throw new CheckFailed('format', 'not a compact JWS (three base64url parts)')
  let header: Record<string, unknown>
  try {
    header = decodeProtectedHeader(jwt) as Record<string, unknown>
  } catch {
    throw new CheckFailed('format', 'the JOSE header is not base64url JSON')
  }
  const extra = Object.keys(header).filter((k) => !ALLOWED_HEADERS.has(k))
  if (extra.length > 0) throw new CheckFailed('format', `OB 3.0 #joseheader: additional JOSE headers are not allowed (${extra.join(', ')})`)
  if (header.alg !== BADGE_ALG) throw new CheckFailed('format', `alg must be ${BADGE_ALG}, got ${String(header.alg)}`)
  if (header.typ !== undefined && header.typ !== 'JWT') throw new CheckFailed('format', `typ, if present, MUST be "JWT", got ${String(header.typ)}`)
  if (typeof header.kid !== 'string') throw new CheckFailed('format', 'kid is required to find the issuer key')
  return header.kid
}

/**
 * OB 3.0 "Verification and Validation": a credential whose type and contexts say OpenBadgeCredential;
 * or CLR 2.0 #clrcredential: `@context` the VC 2.0 context then the CLR 2.0 one, `type` with
 * ClrCredential, and a ClrSubject with at least one `verifiableCredential` (#clrsubject "[1..*]").
 */
function checkCredentialShape(credential: Record<string, unknown>): void {
  const context = credential['@context']
  const type = credential.type
  if (Array.isArray(type) && type.includes('ClrCredential')) {
    if (!Array.isArray(context) || context[0] !== VC_V2_CONTEXT || context[1] !== CLR_V2_CONTEXT) {
      throw new CheckFailed('credential', `CLR 2.0: @context must be ${VC_V2_CONTEXT}, then ${CLR_V2_CONTEXT}`)
    }
    if (!type.includes('VerifiableCredential')) throw new CheckFailed('credential', 'type must include VerifiableCredential and ClrCredential')
    const subject = credential.credentialSubject as { type?: unknown; verifiableCredential?: unknown } | undefined
    const subjectType = subject?.type
    if (!(Array.isArray(subjectType) ? subjectType.includes('ClrSubject') : subjectType === 'ClrSubject')) throw new CheckFailed('credential', 'CLR 2.0: credentialSubject.type must include ClrSubject')
    if (!Array.isArray(subject?.verifiableCredential) || subject.verifiableCredential.length === 0) {
      throw new CheckFailed('credential', 'CLR 2.0: credentialSubject.verifiableCredential must hold at least one credential')
    }
  } else {
    if (!Array.isArray(context) || context[0] !== VC_V2_CONTEXT || !context.includes(OB_V3_CONTEXT)) {
      throw new CheckFailed('credential', `@context must start with ${VC_V2_CONTEXT} and include ${OB_V3_CONTEXT}`)
    }
    if (!Array.isArray(type) || !type.includes('VerifiableCredential') || !(type.includes('OpenBadgeCredential') || type.includes('AchievementCredential'))) {
      throw new CheckFailed('credential', 'type must include VerifiableCredential and OpenBadgeCredential')
    }
  }
  if (typeof credential.validFrom !== 'string' || Number.isNaN(Date.parse(credential.validFrom))) throw new CheckFailed('credential', 'validFrom must be a dateTime')
}

/** OB 3.0 #jwt-verify-credential: `iss`, `sub`, `jti`, `nbf` MUST match the credential. */
function checkClaims(payload: Record<string, unknown>, expectedIssuer: string | undefined): void {
  const issuer = payload.issuer as { id?: unknown } | undefined
  if (expectedIssuer !== undefined && payload.iss !== expectedIssuer) throw new CheckFailed('claims', `iss MUST be ${expectedIssuer}, the issuer whose key signed it`)
  const subject = payload.credentialSubject as { id?: unknown } | undefined
  if (payload.iss !== issuer?.id) throw new CheckFailed('claims', 'iss MUST match issuer.id')
  if (payload.sub !== subject?.id) throw new CheckFailed('claims', 'sub MUST match credentialSubject.id')
  if (payload.jti !== payload.id) throw new CheckFailed('claims', 'jti MUST match id')
  if (typeof payload.nbf !== 'number' || payload.nbf !== numericDate(payload.validFrom as string)) throw new CheckFailed('claims', 'nbf MUST equal validFrom')
  if (payload.exp !== undefined && (typeof payload.validUntil !== 'string' || payload.exp !== numericDate(payload.validUntil))) {
    throw new CheckFailed('claims', 'exp MUST equal validUntil')
  }
}
