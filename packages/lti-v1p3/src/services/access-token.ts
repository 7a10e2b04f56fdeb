import { SignJWT } from 'jose'
import { LtiServiceError } from '../errors.ts'
import { importSigningKey } from '../keys/tool-key.ts'
import { currentToolKey } from '../keys/rotate-tool-keys.ts'
import { randomToken } from '../random.ts'
import type { AccessToken } from '../stores/access-token-cache.ts'
import { readJson, send } from './http.ts'
import type { ServiceContext } from './service-context.ts'

/**
 * The client assertion's `aud`: the token endpoint, and also the platform's `authorization_server`
 * when it names one that differs (Dynamic Registration 1.0 §3.4 asks for that value; RFC 7523 §3
 * lets `aud` hold several). Both, because platforms disagree: Canvas Cloud advertises the bare host
 * `sso.canvaslms.com` yet accepts only its token URL, and checks that the array contains it.
 */
export function assertionAudience(platform: { readonly tokenEndpoint: string; readonly authorizationServer?: string }): string | string[] {
  const server = platform.authorizationServer
  return server === undefined || server === platform.tokenEndpoint ? platform.tokenEndpoint : [server, platform.tokenEndpoint]
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
 * `aud` = token endpoint (see `assertionAudience`), short `exp`, unique `jti`.
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
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(ctx.platform.clientId)
    .setSubject(ctx.platform.clientId)
    .setAudience(assertionAudience(ctx.platform))
    .setIssuedAt(iat)
    .setExpirationTime(iat + 300)
    .setJti(randomToken())
    .sign(await importSigningKey(key))

  const url = ctx.platform.tokenEndpoint
  const response = await send(ctx.fetch, url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope: sorted.join(' '),
    }).toString(),
  })
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
