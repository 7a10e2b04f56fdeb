import { SignJWT } from 'jose'
import { LtiServiceError } from '../errors.ts'
import { importSigningKey } from '../keys/tool-key.ts'
import { currentToolKey } from '../keys/rotate-tool-keys.ts'
import { randomToken } from '../random.ts'
import type { AccessToken } from '../stores/access-token-cache.ts'
import { readJson, send } from './http.ts'
import type { ServiceContext } from './service-context.ts'

/**
 * The client assertion's `aud` values to try, in order, each **alone**: the token endpoint first,
 * then the platform's `authorization_server` when it names another one (Dynamic Registration 1.0
 * §3.4 asks for that value; an operator may type it as the token audience). One value per
 * assertion because platforms disagree and one refuses an array: Brightspace answers 500 to an
 * `aud` of two values yet takes its token URL alone (oat-sa/lib-lti1p3-core#187); Canvas Cloud
 * advertises the bare host `sso.canvaslms.com` yet checks `aud` for its token URL
 * (`Canvas::Oauth::ClientCredentialsProvider`); Moodle and Blackboard take the token URL.
 */
export function assertionAudiences(platform: { readonly tokenEndpoint: string; readonly authorizationServer?: string }): [string] | [string, string] {
  const server = platform.authorizationServer
  return server === undefined || server === '' || server === platform.tokenEndpoint ? [platform.tokenEndpoint] : [platform.tokenEndpoint, server]
}

/** Lifetime assumed when the platform names none (RFC 6749 §5.1: `expires_in` is RECOMMENDED, not required). */
export const DEFAULT_TOKEN_LIFETIME_S = 300

/** The longest a token is kept (a day): `expires_in: 1e12` must not cache a token for ages, nor 1e300 make its expiry no date at all. */
export const MAX_TOKEN_LIFETIME_S = 86_400

/**
 * The lifetime of an access token from the platform's `expires_in` (RFC 6749 §5.1: "The lifetime
 * in seconds of the access token"): a positive finite number, at most `MAX_TOKEN_LIFETIME_S`;
 * anything else (absent, 0, negative, a string) gives `DEFAULT_TOKEN_LIFETIME_S`.
 */
export function tokenLifetimeS(expiresIn: unknown): number {
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) return DEFAULT_TOKEN_LIFETIME_S
  return Math.min(expiresIn, MAX_TOKEN_LIFETIME_S)
}

/** Refresh this long before expiry, so a token never expires in flight. */
const EARLY_REFRESH_MS = 60_000

/**
 * An access token for the given scopes by the OAuth 2 client-credentials grant with a signed JWT
 * assertion (Security Framework 1.0 §4.1; RFC 7523 §2.2): `client_assertion_type =
 * urn:ietf:params:oauth:client-assertion-type:jwt-bearer`, assertion `iss` = `sub` = client_id,
 * `aud` = the token endpoint, or the `authorization_server` once when the token endpoint refuses
 * that (see `assertionAudiences`), short `exp`, unique `jti`.
 * Cached per (issuer, client_id, scopes) until shortly before it expires.
 */
export async function getAccessToken(ctx: ServiceContext, scopes: readonly string[], options: { fresh?: boolean } = {}): Promise<AccessToken> {
  const now = (ctx.now ?? Date.now)()
  const sorted = [...new Set(scopes)].sort()
  const cacheKey = `${ctx.platform.issuer} ${ctx.platform.clientId} ${sorted.join(' ')}`
  if (!options.fresh) {
    const cached = await ctx.tokenCache.get(cacheKey)
    if (cached && cached.expiresAt - EARLY_REFRESH_MS > now) return cached
  }

  const key = await currentToolKey(ctx.keys, now)
  const iat = Math.floor(now / 1000)
  const url = ctx.platform.tokenEndpoint
  // Imported once, when the first assertion is signed: the second `aud` signs with the same key.
  let signingKey: Promise<CryptoKey> | undefined
  const request = async (aud: string): Promise<Response> => {
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(ctx.platform.clientId)
      .setSubject(ctx.platform.clientId)
      .setAudience(aud)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 300)
      .setJti(randomToken())
      .sign(await (signingKey ??= importSigningKey(key)))
    return send(ctx.fetch, url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        scope: sorted.join(' '),
      }).toString(),
    })
  }
  const [tokenUrl, authorizationServer] = assertionAudiences(ctx.platform)
  let response: Response
  try {
    response = await request(tokenUrl)
  } catch (error) {
    // RFC 6749 §5.2: a refused assertion is 400 (invalid_grant, invalid_request) or 401 (invalid_client);
    // only then may another aud help. A 5xx or a network failure is the platform's, told as it is.
    const refused = error instanceof LtiServiceError && (error.status === 400 || error.status === 401)
    if (!refused || authorizationServer === undefined) throw error
    response = await request(authorizationServer)
  }
  const body = (await readJson(response, url)) as Record<string, unknown>
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw new LtiServiceError('ERR_LTI_SERVICE_INVALID_RESPONSE', 'token endpoint answered no access_token', url, response.status)
  }
  const expiresIn = tokenLifetimeS(body.expires_in)
  const token: AccessToken = {
    accessToken: body.access_token,
    tokenType: typeof body.token_type === 'string' ? body.token_type : 'Bearer',
    // RFC 6749 §5.1: scope is OPTIONAL "if identical to the scope requested".
    scopes: typeof body.scope === 'string' ? body.scope.split(' ').filter(Boolean) : sorted,
    expiresAt: now + expiresIn * 1000,
  }
  await ctx.tokenCache.set(cacheKey, token)
  return token
}
