/**
 * The constants of OB 3.0 and the public URLs of TLN badges, in one place so that the credential,
 * the routes and the tests agree.
 */

/** VC Data Model 2.0 §4.3: the first `@context` value MUST be this URL. */
export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2'
/** OB 3.0 "Context" (spec document version 1.4.1): the current JSON-LD context of Open Badges 3.0. */
export const OB_V3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'
/** OB 3.0 "JSON Schema": the schema of an AchievementCredential, named in `credentialSchema`. */
export const OB_CREDENTIAL_SCHEMA = 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json'
/** OB 3.0 "CredentialSchema": the validator type of the 1EdTech JSON schemas. */
export const OB_SCHEMA_VALIDATOR = '1EdTechJsonSchemaValidator2019'
/** CLR 2.0 "Context": the JSON-LD context of a ClrCredential, second in `@context` after the VC 2.0 one. */
export const CLR_V2_CONTEXT = 'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json'
/** CLR 2.0 "JSON Schema": the schema of a ClrCredential, named in `credentialSchema`. */
export const CLR_CREDENTIAL_SCHEMA = 'https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json'
/** OB 3.0 "JSON Web Token Proof Format", JOSE header `alg`: "MUST be RS256 as a minimum". */
export const BADGE_ALG = 'RS256'

/** Where a tenant's badges live under the server's public URL. */
export function badgeUrls(publicUrl: string, slug: string) {
  const base = publicUrl.replace(/\/+$/u, '')
  const issuer = `${base}/badges/issuer/${encodeURIComponent(slug)}`
  return {
    issuer,
    jwks: `${issuer}/jwks`,
    /** OB 3.0 `kid`: "A URI that can be dereferenced to an object of type JWK" — the JWKS, the key picked by fragment. */
    kid: (thumbprint: string) => `${issuer}/jwks#${thumbprint}`,
    statusList: `${base}/badges/revocations/${encodeURIComponent(slug)}`,
    badge: (id: string) => `${base}/badges/${id}`,
    /** A learner's CLR 2.0 transcript (signed in: the learner or staff whose grants cover them). */
    clr: (learnerKey: string) => `${base}/badges/clr/${encodeURIComponent(learnerKey)}`,
    /** `POST` a ClrCredential VC-JWT: the named verification checks. */
    clrVerify: `${base}/badges/clr/verify`,
    caseItem: (identifier: string) => `${base}/ims/case/v1p0/CFItems/${identifier}`,
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u

/** True for a UUID in canonical lower-case form (badge ids are generated so). */
export function isBadgeId(value: string): boolean {
  return UUID.test(value)
}
